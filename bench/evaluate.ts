/**
 * `apiguard evaluate` wall time as a user sees it (process start to exit) for 1 resource and a template of the most resources one may declare (800),
 * per engine choice, next to the floor `node -e ''` measured in the same run, interleaved so machine
 * noise falls on all of them alike. Goals (issue #16): one resource ≤ 3× the floor with
 * `--engine azure-policy`, ≤ 5× with both engines.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { clusters, TEMPLATE_MAX } from "./evaluator";
import { summarize, type Measurement } from "./stats";

export interface EvaluateTiming {
  label: string;
  resources: number;
  engine: string;
  ms: Measurement;
  /** median / floor median */
  ratio: number;
}

export interface EvaluateBench {
  floor: Measurement;
  timings: EvaluateTiming[];
}

export async function benchEvaluate(repo: string, runs: number): Promise<EvaluateBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-evaluate-"));
  const template = (n: number) => {
    const file = path.join(dir, `template-${n}.json`);
    fs.writeFileSync(file, JSON.stringify({ $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", contentVersion: "1.0.0.0", resources: clusters(n) }));
    return file;
  };
  const bin = path.join(repo, "bin", "apiguard.js");
  const cases = [1, TEMPLATE_MAX].flatMap((n) => {
    const file = template(n);
    return ["azure-policy", "both"].map((engine) => ({ resources: n, engine, args: [bin, "evaluate", "--engine", engine, "--format", "json", file] }));
  });
  const floorSamples: number[] = [];
  const samples = cases.map(() => [] as number[]);
  const run = (args: string[]) => {
    const start = performance.now();
    const p = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 30, cwd: dir });
    const ms = performance.now() - start;
    if (p.status !== 0 && p.status !== 1) throw new Error(`${args.join(" ")} exited ${p.status}: ${p.stderr}`);
    return ms;
  };
  try {
    for (let i = 0; i <= runs; i++) {
      const floor = run(["-e", ""]);
      const times = cases.map((c) => run(c.args));
      if (i === 0) continue; // warms the file cache
      floorSamples.push(floor);
      times.forEach((t, j) => samples[j].push(t));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const floor = summarize(floorSamples);
  return {
    floor,
    timings: cases.map((c, j) => {
      const ms = summarize(samples[j]);
      return { label: `${c.resources.toLocaleString("en-US")} resource${c.resources === 1 ? "" : "s"}, --engine ${c.engine}`, resources: c.resources, engine: c.engine, ms, ratio: ms.median / floor.median };
    }),
  };
}
