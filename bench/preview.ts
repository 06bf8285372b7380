/**
 * The pack's cost on a real `pulumi preview` (the CLI built by scripts/install-pulumi.sh, a
 * TypeScript program, the cloud stand-ins of the tests): the same program previewed without a
 * pack, with the bare one-policy pack and with apiguard's pack, interleaved run by run so that
 * machine noise hits all three alike. The pack's overhead is its preview time minus the no-pack time.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import { harness, PACK } from "../test/e2e/preview/harness";
import { BARE, writePack } from "./pack";
import { summarize, type Measurement } from "./stats";

/** A realistic stack: clusters of both clouds, public and private, and registries. */
async function program(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    new azure.containerservice.ManagedCluster(`aks-${i}`, {
      resourceGroupName: "rg-aks",
      dnsPrefix: `aks-${i}`,
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true },
      apiServerAccessProfile: i % 2 ? { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, disableRunCommand: true } : { authorizedIPRanges: ["73.140.245.0/24"] },
    });
  }
  for (let i = 0; i < 4; i++) new aws.eks.Cluster(`eks-${i}`, { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-0a1b2c3d"], endpointPublicAccess: i % 2 === 0 } });
  for (let i = 0; i < 2; i++) new azure.containerregistry.Registry(`acr${i}`, { resourceGroupName: "rg-aks", sku: { name: "Premium" }, publicNetworkAccess: "Disabled" });
}

export interface PreviewBench {
  resources: number;
  ms: { noPack: Measurement; barePack: Measurement; apiguard: Measurement };
  /** apiguard's overhead over no pack, divided by the bare pack's. */
  overheadRatio: number;
}

export async function benchPreview(repo: string, runs: number): Promise<PreviewBench> {
  const h = harness();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-preview-"));
  try {
    // The CLI reads the pack's version from package.json.
    const bare = writePack(tmp, "bare", { "index.js": BARE, "package.json": JSON.stringify({ name: "bare", version: "0.0.0", main: "index.js" }) }, repo);
    const variants = { noPack: [] as string[], barePack: [bare], apiguard: [PACK] };
    const samples: Record<keyof typeof variants, number[]> = { noPack: [], barePack: [], apiguard: [] };
    for (let i = 0; i <= runs; i++) {
      for (const [name, packs] of Object.entries(variants) as [keyof typeof variants, string[]][]) {
        const start = performance.now();
        const run = await h.preview(`bench-${name}`, program, { packs });
        const elapsed = performance.now() - start;
        if (name !== "apiguard" && run.code !== 0) throw new Error(`preview (${name}) failed:\n${run.output}`);
        if (i > 0) samples[name].push(elapsed); // run 0 warms caches for every variant alike
      }
    }
    const ms = { noPack: summarize(samples.noPack), barePack: summarize(samples.barePack), apiguard: summarize(samples.apiguard) };
    return { resources: 14, ms, overheadRatio: (ms.apiguard.median - ms.noPack.median) / (ms.barePack.median - ms.noPack.median) };
  } finally {
    h.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
