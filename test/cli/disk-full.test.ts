/**
 * A real full disk: the project lives on a small tmpfs (mounted in a private mount namespace with
 * `unshare`, so nothing outside this test sees it) filled up to leave a given amount free, and the
 * real CLI generates into it. Whatever it runs out at, the old outputs stay byte for byte, nothing
 * half-written remains, and the one-line error names the file. Where the machine does not permit the
 * namespace, this variant is skipped with the reason logged; the injected ENOSPC at every step
 * (interrupted-generate.test.ts, and the one below) runs everywhere.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { faultInjection } from "../../cli/fs-steps";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { loadCatalog } from "../../core/catalog/load";
import { generateAll } from "../../generators";
import { removeFixtureCatalogs } from "../helpers/fixture-catalog";
import { cli, type GenerationChange, generationChange, tmpFolder } from "../helpers/generation-change";
import { listing, whichTree } from "../helpers/output-tree";
import { REPO } from "../helpers/paths";

const tmp = tmpFolder("apiguard-disk-full-");
let change: GenerationChange;
beforeAll(async () => {
  change = await generationChange(tmp);
}, 60_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  removeFixtureCatalogs();
});

const PAGE = 4096;

/** Whether a tmpfs can be mounted here in a private mount namespace; else why not. */
function namespaceProbe(): string | undefined {
  const mountPoint = fs.mkdtempSync(path.join(tmp, "probe-"));
  const probe = spawnSync("unshare", ["-rm", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$1" && touch "$1/x"', "sh", mountPoint], { encoding: "utf8" });
  if (probe.error) return `unshare cannot run: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare -rm with a tmpfs mount is not permitted here: ${probe.stderr.trim()}`;
  if (fs.existsSync(path.join(mountPoint, "x"))) return "the tmpfs was not private to the namespace";
  return undefined;
}

/**
 * Runs inside the namespace, on the tmpfs: for each amount of free space, a fresh copy of the old
 * project, a filler file that leaves exactly that much free, the real CLI, and a copy of the result
 * back outside the tmpfs (where the test reads it).
 */
const INNER = `
const fs = require("fs"), path = require("path"), { spawnSync } = require("child_process");
const [mount, oldProject, catalog, cliPath, resultsDir, ...frees] = process.argv.slice(2);
const results = [];
for (const free of frees.map(Number)) {
  const project = path.join(mount, "project");
  fs.cpSync(oldProject, project, { recursive: true });
  const filler = path.join(mount, "filler");
  if (free >= 0) {
    const fd = fs.openSync(filler, "w");
    const chunk = Buffer.alloc(65536, 1);
    let size = 0;
    try { for (;;) size += fs.writeSync(fd, chunk); } catch (e) { if (e.code !== "ENOSPC") throw e; }
    fs.ftruncateSync(fd, Math.max(0, Math.floor((size - free) / 4096) * 4096));
    fs.closeSync(fd);
  }
  const run = spawnSync(process.execPath, [cliPath, "generate", "--catalog", catalog, "--out", project], { encoding: "utf8" });
  const copy = path.join(resultsDir, "free-" + free);
  fs.cpSync(project, copy, { recursive: true });
  results.push({ free, status: run.status, stdout: run.stdout, stderr: run.stderr, copy });
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(filler, { force: true });
}
process.stdout.write(JSON.stringify(results));
`;

const unavailable = namespaceProbe();
if (unavailable) console.warn(`disk-full.test.ts: skipping the real-tmpfs variant: ${unavailable}`);
const realDisk = unavailable ? test.skip : test;

realDisk(
  "a real full tmpfs: at whatever point space runs out, the old outputs stay whole, nothing half-written remains, the error names the file",
  () => {
    // The space the change needs: a page or more for each file it writes (tmpfs counts whole pages).
    const files = generateAll(loadCatalog(change.newCatalog), readGeneratorInputs(change.oldProject()));
    const old = change.oldProject();
    const changed = [...files].filter(([file, content]) => !fs.existsSync(path.join(old, file)) || fs.readFileSync(path.join(old, file), "utf8") !== content);
    const needed = changed.reduce((sum, [, content]) => sum + Math.max(1, Math.ceil(Buffer.byteLength(content) / PAGE)) * PAGE, 0);
    expect(needed).toBeGreaterThan(8 * PAGE);
    const frees = [0, PAGE, 4 * PAGE, Math.floor(needed / 2 / PAGE) * PAGE, needed - 2 * PAGE];

    const mount = fs.mkdtempSync(path.join(tmp, "mnt-"));
    const results = fs.mkdtempSync(path.join(tmp, "results-"));
    const script = path.join(tmp, "inner.js");
    fs.writeFileSync(script, INNER);
    const size = 16 * 1024 * 1024;
    const run = spawnSync(
      "unshare",
      [
        "-rm",
        "sh",
        "-c",
        `mount -t tmpfs -o size=${size} tmpfs "$1" && shift && exec "$@"`,
        "sh",
        mount,
        process.execPath,
        script,
        mount,
        change.oldProject(),
        change.newCatalog,
        path.join(REPO, "bin/apiguard.js"),
        results,
        ...frees.map(String),
        "-1",
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    expect(run.stderr).toBe("");
    expect(fs.readdirSync(mount)).toEqual([]); // the tmpfs was private: nothing leaked onto the real disk
    const outcomes = JSON.parse(run.stdout) as { free: number; status: number; stdout: string; stderr: string; copy: string }[];
    for (const o of outcomes.filter((x) => x.free >= 0)) {
      expect({ free: o.free, status: o.status, tree: whichTree(listing(o.copy), change.old, change.fresh) }).toEqual({ free: o.free, status: 2, tree: "old" });
      expect(o.stderr).toMatch(/^apiguard: cannot write \S+: no space left on the device \(ENOSPC\); nothing was changed\n$/);
    }
    // With room enough, the same run succeeds: the setup itself is not what fails.
    const roomy = outcomes.find((x) => x.free === -1)!;
    expect([roomy.status, roomy.stderr]).toEqual([0, ""]);
    expect(whichTree(listing(roomy.copy), change.old, change.fresh)).toBe("new");
  },
  120_000,
);

realDisk("a read-only checkout: check reads it as it is, generate says why it cannot write, and an interrupted write is not ignored", async () => {
  const clean = change.oldProject();
  const interrupted = change.oldProject();
  faultInjection.inject({ at: change.commitStep + 2, fault: "kill" });
  await expect(cli("generate", "--catalog", change.newCatalog, "--out", interrupted)).rejects.toThrow();
  faultInjection.inject(undefined);
  const bin = path.join(REPO, "bin/apiguard.js");
  const script = `for d in "$1" "$2"; do mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" || exit 9; done
    for args in "check --out $1" "generate --out $1" "check --out $2"; do node "$3" $args --catalog "$4"; echo "exit $?"; done 2>&1`;
  const run = spawnSync("unshare", ["-rm", "sh", "-c", script, "sh", clean, interrupted, bin, change.oldCatalog], { encoding: "utf8", env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } });
  const lines = run.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^apiguard check: \d+ generated files match the catalog$/);
  expect(lines[1]).toBe("exit 0");
  expect(lines[2]).toMatch(/^apiguard: cannot write \S+\.apiguard-journal: read-only filesystem \(EROFS\); nothing was changed$/);
  expect(lines[3]).toBe("exit 2");
  expect(lines[4]).toMatch(/^apiguard: cannot write \S+\.apiguard-journal\S*: read-only filesystem \(EROFS\); nothing was changed$/);
  expect(lines[5]).toBe("exit 2");
  expect(whichTree(listing(clean), change.old, change.fresh)).toBe("old");
});

test("an injected ENOSPC (runs on every machine): exit 2, one line naming the file, the old outputs kept", async () => {
  const dir = change.oldProject();
  const stagingWrite = change.steps.findIndex((s, i) => i > 20 && /^write .*\/new\/\d+$/.test(s)) + 1;
  faultInjection.inject({ at: stagingWrite, fault: "ENOSPC" });
  const result = await cli("generate", "--catalog", change.newCatalog, "--out", dir);
  faultInjection.inject(undefined);
  expect(result.code).toBe(2);
  expect(result.err).toMatch(new RegExp(`^apiguard: cannot write ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\S+: no space left on the device \\(ENOSPC\\); nothing was changed$`));
  expect(whichTree(listing(dir), change.old, change.fresh)).toBe("old");
});
