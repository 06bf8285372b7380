/**
 * `init` is all or nothing: a failure removes every folder and file it created and leaves a folder
 * that existed as it was; a killed init is finished (or cleanly redone) by the next one. It never
 * writes through a symbolic link out of its folder, and the paths it prints are safe to paste into a
 * shell. Init's change is large (the scaffold and every bundled output, 600+ steps), so its faults are
 * sampled — the first and last steps, those around the commit, and a stride between; the generate
 * sweep (interrupted-generate.test.ts) fails every step of the same write path.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { faultInjection, type Fault, SimulatedKill } from "../../cli/fs-steps";
import { JOURNAL } from "../../cli/fs-transaction";
import { shellQuote } from "../../cli/init";
import { cli, tmpFolder } from "../helpers/generation-change";
import { listing, type Listing } from "../helpers/output-tree";

const tmp = tmpFolder("apiguard-init-");
afterEach(() => faultInjection.inject(undefined));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let reference: Listing;
let steps: readonly string[];
let commitStep: number;
/** Every folder is initialised under the same name, so package.json (named after it) is the same. */
const NAME = "policies";
let counter = 0;
const fresh = () => path.join(tmp, `case-${counter++}`, "parent", NAME);

beforeAll(async () => {
  faultInjection.inject(undefined);
  const dir = fresh();
  const result = await cli("init", dir);
  if (result.code !== 0) throw new Error(result.err);
  steps = [...faultInjection.steps()];
  commitStep = steps.findIndex((s) => /^rename .*manifest\.partial -> /.test(s)) + 1;
  reference = listing(dir);
}, 60_000);

function sample(): number[] {
  const points = new Set<number>();
  for (let i = 1; i <= 6; i++) points.add(i);
  for (let i = commitStep - 3; i <= commitStep + 3; i++) points.add(i);
  for (let i = steps.length - 5; i <= steps.length; i++) points.add(i);
  for (let i = 1; i <= steps.length; i += 47) points.add(i);
  return [...points].sort((a, b) => a - b);
}

async function initFailingAt(dir: string, at: number, fault: Fault) {
  faultInjection.inject({ at, fault });
  try {
    return await cli("init", dir);
  } catch (e) {
    if (!(e instanceof SimulatedKill)) throw e;
    return undefined;
  } finally {
    faultInjection.inject(undefined);
  }
}

test("a clean init writes the scaffold and the outputs, and takes steps of every kind", () => {
  for (const file of ["package.json", "README.md", ".gitignore", "catalog/bundled.yaml", ".github/workflows/apiguard.yml", "policypack/index.ts", "azure-policy/initiative.json"]) expect(reference[file]).toBeDefined();
  expect(Object.keys(reference).some((p) => p.startsWith(".apiguard-journal"))).toBe(false);
  expect(commitStep).toBeGreaterThan(400);
  expect(new Set(steps.map((s) => s.split(" ")[0]))).toEqual(new Set(["mkdir", "open", "write", "fsync", "close", "link", "unlink", "rename", "rmdir"]));
});

test("ENOSPC at a step: exit 2 naming the file, and the new folder and its new parents are gone", async () => {
  const wrong: string[] = [];
  for (const at of sample()) {
    const dir = fresh();
    const result = await initFailingAt(dir, at, "ENOSPC");
    const step = `step ${at} (${steps[at - 1]})`;
    const parents = path.dirname(path.dirname(dir));
    if (result?.code === 0) {
      // Only removing the journal after a complete write may fail without failing init; what it cannot remove, it warns of.
      if (fs.existsSync(path.join(dir, JOURNAL)) && !/warning: could not remove/.test(result.err)) wrong.push(`${step}: journal left without a warning`);
      await cli("check", "--out", dir);
      if (JSON.stringify(listing(dir)) !== JSON.stringify(reference)) wrong.push(`${step}: exit 0 but not the whole init`);
      continue;
    }
    if (result?.code !== 2 || !/^apiguard: (cannot write|could not) \S+: no space left on the device \(ENOSPC\)/.test(result.err) || result.err.includes("\n")) wrong.push(`${step}: ${JSON.stringify(result)}`);
    if (fs.existsSync(parents)) wrong.push(`${step}: left ${JSON.stringify(listing(parents))}`);
  }
  expect(wrong).toEqual([]);
}, 180_000);

