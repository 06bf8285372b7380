#!/usr/bin/env node
/**
 * Reads StrykerJS's JSON report (mutation-testing-report-schema) and prints the mutation score per
 * folder, with the reviewed equivalent mutants (mutation/equivalent-mutants.yaml) set aside. Exits 1
 * when a folder, or the whole scope, is under its minimum, or when an equivalence entry no longer
 * matches a surviving mutant (the list must stay true to the code).
 *
 *   node scripts/mutation-score.js [--measured-only] [--equivalents=file.yaml] [report.json]
 *
 * --measured-only (CI, while mutation/incremental.json does not yet hold the whole scope): a folder
 * with a minimum that the report does not hold is named, not failed.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const ROOT = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const MEASURED_ONLY = args.includes("--measured-only");
const REPORT = path.resolve(args.find((a) => !a.startsWith("--")) ?? path.join(ROOT, "reports", "mutation", "mutation.json"));
const EQUIVALENTS = path.resolve(args.find((a) => a.startsWith("--equivalents="))?.slice("--equivalents=".length) ?? path.join(ROOT, "mutation", "equivalent-mutants.yaml"));
/** Minimum scores (%). Folders not listed are reported and count toward the whole scope only. */
const MINIMUM = {
  "core/semantics": 90,
  "core/operators": 90,
  "core/targets": 90,
  "azure-policy-engine": 90,
};
const MINIMUM_OVERALL = 80;

/** Stryker statuses: detected, undetected, and the ones a score leaves out (they never ran a test). */
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const STATIC_REASON = /static mutant/i;

function loadEquivalents() {
  if (!fs.existsSync(EQUIVALENTS)) return [];
  const entries = YAML.parse(fs.readFileSync(EQUIVALENTS, "utf8")) ?? [];
  for (const [i, e] of entries.entries()) {
    for (const key of ["file", "line", "mutator", "replacement", "reason"]) {
      if (typeof e[key] !== "string" || e[key].trim() === "") throw new Error(`${EQUIVALENTS}: entry ${i + 1} needs a non-empty ${key}`);
    }
    if (e.original !== undefined && (typeof e.original !== "string" || e.original === "")) throw new Error(`${EQUIVALENTS}: entry ${i + 1}: original, when given, is the mutated code as written`);
  }
  return entries.map((e) => ({ ...e, line: e.line.trim(), matched: 0 }));
}

function lineOf(source, line) {
  return (source.split("\n")[line - 1] ?? "").trim();
}

/** The code a mutant replaces, as written (Stryker's columns are 1-based, the end exclusive). */
function originalOf(source, { start, end }) {
  const lines = source.split("\n").slice(start.line - 1, end.line);
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1);
  lines[0] = lines[0].slice(start.column - 1);
  return lines.join("\n");
}

/** An entry names a mutant by line, mutator and replacement, and by the code it replaces when that line holds several alike. */
function matches(e, file, m, text, source) {
  if (e.file !== file || e.mutator !== m.mutatorName || e.replacement !== m.replacement || e.line !== text) return false;
  return e.original === undefined || e.original === originalOf(source, m.location);
}

function folderOf(file) {
  return path.posix.dirname(file.split(path.sep).join("/"));
}

function main() {
  if (!fs.existsSync(REPORT)) {
    console.error(`mutation-score: no report at ${path.relative(process.cwd(), REPORT)}; run \`npm run mutate\` first`);
    process.exit(2);
  }
  const report = JSON.parse(fs.readFileSync(REPORT, "utf8"));
  const equivalents = loadEquivalents();
  const rows = new Map();
  const row = (name) => rows.get(name) ?? rows.set(name, { killed: 0, survived: 0, equivalent: 0, staticOnly: 0 }).get(name);
  const survivors = [];

  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const r = row(folderOf(file));
    for (const m of mutants) {
      if (DETECTED.has(m.status)) r.killed++;
      else if (UNDETECTED.has(m.status)) {
        const text = lineOf(source, m.location.start.line);
        const eq = equivalents.find((e) => matches(e, file, m, text, source));
        if (eq) {
          eq.matched++;
          r.equivalent++;
        } else {
          r.survived++;
          survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement)} (${m.status})\n      ${text}`);
        }
      } else if (m.status === "Ignored" && STATIC_REASON.test(m.statusReason ?? "")) r.staticOnly++;
      // CompileError and RuntimeError mutants ran no test; a score leaves them out.
    }
  }

  const score = (r) => (r.killed + r.survived === 0 ? 100 : (100 * r.killed) / (r.killed + r.survived));
  const total = { killed: 0, survived: 0, equivalent: 0, staticOnly: 0 };
  for (const r of rows.values()) for (const k of Object.keys(total)) total[k] += r[k];

  const failures = [];
  const table = [["folder", "killed", "survived", "equivalent", "load-time", "score", "minimum"]];
  for (const [folder, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    const min = MINIMUM[folder];
    if (min !== undefined && score(r) < min) failures.push(`${folder}: ${score(r).toFixed(2)}% is under ${min}%`);
    table.push([folder, r.killed, r.survived, r.equivalent, r.staticOnly, `${score(r).toFixed(2)}%`, min === undefined ? "" : `${min}%`]);
  }
  if (score(total) < MINIMUM_OVERALL) failures.push(`the whole scope: ${score(total).toFixed(2)}% is under ${MINIMUM_OVERALL}%`);
  table.push(["all", total.killed, total.survived, total.equivalent, total.staticOnly, `${score(total).toFixed(2)}%`, `${MINIMUM_OVERALL}%`]);
  const missing = Object.keys(MINIMUM).filter((f) => !rows.has(f));
  if (MEASURED_ONLY) {
    if (missing.length) console.log(`\nnot measured yet (not in mutation/incremental.json): ${missing.join(", ")}`);
  } else for (const folder of missing) failures.push(`${folder}: not in the report`);
  // An entry can only be judged against a file the report measured.
  for (const e of equivalents.filter((e) => e.matched === 0 && e.file in report.files)) {
    failures.push(`${path.relative(ROOT, EQUIVALENTS)}: no surviving ${e.mutator} mutant ${JSON.stringify(e.replacement)}${e.original === undefined ? "" : ` of \`${e.original}\``} on \`${e.line}\` in ${e.file}; remove the entry`);
  }

  const widths = table[0].map((_, i) => Math.max(...table.map((cells) => String(cells[i]).length)));
  for (const cells of table) console.log(cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  "));
  console.log("\nscore = killed / (killed + survived); equivalent mutants (reviewed, with reasons) are left out. " + "load-time: mutants only ever executed while modules load, outside every test (Stryker's static mutants), not run.");
  if (survivors.length) console.log(`\n${survivors.length} surviving mutant(s):\n  ${survivors.join("\n  ")}`);
  if (failures.length) {
    console.error(`\nmutation score check failed:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
}

main();
