/**
 * Jest setup for `npm run mutate` only: a property that fails under a mutant stops at its first
 * counterexample instead of shrinking it. The mutant is caught either way, and shrinking a failure
 * in the engine's fuzz tests can outlast Stryker's timeout on every mutant of a hot path.
 */
import fc from "fast-check";

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
