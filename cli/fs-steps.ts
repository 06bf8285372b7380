/**
 * Every change `generate`, `check`, `init` (and `evaluate`'s recovery) make on disk is one of these
 * steps, counted in order. That makes failure testable: a test fails any one step deterministically —
 * a kill (nothing after it happens), a full disk or an I/O error — and checks what is left behind.
 * Reads are not steps: they change nothing a failure could leave half done.
 *
 * APIGUARD_TEST_FAULT=<fault>@<step> (kill, ENOSPC, EIO, or pause@<step>:<ms>) injects a fault into a
 * real process; a kill there is a real SIGKILL. Tests in the same process use `faultInjection`.
 */
import * as fs from "fs";

export type Fault = "kill" | "ENOSPC" | "EIO" | "EPERM";

export interface FaultPlan {
  /** The step to fail, counting from 1 (or several, for a failure while recovering from one)… */
  at?: number | number[];
  /** …or every step of one kind ("link" failing with EPERM: a filesystem without hard links). */
  syscall?: string;
  fault: Fault | "pause";
  /** How long a pause lasts. */
  ms?: number;
}

/** A kill simulated in the test's own process: thrown by the failed step and by every step after it. */
export class SimulatedKill extends Error {
  constructor(step: string) {
    super(`simulated kill at ${step}`);
  }
}

const ERRNO: Record<Fault, { errno: number; text: string }> = {
  kill: { errno: 0, text: "" },
  ENOSPC: { errno: -28, text: "no space left on device" },
  EIO: { errno: -5, text: "i/o error" },
  EPERM: { errno: -1, text: "operation not permitted" },
};

function parsePlan(text: string | undefined): FaultPlan | undefined {
  const match = /^(kill|ENOSPC|EIO|pause)@(\d+)(?::(\d+))?$/.exec(text ?? "");
  return match ? { fault: match[1] as FaultPlan["fault"], at: Number(match[2]), ms: match[3] === undefined ? undefined : Number(match[3]) } : undefined;
}

const state = {
  plans: [parsePlan(process.env.APIGUARD_TEST_FAULT)].filter((p): p is FaultPlan => p !== undefined),
  /** A real process dies by a real signal; a test's own process must survive, so it throws. */
  killBySignal: true,
  count: 0,
  dead: false,
  trace: [] as string[],
};

/** For tests: inject one fault (or none) and restart the count; read how many steps ran and which. */
export const faultInjection = {
  inject(plans: FaultPlan | FaultPlan[] | undefined): void {
    Object.assign(state, { plans: [plans ?? []].flat(), killBySignal: false, count: 0, dead: false, trace: [] });
  },
  steps: (): readonly string[] => state.trace,
};

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** An error shaped like Node's own for the same failure, so callers cannot tell it from a real one. */
function systemError(fault: Exclude<Fault, "kill">, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${fault}: ${ERRNO[fault].text}, ${syscall} '${file}'`), { code: fault, errno: ERRNO[fault].errno, syscall, path: file });
}

/** Runs one step, unless this is the step to fail; `partly` is what the step does before it fails (half a write). */
function step(syscall: string, file: string, action: () => void, partly?: () => void): void {
  if (state.dead) throw new SimulatedKill(`${syscall} ${file}`);
  state.count++;
  state.trace.push(`${syscall} ${file}`);
  const plan = state.plans.find((p) => (p.syscall === undefined || p.syscall === syscall) && (p.at === undefined || [p.at].flat().includes(state.count)));
  if (plan) {
    if (plan.fault === "pause") sleep(plan.ms ?? 1000);
    else {
      partly?.();
      if (plan.fault !== "kill") throw systemError(plan.fault, syscall, file.split(" -> ")[0]);
      if (state.killBySignal) {
        process.kill(process.pid, "SIGKILL");
        for (;;) sleep(1000);
      }
      state.dead = true;
      throw new SimulatedKill(`${syscall} ${file}`);
    }
  }
  try {
    action();
  } catch (e) {
    // write(), fsync() and close() errors name no file; the step does.
    if (typeof e === "object" && e !== null && !("path" in e)) Object.assign(e, { path: file });
    throw e;
  }
}

/**
 * Writes a new file (refusing to replace one) and flushes it to the disk: open, write, fsync and close
 * are four steps, so a failure can leave an empty or half-written file, as a real one can.
 */
export function writeNewFile(file: string, data: string | Buffer): void {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  let fd: number | undefined;
  step("open", file, () => {
    fd = fs.openSync(file, "wx");
  });
  try {
    step(
      "write",
      file,
      () => fs.writeSync(fd!, bytes),
      () => fs.writeSync(fd!, bytes, 0, bytes.length >> 1),
    );
    step("fsync", file, () => fs.fsyncSync(fd!));
    step("close", file, () => {
      fs.closeSync(fd!);
      fd = undefined;
    });
  } finally {
    // Closing only releases the descriptor; what was written stays written.
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function makeDir(dir: string): void {
  step("mkdir", dir, () => fs.mkdirSync(dir));
}

export function removeDir(dir: string): void {
  step("rmdir", dir, () => fs.rmdirSync(dir));
}

/** Atomic on one filesystem: `to` is the old file or the new one, never something in between. */
export function rename(from: string, to: string): void {
  step("rename", `${from} -> ${to}`, () => fs.renameSync(from, to));
}

/** A second name for a file (fails if `to` exists): how a backup is kept without copying. */
export function link(from: string, to: string): void {
  step("link", `${from} -> ${to}`, () => fs.linkSync(from, to));
}

export function unlink(file: string): void {
  step("unlink", file, () => fs.unlinkSync(file));
}

/** Flushes a folder's entries (the renames into it) to the disk. Not every platform can; those that cannot say so and are skipped. */
export function syncDir(dir: string): void {
  step("fsync", `${dir}/`, () => {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      if (!["EISDIR", "EPERM", "EINVAL", "EBADF"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** Waits without returning to the event loop: the writes it guards are synchronous. */
export function pauseFor(ms: number): void {
  sleep(ms);
}
