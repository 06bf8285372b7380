/**
 * scripts/mutation-score.js gates CI on the mutation score: these cases hold it to what the README
 * promises (what counts as killed, what an equivalence entry sets aside, when a stale entry fails).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.resolve(__dirname, "../../scripts/mutation-score.js");
const SOURCE = 'const a = 1;\nif (a > 0) throw new Error("x");\n';

type Mutant = { status: string; mutatorName?: string; replacement?: string; line?: number; statusReason?: string; columns?: [start: number, end: number] };

function mutant(m: Mutant, id: number) {
  return {
    id: String(id),
    mutatorName: m.mutatorName ?? "EqualityOperator",
    replacement: m.replacement ?? "a >= 0",
    status: m.status,
    statusReason: m.statusReason,
    location: { start: { line: m.line ?? 2, column: m.columns?.[0] ?? 5 }, end: { line: m.line ?? 2, column: m.columns?.[1] ?? 10 } },
  };
}

function run(files: Record<string, Mutant[]>, options: { equivalents?: string; measuredOnly?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutation-score-"));
  const report = {
    schemaVersion: "1",
    thresholds: { high: 90, low: 80 },
    files: Object.fromEntries(Object.entries(files).map(([file, mutants]) => [file, { language: "typescript", source: SOURCE, mutants: mutants.map(mutant) }])),
  };
  fs.writeFileSync(path.join(dir, "mutation.json"), JSON.stringify(report));
  fs.writeFileSync(path.join(dir, "equivalents.yaml"), options.equivalents ?? "[]\n");
  const args = [SCRIPT, `--equivalents=${path.join(dir, "equivalents.yaml")}`, path.join(dir, "mutation.json")];
  if (options.measuredOnly) args.splice(1, 0, "--measured-only");
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

const ALL_FOLDERS = ["core/semantics/a.ts", "core/operators/a.ts", "core/targets/a.ts", "azure-policy-engine/a.ts"];
const killed = (n: number): Mutant[] => Array.from({ length: n }, () => ({ status: "Killed" }));
const everyFolder = (extra: Record<string, Mutant[]> = {}) => ({ ...Object.fromEntries(ALL_FOLDERS.map((f) => [f, killed(10)])), ...extra });
const rowOf = (out: string, folder: string) =>
  out
    .split("\n")
    .find((l) => l.startsWith(folder + " "))
    ?.trim()
    .split(/\s+/);

describe("mutation-score", () => {
  test("every folder at its minimum passes and prints a row per folder", () => {
    const r = run(everyFolder());
    expect(r.status).toBe(0);
    expect(rowOf(r.out, "core/semantics")).toEqual(["core/semantics", "10", "0", "0", "0", "100.00%", "90%"]);
    expect(rowOf(r.out, "all")).toEqual(["all", "40", "0", "0", "0", "100.00%", "80%"]);
  });

  test("a folder under its minimum fails and names the survivor with its line", () => {
    const r = run(everyFolder({ "core/targets/a.ts": [...killed(8), { status: "Survived" }, { status: "NoCoverage" }] }));
    expect(r.status).toBe(1);
    expect(r.err).toContain("core/targets: 80.00% is under 90%");
    expect(r.out).toContain("2 surviving mutant(s)");
    expect(r.out).toContain('core/targets/a.ts:2:5 EqualityOperator → "a >= 0" (Survived)\n      if (a > 0) throw new Error("x");');
  });

  test("a folder without a minimum counts only toward the whole scope", () => {
    const passing = run(everyFolder({ "generators/a.ts": [...killed(1), { status: "Survived" }] }));
    expect(passing.status).toBe(0);
    expect(rowOf(passing.out, "generators")).toEqual(["generators", "1", "1", "0", "0", "50.00%"]);
    const failing = run(everyFolder({ "generators/a.ts": Array.from({ length: 20 }, () => ({ status: "Survived" })) }));
    expect(failing.status).toBe(1);
    expect(failing.err).toContain("the whole scope: 66.67% is under 80%");
  });

  test("Timeout counts as detected; CompileError and RuntimeError are left out; static mutants are counted apart", () => {
    const r = run(
      everyFolder({
        "core/operators/a.ts": [
          ...killed(8),
          { status: "Timeout" },
          { status: "CompileError" },
          { status: "RuntimeError" },
          { status: "Ignored", statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
          { status: "Ignored", statusReason: "excluded by a comment" },
        ],
      }),
    );
    expect(r.status).toBe(0);
    expect(rowOf(r.out, "core/operators")).toEqual(["core/operators", "9", "0", "0", "1", "100.00%", "90%"]);
  });

  const entry = (file: string, line = 'if (a > 0) throw new Error("x");') => `- file: ${file}\n  line: '${line}'\n  mutator: EqualityOperator\n  replacement: a >= 0\n  reason: the check before makes a = 0 impossible\n`;

  test("a reviewed equivalent survivor is set aside, and only one matching line, mutator and replacement", () => {
    const mutants = everyFolder({ "core/targets/a.ts": [...killed(8), { status: "Survived" }, { status: "Survived", replacement: "a < 0" }] });
    const r = run(mutants, { equivalents: entry("core/targets/a.ts") });
    expect(rowOf(r.out, "core/targets")).toEqual(["core/targets", "8", "1", "1", "0", "88.89%", "90%"]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('EqualityOperator → "a < 0"');
    expect(r.out).not.toContain('→ "a >= 0"');
  });

  test("an equivalence entry that matches no survivor in a measured file fails; one for an unmeasured file waits", () => {
    const stale = run(everyFolder(), { equivalents: entry("core/targets/a.ts") });
    expect(stale.status).toBe(1);
    expect(stale.err).toContain('no surviving EqualityOperator mutant "a >= 0" on `if (a > 0) throw new Error("x");` in core/targets/a.ts; remove the entry');
    const otherLine = run(everyFolder({ "core/targets/a.ts": [...killed(9), { status: "Survived" }] }), { equivalents: entry("core/targets/a.ts", "const a = 1;") });
    expect(otherLine.status).toBe(1);
    expect(otherLine.err).toContain("remove the entry");
    const unmeasured = run(everyFolder(), { equivalents: entry("generators/b.ts") });
    expect(unmeasured.status).toBe(0);
  });

  test("an entry that gives the original code matches only the mutant of that code on its line", () => {
    // Line 2 is `if (a > 0) throw new Error("x");`: columns 5–10 hold `a > 0`, columns 1–33 the whole statement.
    const mutants = everyFolder({ "core/targets/a.ts": [...killed(8), { status: "Survived" }, { status: "Survived", columns: [1, 33] }] });
    const r = run(mutants, { equivalents: entry("core/targets/a.ts") + "  original: a > 0\n" });
    expect(rowOf(r.out, "core/targets")).toEqual(["core/targets", "8", "1", "1", "0", "88.89%", "90%"]);
    expect(r.out).toContain("core/targets/a.ts:2:1 EqualityOperator");
    expect(r.out).not.toContain("core/targets/a.ts:2:5");
    const other = run(everyFolder({ "core/targets/a.ts": [...killed(9), { status: "Survived", columns: [1, 33] }] }), { equivalents: entry("core/targets/a.ts") + "  original: a > 0\n" });
    expect(other.err).toContain("remove the entry");
  });

  test("an entry without a reason is refused", () => {
    const r = run(everyFolder(), { equivalents: "- file: core/targets/a.ts\n  line: x\n  mutator: EqualityOperator\n  replacement: y\n" });
    expect(r.status).not.toBe(0);
    expect(r.err).toContain("entry 1 needs a non-empty reason");
  });

  test("a folder with a minimum that the report lacks fails, unless only measured folders are judged", () => {
    const files = Object.fromEntries(ALL_FOLDERS.slice(0, 3).map((f) => [f, killed(10)]));
    const full = run(files);
    expect(full.status).toBe(1);
    expect(full.err).toContain("azure-policy-engine: not in the report");
    const measured = run(files, { measuredOnly: true });
    expect(measured.status).toBe(0);
    expect(measured.out).toContain("not measured yet (not in mutation/incremental.json): azure-policy-engine");
  });
});
