// `npm run lint`: typescript-eslint's type-checked rules over the TypeScript sources (typed by tsconfig.json),
// ESLint's recommended rules over the CommonJS node scripts; eslint-config-prettier last, so layout is the
// formatter's alone (prettier --check, same script).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      // Generated outputs (`npm run generate`), checked byte for byte by `apiguard check`.
      "policypack/",
      "azure-policy/",
      "docs/rules/",
      // Build, report and tool outputs.
      "dist/",
      "coverage/",
      "reports/",
      "mutation/",
      ".stryker-tmp/",
      "tools/*/target/",
      // Templates: runtime.ts is copied into policypack/ and type-checks only there, beside the pack's semantics.ts.
      "generators/templates/",
      "cli/scaffold/",
      // Test data: fixtures, real-template corpus and samples are inputs, not code.
      "test/fixtures/",
      "test/**/corpus/",
      "test/**/samples/",
      "test/e2e/regorus/data/",
    ],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a binding kept on purpose: a rest-destructuring that drops keys, a callback's
      // positional parameter.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Every control character in a pattern is there on purpose: input is refused or escaped because of it.
      "no-control-regex": "off",
      // An async function without await implements a Promise-returning contract (Pulumi programs, bench cases).
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests parse generated JSON (JSON.parse returns any) and assert its shape with expect, which fails on a wrong
      // shape; typing every parsed document would only restate the assertions.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      // The same parsed documents, declared loosely where a test reads deep into them.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: "commonjs",
      globals: { process: "readonly", console: "readonly", __dirname: "readonly", Buffer: "readonly" },
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module" },
  },
  prettier,
);