test("ENOSPC at a step in a folder that existed: it is left exactly as it was", async () => {
  const wrong: string[] = [];
  for (const at of sample().filter((_, i) => i % 3 === 0)) {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, "infra-notes"), { recursive: true });
    fs.writeFileSync(path.join(dir, "infra-notes", "todo.md"), "# ours\n");
    const before = listing(path.dirname(path.dirname(dir)));
    const result = await initFailingAt(dir, at, "ENOSPC");
    if (result?.code === 0) continue;
    const after = listing(path.dirname(path.dirname(dir)));
    if (JSON.stringify(after) !== JSON.stringify(before))
      wrong.push(
        `step ${at}: ${Object.keys(after)
          .filter((p) => after[p] !== before[p])
          .slice(0, 5)
          .join(", ")}`,
      );
  }
  expect(wrong).toEqual([]);
}, 180_000);

test("killed at a step, init run again finishes the job: the folder ends as a clean init's", async () => {
  const wrong: string[] = [];
  const manifestGone = steps.findIndex((s) => /^unlink .*manifest\.json$/.test(s)) + 1;
  for (const at of sample()) {
    const dir = fresh();
    const killed = await initFailingAt(dir, at, "kill");
    if (killed !== undefined) wrong.push(`step ${at}: not killed`);
    const again = await cli("init", dir);
    // Killed after its journal was closed, the first init had finished: the second refuses, as over any init's folder.
    const expected = at > manifestGone ? 2 : 0;
    if (again.code !== expected) wrong.push(`step ${at}: init again exited ${again.code}: ${again.err}`);
    if (expected === 0 && at > commitStep && !/^apiguard: completed an interrupted init in /.test(again.err)) wrong.push(`step ${at}: ${again.err}`);
    if (JSON.stringify(listing(dir)) !== JSON.stringify(reference)) wrong.push(`step ${at}: not a clean init's folder`);
  }
  expect(wrong).toEqual([]);
}, 180_000);

describe("never through a symbolic link out of its folder", () => {
  test.each([
    ["catalog", "a folder", (elsewhere: string) => elsewhere],
    [".github", "a folder", (elsewhere: string) => elsewhere],
    ["README.md", "a file", (elsewhere: string) => path.join(elsewhere, "README.md")],
    ["package.json", "nothing (a dangling link)", (elsewhere: string) => path.join(elsewhere, "missing.json")],
  ])("%s as a link to %s is refused, and nothing is written here or there", async (name, _what, target) => {
    const dir = fresh();
    const elsewhere = fs.mkdtempSync(path.join(tmp, "elsewhere-"));
    fs.writeFileSync(path.join(elsewhere, "README.md"), "# someone else's\n");
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(target(elsewhere), path.join(dir, name));
    const before = { here: listing(dir), there: listing(elsewhere) };
    const result = await cli("init", dir);
    expect(result.code).toBe(2);
    expect(result.err.split("\n")[0]).toMatch(new RegExp(`^apiguard: \\S+${name.replace(".", "\\.")} is a symbolic link \\(to \\S+\\); init writes only into folders of its own inside \\S+$`));
    expect({ here: listing(dir), there: listing(elsewhere) }).toEqual(before);
  });
});

test("run again over its own result, init refuses and changes nothing", async () => {
  const dir = fresh();
  expect((await cli("init", dir)).code).toBe(0);
  const before = listing(dir);
  const result = await cli("init", dir);
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/^apiguard: \S+ already has README\.md, azure-pipelines\.yml, catalog\/README\.md, catalog\/bundled\.yaml, catalog\/exemptions\.yaml and \d{3} more of its files; init writes only into a folder without them$/m);
  expect(listing(dir)).toEqual(before);
});

describe("the paths init prints are safe to paste into a shell", () => {
  const NAMES = ["plain-name", "my policies", "it's here", 'say "hi"', "$(touch pwned)", "back\\slash", "tab\there", "new\nline", "-dash", "ümlaut"];

  test.each(NAMES)("%j", async (name) => {
    const dir = path.join(fs.mkdtempSync(path.join(tmp, "quote-")), name);
    const result = await cli("init", dir);
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines).toHaveLength(2);
    const cd = /^next: cd (.+) && npm install && git init && git add -A$/.exec(lines[1])![1];
    const shell = spawnSync("bash", ["-c", `cd ${cd} && pwd`], { cwd: path.dirname(dir), encoding: "utf8" });
    expect(shell.stdout).toBe(`${fs.realpathSync(dir)}\n`);
    const where = / in (.+)$/.exec(lines[0])![1];
    expect(spawnSync("bash", ["-c", `printf %s ${where}`], { encoding: "utf8" }).stdout).toBe(dir);
    expect(fs.existsSync(path.join(path.dirname(dir), "pwned"))).toBe(false);
  });

  test("a plain path is printed as it is", () => {
    expect(shellQuote("team/policies-v2.1")).toBe("team/policies-v2.1");
    expect(shellQuote("my policies")).toBe("'my policies'");
    expect(shellQuote("new\nline")).toBe("$'new\\x0aline'");
    expect(shellQuote("-dash")).toBe("./-dash");
  });
});
