/**
 * Jest environment for `npm run mutate` only. Two things make a mutant's run cost what its tests
 * cost, not what jest's bookkeeping costs:
 *
 * 1. Once a test fails under a mutant, the tests after it in that run are skipped. One failure is
 *    all Stryker needs to call the mutant killed (it asks for more only with `disableBail`); without
 *    this, a mutant in a hot path of the engine fails thousands of table rows.
 * 2. Stryker selects a mutant's covering tests with a test name pattern, one alternative per test:
 *    `(name 1)|(name 2)|...`. jest-circus tests that case-insensitive, unanchored expression against
 *    every test, once per enclosing describe block; for a test it does not match, an expression of
 *    4,000 names takes 25 ms, so a mutant covered by 4,000 of 5,000 tests spent 31 seconds on it
 *    and Stryker reported a timeout. The pattern is replaced by a lookup of the names it lists: the
 *    covering tests run, as Stryker means. (The expression would also run a test whose name merely
 *    contains a covering test's name; that test did not reach the mutant in Stryker's coverage run.)
 *
 * 3. In the dry run (no mutant active) it records which file holds each test, for
 *    mutation-runner.js, which then loads only the files that hold a mutant's covering tests.
 *
 * Stryker runs every mutant in the same process and names the active one in an environment
 * variable, so the "failed" mark is kept per mutant and the dry run (no mutant) is never cut short.
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");
const tests = require("./mutation-tests");

const ACTIVE_MUTANT = "__STRYKER_ACTIVE_MUTANT__";
/** Stryker's worker processes carry this variable. */
const UNDER_STRYKER = process.env.STRYKER_MUTATOR_WORKER !== undefined;
let failedUnderMutant;

let cached = { pattern: undefined, names: undefined };

/** A stand-in for the compiled pattern: jest-circus only calls its `test` with a test's full name. */
function namesMatcher(pattern) {
  if (cached.pattern !== pattern) cached = { pattern, names: tests.namesIn(pattern) && new Set(tests.namesIn(pattern)) };
  const { names } = cached;
  return names && { test: (testId) => names.has(testId) };
}

/** A test's name as Stryker gives it: its describe blocks' names and its own, space-separated. */
function fullName(test) {
  const names = [];
  for (let block = test; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(" ").trimStart();
}

class MutationTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async teardown() {
    if (UNDER_STRYKER && process.env[ACTIVE_MUTANT] === undefined) tests.save();
    await super.teardown();
  }

  async handleTestEvent(event, state) {
    if (event.name === "setup" && event.testNamePattern) {
      state.testNamePattern = namesMatcher(event.testNamePattern) ?? state.testNamePattern;
      return;
    }
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      if (UNDER_STRYKER && event.name === "test_start") tests.record(fullName(event.test), this.testPath);
      return;
    }
    if (event.name === "test_fn_failure" || event.name === "hook_failure") failedUnderMutant = mutant;
    else if (event.name === "test_start" && failedUnderMutant === mutant) event.test.mode = "skip";
  }
}

module.exports = MutationTestEnvironment;
