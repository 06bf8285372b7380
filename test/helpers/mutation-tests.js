/**
 * What `npm run mutate` knows of the tests, shared by mutation-environment.js and mutation-runner.js:
 * the names in Stryker's test name pattern, and which file holds each test, as the dry run saw it.
 * The files are kept in memory, and in a file in the working folder (Stryker's sandbox) for a test
 * runner that Stryker restarted after a timeout.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const FILE = path.join(process.cwd(), ".mutation-test-files.json");
let byName;

function load() {
  if (byName) return byName;
  try {
    byName = new Map(Object.entries(JSON.parse(fs.readFileSync(FILE, "utf8"))));
  } catch {
    byName = new Map();
  }
  return byName;
}

/** The names in Stryker's pattern (each escaped, in parentheses, joined by `|`), or undefined. */
function namesIn(pattern) {
  if (!pattern.startsWith("(") || !pattern.endsWith(")")) return undefined;
  // An escaped name holds `)` and `|` only as `\)` and `\|`, so `)|(` only ever joins two names.
  return pattern
    .slice(1, -1)
    .split(")|(")
    .map((escaped) => escaped.replace(/\\(.)/g, "$1"));
}

module.exports = {
  namesIn,
  record(name, file) {
    load().set(name, file);
  },
  save() {
    fs.writeFileSync(FILE, JSON.stringify(Object.fromEntries(load())));
  },
  /** The files that hold these tests, or undefined when the dry run did not see one of them. */
  filesOf(names) {
    const files = new Set();
    for (const name of names) {
      const file = load().get(name);
      if (file === undefined) return undefined;
      files.add(file);
    }
    return files;
  },
};
