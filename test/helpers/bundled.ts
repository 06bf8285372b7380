/**
 * The bundled catalog and the committed outputs, loaded on first use inside a test and kept for the
 * test file. Test tables are named from the rule files themselves (`RULES`), so collecting a test
 * file runs none of apiguard's code: `npm run mutate` collects every related test file for each
 * mutant, and attributes a mutant only to the tests that execute it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadCatalog, type Catalog } from "../../core/catalog/load";
import type { Example, Rule } from "../../core/ir/types";
import { compileDefinition, type AzureDefinition } from "../../cli/evaluate/engines/azure-policy";
import { definition } from "../../generators/azure-policy";
import { render } from "../../generators/render";
import { loadPackPolicies } from "./crossguard";
import { CATALOG, REPO } from "./paths";

function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: load() }).v;
}

export const bundledCatalog: () => Catalog = once(() => loadCatalog(CATALOG));
export const packPolicies = once(() => loadPackPolicies());
/**
 * The Azure Policy definition of a bundled rule, generated and rendered in this process exactly as
 * its committed file (azure-policy.test.ts and `apiguard check` hold the two equal). Kept for one
 * test only: every test that judges with it generates it, so a fault in the generator fails the
 * tests that see the verdict, not just whichever test happened to build it first.
 */
export function generatedDefinition(ruleId: string): AzureDefinition {
  const test = expect.getState().currentTestName ?? "";
  if (test !== perTest.test) perTest.definitions = new Map();
  perTest.test = test;
  let compiled = perTest.definitions.get(ruleId);
  if (!compiled) {
    const file = `azure-policy/definitions/${ruleId}.json`;
    compiled = compileDefinition(ruleId, file, JSON.parse(render("azure-policy/definition.json.hbs", definition(bundledRule(ruleId)))));
    perTest.definitions.set(ruleId, compiled);
  }
  return compiled;
}
const perTest: { test?: string; definitions: Map<string, AzureDefinition> } = { definitions: new Map() };

export function bundledRule(id: string): Rule {
  const rule = bundledCatalog().rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no bundled rule ${id}`);
  return rule;
}

export function bundledExample(ruleId: string, file: string): Example {
  const example = bundledRule(ruleId).examples.find((e) => e.file === file);
  if (!example) throw new Error(`no example ${file} in ${ruleId}`);
  return example;
}

/** What a test table needs to name its rows, read from catalog/<id>/rule.yaml and the example folders. */
export interface RuleHeader {
  id: string;
  target: string;
  backends: string[];
  stack: boolean;
  /** Example files relative to the catalog root, with the verdict their folder states. */
  examples: { file: string; expect: "pass" | "fail" }[];
}

export const RULES: readonly RuleHeader[] = fs
  .readdirSync(CATALOG, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(CATALOG, d.name, "rule.yaml")))
  .map((d) => {
    const rule = parse(fs.readFileSync(path.join(CATALOG, d.name, "rule.yaml"), "utf8"));
    const examples = (["pass", "fail"] as const).flatMap((expect) => {
      const dir = path.join(CATALOG, d.name, "examples", expect);
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => ({ file: `${d.name}/examples/${expect}/${f}`, expect }));
    });
    return { id: rule.id, target: rule.target, backends: rule.backends, stack: Boolean(rule.stack), examples };
  })
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export const rulesFor = (backend: "crossguard" | "azure-policy") => RULES.filter((r) => r.backends.includes(backend));
