/**
 * The one walk over a rule's condition trees. Every analysis (the fields a rule reads, the functions
 * and related targets the pack needs, the fields the docs list) visits the same nodes — every node of
 * `when`, `failsWhen` and the stack trigger — and tells them apart by where each node's fields live.
 */
import type { TargetId } from "../targets";
import type { Condition, Rule } from "./types";

/** Which condition of a rule a node belongs to. */
export type ConditionRoot = "when" | "failsWhen" | "trigger";

/** Where the fields a node names live. */
export interface FieldScope {
  /** The target whose fields they are: the rule's, or the stack trigger's. */
  target: TargetId;
  /** Inside `anyElement`: the objectArray field whose elements' fields they are. */
  element?: string;
  root: ConditionRoot;
}

/** Visits `condition` and every condition below it, parents first. */
export function walkCondition(condition: Condition, scope: FieldScope, visit: (node: Condition, scope: FieldScope) => void): void {
  visit(condition, scope);
  switch (condition.kind) {
    case "allOf":
    case "anyOf":
      for (const c of condition.conditions) walkCondition(c, scope, visit);
      return;
    case "not":
      return walkCondition(condition.condition, scope, visit);
    case "anyElement":
      return walkCondition(condition.where, { ...scope, element: condition.field }, visit);
    case "noneRelated":
    case "leaf":
      return;
  }
}

/** Visits every node of every condition of a rule: `when`, `failsWhen`, then the stack trigger. */
export function walkRule(rule: Rule, visit: (node: Condition, scope: FieldScope) => void): void {
  if (rule.when) walkCondition(rule.when, { target: rule.target, root: "when" }, visit);
  walkCondition(rule.failsWhen, { target: rule.target, root: "failsWhen" }, visit);
  if (rule.stack) walkCondition(rule.stack.condition, { target: rule.stack.target, root: "trigger" }, visit);
}

/** Whether a node's fields are the judged resource's own (not the trigger's, not an element's). */
export function isOwnField(scope: FieldScope): boolean {
  return scope.root !== "trigger" && scope.element === undefined;
}
