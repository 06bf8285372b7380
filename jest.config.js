/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Transpile only: `npm test` type-checks the whole project with tsc first, once.
    "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true } }],
  },
  testTimeout: 30000,
};
