// ARM template expressions (`[concat('a', parameters('b'))[0].x]`): parsed once and compiled to
// closures. Calls to functions that depend only on their arguments are folded at compile time.

import { FUNCTIONS, LAZY_FUNCTIONS, Unresolved, firstUnresolved, truthy, type Env, type TemplateFunction } from "./functions";
import { getKey } from "./field-paths";
import { UnknownValue, containsPartial, firstPartial, isPartial } from "./partial";
import { PolicyError, type Evaluator } from "./scope";

type Node = { kind: "literal"; value: unknown } | { kind: "call"; name: string; args: Node[] } | { kind: "member"; target: Node; key: Node };

/** A compiled value; `constant` marks values known at compile time (then `fn` just returns `value`). */
export interface Compiled {
  fn: Evaluator;
  constant: boolean;
  value?: unknown;
}

const constant = (value: unknown): Compiled => ({ fn: () => value, constant: true, value });

/**
 * `fn` as a compiled value, computed now when all its `parts` are constants. If that fails, it
 * fails only when evaluated: like in Azure, the definition itself is still valid.
 */
function combine(fn: Evaluator, parts: readonly Compiled[]): Compiled {
  if (!parts.every((part) => part.constant)) return { fn, constant: false };
  try {
    return constant(fn(undefined as never));
  } catch {
    return { fn, constant: false };
  }
}

/** An expression as messages quote it: whole when short, else its start and end (a message is one line a reader can take in). */
function clip(text: string): string {
  return text.length <= 240 ? text : `${text.slice(0, 160)} … ${text.slice(-60)}`;
}

/** Whether a JSON string is a template expression (`[...]`, but not the `[[` escape). */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s[0] === "[" && s[1] !== "[" && s[s.length - 1] === "]";
}

/**
 * Compiles a JSON value from a policy rule: strings that are expressions are evaluated, `[[`
 * unescapes to a literal `[`, and arrays/objects have their members compiled the same way.
 */
export function compileValue(json: unknown, env: Env): Compiled {
  if (typeof json === "string") {
    if (isExpression(json)) return compileExpression(json, env);
    return constant(json.startsWith("[[") ? json.slice(1) : json);
  }
  if (Array.isArray(json)) {
    const items = json.map((item) => compileValue(item, env));
    return combine((scope) => items.map((item) => item.fn(scope)), items);
  }
  if (json !== null && typeof json === "object") {
    const keys = Object.keys(json);
    const values = Object.values(json).map((value) => compileValue(value, env));
    return combine((scope) => Object.fromEntries(keys.map((key, i) => [key, values[i].fn(scope)])), values);
  }
  return constant(json);
}

/** Compiles `[...]` text; throws PolicyError for syntax errors and unknown functions. */
export function compileExpression(text: string, env: Env): Compiled {
  let compiled: Compiled;
  try {
    compiled = compileNode(new Parser(text.slice(1, -1), env.template ? MAX_TEMPLATE_NESTING : MAX_POLICY_NESTING).parseAll(), env);
  } catch (e) {
    if (e instanceof PolicyError) throw new PolicyError(`invalid expression ${clip(text)}: ${e.message}`);
    throw e;
  }
  if (compiled.constant) return compiled;
  // A function that fails at evaluation fails the whole evaluation; name the expression, as Azure's
  // compliance details do, so the failure can be traced to the definition.
  const fn = compiled.fn;
  return {
    ...compiled,
    fn: (scope) => {
      try {
        return fn(scope);
      } catch (e) {
        if (e instanceof PolicyError && !e.message.includes(" (in [")) throw new PolicyError(`${e.message} (in ${clip(text)})`);
        throw e;
      }
    },
  };
}

function compileNode(node: Node, env: Env): Compiled {
  if (node.kind === "literal") return constant(node.value);
  if (node.kind === "member") {
    const [target, key] = [compileNode(node.target, env), compileNode(node.key, env)];
    return combine((scope) => member(target.fn(scope), key.fn(scope), env), [target, key]);
  }

  const table = (name: string): TemplateFunction | undefined => (env.template ? env.template.lookup(name) : FUNCTIONS[name]);
  const arity = LAZY_FUNCTIONS[node.name] ?? table(node.name)?.arity;
  if (!arity && env.template) return constant(new Unresolved(`${node.name}() is only known at deployment`));
  if (!arity) throw new PolicyError(`function '${node.name}' is not available in policy rules`);
  const [min, max] = arity;
  if (node.args.length < min || node.args.length > max) {
    const count = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new PolicyError(`${node.name}() takes ${count} argument${min === 1 && (max === 1 || max === Infinity) ? "" : "s"}, got ${node.args.length}`);
  }
  const args = node.args.map((arg) => compileNode(arg, env));
  if (node.name === "if") return compileIf(args, env);
  if (node.name === "and" || node.name === "or") return compileJunction(node.name === "and", args);

  const entry = table(node.name)!;
  const { call, contextual, bind, holdsUnresolved, partial } = entry;
  if (bind && args.length === 1 && args[0].constant && typeof args[0].value === "string") {
    return { fn: bind(args[0].value, env), constant: false };
  }
  const fns = args.map((arg) => arg.fn);
  const template = env.template;
  const fn: Evaluator = template
    ? (scope) => {
        const values = fns.map((f) => f(scope));
        const incomplete = template.incomplete ? template.incomplete(values, entry) : holdsUnresolved ? undefined : { value: firstUnresolved(values) };
        return incomplete && incomplete.value !== undefined ? incomplete.value : call(values, scope, env);
      }
    : (scope) => {
        const values = fns.map((f) => f(scope));
        // A partly known string is decided only by a function that can decide for every completion.
        if (scope?.partial && values.some((v) => containsPartial(v))) return partial ? partial(values, scope, env) : unknownIn(values);
        return call(values, scope, env);
      };
  return contextual ? { fn, constant: false } : combine(fn, args);
}

