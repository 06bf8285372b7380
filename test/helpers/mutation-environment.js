/**
 * Jest environment for `npm run mutate` only: once a test fails under a mutant, the tests after it
 * in that run are skipped. One failure is all Stryker needs to call the mutant killed (it does not
 * ask for more unless `disableBail` is set); without this, a mutant in a hot path of the engine
 * fails thousands of table rows, and formatting those failures outlasts Stryker's timeout.
 *
 * Stryker runs every mutant in the same process and names the active one in an environment
 * variable, so the "failed" mark is kept per mutant and the dry run (no mutant) is never cut short.
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");

const ACTIVE_MUTANT = "__STRYKER_ACTIVE_MUTANT__";
let failedUnderMutant;

class FailFastUnderMutantEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) return;
    if (event.name === "test_fn_failure" || event.name === "hook_failure") failedUnderMutant = mutant;
    else if (event.name === "test_start" && failedUnderMutant === mutant) event.test.mode = "skip";
  }
}

module.exports = FailFastUnderMutantEnvironment;
