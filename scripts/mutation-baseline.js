#!/usr/bin/env node
/**
 * mutation/incremental.json is StrykerJS's incremental file, committed so that CI on a fresh clone
 * re-tests only what changed. Two commands:
 *
 *   node scripts/mutation-baseline.js compact   after a run: drop what reuse does not need
 *   node scripts/mutation-baseline.js scope     the configured `mutate` patterns whose files the
 *                                               baseline holds, comma-separated (for `--mutate`)
 *   node scripts/mutation-baseline.js stale     the measured sources and killing test files that
 *                                               changed since the baseline was written, one a line
 *
 * What `compact` drops, and why reuse still holds (Stryker's incremental mode: a killed mutant is
 * reused while the test that killed it is unchanged; any other mutant while no new test covers it):
 * - statusReason (jest's failure text, 90% of the file): reused results only carry it along;
 * - coveredBy of killed mutants: they are reused through killedBy alone (the other mutants keep it,
 *   so an unchanged survivor is not re-tested);
 * - projectRoot and config: the machine's paths and the options of the run that wrote it.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
/** `--baseline=FILE`, `--config=FILE` and `--root=DIR` point elsewhere (the tests use them). */
const option = (name, fallback) => path.resolve(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const BASELINE = option("baseline", path.join(ROOT, "mutation", "incremental.json"));
const CONFIG = option("config", path.join(ROOT, "stryker.config.json"));
/** Where the files the baseline names are read from. */
const SOURCES = option("root", ROOT);

function compact() {
  const report = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
  delete report.projectRoot;
  delete report.config;
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      if (mutant.status === "Killed") delete mutant.coveredBy;
      if (mutant.statusReason !== undefined) mutant.statusReason = mutant.statusReason.split("\n")[0].slice(0, 160);
    }
  }
  fs.writeFileSync(BASELINE, JSON.stringify(report));
}

/** The file of a `mutate` pattern (`file.ts:17-42` mutates a line range of file.ts). */
const patternFile = (pattern) => pattern.replace(/:[\d:-]+$/, "");

function scope() {
  const { mutate } = JSON.parse(fs.readFileSync(CONFIG, "utf8"));
  const measured = fs.existsSync(BASELINE) ? Object.keys(JSON.parse(fs.readFileSync(BASELINE, "utf8")).files) : [];
  const covers = (pattern, file) => {
    const target = patternFile(pattern);
    if (!target.includes("*")) return file === target;
    return file.startsWith(target.slice(0, target.indexOf("*"))) && file.endsWith(".ts");
  };
  const patterns = mutate.filter((p) => measured.some((f) => covers(p, f)));
  const unmeasured = mutate.filter((p) => !patterns.includes(p));
  if (unmeasured.length) console.error(`not yet in mutation/incremental.json, so not run: ${unmeasured.join(", ")}`);
  console.log(patterns.join(","));
}

/**
 * What changed since the baseline was written: each source file it measured and each test file it
 * records whose text is no longer the one it holds (or that is gone). Stryker re-tests every mutant
 * in changed code and every mutant a changed test covers, so a long list means a long run.
 */
function stale() {
  if (!fs.existsSync(BASELINE)) return;
  const report = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
  const changed = (file, source) => {
    const at = path.join(SOURCES, file);
    return !fs.existsSync(at) || fs.readFileSync(at, "utf8") !== source;
  };
  for (const [file, { source }] of [...Object.entries(report.files ?? {}), ...Object.entries(report.testFiles ?? {})]) {
    if (changed(file, source)) console.log(file);
  }
}

const command = process.argv[2];
if (command === "compact") compact();
else if (command === "scope") scope();
else if (command === "stale") stale();
else {
  console.error("usage: node scripts/mutation-baseline.js compact|scope|stale");
  process.exit(2);
}