function unknownIn(values: readonly unknown[]): never {
  throw new UnknownValue(firstPartial(values)!);
}

// if() is lazy: only the taken branch is evaluated, so the other may be one that would fail. In a
// template, a condition only the deployment knows leaves what both branches agree on.
function compileIf(args: Compiled[], env: Env): Compiled {
  const [cond, whenTrue, whenFalse] = args;
  return combine((scope) => {
    const c = cond.fn(scope);
    if (!(c instanceof Unresolved)) return (truthy(c, "if") ? whenTrue : whenFalse).fn(scope);
    return env.template?.either
      ? env.template.either(
          c,
          () => whenTrue.fn(scope),
          () => whenFalse.fn(scope),
        )
      : c;
  }, args);
}

// and()/or() stop at the first operand that decides the result.
function compileJunction(isAnd: boolean, args: Compiled[]): Compiled {
  const name = isAnd ? "and" : "or";
  return combine((scope) => {
    // An unresolved operand decides only if no known operand does.
    let unresolved: Unresolved | undefined;
    for (const arg of args) {
      const v = arg.fn(scope);
      if (v instanceof Unresolved) unresolved ??= v;
      else if (truthy(v, name) !== isAnd) return !isAnd;
    }
    return unresolved ?? isAnd;
  }, args);
}

/**
 * `x.name` / `x['name']` (case-insensitive) and `x[0]`. A missing property, or any property of
 * null, is null: the built-in "inherit a tag from the resource group" reads
 * `resourceGroup().tags[parameters('tagName')]` on groups without that tag.
 */
function member(target: unknown, key: unknown, env: Env): unknown {
  if (target instanceof Unresolved) return typeof key === "string" && target.members ? (getKey(target.members, key) ?? target) : target;
  if (key instanceof Unresolved) return key;
  // A partly known key may name any member: only the deployment knows which.
  if (isPartial(key)) {
    if (env.template) return new Unresolved(key.reason);
    throw new UnknownValue(key);
  }
  if (isPartial(target)) throw new PolicyError(`cannot access ${JSON.stringify(key)} on a string`);
  if (target === null && typeof key === "string") return null;
  if (Array.isArray(target) && typeof key === "number") {
    if (Number.isInteger(key) && key >= 0 && key < target.length) return target[key];
    throw new PolicyError(`index ${key} is out of range for an array of length ${target.length}`);
  }
  if (target !== null && typeof target === "object" && !Array.isArray(target) && typeof key === "string") {
    return getKey(target as Record<string, unknown>, key) ?? null;
  }
  throw new PolicyError(`cannot access ${JSON.stringify(key)} on ${JSON.stringify(target)}`);
}

/**
 * How deep calls and member accesses may nest: "Nested policy functions depth 64" (Azure Policy
 * definition structure, policy rule limits); ARM templates document no depth, so templates get a
 * bound far past any published template's, which keeps the parser's recursion off the stack's end.
 */
const MAX_POLICY_NESTING = 64;
const MAX_TEMPLATE_NESTING = 256;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
  ) {}

  parseAll(): Node {
    const node = this.parseExpression();
    this.skipSpace();
    if (this.pos < this.src.length) this.fail("unexpected input");
    return node;
  }

  private parseExpression(): Node {
    if (++this.depth > this.maxDepth) this.fail(`nested more than ${this.maxDepth} levels deep`);
    try {
      return this.parseMembers();
    } finally {
      this.depth--;
    }
  }

  private parseMembers(): Node {
    let node = this.parsePrimary();
    for (;;) {
      if (this.accept(".")) {
        this.skipSpace();
        node = { kind: "member", target: node, key: { kind: "literal", value: this.parseIdentifier() } };
      } else if (this.accept("[")) {
        node = { kind: "member", target: node, key: this.parseExpression() };
        this.expect("]");
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): Node {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === "'") return { kind: "literal", value: this.parseString() };
    if (c !== undefined && /[-\d.]/.test(c)) return { kind: "literal", value: this.parseNumber() };
    const name = this.parseIdentifier();
    if (!this.accept("(")) {
      // Bare true/false/null, as in `string(true)` (conformance template_functions/fn_string_from_bool).
      const lower = name.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true" };
      if (lower === "null") return { kind: "literal", value: null };
      this.fail(`expected '(' after '${name}'`);
    }
    const args: Node[] = [];
    if (!this.accept(")")) {
      do args.push(this.parseExpression());
      while (this.accept(","));
      this.expect(")");
    }
    return { kind: "call", name: name.toLowerCase(), args };
  }

  private parseString(): string {
    let out = "";
    this.pos++;
    for (;;) {
      if (this.pos >= this.src.length) this.fail("unterminated string");
      const c = this.src[this.pos++];
      if (c === "'") {
        if (this.src[this.pos] !== "'") return out;
        this.pos++;
      }
      out += c;
    }
  }

  private parseNumber(): number {
    const m = /^-?(?:\d+\.?\d*|\.\d+)/.exec(this.src.slice(this.pos));
    if (!m) this.fail("malformed number");
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private parseIdentifier(): string {
    const m = /^[A-Za-z_][\w]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail("expected a function name or property");
    this.pos += m[0].length;
    return m[0];
  }

  private accept(c: string): boolean {
    this.skipSpace();
    if (this.src[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: string): void {
    if (!this.accept(c)) this.fail(`expected '${c}'`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private fail(message: string): never {
    throw new PolicyError(`${message} at offset ${this.pos}`);
  }
}
