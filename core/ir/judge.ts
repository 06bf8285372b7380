/**
 * The reference interpreter: judges a resource against a rule's IR with the reference semantics.
 * The catalog loader uses it to prove every example before anything is generated; tests compare the
 * generated backends against it.
 */
import * as semantics from "../semantics/semantics";
import type { Tri, Verdict } from "../semantics/semantics";
import { operator } from "../operators";
import { canonicalKeys } from "../resources/convert";
import { targetById, type Shape, type TargetId } from "../targets";
import type { Condition, ExampleResource, Literal, Operand, Rule } from "./types";

export type ParameterValues = Record<string, Literal | string[]>;

export function parameterValues(rule: Rule, overrides: Partial<ParameterValues> = {}): ParameterValues {
  const values: ParameterValues = {};
  for (const p of rule.parameters) values[p.name] = overrides[p.name] ?? p.default;
  return values;
}

function resolveOperand(operand: Operand, params: ParameterValues): unknown {
  return typeof operand === "object" && !Array.isArray(operand) ? params[operand.param] : operand;
}

/** Stack rules: field readers of the stack's resources of a target. */
export type Related = (target: TargetId) => ((field: string) => unknown)[];
const NO_RELATED: Related = () => [];

export function evaluateCondition(condition: Condition, read: (field: string) => unknown, params: ParameterValues, related: Related = NO_RELATED): Tri {
  switch (condition.kind) {
    case "allOf":
      return semantics.allOf(...condition.conditions.map((c) => evaluateCondition(c, read, params, related)));
    case "anyOf":
      return semantics.anyOf(...condition.conditions.map((c) => evaluateCondition(c, read, params, related)));
    case "not":
      return semantics.not(evaluateCondition(condition.condition, read, params, related));
    case "anyElement":
      return semantics.anyElement(read(condition.field), (element) => evaluateCondition(condition.where, element, params, related));
    case "noneRelated":
      return semantics.noneRelated(related(condition.target), condition.field, read(condition.equalsField));
    case "leaf": {
      const subject = "field" in condition.subject ? read(condition.subject.field) : params[condition.subject.param];
      return operator(condition.operator).evaluate(subject, resolveOperand(condition.operand, params));
    }
  }
}

/** The shape of `target` a resource type belongs to, if any. */
export function shapeFor(targetId: TargetId, type: string): Shape | undefined {
  return semantics.matchShape(targetById(targetId).shapes, type);
}

function reader(shape: Shape, resource: ExampleResource): (field: string) => unknown {
  // ARM property names are case-insensitive (Azure Policy reads them so); Pulumi's are not.
  if (!resource.arm) return (field) => semantics.readField(resource.props, shape.fields[field]);
  const props = canonicalKeys(resource.props, shape);
  const envelope = canonicalKeys(resource.envelope ?? {}, shape, true);
  return (field) => semantics.readField(shape.fields[field].envelope ? envelope : props, shape.fields[field]);
}

/** Verdict for one resource under a resource rule (stack rules: see judgeStack). */
export function judgeResource(rule: Rule, resource: ExampleResource, params = parameterValues(rule), related: Related = NO_RELATED): Verdict {
  const shape = shapeFor(rule.target, resource.type);
  if (!shape) return "not-applicable";
  const read = reader(shape, resource);
  const applies = rule.when ? evaluateCondition(rule.when, read, params, related) : true;
  return semantics.judge(applies, evaluateCondition(rule.failsWhen, read, params, related));
}

/** The readers of a stack's resources of each target, for `noneRelated`. */
function relatedIn(resources: readonly ExampleResource[]): Related {
  return (target) =>
    resources.flatMap((r) => {
      const shape = shapeFor(target, r.type);
      return shape ? [reader(shape, r)] : [];
    });
}

/** Whether any resource of the stack matches the rule's stack trigger. */
export function stackTriggered(rule: Rule, resources: readonly ExampleResource[], params: ParameterValues): Tri {
  const trigger = rule.stack;
  if (!trigger) return true;
  return semantics.anyOf(
    ...resources.map((r) => {
      const shape = shapeFor(trigger.target, r.type);
      return shape ? evaluateCondition(trigger.condition, reader(shape, r), params) : false;
    }),
  );
}

/** Verdicts of every resource in a stack (resource rules judge each resource on its own). */
export function judgeStack(rule: Rule, resources: readonly ExampleResource[], params = parameterValues(rule)): { resource: ExampleResource; verdict: Verdict }[] {
  const triggered = stackTriggered(rule, resources, params);
  return resources.map((resource) => {
    const verdict = judgeResource(rule, resource, params, relatedIn(resources));
    if (verdict === "not-applicable" || triggered === true) return { resource, verdict };
    if (triggered === false) return { resource, verdict: "not-applicable" as const };
    return { resource, verdict: verdict === "pass" ? "pass" : ("unknown" as const) };
  });
}

/** One verdict for a whole example: fail beats unknown beats pass beats not-applicable. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  for (const v of ["fail", "unknown", "pass"] as const) if (verdicts.includes(v)) return v;
  return "not-applicable";
}
