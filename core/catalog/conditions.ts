/**
 * The semantic checks of a rule's conditions, after the schema has checked their shape: every field
 * exists on the target and suits its operator, every parameter is declared and of the kind its
 * operator takes, `anyElement` names a list of objects and `noneRelated` two scalar fields.
 */
import type { Condition, Operand, Parameter } from "../ir/types";
import { isOperatorName, operator as operatorNamed, OPERATOR_NAMES, type Operator, type OperatorName } from "../operators";
import { isTargetId, targetById, type LogicalField } from "../targets";
import { ErrorCollector } from "./errors";
import type { SourceDocument } from "./yaml-source";

type Path = (string | number)[];

/** What a condition's fields are read from: a target, or the elements of one of its lists (`nsg.securityRules[*]`). */
export interface FieldOwner {
  id: string;
  fields: Record<string, LogicalField>;
}

export interface ConditionContext {
  doc: SourceDocument;
  /** Whether the rule is a stack rule (noneRelated needs the stack). */
  stack: boolean;
  parameters: Parameter[];
  /** The parameters a condition refers to, added while parsing: a parameter no condition uses is an error. */
  used: Set<string>;
}

/**
 * A condition as the rule schema admits it: one logical key holding its form, or `field`/`param`
 * with one operator. Only the key a condition holds is ever read.
 */
interface RawCondition {
  allOf: unknown[];
  anyOf: unknown[];
  not: unknown;
  anyElement: { field: string; where: unknown };
  noneRelated: { target: string; field: string; equalsField: string };
  field?: unknown;
  param?: unknown;
  [operator: string]: unknown;
}

const LOGICAL_KEYS = ["allOf", "anyOf", "not", "anyElement", "noneRelated"] as const;
/** Operators a `param` subject may use: parameters are scalars. */
const PARAM_SUBJECT_OPERATORS: readonly OperatorName[] = ["equals", "notEquals", "in", "notIn"];

export function parseCondition(raw: unknown, at: Path, owner: FieldOwner, ctx: ConditionContext): Condition {
  const { doc } = ctx;
  // The schema has checked the shape: an object with the keys of one of the forms above.
  const node = raw as RawCondition;
  const keys = Object.keys(node);
  const logical = keys.filter((k) => LOGICAL_KEYS.some((l) => l === k));
  const key = LOGICAL_KEYS.find((l) => l === logical[0]);
  if (key !== undefined) {
    if (keys.length > 1) throw doc.error(at, `a condition is either one of allOf/anyOf/not or a comparison; found keys: ${keys.join(", ")}`);
    if (key === "not") return { kind: "not", condition: parseCondition(node.not, [...at, "not"], owner, ctx) };
    if (key === "noneRelated") return parseNoneRelated(node.noneRelated, [...at, "noneRelated"], owner, ctx);
    if (key === "anyElement") return parseAnyElement(node.anyElement, [...at, "anyElement"], owner, ctx);
    const errors = new ErrorCollector();
    const conditions: Condition[] = [];
    node[key].forEach((item, i) => errors.run(() => conditions.push(parseCondition(item, [...at, key, i], owner, ctx))));
    errors.throwIfAny();
    return { kind: key, conditions };
  }

  const hasField = "field" in node;
  const hasParam = "param" in node;
  if (hasField === hasParam) {
    throw doc.error(at, hasField ? "a comparison has either `field` or `param`, not both" : "a comparison needs `field` (a logical field) or `param` (a rule parameter)");
  }
  const operators = keys.filter((k) => k !== "field" && k !== "param");
  if (operators.length !== 1) {
    throw doc.error(at, `a comparison needs exactly one operator (one of: ${OPERATOR_NAMES.join(", ")}); found ${operators.length === 0 ? "none" : operators.join(", ")}`);
  }
  const operatorName = operators[0];
  if (!isOperatorName(operatorName)) throw doc.error([...at, operatorName], `unknown operator '${operatorName}' (expected one of: ${OPERATOR_NAMES.join(", ")})`, { key: true });
  const operator = operatorNamed(operatorName);
  const operand = parseOperand(node[operatorName], [...at, operatorName], operatorName, operator, ctx);

  if (hasField) {
    const field = String(node.field);
    const logicalField = owner.fields[field];
    if (!logicalField) {
      throw doc.error([...at, "field"], `unknown logical field '${field}' for target '${owner.id}' (expected one of: ${Object.keys(owner.fields).join(", ")})`);
    }
    if (!operator.fieldTypes.includes(logicalField.type)) {
      throw doc.error([...at, operatorName], `operator '${operatorName}' does not apply to ${logicalField.type} field '${field}' (it applies to: ${operator.fieldTypes.join(", ")})`, { key: true });
    }
    if (logicalField.type === "boolean" && !isBooleanOperand(operand)) {
      throw doc.error([...at, operatorName], `'${field}' is a boolean field: compare it with true or false`);
    }
    return { kind: "leaf", subject: { field }, operator: operatorName, operand, at: doc.at(at) };
  }
  const param = requireParameter(String(node.param), [...at, "param"], ctx);
  if (!PARAM_SUBJECT_OPERATORS.includes(operatorName)) {
    throw doc.error([...at, operatorName], `a parameter can only be compared with ${PARAM_SUBJECT_OPERATORS.join(", ")}`, { key: true });
  }
  return { kind: "leaf", subject: { param: param.name }, operator: operatorName, operand, at: doc.at(at) };
}

