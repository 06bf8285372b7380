/**
 * Values unknown at preview, generated from the targets table and each rule's fields: an unknown
 * value may turn a verdict into "unknown" (advisory: can't run during preview), but never into a
 * pass, and never crashes. With every field the rule reads unknown, the verdict is "unknown".
 */
import * as path from "path";
import { loadCatalog } from "../../../core/catalog/load";
import { judgeWithPack } from "../../../cli/evaluate/engines/crossguard";
import { fieldsRead } from "../../../core/ir/fields";
import { matchShape } from "../../../core/semantics/semantics";
import { targetById, type FieldBinding, type FieldType, type LogicalField, type PulumiTokens } from "../../../core/targets";
import { REPO } from "../../helpers/paths";
import { withUnknownField } from "../../helpers/unknown-fields";
import { packPolicies } from "../../helpers/bundled";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy");
const SENTINEL: Record<FieldType, unknown> = { boolean: proxy.unknownBooleanValue, string: proxy.unknownStringValue, stringArray: proxy.unknownArrayValue, objectArray: proxy.unknownArrayValue, stringMap: proxy.unknownObjectValue };

const catalog = loadCatalog(path.join(REPO, "catalog"));
const rules = catalog.rules.filter((r) => r.backends.includes("crossguard") && !r.stack);

const withUnknown = (props: Record<string, unknown>, binding: FieldBinding, field: LogicalField) => withUnknownField(props, binding, field, (type) => SENTINEL[type]);

const cases = rules.flatMap((rule) => rule.examples.filter((e) => e.resources.every((r) => !r.arm)).flatMap((e) => fieldsRead(rule).map((field) => ({ rule, example: e, field }))));

test.each(cases.map((c) => [`${c.rule.id}: ${c.field} unknown in ${c.example.file.split("/").pop()}`, c] as const))("%s", async (_name, { rule, example, field }) => {
  const [resource] = example.resources;
  const target = targetById(rule.target);
  const shape = matchShape(target.shapes, resource.type)!;
  const policy = packPolicies().find((p) => p.name === rule.id)!;
  const props = withUnknown(resource.props, shape.fields[field], target.fields[field]);
  const known = (await judgeWithPack(policy, [resource])).verdict;
  const atPreview = (await judgeWithPack(policy, [{ ...resource, props }])).verdict;
  // An unknown value may defer the decision, or not matter; it never turns a failure into a pass.
  // (not-applicable may become pass: a resource that cannot fail whatever the value passes.)
  expect(["pass", "fail", "not-applicable", "unknown"]).toContain(atPreview);
  if (known === "fail") expect(["fail", "unknown"]).toContain(atPreview);
  if (atPreview !== "unknown" && known !== "not-applicable") expect(atPreview).toBe(known);
});

/** Every spelling of a shape's type a program, export or preview may carry: full, short (Pulumi YAML) and API-versioned tokens. */
const spellings = (tokens: PulumiTokens) => [tokens.full, ...(tokens.short ? [tokens.short] : []), ...(tokens.versioned ? [tokens.versioned] : [])];

test.each(rules.map((r) => [r.id, r] as const))("%s: every field it reads unknown gives 'unknown', on every Pulumi shape and token", async (_id, rule) => {
  const target = targetById(rule.target);
  const policy = packPolicies().find((p) => p.name === rule.id)!;
  for (const shape of target.shapes) {
    if (!shape.pulumi) continue;
    const props = fieldsRead(rule).reduce((acc, f) => withUnknown(acc, shape.fields[f], target.fields[f]), {} as Record<string, unknown>);
    // A shape that can express none of the fields (the classic provider's node pools have no SSH
    // setting) has nothing to be unknown: its verdict is the default's, tested by the examples.
    if (Object.keys(props).length === 0) continue;
    for (const type of spellings(shape.pulumi)) {
      expect({ type, verdict: (await judgeWithPack(policy, [{ type, name: "r", props }])).verdict }).toEqual({ type, verdict: "unknown" });
    }
  }
});
