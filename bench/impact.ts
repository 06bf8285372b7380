/**
 * `apiguard impact` over a fleet: Resource Graph pages of 1,000 rows, as `az graph query --first 1000`
 * writes them, made from real AKS provider responses (test/cli/evaluate/corpus/inventories/arm-get)
 * with settings varied row by row. Measured end to end (process start to exit) with each engine, beside
 * the in-process Azure Policy evaluator's rate on the same rows in the same run; peak memory (RSS) at 10,
 * 100 and 200 pages (the 100 read twice) shows that it does not grow with the number of pages. `impact`
 * judges files on worker threads, one per CPU by default (from 32 MB of input): the 100 pages are also run with `--jobs 1`,
 * so what the threads give is seen beside what one thread does.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { judgeWithAzure, loadDefinitions } from "../cli/evaluate/engines/azure-policy";
import { jobsFor } from "../cli/impact/run";
import type { ArmResource } from "../core/resources/convert";
import { summarize, type Measurement } from "./stats";

const CORPUS = "test/cli/evaluate/corpus/inventories/arm-get";

/** A row of Resource Graph's `resources` table for cluster `i`: one of the real responses, varied. */
function row(templates: Record<string, unknown>[], i: number): Record<string, unknown> {
  const body = JSON.parse(JSON.stringify(templates[i % templates.length])) as { properties: Record<string, unknown>; sku: unknown; identity: unknown; location: string; type: string };
  const p = body.properties;
  // A mix: some fleets have disabled local accounts or command invoke on part of their clusters.
  if (i % 5 === 0) p.disableLocalAccounts = true;
  if (i % 7 === 0) p.apiServerAccessProfile = { ...(p.apiServerAccessProfile as object), disableRunCommand: true };
  const subscription = `${String(i % 20).padStart(8, "0")}-0000-4000-8000-000000000000`;
  const group = `rg-platform-${i % 200}`;
  const name = `aks-${i}`;
  return {
    id: `/subscriptions/${subscription}/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    type: body.type.toLowerCase(),
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    kind: "",
    location: ["westeurope", "northeurope", "eastus", "westus2", "swedencentral"][i % 5],
    resourceGroup: group,
    subscriptionId: subscription,
    managedBy: "",
    sku: body.sku,
    plan: null,
    properties: p,
    tags: null,
    identity: body.identity,
    zones: null,
    extendedLocation: null,
  };
}

/** Writes `pages` pages of `rows` rows; returns their paths. */
export function writeFleet(repo: string, dir: string, pages: number, rows: number): string[] {
  const templates = fs
    .readdirSync(path.join(repo, CORPUS))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(repo, CORPUS, f), "utf8")) as Record<string, unknown>);
  return Array.from({ length: pages }, (_, p) => {
    const file = path.join(dir, `page-${String(p + 1).padStart(3, "0")}.json`);
    const data = Array.from({ length: rows }, (_, i) => row(templates, p * rows + i));
    fs.writeFileSync(file, JSON.stringify({ count: rows, data, skip_token: p === pages - 1 ? null : `page-${p + 2}`, total_records: pages * rows }));
    return file;
  });
}

interface Run {
  ms: number;
  peakRssMiB: number;
}

function runImpact(repo: string, files: string[], engine: string, jobs: number | undefined, out: string): Run {
  const rss = path.join(path.dirname(out), "rss");
  const start = performance.now();
  const p = spawnSync(
    process.execPath,
    ["--require", path.join(__dirname, "rss-probe.js"), path.join(repo, "bin/apiguard.js"), "impact", "--engine", engine, ...(jobs === undefined ? [] : ["--jobs", String(jobs)]), "--project", repo, "--json", out, ...files],
    {
      encoding: "utf8",
      env: { ...process.env, APIGUARD_BENCH_RSS: rss },
      maxBuffer: 1 << 30,
    },
  );
  const ms = performance.now() - start;
  if (p.status !== 0) throw new Error(`impact exited ${p.status}: ${p.stderr}`);
  const report = JSON.parse(fs.readFileSync(out, "utf8")) as { inputs: { judged: number } };
  if (report.inputs.judged !== files.length * (JSON.parse(fs.readFileSync(files[0], "utf8")) as { count: number }).count) throw new Error("impact judged fewer clusters than the fleet has");
  return { ms, peakRssMiB: Number(fs.readFileSync(rss, "utf8")) / 1024 };
}

export interface ImpactEngineResult {
  engine: string;
  /** Files judged at once (worker threads); 1: on the main thread. */
  jobs: number;
  pages: number;
  clusters: number;
  ms: Measurement;
  clustersPerSecond: number;
  peakRssMiB: number;
}

export interface ImpactBench {
  rowsPerPage: number;
  /** End to end, each engine; Azure Policy at 10, 100 and 200 pages (memory must not grow with pages). */
  runs: ImpactEngineResult[];
  inProcess: { clusters: number; definitions: number; clustersPerSecond: Measurement };
  /** End-to-end Azure Policy rate at all pages / the in-process rate (goal ≥ 0.5), with the default worker threads. */
  ratio: number;
  /** The same with `--jobs 1`. */
  ratioOneThread: number;
}

export async function benchImpact(repo: string, runs: number, smoke: boolean): Promise<ImpactBench> {
  const pages = smoke ? 4 : 100;
  const rows = smoke ? 250 : 1000;
  const few = smoke ? 2 : 10;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-impact-"));
  try {
    const files = writeFleet(repo, dir, pages, rows);
    const cases: { engine: string; files: string[]; jobs?: number }[] = [
      { engine: "azure-policy", files: files.slice(0, few) },
      { engine: "azure-policy", files },
      { engine: "azure-policy", files, jobs: 1 },
      // Twice as many pages (each read twice): peak memory must stay where it was.
      { engine: "azure-policy", files: [...files, ...files] },
      // CrossGuard runs each policy behind Pulumi's unknown-checking proxy, one awaited call per rule: slower, so fewer pages.
      { engine: "crossguard", files: files.slice(0, few) },
      { engine: "both", files: files.slice(0, few) },
    ];
    // The in-process evaluator on the same rows: every definition, as bench/evaluator.ts runs it.
    const definitions = loadDefinitions(path.join(repo, "azure-policy"));
    const resources = files.slice(0, few).flatMap((f) => (JSON.parse(fs.readFileSync(f, "utf8")) as { data: ArmResource[] }).data);
    const inProcessRate = () => {
      const start = performance.now();
      let failures = 0;
      for (const r of resources) for (const d of definitions) if (judgeWithAzure(d, r).verdict === "fail") failures++;
      if (failures === 0) throw new Error("the fleet is compliant everywhere: the bench measures nothing");
      return resources.length / ((performance.now() - start) / 1000);
    };
    inProcessRate(); // warms up the JIT
    // Interleaved, so that load from elsewhere on a shared machine falls on every measurement alike.
    const samples = cases.map(() => [] as Run[]);
    const rates: number[] = [];
    for (let i = 0; i < Math.max(1, runs); i++) {
      cases.forEach((c, j) => samples[j].push(runImpact(repo, c.files, c.engine, c.jobs, path.join(dir, "report.json"))));
      rates.push(inProcessRate());
    }
    const results: ImpactEngineResult[] = cases.map((c, j) => {
      const ms = summarize(samples[j].map((s) => s.ms));
      const clusters = c.files.length * rows;
      const jobs = jobsFor(c.files, c.jobs);
      return { engine: c.engine, jobs, pages: c.files.length, clusters, ms, clustersPerSecond: clusters / (ms.median / 1000), peakRssMiB: Math.max(...samples[j].map((s) => s.peakRssMiB)) };
    });
    const inProcess = { clusters: resources.length, definitions: definitions.length, clustersPerSecond: summarize(rates) };
    // Every page, Azure Policy: with the default threads, and with --jobs 1.
    const all = results[cases.findIndex((c) => c.engine === "azure-policy" && c.files === files && c.jobs === undefined)];
    const oneThread = results[cases.findIndex((c) => c.engine === "azure-policy" && c.files === files && c.jobs === 1)];
    const rate = inProcess.clustersPerSecond.median;
    return { rowsPerPage: rows, runs: results, inProcess, ratio: all.clustersPerSecond / rate, ratioOneThread: oneThread.clustersPerSecond / rate };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
