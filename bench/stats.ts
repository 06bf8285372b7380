/** Repeated measurement: median and spread, so one noisy run on a shared machine does not decide. */
import { performance } from "perf_hooks";

export interface Measurement {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: how much to trust the median. */
  spread: number;
}

export function summarize(samples: number[]): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: samples.length, median, min: sorted[0], max: sorted[sorted.length - 1], spread: median === 0 ? 0 : (sorted[sorted.length - 1] - sorted[0]) / median };
}

/** Milliseconds per call of `fn`, `runs` times after one warm-up. */
export async function time(runs: number, fn: () => unknown): Promise<Measurement> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}
