// Compiles policy conditions (`if`, count `where`, `existenceCondition`) into closures over a Scope.

import { compileExpression, compileValue, isExpression, type Compiled } from "./expressions";
import type { Env } from "./functions";
import { OPERATORS, asBoolish, withPartials, type Operator } from "./operators";
import { STAR, members, testField } from "./field-paths";
import { PolicyError, type Frame, type Scope } from "./scope";

export type Condition = (scope: Scope) => boolean;

/** An object's entries keyed by lower-cased name: policy JSON keys match case-insensitively. */
export function lowerKeys(node: unknown, what: string): Map<string, unknown> {
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    throw new PolicyError(`${what} must be an object`);
  }
  const keys = new Map<string, unknown>();
  for (const [key, value] of Object.entries(node)) {
    const lower = key.toLowerCase();
    if (keys.has(lower)) throw new PolicyError(`${what} has duplicate key '${key}'`);
    keys.set(lower, value);
  }
  return keys;
}

export function compileCondition(node: unknown, env: Env): Condition {
  const keys = lowerKeys(node, "a condition");
  for (const logical of ["allof", "anyof", "not"]) {
    if (!keys.has(logical)) continue;
    if (keys.size !== 1) throw new PolicyError(`'${logical}' cannot be combined with other keys`);
    return compileLogical(logical, keys.get(logical), env);
  }
  return compileLeaf(keys, env);
}

function compileLogical(kind: string, operand: unknown, env: Env): Condition {
  if (kind === "not") {
    if (operand === null || typeof operand !== "object" || Array.isArray(operand)) {
      throw new PolicyError("'not' takes a single condition object");
    }
    const inner = compileCondition(operand, env);
    return (scope) => !inner(scope);
  }
  if (!Array.isArray(operand)) throw new PolicyError(`'${kind}' takes an array of conditions`);
  const parts = operand.map((part) => compileCondition(part, env));
  // A part that cannot be decided (a value the caller does not know throws) leaves the answer to the
  // others: one false part decides allOf, one true part anyOf, whatever the undecided ones would be.
  // An evaluation error (PolicyError) is Azure's and ends the evaluation at once.
  const decisive = kind === "anyof";
  return (scope) => {
    let undecided: unknown;
    for (const part of parts) {
      try {
        if (part(scope) === decisive) return decisive;
      } catch (e) {
        if (e instanceof PolicyError) throw e;
        undecided ??= e;
      }
    }
    // Rethrown as it was thrown: the caller knows its own unknown-value error by its class.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (undecided !== undefined) throw undecided;
    return !decisive;
  };
}

function compileLeaf(keys: Map<string, unknown>, env: Env): Condition {
  const sides = ["field", "value", "count"].filter((side) => keys.has(side));
  if (sides.length !== 1) throw new PolicyError("a condition needs exactly one of 'field', 'value' or 'count'");
  const side = sides[0];
  const operators = [...keys.keys()].filter((key) => key !== side);
  if (operators.length !== 1) {
    throw new PolicyError(`a condition needs exactly one operator, got ${operators.length ? operators.join(", ") : "none"}`);
  }
  const name = operators[0];
  const op = OPERATORS[name];
  if (!op) throw new PolicyError(`unknown operator '${name}'`);
  const operand = compileValue(keys.get(name), env);
  if (operand.constant) checkOperand(name, operand.value);

  // Only a resource holding partly known strings pays for looking for them.
  const partialOp = withPartials(name, op);
  const pick = (scope: Scope) => (scope.partial ? partialOp : op);
  if (side === "field") return compileField(keys.get("field"), pick, operand, env);
  const lhs = side === "value" ? compileValue(keys.get("value"), env).fn : compileCount(keys.get("count"), env);
  const rhs = operand.fn;
  return (scope) => pick(scope)(lhs(scope), rhs(scope));
}

// Reject at compile time what would fail on every evaluation.
function checkOperand(name: string, value: unknown): void {
  if (name === "exists" && asBoolish(value) === undefined) {
    throw new PolicyError(`'exists' takes true or false, got ${JSON.stringify(value)}`);
  }
  if ((name === "in" || name === "notin") && !Array.isArray(value)) {
    throw new PolicyError(`'${name}' takes an array, got ${JSON.stringify(value)}`);
  }
}

// "Location fields are normalized ... East US 2 is considered equal to eastus2" (policy rule docs).
function normalizeLocation(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/\s/g, "");
  return Array.isArray(v) ? v.map(normalizeLocation) : v;
}

function compileField(field: unknown, pick: (scope: Scope) => Operator, operand: Compiled, env: Env): Condition {
  if (typeof field !== "string") throw new PolicyError("'field' must be a string");
  const rhs = operand.fn;
  if (isExpression(field)) {
    const name = compileExpression(field, env).fn;
    return (scope) => {
      const resolved = name(scope);
      if (typeof resolved !== "string") {
        throw new PolicyError(`field expression ${field} returned ${JSON.stringify(resolved)}, not a field name`);
      }
      return testField(scope, env.resolver.ref(resolved).path(scope), pick(scope), rhs(scope));
    };
  }
  const ref = env.resolver.ref(field);
  if (field.toLowerCase() === "location") {
    return (scope) => {
      const op = pick(scope);
      return testField(scope, ref.base, (v, o) => op(normalizeLocation(v), o), normalizeLocation(rhs(scope)));
    };
  }
  return (scope) => testField(scope, ref.path(scope), pick(scope), rhs(scope));
}

const COUNT_KEYS = new Set(["field", "value", "name", "where"]);

/** A `count` expression: how many members of a field's `[*]` array, or of a value array, satisfy `where`. */
function compileCount(node: unknown, env: Env): (scope: Scope) => number {
  const keys = lowerKeys(node, "'count'");
  for (const key of keys.keys()) if (!COUNT_KEYS.has(key)) throw new PolicyError(`unknown key '${key}' in 'count'`);
  if (keys.has("field") === keys.has("value")) throw new PolicyError("'count' needs exactly one of 'field' or 'value'");
  const where = keys.has("where") ? compileCondition(keys.get("where"), env) : undefined;

  if (keys.has("field")) {
    if (keys.has("name")) throw new PolicyError("'count.name' applies to value counts only");
    const field = keys.get("field");
    if (typeof field !== "string" || isExpression(field)) throw new PolicyError("'count.field' must be an alias name");
    const ref = env.resolver.ref(field);
    if (ref.base.segs[ref.base.segs.length - 1] !== STAR) {
      throw new PolicyError(`'count.field' must be an array alias ending in [*], got '${field}'`);
    }
    return (scope) => {
      const path = ref.path(scope);
      const items = members(scope, path);
      return where ? countWhere(scope, items, { path, value: undefined }, where) : items.length;
    };
  }

  const name = keys.get("name") ?? "default";
  if (typeof name !== "string" || !/^[A-Za-z0-9]+$/.test(name)) {
    throw new PolicyError("'count.name' must consist of letters and digits");
  }
  const values = compileValue(keys.get("value"), env).fn;
  const frameName = name.toLowerCase();
  return (scope) => {
    const items = values(scope);
    if (!Array.isArray(items)) throw new PolicyError(`'count.value' must be an array, got ${JSON.stringify(items)}`);
    return where ? countWhere(scope, items, { name: frameName, value: undefined }, where) : items.length;
  };
}

function countWhere(scope: Scope, items: readonly unknown[], frame: Frame, where: Condition): number {
  scope.frames.push(frame);
  let n = 0;
  for (const item of items) {
    frame.value = item;
    if (where(scope)) n++;
  }
  scope.frames.pop();
  return n;
}
