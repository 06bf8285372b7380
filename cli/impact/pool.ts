/**
 * Judges files on worker threads, one file per worker at a time, and hands their outcomes back in
 * the order of the files, so the report is the one a single thread makes (counts, the fix list's
 * order, the first warnings). Reading and judging a file is the work (JSON parsing and the engines);
 * counting it is small and stays on the main thread. Memory holds at most `window` files' outcomes.
 */
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import type { InputOptions } from "../evaluate/formats";
import type { Engine } from "../evaluate/run";
import type { FileOutcome } from "./judge";

/** What a worker is started with: it loads the engines itself, once. */
export interface WorkerSetup {
  projectDir: string;
  engines: readonly Engine[];
  options: InputOptions;
}

/** Per file: its outcome, or why it could not be read (an InputError's message), or an internal error. */
export type WorkerAnswer = { index: number; outcome: FileOutcome } | { index: number; inputError: string } | { index: number; internalError: string };

/** The compiled worker script; absent when running from TypeScript sources (the tests' in-process runs), which then judge on one thread. */
export const WORKER_SCRIPT = path.join(__dirname, "worker.js");

export function workersAvailable(): boolean {
  return path.extname(__filename) === ".js" && fs.existsSync(WORKER_SCRIPT);
}

/**
 * Starts `jobs` worker threads, each loading the engines: started before the main thread loads its own
 * (for the report's rules), so that their start-up, most of a small run, overlaps it.
 */
export function startWorkers(jobs: number, setup: WorkerSetup): Worker[] {
  return Array.from({ length: jobs }, () => new Worker(WORKER_SCRIPT, { workerData: setup }));
}

export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate()));
}

/** Outcomes in file order, each either judged or the InputError message that stopped its file; whoever started the workers stops them. */
export async function* judgeOnWorkers(workers: readonly Worker[], files: readonly string[]): AsyncGenerator<{ outcome: FileOutcome } | { inputError: string }> {
  const window = workers.length * 2;
  const done = new Map<number, WorkerAnswer>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let next = 0;
  const idle: Worker[] = [];
  let consumed = 0;
  const dispatch = () => {
    // A worker takes the next file unless `window` outcomes already wait to be counted.
    while (idle.length > 0 && next < files.length && next < consumed + window) idle.pop()!.postMessage({ index: next, file: files[next++] });
  };
  for (const worker of workers) {
    worker.on("message", (answer: WorkerAnswer) => {
      done.set(answer.index, answer);
      idle.push(worker);
      dispatch();
      wake?.();
    });
    worker.on("error", (e) => {
      failure ??= e;
      wake?.();
    });
    worker.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`an impact worker thread exited with code ${code}`);
      wake?.();
    });
    idle.push(worker);
  }
  dispatch();
  while (consumed < files.length) {
    const answer = done.get(consumed);
    if (!answer) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      continue;
    }
    done.delete(consumed++);
    dispatch();
    if ("internalError" in answer) throw new Error(answer.internalError);
    yield "inputError" in answer ? { inputError: answer.inputError } : { outcome: answer.outcome };
  }
}
