/**
 * The compliant resource of a target, taken from the catalog: the first example (in file order) that
 * every resource rule of the target passes. Tests that need "a resource nothing objects to" use it, so
 * a new rule changes the catalog (that example, or a new one), never the tests.
 */
import { loadCatalog } from "../../core/catalog/load";
import { judgeStack, parameterValues } from "../../core/ir/judge";
import type { ExampleResource } from "../../core/ir/types";
import { CATALOG } from "./paths";

export function compliantResource(target: string, type: RegExp): ExampleResource {
  const catalog = loadCatalog(CATALOG);
  const rules = catalog.rules.filter((r) => r.target === target && !r.stack);
  const candidates = catalog.rules
    .flatMap((r) => r.examples)
    .filter((e) => e.expect === "pass" && e.resources.length === 1 && !e.resources[0].arm && type.test(e.resources[0].type))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const passesAll = candidates.find((e) => rules.every((r) => judgeStack(r, e.resources, parameterValues(r)).every((v) => v.verdict === "pass" || v.verdict === "not-applicable")));
  if (!passesAll) throw new Error(`no ${type} example in the catalog passes every ${target} rule: add one (see catalog/aks-private-cluster/examples/pass/private-every-aks-rule-passes.yaml)`);
  return passesAll.resources[0];
}

/** The props of the catalog's compliant azure-native AKS cluster. */
export function compliantAksProps(): Record<string, unknown> {
  return compliantResource("aks", /^azure-native:containerservice:ManagedCluster$/i).props;
}
