/**
 * Starts a policy pack the way the Pulumi engine does — `run-policy-pack <engine> <pack dir>`, the
 * gRPC port read from its stdout — and talks to it with the stubs shipped in @pulumi/pulumi/proto.
 * Used by the analyzer-protocol tests and by the benchmark.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { REPO } from "./paths";

/* eslint-disable @typescript-eslint/no-require-imports -- the generated gRPC stubs are CommonJS */
export const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export const ENFORCEMENT: Record<number, string> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
/** What the Pulumi engine sends for a value it cannot know during preview. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Method = "getAnalyzerInfo" | "getPluginInfo" | "configure" | "analyze" | "analyzeStack" | "remediate";

export interface RunningPack {
  child: ChildProcess;
  call<T>(method: Method, request: unknown): Promise<T>;
  stop(): void;
}

export function startPack(packDir: string, repo = REPO): Promise<RunningPack> {
  const runner = path.join(repo, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`policy pack in ${packDir} exited ${code}: ${err}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const port = /^(\d+)\s*$/m.exec(out)?.[1];
      if (!port) return;
      const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      resolve({
        child,
        call: <T>(method: Method, request: unknown) => new Promise<T>((ok, fail) => client[method](request, (e: Error | null, r: T) => (e ? fail(e) : ok(r)))),
        stop: () => {
          client.close();
          child.kill();
        },
      });
    });
  });
}

type Resource = { type: string; name: string; props: Record<string, unknown> };

/** Fills an AnalyzeRequest or AnalyzerResource: both carry type, name, URN, properties and options. */
function describe<T extends { setType(v: string): void; setName(v: string): void; setUrn(v: string): void; setProperties(v: Struct): void; setOptions(v: unknown): void }>(message: T, resource: Resource): T {
  message.setType(resource.type);
  message.setName(resource.name);
  message.setUrn(`urn:pulumi:test::apiguard::${resource.type}::${resource.name}`);
  message.setProperties(Struct.fromJavaScript(resource.props as never));
  message.setOptions(new analyzerPb.AnalyzerResourceOptions()); // the engine always sends options; the runtime requires them
  return message;
}

export const analyzeRequest = (resource: Resource): unknown => describe(new analyzerPb.AnalyzeRequest(), resource);
export const analyzerResource = (resource: Resource): unknown => describe(new analyzerPb.AnalyzerResource(), resource);

export interface Diagnostic {
  policy: string;
  enforcement: string;
  message: string;
  urn: string;
}

export function diagnostics(response: { getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string; getUrn(): string }[] }): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), enforcement: ENFORCEMENT[d.getEnforcementlevel()], message: d.getMessage(), urn: d.getUrn() }));
}

/** A Configure request: policy name → enforcement level and parameters. */
export function configureRequest(config: Record<string, { enforcementLevel?: string; [key: string]: unknown }>): unknown {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  const levels = Object.fromEntries(Object.entries(ENFORCEMENT).map(([k, v]) => [v, Number(k)]));
  for (const [policy, { enforcementLevel, ...properties }] of Object.entries(config)) {
    const c = new analyzerPb.PolicyConfig();
    if (enforcementLevel) c.setEnforcementlevel(levels[enforcementLevel]);
    c.setProperties(Struct.fromJavaScript(properties as never));
    request.getPolicyconfigMap().set(policy, c);
  }
  return request;
}
