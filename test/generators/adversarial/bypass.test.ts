/**
 * The bypass corpus: resources crafted to slip past a rule (omission, null, casing, booleans as
 * strings, type tokens, 0.0.0.0/0 in disguise, lookalike zones). Every engine must give the verdict.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadCatalog } from "../../../core/catalog/load";
import { judgeWithAzure } from "../../../cli/evaluate/engines/azure-policy";
import { judgeWithPack } from "../../../cli/evaluate/engines/crossguard";
import { judgeStack, overallVerdict } from "../../../core/ir/judge";
import type { ExampleResource } from "../../../core/ir/types";
import { ARM_ENVELOPE, exampleToArm, exampleToPulumi } from "../../../core/resources/convert";
import { REPO } from "../../helpers/paths";
import { generatedDefinition, packPolicies } from "../../helpers/bundled";

interface CaseResource {
  type: string;
  name: string;
  props?: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

interface Case {
  rule: string;
  why: string;
  expect: "fail" | "pass" | "not-applicable";
  resource?: CaseResource;
  resources?: CaseResource[];
}

const catalog = loadCatalog(path.join(REPO, "catalog"));
const cases: Case[] = parse(fs.readFileSync(path.join(__dirname, "bypass.yaml"), "utf8")).cases;

const asExample = (r: CaseResource): ExampleResource => {
  const arm = r.properties !== undefined;
  const envelope = arm ? Object.fromEntries(ARM_ENVELOPE.filter((k) => k in r).map((k) => [k, (r as unknown as Record<string, unknown>)[k]])) : {};
  return { type: r.type, name: r.name, props: (r.props ?? r.properties)!, arm, ...(Object.keys(envelope).length ? { envelope } : {}) };
};

test("the corpus covers every rule", () => {
  expect([...new Set(cases.map((c) => c.rule))].sort()).toEqual(catalog.rules.map((r) => r.id).sort());
});

test.each(cases.map((c) => [`${c.rule}: ${c.why}`, c] as const))("%s", async (_name, c) => {
  const rule = catalog.rules.find((r) => r.id === c.rule)!;
  const resources = (c.resources ?? [c.resource!]).map(asExample);
  const verdicts: Record<string, string> = {};

  verdicts.reference = overallVerdict(judgeStack(rule, resources).map((v) => v.verdict));
  const pulumiShaped = resources.map(exampleToPulumi);
  verdicts.crossguard = (
    await judgeWithPack(
      packPolicies().find((p) => p.name === rule.id)!,
      pulumiShaped,
    )
  ).verdict;
  const expected: Record<string, string> = { reference: c.expect, crossguard: c.expect };

  const definition = rule.backends.includes("azure-policy") ? generatedDefinition(rule) : undefined;
  const arm = resources.length === 1 ? exampleToArm(resources[0]) : undefined;
  if (definition && arm) {
    const judged = judgeWithAzure(definition, arm);
    verdicts.azure = judged.error ? `error: ${judged.error}` : judged.verdict === "fail" ? "fail" : "not-fail";
    expected.azure = c.expect === "fail" ? "fail" : "not-fail";
  }
  expect(verdicts).toEqual(expected);
});
