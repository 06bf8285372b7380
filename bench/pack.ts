/**
 * Policy-pack start-up and Analyze throughput over the analyzer gRPC protocol, with packs started
 * the way the Pulumi engine starts them (`run-policy-pack <engine> <pack dir>`, port on stdout).
 * Compares the generated pack with (b) a bare one-policy pack, the floor, and (c) a pack written the
 * usual way — `validateResourceOfType` over the azure-native and aws SDKs, type-checked at load.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { analyzeRequest, startPack } from "../test/helpers/analyzer";
import { summarize, type Measurement } from "./stats";

/** Peak resident set size of a process, from /proc (Linux). */
function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export function writePack(root: string, name: string, files: Record<string, string>, repo: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

export const BARE = `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("bare", { policies: [{ name: "noop", description: "Reports nothing.", enforcementLevel: "advisory", validateResource: () => {} }] });
`;

const CONVENTIONAL = `import * as azure from "@pulumi/azure-native";
import * as aws from "@pulumi/aws";
import { PolicyPack, validateResourceOfType } from "@pulumi/policy";

new PolicyPack("conventional", {
    policies: [
        {
            name: "aks-private-cluster",
            description: "AKS clusters must use a private API server.",
            enforcementLevel: "mandatory",
            validateResource: validateResourceOfType(azure.containerservice.ManagedCluster, (cluster, _args, reportViolation) => {
                if (cluster.apiServerAccessProfile?.enablePrivateCluster !== true) reportViolation("The API server is public.");
            }),
        },
        {
            name: "eks-endpoint-private",
            description: "EKS clusters must expose only the private endpoint.",
            enforcementLevel: "mandatory",
            validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, reportViolation) => {
                if (cluster.vpcConfig?.endpointPublicAccess !== false) reportViolation("The endpoint is public.");
            }),
        },
    ],
});
`;

export interface PackStart {
  pack: string;
  startMs: Measurement;
  peakRssMiB: Measurement;
}

async function measureStart(repo: string, pack: string, dir: string, runs: number): Promise<PackStart> {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const running = await startPack(dir, repo);
    try {
      await running.call("getAnalyzerInfo", new Empty());
      const elapsed = performance.now() - start;
      if (i > 0) {
        // run 0 warms the file-system cache for every pack alike
        times.push(elapsed);
        rss.push(peakRssMiB(running.child.pid!));
      }
    } finally {
      running.stop();
    }
  }
  return { pack, startMs: summarize(times), peakRssMiB: summarize(rss) };
}

/** A deterministic stream of AKS (compliant and not), EKS and unrelated resources. */
function analyzeRequests(count: number): unknown[] {
  const shapes = [
    { type: "azure-native:containerservice:ManagedCluster", props: { apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, disableRunCommand: true } } },
    { type: "azure-native:containerservice/v20240801:ManagedCluster", props: { apiServerAccessProfile: { authorizedIPRanges: ["0.0.0.0/0"] } } },
    { type: "aws:eks/cluster:Cluster", props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["10.0.0.0/8"] } } },
    { type: "azure-native:storage:StorageAccount", props: { kind: "StorageV2" } },
    { type: "random:index/randomString:RandomString", props: { length: 16 } },
  ];
  return Array.from({ length: count }, (_, i) => analyzeRequest({ ...shapes[i % shapes.length], name: `r${i}` }));
}

export interface Throughput {
  resources: number;
  resourcesPerSecond: Measurement;
}

async function measureThroughput(repo: string, dir: string, runs: number, count: number, inFlight: number, expectViolations: boolean): Promise<Throughput> {
  const requests = analyzeRequests(count);
  const rates: number[] = [];
  const running = await startPack(dir, repo);
  try {
    for (let run = 0; run <= runs; run++) {
      let next = 0;
      let violations = 0;
      const start = performance.now();
      const worker = async () => {
        while (next < requests.length) {
          const response = await running.call<{ getDiagnosticsList(): unknown[] }>("analyze", requests[next++]);
          violations += response.getDiagnosticsList().length;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      if (expectViolations && violations === 0) throw new Error("the stream produced no violation: it measures nothing");
      if (run > 0) rates.push(count / ((performance.now() - start) / 1000));
    }
  } finally {
    running.stop();
  }
  return { resources: count, resourcesPerSecond: summarize(rates) };
}

export interface PackResults {
  start: PackStart[];
  throughput: Throughput;
  /** The same stream through the bare one-policy pack: what the runtime and gRPC cost on their own. */
  throughputFloor: Throughput;
}

export async function benchPack(repo: string, runs: number): Promise<PackResults> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-packs-"));
  try {
    const bare = writePack(root, "bare", { "package.json": JSON.stringify({ name: "bare", version: "1.0.0", main: "index.js" }), "index.js": BARE }, repo);
    const conventional = writePack(
      root,
      "conventional",
      {
        "package.json": JSON.stringify({ name: "conventional", version: "1.0.0", main: "index.ts" }),
        "index.ts": CONVENTIONAL,
        "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true } }),
      },
      repo,
    );
    const start = [await measureStart(repo, "generated (policypack/)", path.join(repo, "policypack"), runs), await measureStart(repo, "bare, one policy", bare, runs), await measureStart(repo, "conventional, SDK types", conventional, runs)];
    const throughput = await measureThroughput(repo, path.join(repo, "policypack"), runs, 10_000, 16, true);
    const throughputFloor = await measureThroughput(repo, bare, runs, 10_000, 16, false);
    return { start, throughput, throughputFloor };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
