/**
 * The evaluate command as a pipeline runs it: standard input, several files with one bad, any
 * working directory with apiguard's own generated set, and a table whose columns never move.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { formatTable } from "../../../cli/evaluate/format";
import type { Report, Result } from "../../../cli/evaluate/run";
import { REPO } from "../../helpers/paths";

const BIN = path.join(REPO, "bin", "apiguard.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-cli-inputs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const publicCluster = { type: "Microsoft.ContainerService/managedClusters", name: "aks-public", properties: { apiServerAccessProfile: { enablePrivateCluster: false } } };

test("- reads standard input", () => {
  const run = spawnSync(process.execPath, [BIN, "evaluate", "--format", "json", "-"], { input: JSON.stringify(publicCluster), encoding: "utf8", cwd: tmp });
  expect(run.stderr).toBe("");
  const rows = JSON.parse(run.stdout).results as { file: string; resource: string; rule: string; verdict: string }[];
  expect(rows.find((r) => r.rule === "aks-private-cluster")).toMatchObject({ file: "-", resource: "aks-public", verdict: "fail" });
  expect(run.status).toBe(1);
});

test("from any directory, without --project, it judges with its own generated pack and definitions", () => {
  const file = path.join(tmp, "cluster.json");
  fs.writeFileSync(file, JSON.stringify(publicCluster));
  const run = spawnSync(process.execPath, [BIN, "evaluate", "--format", "json", "cluster.json"], { encoding: "utf8", cwd: tmp });
  const rows = JSON.parse(run.stdout).results as { rule: string; engine: string; verdict: string }[];
  expect(rows.filter((r) => r.rule === "aks-private-cluster").map((r) => [r.engine, r.verdict])).toEqual([
    ["crossguard", "fail"],
    ["azure-policy", "fail"],
  ]);
});

test("one bad file: one line on stderr, the other files still judged, exit 2", async () => {
  const good = path.join(tmp, "good.json");
  const bad = path.join(tmp, "bad.json");
  fs.writeFileSync(good, JSON.stringify(publicCluster));
  fs.writeFileSync(bad, '{\n  "type": \n}');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, bad, good], { out: (t) => out.push(t), err: (t) => err.push(t) });
  expect(code).toBe(2);
  expect(err).toEqual([expect.stringMatching(/bad\.json:3:1: invalid JSON/)]);
  expect(JSON.parse(out.join("\n")).results.some((r: { resource: string }) => r.resource === "aks-public")).toBe(true);
});

test("the table's columns keep a fixed order whatever order the results come in", () => {
  const result = (engine: Result["engine"], verdict: Result["verdict"]): Result => ({ file: "f", resource: "r", type: "t", rule: "rule", engine, verdict, blocking: false, message: "" });
  const report = (results: Result[]): Report => ({ results, summary: { pass: 1, fail: 1, unknown: 0, "not-applicable": 0, exempt: 0 }, rules: [], errors: [], notJudged: [] });
  const a = formatTable(report([result("crossguard", "pass"), result("azure-policy", "fail")]), false);
  const b = formatTable(report([result("azure-policy", "fail"), result("crossguard", "pass")]), false);
  expect(b).toBe(a);
  expect(a.split("\n")[0].split(/\s+/)).toEqual(["FILE", "RESOURCE", "RULE", "CROSSGUARD", "AZURE-POLICY"]);
});
