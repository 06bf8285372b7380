/**
 * The CrossGuard rendering of every rule's conditions (the TypeScript in policypack/policies.ts),
 * run on every example resource, decides exactly as the reference interpreter: under the defaults
 * and under other values of each rule parameter. Rendered here from the catalog, so a fault in the
 * rendering fails this test, not only the drift check against the committed pack.
 */
import * as path from "path";
import ts from "typescript";
import { loadCatalog } from "../../core/catalog/load";
import { evaluateCondition, parameterValues, shapeFor, type ParameterValues } from "../../core/ir/judge";
import type { Condition, ExampleResource, Rule } from "../../core/ir/types";
import * as semantics from "../../core/semantics/semantics";
import type { TargetId } from "../../core/targets";
import { tsCondition } from "../../generators/crossguard";
import { CATALOG } from "../helpers/paths";

type Reader = (field: string) => unknown;
type Rendered = (field: Reader, config: ParameterValues, related: (target: TargetId) => Reader[]) => semantics.Tri;

/** The rendered condition as the pack runs it: TypeScript over the semantics functions, `field`, `config` and `related`. */
function render(condition: Condition): Rendered {
  const source = ts.transpile(`(field, config, related) => ${tsCondition(condition, "")}`, { target: ts.ScriptTarget.ES2020 });
  const names = Object.keys(semantics);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the rendered condition as the pack runs it
  return new Function(...names, `"use strict"; return ${source}`)(...names.map((n) => semantics[n as keyof typeof semantics]));
}

function reader(target: TargetId, resource: ExampleResource): Reader | undefined {
  const shape = shapeFor(target, resource.type);
  return shape && ((field) => semantics.readField(resource.props, shape.fields[field]));
}

/** Each parameter's other values: the bounds of an integer, the other boolean, an empty list. */
function parameterVariants(rule: Rule): ParameterValues[] {
  return [
    parameterValues(rule),
    ...rule.parameters.flatMap((p) => {
      const others = p.type === "integer" ? [p.minimum ?? 0, p.maximum ?? 128] : p.type === "boolean" ? [!p.default] : p.type === "array" ? [[]] : [];
      return others.map((v) => parameterValues(rule, { [p.name]: v }));
    }),
  ];
}

const rules = loadCatalog(CATALOG).rules.filter((r) => r.backends.includes("crossguard"));

test.each(rules.map((r) => [r.id, r] as const))("%s: the rendered conditions decide every example as the reference does", (_id, rule) => {
  const conditions = [rule.when, rule.failsWhen, rule.stack?.condition].filter((c): c is Condition => c !== undefined);
  let compared = 0;
  for (const condition of conditions) {
    const rendered = render(condition);
    const target = condition === rule.stack?.condition ? rule.stack.target : rule.target;
    for (const example of rule.examples.filter((e) => e.resources.every((r) => !r.arm))) {
      const related = (t: TargetId) => example.resources.flatMap((r) => reader(t, r) ?? []);
      for (const resource of example.resources) {
        const read = reader(target, resource);
        if (!read) continue;
        for (const params of parameterVariants(rule)) {
          const where = `${path.basename(example.file)} ${resource.name} ${JSON.stringify(params)}`;
          expect({ where, result: rendered(read, params, related) }).toEqual({ where, result: evaluateCondition(condition, read, params, related) });
          compared++;
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(0);
});
