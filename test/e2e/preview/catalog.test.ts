/**
 * Every Pulumi-shaped example of the catalog, previewed for real: each resource rule's examples share
 * one stack (one preview), each stack rule's example is a stack of its own. A failing example must be
 * reported by its rule at the rule's enforcement level, a passing one must not be reported. A new rule
 * or example needs no edit here. (ARM-shaped examples are not Pulumi programs; `apiguard evaluate`
 * covers them.)
 */
import * as path from "path";
import { loadCatalog } from "../../../core/catalog/load";
import type { Example } from "../../../core/ir/types";
import { CATALOG } from "../../helpers/paths";
import { harness, reported } from "./harness";
import { ByToken } from "./programs";

const h = harness();
afterAll(() => h.dispose());
jest.setTimeout(300_000);

const rules = loadCatalog(CATALOG).rules.filter((r) => r.backends.includes("crossguard"));
const pulumiShaped = (e: Example) => e.resources.every((r) => !r.arm);
const exampleName = (ruleId: string, e: Example) => `${ruleId}.${path.basename(e.file, ".yaml")}`;

test("resource rules: every example gets its verdict in one real preview", async () => {
  const cases = rules.filter((r) => !r.stack).flatMap((rule) => rule.examples.filter(pulumiShaped).map((example) => ({ rule, example, name: exampleName(rule.id, example) })));
  expect(cases.length).toBeGreaterThan(20);
  const run = await h.preview("catalog", async () => {
    for (const c of cases) new ByToken(c.example.resources[0].type, c.name, c.example.resources[0].props);
  });
  const seen = reported(run.output);
  const got = cases.map((c) => ({ example: c.example.file, levels: seen.filter((s) => s.policy === c.rule.id && s.resource === c.name).map((s) => s.level) }));
  const want = cases.map((c) => ({ example: c.example.file, levels: c.example.expect === "fail" ? [c.rule.enforcement] : [] }));
  expect(got).toEqual(want);
  expect(run.code).not.toBe(0);
});

const stackCases = rules.filter((r) => r.stack).flatMap((rule) => rule.examples.filter(pulumiShaped).map((example) => ({ rule, example })));

test.each(stackCases.map((c) => [c.example.file, c] as const))("stack rule example %s", async (_file, { rule, example }) => {
  const run = await h.preview(`stack-${path.basename(example.file, ".yaml")}`, async () => {
    for (const r of example.resources) new ByToken(r.type, r.name, r.props);
  });
  const levels = reported(run.output)
    .filter((s) => s.policy === rule.id)
    .map((s) => s.level);
  if (example.expect === "fail") expect(levels.length).toBeGreaterThan(0);
  expect([...new Set(levels)]).toEqual(example.expect === "fail" ? [rule.enforcement] : []);
});
