/** A worker thread of `apiguard impact` (pool.ts): loads the engines once, then reads and judges the files it is given. */
import { parentPort, workerData } from "worker_threads";
import { InputError } from "../evaluate/formats";
import { judgeInputFile, loadEngines } from "./judge";
import type { WorkerAnswer, WorkerSetup } from "./pool";

const setup = workerData as WorkerSetup;
const engines = loadEngines(setup.projectDir, setup.engines);

parentPort!.on("message", ({ index, file }: { index: number; file: string }) => {
  const answer = (async (): Promise<WorkerAnswer> => {
    try {
      return { index, outcome: await judgeInputFile(await engines, file, setup.options) };
    } catch (e) {
      if (e instanceof InputError) return { index, inputError: e.message };
      return { index, internalError: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
  })();
  void answer.then((a) => parentPort!.postMessage(a));
});
