/**
 * What verdict tests judge with, built inside a test rather than while jest collects test files:
 * `npm run mutate` collects every related test file for each mutant, and attributes a mutant only
 * to the tests that execute it.
 */
import { compileDefinition, type AzureDefinition } from "../../cli/evaluate/engines/azure-policy";
import type { Rule } from "../../core/ir/types";
import { definition } from "../../generators/azure-policy";
import { render } from "../../generators/render";
import { loadPackPolicies } from "./crossguard";

function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: load() }).v;
}

/** The committed pack's policies, loaded on first use and kept for the test file. */
export const packPolicies = once(() => loadPackPolicies());

const perTest: { test?: string; definitions: Map<string, AzureDefinition> } = { definitions: new Map() };

/**
 * A rule's Azure Policy definition, generated and rendered in this process exactly as its committed
 * file (azure-policy.test.ts and `apiguard check` hold the two equal). Kept for one test only: every
 * test that judges with it generates it, so a fault in the generator fails the tests that see the
 * verdict, not just whichever test happened to build it first.
 */
export function generatedDefinition(rule: Rule): AzureDefinition {
  const test = expect.getState().currentTestName ?? "";
  if (test !== perTest.test) perTest.definitions = new Map();
  perTest.test = test;
  let compiled = perTest.definitions.get(rule.id);
  if (!compiled) {
    compiled = compileDefinition(rule.id, `azure-policy/definitions/${rule.id}.json`, JSON.parse(render("azure-policy/definition.json.hbs", definition(rule))));
    perTest.definitions.set(rule.id, compiled);
  }
  return compiled;
}
