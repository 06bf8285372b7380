/**
 * Preloaded (`node --require`) into a process the bench measures: at exit it writes the process's peak
 * resident set size, in KiB (process.resourceUsage().maxRSS), to the file APIGUARD_BENCH_RSS names.
 */
import * as fs from "fs";
import { isMainThread } from "worker_threads";

// Worker threads load it too (they inherit the process's options); the main thread exits last and writes the process's peak.
if (isMainThread)
  process.on("exit", () => {
    const file = process.env.APIGUARD_BENCH_RSS;
    if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
