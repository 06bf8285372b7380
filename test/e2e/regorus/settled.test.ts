/**
 * The rows of test/azure-policy-engine/regorus-settled.ts claim what Microsoft's regorus engine does
 * where the Azure Policy docs are silent; the local evaluator is held to them in semantics.test.ts.
 * This suite asks regorus itself, so a row that regorus does not bear out fails here.
 */
import { SETTLED } from "../../azure-policy-engine/regorus-settled";
import { effective, runRegorus } from "./harness";

const definitions = Object.fromEntries(SETTLED.map(([, condition], i) => [`row${i}`, { properties: { mode: "All", policyRule: { if: condition, then: { effect: "deny" } } } }]));
const verdicts = runRegorus(
  [],
  definitions,
  [{ type: "Microsoft.Resources/resourceGroups", name: "rg" }],
  SETTLED.map((_, i) => ({ definition: `row${i}`, resource: 0, parameters: {} })),
);

test.each(SETTLED.map((row, i) => [...row, i] as const))("%s", (_label, _condition, matched, i) => expect(effective(verdicts[i])).toBe(matched));
