/**
 * `apiguard impact`: what switching rules to Deny (Azure Policy) or mandatory (CrossGuard) would do
 * to the resources that exist today, from inventories (Resource Graph pages, Azure CLI output, Pulumi
 * Cloud search pages) and stack exports. Files are read and judged on worker threads (pool.ts), one
 * file per thread at a time, and counted here in the order given, so a fleet of any size is judged in
 * the memory of a few files plus the report (tally.ts), and the report does not depend on the threads.
 */
import * as fs from "fs";
import * as os from "os";
import type { Worker } from "worker_threads";
import type { ParameterValues } from "../../arm-template";
import { InputError } from "../evaluate/formats";
import type { Engine } from "../evaluate/run";
import { UsageError } from "../usage-error";
import type { Rollout } from "./hooks";
import { judgeInputFile, loadEngines, type Engines, type FileOutcome } from "./judge";
import { judgeOnWorkers, startWorkers, stopWorkers, workersAvailable } from "./pool";
import { projectRollout } from "./rollout";
import type { FixItem, ImpactReport } from "./model";
import { Tally } from "./tally";

export interface ImpactOptions {
  engines: readonly Engine[];
  /** The project folder holding policypack/ and azure-policy/. */
  projectDir: string;
  parameters?: ParameterValues;
  /** Resources to fix held in the report (the JSON Lines list has all of them). */
  maxFixes: number;
  /** A file that receives every resource to fix, one JSON object per line. */
  fixList?: string;
  /** The gate: the rules switched to Deny (none named: all), the rings it counts (none named: all) and the most resources they may block. */
  gate?: { maxBlocked: number; rules: string[]; rings?: string[] };
  /** Rings and exemptions; by default the project's (rollout.ts). */
  rollout?: Rollout;
  /** The report's day, when exemptions are judged (tests); by default now. */
  now?: Date;
  /** Files judged at once, on worker threads; by default jobsFor's. 1 judges on this thread. */
  jobs?: number;
}

/** The most worker threads by default: past this, counting on the main thread and memory (a file per worker) cost more than they give. */
const MAX_DEFAULT_JOBS = 8;

/**
 * Input below which threads are not started by default: each loads the engines (about half a second
 * on 2 vCPUs), which ten 3 MB Resource Graph pages only just repay (`npm run bench`).
 */
const MIN_BYTES_FOR_THREADS = 32 * 1024 * 1024;

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // the reader reports it
  }
}

/**
 * Files judged at once: `jobs` if given, else one per CPU (at most MAX_DEFAULT_JOBS) when the files
 * add up to MIN_BYTES_FOR_THREADS, else 1; never more than the files.
 */
export function jobsFor(files: readonly string[], jobs?: number): number {
  if (jobs !== undefined) return Math.min(jobs, files.length);
  let bytes = 0;
  for (const file of files) if ((bytes += sizeOf(file)) >= MIN_BYTES_FOR_THREADS) return Math.min(os.availableParallelism(), MAX_DEFAULT_JOBS, files.length);
  return 1;
}

/** Each file's outcome in turn, judged on this thread. */
async function* judgeHere(engines: Engines, files: readonly string[], options: ImpactOptions): AsyncGenerator<{ outcome: FileOutcome } | { inputError: string }> {
  for (const file of files) {
    let outcome: FileOutcome;
    try {
      outcome = await judgeInputFile(engines, file, { parameters: options.parameters });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      yield { inputError: e.message };
      continue;
    }
    yield { outcome };
  }
}

export async function impactFiles(files: readonly string[], options: ImpactOptions): Promise<ImpactReport> {
  const jobs = jobsFor(files, options.jobs);
  const workers = jobs > 1 && workersAvailable() ? startWorkers(jobs, { projectDir: options.projectDir, engines: options.engines, options: { parameters: options.parameters } }) : undefined;
  try {
    return await judgeAndCount(files, options, workers);
  } finally {
    if (workers) await stopWorkers(workers);
  }
}

async function judgeAndCount(files: readonly string[], options: ImpactOptions, workers: Worker[] | undefined): Promise<ImpactReport> {
  const engines = await loadEngines(options.projectDir, options.engines);
  const known = new Set(engines.rules.map((r) => r.id));
  const unknown = (options.gate?.rules ?? []).filter((r) => !known.has(r));
  if (unknown.length > 0) throw new UsageError(`--rule ${unknown.join(", ")}: no such rule (rules: ${[...known].join(", ")})`);
  const warnings: string[] = [];
  const rollout = options.rollout ?? projectRollout(options.projectDir, options.engines, options.now ?? new Date(), (w) => warnings.push(w));
  const rings = options.gate?.rings ?? [];
  const declared = rollout?.rings ?? [];
  const unknownRings = rings.filter((r) => !declared.includes(r));
  if (unknownRings.length > 0) {
    throw new UsageError(`--ring ${unknownRings.join(", ")}: no such ring (${declared.length > 0 ? `rings: ${declared.join(", ")}` : "the project declares no roll-out rings"})`);
  }
  let fd: number | undefined;
  const spill = options.fixList
    ? (item: FixItem) => {
        fd ??= fs.openSync(options.fixList!, "w");
        fs.writeSync(fd, JSON.stringify(item) + "\n");
      }
    : undefined;
  const tally = new Tally(engines, { maxFixes: options.maxFixes, spill, gate: options.gate, rollout });
  for (const rule of engines.cannotDeny) tally.addWarning(`${rule}: its Azure Policy definition does not allow the Deny effect, so only CrossGuard judges it here`);
  try {
    const outcomes = workers ? judgeOnWorkers(workers, files) : judgeHere(engines, files, options);
    for await (const file of outcomes) {
      // One bad file is reported; the others are still judged.
      if ("inputError" in file) tally.addError(file.inputError);
      else {
        tally.addFile(file.outcome);
        for (const row of file.outcome.rows) tally.add(row);
      }
      for (const w of warnings.splice(0)) tally.addWarning(w);
    }
    // The list exists (empty) when nothing is to fix, so a pipeline can always publish it.
    if (options.fixList && fd === undefined) fd = fs.openSync(options.fixList, "w");
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return tally.report();
}
