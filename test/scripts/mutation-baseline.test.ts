/**
 * scripts/mutation-baseline.js decides what CI's incremental mutation run covers (`scope`) and what the
 * committed baseline keeps (`compact`); a wrong answer would shrink CI's measurement without a failure.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.resolve(__dirname, "../../scripts/mutation-baseline.js");

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutation-baseline-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(command: string, baseline: object | undefined, mutate: string[] = []) {
  const baselineFile = path.join(dir, "incremental.json");
  const configFile = path.join(dir, "stryker.config.json");
  if (baseline) fs.writeFileSync(baselineFile, JSON.stringify(baseline));
  fs.writeFileSync(configFile, JSON.stringify({ mutate }));
  const r = spawnSync(process.execPath, [SCRIPT, command, `--baseline=${baselineFile}`, `--config=${configFile}`, `--root=${path.join(dir, "repo")}`], { encoding: "utf8" });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr, baselineFile };
}

const holding = (...files: string[]) => ({ schemaVersion: "2", files: Object.fromEntries(files.map((f) => [f, { source: "", mutants: [] }])) });
const MUTATE = ["core/semantics/semantics.ts", "azure-policy-engine/**/*.ts", "generators/crossguard.ts:17-42", "core/catalog/load.ts"];

describe("mutation-baseline scope", () => {
  test("keeps the patterns, line ranges included, whose files the baseline holds, in the configured order", () => {
    const r = run("scope", holding("generators/crossguard.ts", "azure-policy-engine/functions.ts", "core/semantics/semantics.ts"), MUTATE);
    expect(r.status).toBe(0);
    expect(r.out).toBe("core/semantics/semantics.ts,azure-policy-engine/**/*.ts,generators/crossguard.ts:17-42");
    expect(r.err).toContain("not yet in mutation/incremental.json, so not run: core/catalog/load.ts");
  });

  test("a glob matches only TypeScript files under its folder; a plain pattern only its own file", () => {
    const r = run("scope", holding("azure-policy-engine.ts", "core/catalog/load.test.ts", "azure-policy-engine/README.md"), MUTATE);
    expect(r.out).toBe("");
  });

  test("no baseline means nothing measured", () => {
    const r = run("scope", undefined, MUTATE);
    expect(r.status).toBe(0);
    expect(r.out).toBe("");
  });
});

describe("mutation-baseline stale", () => {
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, "repo", file)), { recursive: true });
    fs.writeFileSync(path.join(dir, "repo", file), text);
  };
  const baseline = {
    schemaVersion: "2",
    files: { "core/a.ts": { source: "a1", mutants: [] }, "core/b.ts": { source: "b1", mutants: [] }, "core/gone.ts": { source: "g", mutants: [] } },
    testFiles: { "test/a.test.ts": { source: "t1", tests: [] }, "test/b.test.ts": { source: "u1", tests: [] } },
  };

  test("names each measured source and recorded test file whose text changed or that is gone, and only those", () => {
    write("core/a.ts", "a1");
    write("core/b.ts", "b2");
    write("test/a.test.ts", "t1");
    write("test/b.test.ts", "u1 ");
    const r = run("stale", baseline);
    expect(r.status).toBe(0);
    expect(r.out.split("\n")).toEqual(["core/b.ts", "core/gone.ts", "test/b.test.ts"]);
  });

  test("nothing when every file is as the baseline holds it, and without a baseline", () => {
    write("core/a.ts", "a1");
    write("core/b.ts", "b1");
    write("core/gone.ts", "g");
    write("test/a.test.ts", "t1");
    write("test/b.test.ts", "u1");
    const r = run("stale", baseline);
    expect(r.out).toBe("");
    fs.rmSync(r.baselineFile);
    write("core/a.ts", "changed, but no baseline measured it");
    expect(run("stale", undefined).out).toBe("");
  });
});

describe("mutation-baseline compact", () => {
  test("drops what reuse does not need and keeps what it does", () => {
    const baseline = {
      schemaVersion: "2",
      projectRoot: "/home/someone/apiguard",
      config: { concurrency: 2 },
      files: {
        "core/a.ts": {
          source: "x",
          mutants: [
            { id: "1", status: "Killed", killedBy: ["7"], coveredBy: ["7", "8"], statusReason: "Expected: true\nReceived: false" },
            { id: "2", status: "Survived", coveredBy: ["7"] },
            { id: "3", status: "Timeout", coveredBy: ["8"], statusReason: "x".repeat(400) },
          ],
        },
      },
      testFiles: { "test/a.test.ts": { tests: [{ id: "7", name: "a" }] } },
    };
    const r = run("compact", baseline);
    expect(r.status).toBe(0);
    const after = JSON.parse(fs.readFileSync(r.baselineFile, "utf8"));
    expect(after.projectRoot).toBeUndefined();
    expect(after.config).toBeUndefined();
    expect(after.testFiles).toEqual(baseline.testFiles);
    expect(after.files["core/a.ts"].mutants).toEqual([
      { id: "1", status: "Killed", killedBy: ["7"], statusReason: "Expected: true" },
      { id: "2", status: "Survived", coveredBy: ["7"] },
      { id: "3", status: "Timeout", coveredBy: ["8"], statusReason: "x".repeat(160) },
    ]);
  });

  test("an unknown command is a usage error", () => {
    const r = run("tidy", undefined);
    expect(r.status).toBe(2);
    expect(r.err).toContain("usage: node scripts/mutation-baseline.js compact|scope");
  });
});
