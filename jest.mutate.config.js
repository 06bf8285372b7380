/**
 * The suites StrykerJS runs against each mutant (`npm run mutate`): the in-process tests of the core,
 * the generators and the Azure Policy engine. The end-to-end suites (Pulumi CLI, regorus, gRPC) are
 * too slow to run per mutant and judge the same code through the committed outputs.
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // Left out here, still run by `npm test`: suites about code outside the mutation scope (docs, the
  // ALZ library, merging team catalogs) and hostile text through every template (7 s per mutant).
  testPathIgnorePatterns: ["/node_modules/", "/test/generators/(docs|alz|templates-fuzz)\\.test\\.ts$", "/test/core/catalog-merge\\.test\\.ts$"],
  // The sources are roots too: Stryker runs the tests related to a mutated file (jest
  // --findRelatedTests), which follows imports only through files under a root.
  roots: ["<rootDir>/test", "<rootDir>/core", "<rootDir>/generators", "<rootDir>/cli", "<rootDir>/azure-policy-engine", "<rootDir>/arm-template"],
  setupFiles: ["<rootDir>/test/helpers/mutation-setup.ts"],
  // Skips the rest of a run once a test has failed under the active mutant, and looks up Stryker's
  // covering tests by name (see the file). An absolute path: Stryker loads the environment itself,
  // outside jest's <rootDir> expansion.
  testEnvironment: require("path").join(__dirname, "test/helpers/mutation-environment.js"),
  // Loads only the test files that hold a mutant's covering tests (see the file).
  runner: "<rootDir>/test/helpers/mutation-runner.js",
  // test/arm-template: ARM template resolution runs the engine's expression evaluator in template mode.
  testMatch: ["<rootDir>/test/core/**/*.test.ts", "<rootDir>/test/generators/**/*.test.ts", "<rootDir>/test/azure-policy-engine/**/*.test.ts", "<rootDir>/test/arm-template/**/*.test.ts"],
};
