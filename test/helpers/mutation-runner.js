/**
 * Jest test runner for `npm run mutate` only: for a mutant, it runs only the test files that hold
 * the mutant's covering tests. Stryker asks jest for the tests related to the mutated file and picks
 * the covering ones by name, so every related file was still loaded, with all its imports and
 * fixtures, to run none of its tests: about 3 seconds a mutant for an engine file, whose related
 * files are 17. The tests that run are the same.
 */
"use strict";
const TestRunner = require("jest-runner").default;
const tests = require("./mutation-tests");

class CoveringFilesRunner extends TestRunner {
  async runTests(related, watcher, options) {
    const pattern = this._globalConfig.testNamePattern;
    const names = pattern ? tests.namesIn(pattern) : undefined;
    const files = names ? tests.filesOf(names) : undefined;
    return super.runTests(files ? related.filter((test) => files.has(test.path)) : related, watcher, options);
  }
}

module.exports = CoveringFilesRunner;
