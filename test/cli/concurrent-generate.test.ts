/**
 * Two apiguards writing one folder take turns: real processes, one of them held mid-write by an
 * injected pause, the other waiting for it (or giving up with one line); a lock whose holder died is
 * taken over at once, and a lock that may be live elsewhere is never broken.
 */
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JOURNAL } from "../../cli/fs-transaction";
import { removeFixtureCatalogs } from "../helpers/fixture-catalog";
import { type GenerationChange, generationChange, tmpFolder } from "../helpers/generation-change";
import { listing, whichTree } from "../helpers/output-tree";
import { REPO } from "../helpers/paths";

const tmp = tmpFolder("apiguard-concurrent-");
let change: GenerationChange;
beforeAll(async () => {
  change = await generationChange(tmp);
}, 60_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  removeFixtureCatalogs();
});

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [path.join(REPO, "bin/apiguard.js"), ...args], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<Awaited<Run["done"]>>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const generate = (catalog: string, dir: string, ...more: string[]) => ["generate", "--catalog", catalog, "--out", dir, ...more];
/** A generate of the new catalog that stops for `ms` in the middle of applying its change, holding the lock. */
const pausedMidApply = (dir: string, ms: number) => start(generate(change.newCatalog, dir), { APIGUARD_TEST_FAULT: `pause@${change.commitStep + 3}:${ms}` });
const manifest = (dir: string) => path.join(dir, JOURNAL, "manifest.json");

test("a second generate waits for the first, then runs: the folder ends with the second one's outputs, whole", async () => {
  const dir = change.oldProject();
  const first = pausedMidApply(dir, 4000);
  await until(() => fs.existsSync(manifest(dir)), "the first generate to commit");
  const second = start(generate(change.oldCatalog, dir));
  const [a, b] = await Promise.all([first.done, second.done]);
  expect([a.code, a.stderr]).toEqual([0, ""]);
  expect(b.code).toBe(0);
  expect(b.stderr).toMatch(new RegExp(`^apiguard: waiting for apiguard generate \\(pid ${first.child.pid} on ${os.hostname()}, since [^)]+\\) to finish writing \\S+\\n$`));
  // The second regenerated the old outputs over the first's new ones: had they interleaved, the tree would be mixed.
  expect(b.stdout).toMatch(/\(\d+ written, \d+ removed, \d+ unchanged\)/);
  expect(whichTree(listing(dir), change.old, change.fresh)).toBe("old");
}, 60_000);

test("with --wait, the second gives up with one line and changes nothing; the first completes", async () => {
  const dir = change.oldProject();
  const first = pausedMidApply(dir, 2500);
  await until(() => fs.existsSync(manifest(dir)), "the first generate to commit");
  const second = await start(generate(change.oldCatalog, dir, "--wait", "0.3")).done;
  expect(second.code).toBe(2);
  expect(second.stderr).toMatch(
    new RegExp(
      `^apiguard: \\S+ is being written by apiguard generate \\(pid ${first.child.pid} on [^)]+\\); gave up after 0\\.3 s — run again when it has finished \\(--wait sets how long to wait; if no apiguard is running there, delete \\S+lock\\)\\n$`,
    ),
  );
  expect((await first.done).code).toBe(0);
  expect(whichTree(listing(dir), change.old, change.fresh)).toBe("new");
}, 60_000);

test("generates started together, with different catalogs, never interleave: the folder is wholly one catalog's", async () => {
  const dir = change.oldProject();
  const runs = [change.newCatalog, change.oldCatalog, change.newCatalog, change.oldCatalog].map((c) => start(generate(c, dir)));
  const results = await Promise.all(runs.map((r) => r.done));
  expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
  expect(["old", "new"]).toContain(whichTree(listing(dir), change.old, change.fresh));
}, 60_000);

describe("a lock left behind", () => {
  const lockOf = (dir: string) => path.join(dir, JOURNAL, "lock");
  const leaveLock = (dir: string, holder: object | string) => {
    fs.mkdirSync(path.join(dir, JOURNAL));
    fs.writeFileSync(lockOf(dir), typeof holder === "string" ? holder : JSON.stringify(holder));
  };
  const deadPid = () => spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;

  test("by a process killed while holding it is taken over at once, and its interrupted write completed", async () => {
    const dir = change.oldProject();
    const killed = await start(generate(change.newCatalog, dir), { APIGUARD_TEST_FAULT: `kill@${change.commitStep + 3}` }).done;
    expect(killed.signal).toBe("SIGKILL");
    const next = await start(generate(change.newCatalog, dir, "--wait", "0")).done;
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/^apiguard: completed an interrupted generate in \S+ \(\d+ files\)\n$/);
    expect(whichTree(listing(dir), change.old, change.fresh)).toBe("new");
  });

  test.each([
    ["a dead process on this host", () => ({ pid: Number(deadPid()), host: os.hostname(), command: "generate", started: "2020-01-01T00:00:00Z", nonce: "n" })],
    ["an unreadable lock, written long ago", () => ""],
  ])("by %s is taken over", async (_name, holder) => {
    const dir = change.oldProject();
    leaveLock(dir, holder());
    fs.utimesSync(lockOf(dir), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const next = await start(generate(change.newCatalog, dir, "--wait", "0")).done;
    expect([next.code, next.stderr]).toEqual([0, ""]);
    expect(whichTree(listing(dir), change.old, change.fresh)).toBe("new");
  });

  test.each([
    ["a process on another host (it may be alive)", { pid: 1, host: "build-agent-7", command: "generate", started: "2020-01-01T00:00:00Z", nonce: "n" }, /apiguard generate \(pid 1 on build-agent-7, since 2020-01-01T00:00:00Z\)/],
    ["a live process on this host", { pid: process.pid, host: os.hostname(), command: "check", started: "2020-01-01T00:00:00Z", nonce: "n" }, new RegExp(`apiguard check \\(pid ${process.pid} on `)],
    ["a lock being written this moment", "", /another apiguard/],
  ])("by %s is respected: exit 2 after --wait, nothing changed", async (_name, holder, who) => {
    const dir = change.oldProject();
    leaveLock(dir, holder);
    const before = listing(dir);
    const next = await start(generate(change.newCatalog, dir, "--wait", "0.2")).done;
    expect(next.code).toBe(2);
    expect(next.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(next.stderr).toMatch(who);
    expect(listing(dir)).toEqual(before);
  });
});
