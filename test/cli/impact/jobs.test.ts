/**
 * `apiguard impact --jobs N` judges files on worker threads and must give the report one thread gives,
 * byte for byte: the counts, the order of the fix list, the first warnings and errors, the gate and
 * the exit code. The built CLI runs (worker threads load the compiled worker script), over a mix of
 * inventories, a stack export, an ARM template, a file that cannot be read, a resource not judged and
 * a row the engines would read differently. A preload counts the worker threads each run starts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../../helpers/paths";

const CORPUS = path.join(REPO, "test/cli/evaluate/corpus");
const INVENTORIES = path.join(CORPUS, "inventories");

let tmp: string;
let files: string[];

/** Counts the worker threads a process starts, on standard error at exit (worker threads load it too: they say nothing). */
const PRELOAD = `
const threads = require("worker_threads");
if (threads.isMainThread) {
const Original = threads.Worker;
let started = 0;
threads.Worker = class extends Original { constructor(...args) { super(...args); started++; } };
process.on("exit", () => process.stderr.write("workers started: " + started + "\\n"));
}
`;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-jobs-"));
  fs.writeFileSync(path.join(tmp, "preload.js"), PRELOAD);
  const stack = (name: string) => ({
    type: "azure-native:containerservice:ManagedCluster",
    urn: `urn:pulumi:prod::shop::azure-native:containerservice:ManagedCluster::${name}`,
    custom: true,
    inputs: { resourceGroupName: "rg-web", location: "westeurope", dnsPrefix: name, apiServerAccessProfile: { enablePrivateCluster: name.endsWith("private") } },
  });
  fs.writeFileSync(path.join(tmp, "stack.json"), JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [stack("aks-public"), stack("aks-private")] } }));
  fs.writeFileSync(path.join(tmp, "broken.json"), '{ "count": 1, "data": [ }');
  // Two keys that differ only in case on a path a rule reads: refused alone, at its position; the page's other row still counts.
  const rows = JSON.parse(fs.readFileSync(path.join(INVENTORIES, "resource-graph/page-1.json"), "utf8")) as { data: Record<string, unknown>[] };
  const twin = JSON.parse(JSON.stringify(rows.data[0])) as { properties: Record<string, unknown>; name: string };
  twin.name = "twin-keys";
  twin.properties.enableRbac = false;
  twin.properties.enableRBAC = true;
  fs.writeFileSync(path.join(tmp, "twin.json"), JSON.stringify({ count: 2, data: [twin, rows.data[1]], skip_token: null, total_records: 2 }));
  files = [
    path.join(INVENTORIES, "resource-graph/page-1.json"),
    path.join(tmp, "broken.json"),
    path.join(INVENTORIES, "resource-graph/page-2.json"),
    path.join(tmp, "stack.json"),
    path.join(CORPUS, "aks-baseline/cluster-stamp.json"),
    path.join(tmp, "twin.json"),
    path.join(INVENTORIES, "az-cli/aks-scale-cluster-2019.json"),
    path.join(INVENTORIES, "pulumi-cloud/search-page.json"),
    path.join(INVENTORIES, "az-cli/network-nsg-show.json"),
  ];
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`missing fixture ${f}`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(jobs: number, extra: string[] = []) {
  const out = fs.mkdtempSync(path.join(tmp, `jobs-${jobs}-`));
  const p = spawnSync(
    process.execPath,
    [
      "--require",
      path.join(tmp, "preload.js"),
      path.join(REPO, "bin/apiguard.js"),
      "impact",
      "--project",
      REPO,
      "--jobs",
      String(jobs),
      "--json",
      path.join(out, "report.json"),
      "--html",
      path.join(out, "report.html"),
      "--markdown",
      "-",
      "--fix-list",
      path.join(out, "fixes.jsonl"),
      "--max-fixes",
      "3",
      "--max-blocked",
      "0",
      ...extra,
      ...files,
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  const read = (f: string) => fs.readFileSync(path.join(out, f), "utf8");
  const workers = Number(/workers started: (\d+)/.exec(p.stderr)?.[1]);
  return { code: p.status, stdout: p.stdout, stderr: p.stderr.replace(/workers started: \d+\n/, ""), workers, json: read("report.json"), html: read("report.html"), fixes: read("fixes.jsonl") };
}

test("three worker threads give the one-thread report byte for byte: counts, fix list order, warnings, errors, gate, exit code", () => {
  // A template parameter given on the command line reaches the worker threads (the template's cluster is placed by it).
  const parameters = ["--parameters", "location=swedencentral"];
  const one = run(1, parameters);
  const three = run(3, parameters);
  expect(one.workers).toBe(0);
  expect(three.workers).toBe(3);
  // The mix is what it should be: a file that cannot be read, a refused row, the linked template a warning, resources to fix.
  expect(one.code).toBe(2);
  expect(one.stderr).toMatch(/broken\.json:1:\d+: invalid JSON/);
  expect(one.stderr).toMatch(/twin\.json:1:\d+: .*'enableRBAC' and 'enableRbac' differ only in case/);
  expect(one.stderr).toMatch(/apiguard: warning: .*search-page\.json:\d+:\d+: .*pending deletion/);
  expect(one.fixes.trim().split("\n").length).toBeGreaterThan(3);
  const report = JSON.parse(one.json) as { fixes: { shown: unknown[] }; groups: { region: { key: string }[] } };
  expect(report.fixes.shown).toHaveLength(3);
  expect(report.groups.region.map((g) => g.key)).toContain("swedencentral");
  for (const key of ["code", "stdout", "stderr", "json", "html", "fixes"] as const) expect([key, three[key]]).toEqual([key, one[key]]);
});

test("no more worker threads than files; standard input is read on the main thread", () => {
  const few = spawnSync(process.execPath, ["--require", path.join(tmp, "preload.js"), path.join(REPO, "bin/apiguard.js"), "impact", "--project", REPO, "--jobs", "8", "--json", "-", files[0], files[2]], { encoding: "utf8" });
  expect(few.status).toBe(0);
  expect(few.stderr).toMatch(/workers started: 2\n/);
  const stdin = spawnSync(process.execPath, ["--require", path.join(tmp, "preload.js"), path.join(REPO, "bin/apiguard.js"), "impact", "--project", REPO, "--jobs", "4", "--json", "-", "-", files[2]], {
    encoding: "utf8",
    input: fs.readFileSync(files[0]),
  });
  expect(stdin.status).toBe(0);
  expect(stdin.stderr).toMatch(/workers started: 0\n/);
  expect(JSON.parse(stdin.stdout)).toEqual(JSON.parse(few.stdout.replaceAll(JSON.stringify(files[0]).slice(1, -1), "-")));
});

test("by default, threads only for input worth their start-up (32 MB): a few pages are judged on the main thread", () => {
  const impact = (paths: string[]) =>
    spawnSync(process.execPath, ["--require", path.join(tmp, "preload.js"), path.join(REPO, "bin/apiguard.js"), "impact", "--project", REPO, "--engine", "azure-policy", "--json", "-", ...paths], { encoding: "utf8", maxBuffer: 1 << 28 });
  const small = impact([files[0], files[2]]);
  expect(small.status).toBe(0);
  expect(small.stderr).toMatch(/workers started: 0\n/);
  // A 3 MB page of the corpus's rows, given twelve times: 36 MB.
  const rows = (JSON.parse(fs.readFileSync(files[0], "utf8")) as { data: unknown[] }).data;
  const data = Array.from({ length: 1000 }, (_, i) => rows[i % rows.length]);
  const page = path.join(tmp, "big-page.json");
  fs.writeFileSync(page, JSON.stringify({ count: data.length, data, skip_token: null, total_records: data.length * 12 }));
  expect(fs.statSync(page).size * 12).toBeGreaterThanOrEqual(32 * 1024 * 1024);
  const large = impact(Array.from({ length: 12 }, () => page));
  expect(large.status).toBe(0);
  expect(large.stderr).toMatch(new RegExp(`workers started: ${Math.min(os.availableParallelism(), 8)}\n`));
});

test("--jobs 0 is a usage error", () => {
  const p = spawnSync(process.execPath, [path.join(REPO, "bin/apiguard.js"), "impact", "--jobs", "0", files[0]], { encoding: "utf8" });
  expect(p.status).toBe(2);
  expect(p.stderr).toMatch(/--jobs must be 1 or more/);
});
