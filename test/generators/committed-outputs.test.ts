/**
 * The committed outputs are the product: platform teams assign azure-policy/, pipelines run
 * policypack/, and reviewers read both in pull requests. Every one of them is what the generators make
 * of the bundled catalog, byte for byte. The catalog is loaded and the outputs generated inside the
 * test, so that `npm run mutate` (which runs the tests that executed a mutated line) runs this test
 * for every line of the loader and the generators.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the generators are required inside the test, as said above */
import * as fs from "fs";
import * as path from "path";
import type * as Generators from "../../generators";
import { loadCatalog } from "../../core/catalog/load";
import type * as Inputs from "../../cli/generator-inputs";
import { CATALOG, REPO } from "../helpers/paths";

/**
 * The pack ships core/semantics/semantics.ts and core/rollout/rollout.ts verbatim, behind a one-line
 * notice. Under `npm run mutate` those sources are instrumented, so the shipped copies are the input
 * here; `apiguard check` (test/cli) holds the shipped copies to the sources.
 */
function committedInputs() {
  const { readGeneratorInputs } = require("../../cli/generator-inputs") as typeof Inputs;
  const shipped = (file: string) => {
    const text = fs.readFileSync(path.join(REPO, "policypack", file), "utf8");
    return text.slice(text.indexOf("\n") + 1);
  };
  return { ...readGeneratorInputs(REPO), semanticsSource: shipped("semantics.ts"), rolloutSource: shipped("rollout.ts") };
}

test("every committed output is what the bundled catalog generates", () => {
  // The generators are loaded here rather than imported, so that their module-level names (effects,
  // the initiative's name, the policy version) are set while this test runs and Stryker credits it.
  const inputs = committedInputs();
  const { generateAll } = require("../../generators") as typeof Generators;
  const files = generateAll(loadCatalog(CATALOG), inputs);
  const differing = [...files].filter(([file, content]) => {
    const committed = path.join(REPO, file);
    return !fs.existsSync(committed) || fs.readFileSync(committed, "utf8") !== content;
  });
  expect(differing.map(([file]) => file)).toEqual([]);
  expect(files.size).toBeGreaterThan(90);
});