/** `anyElement: {field, where}`: `where` is parsed against the element's fields, as if they were a target's. */
function parseAnyElement(raw: { field: string; where: unknown }, at: Path, owner: FieldOwner, ctx: ConditionContext): Condition {
  const elements = owner.fields[raw.field]?.elements;
  if (!elements) {
    const arrays = Object.keys(owner.fields).filter((f) => owner.fields[f].elements);
    throw ctx.doc.error([...at, "field"], `'${raw.field}' is not an array-of-objects field of target '${owner.id}' (expected one of: ${arrays.join(", ") || "none"})`);
  }
  const element: FieldOwner = { id: `${owner.id}.${raw.field}[*]`, fields: elements };
  return { kind: "anyElement", field: raw.field, where: parseCondition(raw.where, [...at, "where"], element, ctx), at: ctx.doc.at(at) };
}

/** `noneRelated: {target, field, equalsField}`: only stack rules see the other resources of a stack. */
function parseNoneRelated(raw: { target: string; field: string; equalsField: string }, at: Path, owner: FieldOwner, ctx: ConditionContext): Condition {
  if (!ctx.stack) throw ctx.doc.error(at, "noneRelated relates the resources of a stack: only a stack rule (with `stack:`) may use it", { key: true });
  // The bundled schema lists the target ids; a catalog's own schema might not.
  if (!isTargetId(raw.target)) throw ctx.doc.error([...at, "target"], unknownTarget(raw.target));
  const other = targetById(raw.target);
  const scalar = (t: FieldOwner, f: string, key: string) => {
    const logical = t.fields[f];
    if (!logical || logical.type === "objectArray" || logical.type === "stringArray") {
      const allowed = Object.keys(t.fields).filter((n) => t.fields[n].type === "string" || t.fields[n].type === "boolean");
      throw ctx.doc.error([...at, key], `'${f}' is not a scalar field of target '${t.id}' (expected one of: ${allowed.join(", ") || "none"})`);
    }
  };
  scalar(other, raw.field, "field");
  scalar(owner, raw.equalsField, "equalsField");
  return { kind: "noneRelated", target: other.id, field: raw.field, equalsField: raw.equalsField, at: ctx.doc.at(at) };
}

/** The error for a target id the registry does not hold (the bundled schema refuses it before this). */
export function unknownTarget(id: string): string {
  return `unknown target '${id}' (apiguard's targets are defined in its code, not in the catalog)`;
}

function isBooleanOperand(operand: Operand): boolean {
  return Array.isArray(operand) ? operand.every((o) => typeof o === "boolean") : typeof operand === "boolean";
}

function parseOperand(raw: unknown, at: Path, name: OperatorName, operator: Operator, ctx: ConditionContext): Operand {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const param = requireParameterRef(raw, at, name, operator, ctx);
    if (operator.operand === "integer" && param.type !== "integer") {
      throw ctx.doc.error([...at, "param"], `operator '${name}' needs an integer parameter; '${param.name}' is ${param.type}`);
    }
    if (operator.operand === "list" && param.type !== "array") {
      throw ctx.doc.error([...at, "param"], `operator '${name}' needs an array parameter; '${param.name}' is ${param.type}`);
    }
    return { param: param.name };
  }
  // The schema admits only literals and lists of literals besides `{param}`.
  return raw as Operand;
}

function requireParameterRef(raw: object, at: Path, name: OperatorName, operator: Operator, ctx: ConditionContext): Parameter {
  const param = String("param" in raw ? raw.param : undefined);
  if (!operator.acceptsParam) throw ctx.doc.error(at, `operator '${name}' takes a literal, not a parameter reference`);
  return requireParameter(param, [...at, "param"], ctx);
}

function requireParameter(name: string, at: Path, ctx: ConditionContext): Parameter {
  const param = ctx.parameters.find((p) => p.name === name);
  if (!param) {
    const declared = ctx.parameters.map((p) => p.name);
    throw ctx.doc.error(at, `parameter '${name}' is not declared under 'parameters' (declared: ${declared.length > 0 ? declared.join(", ") : "none"})`);
  }
  ctx.used.add(name);
  return param;
}
