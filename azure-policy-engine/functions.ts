// Template functions available in policy rules: the ARM template functions (minus the deployment-only
// ones the policy docs exclude, such as reference(), guid() and uniqueString()) plus the policy-only
// field(), current(), requestContext(), policy(), addDays() and ipRangeContains().
// if(), and() and or() are compiled lazily in expressions.ts; their arity is declared here.

import * as ipaddr from "ipaddr.js";
import { UnknownValue, containsPartial, decide, decided, equalsAutomaton, firstPartial, isPartial, jsonText, joinText, mapText, splitText, textAutomaton, type PartialString } from "./partial";
import { toNumber } from "./operators";
import { currentOf, fieldValue, getKey, type FieldResolver } from "./field-paths";
import { PolicyError, type Evaluator, type Scope } from "./scope";

export interface Env {
  readonly resolver: FieldResolver;
  /** Set when evaluating an ARM template rather than a policy rule: its function table and state. */
  readonly template?: TemplateHooks;
}

/**
 * ARM template mode: `lookup` resolves a (lower-case) function name to the deployment's table; a
 * name it does not know becomes Unresolved instead of a compile error.
 */
export interface TemplateHooks {
  lookup(name: string): TemplateFunction | undefined;
  /**
   * Arguments only partly known (an Unresolved or a partly known string anywhere in them): the call's
   * result instead of running it, or undefined to run it.
   */
  incomplete?(args: readonly unknown[], fn: TemplateFunction): { value: unknown } | undefined;
  /** if() whose condition only the deployment knows: a value both branches agree on. */
  either?(condition: Unresolved, whenTrue: () => unknown, whenFalse: () => unknown): unknown;
}

/**
 * A template value known only at deployment (reference(), a parameter without a value, …). It
 * flows through every function and member access unchanged, so it is never read as text.
 */
export class Unresolved {
  constructor(
    readonly reason: string,
    /** Members known although the whole is not (`resourceGroup()`'s `name` is a hole, its `type` is known). */
    readonly members?: Readonly<Record<string, unknown>>,
  ) {}
}

export function firstUnresolved(values: readonly unknown[]): Unresolved | undefined {
  for (const v of values) if (v instanceof Unresolved) return v;
  return undefined;
}

export interface TemplateFunction {
  readonly arity: readonly [min: number, max: number];
  /** Reads the scope (resource, parameters, context, count), so never folded at compile time. */
  readonly contextual?: boolean;
  readonly call: (args: readonly unknown[], scope: Scope, env: Env) => unknown;
  /** field(), current(), parameters(): the call with a literal name, resolved once when compiling. */
  readonly bind?: (name: string, env: Env) => Evaluator;
  /** Template mode: builds a value that may hold Unresolved members (createObject()), so is called with them. */
  readonly holdsUnresolved?: boolean;
  /**
   * The call when an argument holds a partly known string (partial.ts): decides for every completion
   * or throws UnknownValue. A function without it cannot decide on one.
   */
  readonly partial?: (args: readonly unknown[], scope: Scope, env: Env) => unknown;
}

/** Functions whose arguments are evaluated on demand by the expression compiler. */
export const LAZY_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  if: [3, 3],
  and: [1, Infinity],
  or: [1, Infinity],
};

const fail = (fn: string, message: string): never => {
  throw new PolicyError(`${fn}(): ${message}`);
};

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function truthy(v: unknown, fn: string): boolean {
  return typeof v === "boolean" ? v : fail(fn, `expected a boolean, got ${show(v)}`);
}

function str(v: unknown, fn: string): string {
  return typeof v === "string" ? v : fail(fn, `expected a string, got ${show(v)}`);
}

function num(v: unknown, fn: string): number {
  return typeof v === "number" ? v : fail(fn, `expected a number, got ${show(v)}`);
}

function int(v: unknown, fn: string): number {
  return Number.isInteger(v) ? (v as number) : fail(fn, `expected an integer, got ${show(v)}`);
}

function arr(v: unknown, fn: string): unknown[] {
  return Array.isArray(v) ? v : fail(fn, `expected an array, got ${show(v)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** ARM `equals()`: structural and case-sensitive (policies wrap operands in toLower() for that reason). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], getKey(b, k)));
}

// ARM orders strings with the invariant culture ("A" sorts after "a"), not ordinally.
const collator = new Intl.Collator("en");

function order(a: unknown, b: unknown, fn: string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  return fail(fn, `cannot compare ${show(a)} with ${show(b)}`);
}

function lengthOf(v: unknown, fn: string): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return fail(fn, `expected a string, array or object, got ${show(v)}`);
}

function toText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function fromContext(scope: Scope, key: "resourceGroup" | "subscription" | "requestContext" | "policy"): unknown {
  return scope.context[key] ?? fail(key, `no ${key} in the evaluation context`);
}

function bindParameter(name: string): Evaluator {
  const key = name.toLowerCase();
  return (scope) => {
    const value = scope.params.get(key);
    return value !== undefined ? value : fail("parameters", `parameter '${name}' has no value`);
  };
}

function bindField(name: string, env: Env): Evaluator {
  const ref = env.resolver.ref(name);
  return (scope) => fieldValue(scope, ref.path(scope));
}

/** current(name): the member of the value count called `name`, or of the field count over that alias. */
function bindCurrent(name: string, env: Env): Evaluator {
  const key = name.toLowerCase();
  const ref = env.resolver.ref(name);
  return (scope) => {
    const frames = scope.frames;
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i].name === key) return frames[i].value;
    const value = currentOf(scope, ref.path(scope));
    return value !== undefined ? value : fail("current", `no enclosing count named '${name}'`);
  };
}

/** current() without a name: the member the innermost count is visiting. */
function innermost(scope: Scope): unknown {
  const frames = scope.frames;
  return frames.length ? frames[frames.length - 1].value : fail("current", "only available inside a count expression");
}

// A function of a name (field(), current(), parameters()); with a literal name the compiler calls bind() once.
function named(fn: string, bind: (name: string, env: Env) => Evaluator, unnamed?: Evaluator): TemplateFunction {
  return {
    arity: [unnamed ? 0 : 1, 1],
    contextual: true,
    bind,
    call: (args, scope, env) => (unnamed && args.length === 0 ? unnamed(scope) : bind(str(args[0], fn), env)(scope)),
  };
}

// -- dates ------------------------------------------------------------------

function parseDate(v: unknown, fn: string): Date {
  const ms = Date.parse(str(v, fn));
  return Number.isNaN(ms) ? fail(fn, `not an ISO 8601 date-time: ${show(v)}`) : new Date(ms);
}

/** Policy's `yyyy-MM-ddTHH:mm:ss.FFFFFFFZ`: fractional seconds without trailing zeros. */
function formatDate(d: Date): string {
  return d.toISOString().replace(/\.?0*Z$/, "Z");
}

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function addDuration(base: Date, duration: string): Date {
  const m = DURATION.exec(duration);
  if (!m || duration.endsWith("P") || duration.endsWith("T")) {
    return fail("dateTimeAdd", `not an ISO 8601 duration: ${duration}`);
  }
  const sign = m[1] ? -1 : 1;
  const part = (i: number) => sign * Number(m[i] ?? 0);
  // "dateTimeAdd doesn't take leap years into consideration, and P1Y should be interpreted as P365D,
  // while P1M should be interpreted as P30D" (Date functions for ARM templates,
  // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-date).
  const days = 365 * part(2) + 30 * part(3) + 7 * part(4) + part(5);
  return new Date(base.getTime() + (((days * 24 + part(6)) * 60 + part(7)) * 60 + part(8)) * 1000);
}

// -- IP ranges ----------------------------------------------------------------

interface IpRange {
  readonly v6: boolean;
  readonly first: bigint;
  readonly last: bigint;
}

// Parsed ranges by text: policies compare the same few ranges against many resources.
const ipRanges = new Map<string, IpRange>();

function ipRange(text: string): IpRange {
  let range = ipRanges.get(text);
  if (!range) {
    try {
      range = parseIpRange(text);
    } catch {
      return fail("ipRangeContains", `not an IP address or range: ${show(text)}`);
    }
    if (ipRanges.size >= 4096) ipRanges.clear();
    ipRanges.set(text, range);
  }
  return range;
}

/** An address, CIDR block or `first-last` range as an inclusive [first, last] of integers. */
function parseIpRange(text: string): IpRange {
  const dash = text.indexOf("-");
  if (dash >= 0) {
    const first = parseAddress(text.slice(0, dash).trim());
    const last = parseAddress(text.slice(dash + 1).trim());
    // "Empty ranges, or mixing between IP families isn't allowed and results in evaluation failure."
    if (first.kind() !== last.kind() || toBigInt(first) > toBigInt(last)) throw new Error("empty or mixed range");
    return { v6: first.kind() === "ipv6", first: toBigInt(first), last: toBigInt(last) };
  }
  const slash = text.indexOf("/");
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
  const bits = addr.kind() === "ipv6" ? 128 : 32;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > bits) throw new Error("bad prefix length");
  const hostBits = BigInt(bits - prefix);
  const first = (toBigInt(addr) >> hostBits) << hostBits;
  return { v6: bits === 128, first, last: first | ((1n << hostBits) - 1n) };
}

// Picks the family up front: ipaddr.parse() tries IPv6 first and throws on every IPv4 address.
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (text.includes(":")) return ipaddr.IPv6.parse(text);
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw new Error("not a dotted-quad IPv4 address");
  return ipaddr.IPv4.parse(text);
}

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function ipRangeContains(range: unknown, target: unknown): boolean {
  const outer = ipRange(str(range, "ipRangeContains"));
  const inner = ipRange(str(target, "ipRangeContains"));
  if (outer.v6 !== inner.v6) fail("ipRangeContains", "cannot mix IPv4 and IPv6");
  return outer.first <= inner.first && inner.last <= outer.last;
}

// -- the table ------------------------------------------------------------------

// One table entry: arity, implementation, and whether it reads the scope.
const f = (min: number, max: number, call: TemplateFunction["call"], contextual = false): TemplateFunction => ({
  arity: [min, max],
  call,
  contextual,
});
const ANY = Infinity;

export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  // Policy functions
  parameters: named("parameters", bindParameter),
  field: named("field", bindField),
  current: named("current", bindCurrent, innermost),
  resourcegroup: f(0, 0, (_, scope) => fromContext(scope, "resourceGroup"), true),
  subscription: f(0, 0, (_, scope) => fromContext(scope, "subscription"), true),
  requestcontext: f(0, 0, (_, scope) => fromContext(scope, "requestContext"), true),
  policy: f(0, 0, (_, scope) => fromContext(scope, "policy"), true),
  utcnow: f(0, 0, (_, scope) => scope.context.utcNow ?? new Date().toISOString().replace("Z", "0000Z"), true),
  adddays: f(2, 2, ([d, n]) => formatDate(new Date(parseDate(d, "addDays").getTime() + int(n, "addDays") * 86_400_000))),
  iprangecontains: f(2, 2, ([range, target]) => ipRangeContains(range, target)),

  // Logical and comparison
  not: f(1, 1, ([v]) => !truthy(v, "not")),
  bool: f(1, 1, ([v]) => {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    const lower = str(v, "bool").trim().toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
    return fail("bool", `cannot convert ${show(v)}`);
  }),
  true: f(0, 0, () => true),
  false: f(0, 0, () => false),
  null: f(0, 0, () => null),
  equals: f(2, 2, ([a, b]) => deepEqual(a, b)),
  less: f(2, 2, ([a, b]) => order(a, b, "less") < 0),
  lessorequals: f(2, 2, ([a, b]) => order(a, b, "lessOrEquals") <= 0),
  greater: f(2, 2, ([a, b]) => order(a, b, "greater") > 0),
  greaterorequals: f(2, 2, ([a, b]) => order(a, b, "greaterOrEquals") >= 0),
  coalesce: f(1, ANY, (args) => args.find((a) => a !== null) ?? null),

  // Strings
  concat: f(0, ANY, (args) => {
    if (args.length > 0 && args.every(Array.isArray)) return ([] as unknown[]).concat(...args);
    if (args.some((a) => a !== null && typeof a === "object")) fail("concat", "expects only strings or only arrays");
    return args.map((a) => (a === null ? "" : String(a as string | number | boolean))).join("");
  }),
  tolower: f(1, 1, ([s]) => str(s, "toLower").toLowerCase()),
  toupper: f(1, 1, ([s]) => str(s, "toUpper").toUpperCase()),
  trim: f(1, 1, ([s]) => str(s, "trim").trim()),
  split: f(2, 2, ([s, delimiters]) => {
    const text = str(s, "split");
    if (!Array.isArray(delimiters)) return text.split(str(delimiters, "split"));
    return delimiters.reduce<string[]>((parts, d) => parts.flatMap((p) => p.split(str(d, "split"))), [text]);
  }),
  substring: f(2, 3, ([s, start, length]) => {
    const text = str(s, "substring");
    const from = int(start, "substring");
    const count = length === undefined ? text.length - from : int(length, "substring");
    if (from < 0 || count < 0 || from + count > text.length) {
      fail("substring", "index and length must lie within the string");
    }
    return text.slice(from, from + count);
  }),
  replace: f(3, 3, ([s, from, to], _scope, env) => {
    const old = str(from, "replace");
    if (old === "") fail("replace", "the string to replace is empty");
    const replacement = str(to, "replace");
    const text = str(s, "replace");
    // Measured before it is built: replacing in a loop would otherwise grow without bound.
    const length = text.length + (text.split(old).length - 1) * (replacement.length - old.length);
    const limit = env?.template ? MAX_TEMPLATE_STRING : MAX_POLICY_STRING;
    if (length > limit) fail("replace", `the result of ${length} characters is more than a ${env?.template ? "resource definition" : "policy function's result"} may hold (${limit})`);
    return text.replaceAll(old, () => replacement);
  }),
  indexof: f(2, 2, ([s, x]) => str(s, "indexOf").toLowerCase().indexOf(str(x, "indexOf").toLowerCase())),
  lastindexof: f(2, 2, ([s, x]) => str(s, "lastIndexOf").toLowerCase().lastIndexOf(str(x, "lastIndexOf").toLowerCase())),
  startswith: f(2, 2, ([s, x]) => str(s, "startsWith").toLowerCase().startsWith(str(x, "startsWith").toLowerCase())),
  endswith: f(2, 2, ([s, x]) => str(s, "endsWith").toLowerCase().endsWith(str(x, "endsWith").toLowerCase())),
  padleft: f(2, 3, ([v, width, pad = " "], _scope, env) => {
    const padding = str(pad, "padLeft");
    if (padding.length !== 1) fail("padLeft", "the padding must be a single character");
    const total = int(width, "padLeft");
    const limit = env?.template ? MAX_TEMPLATE_STRING : MAX_POLICY_STRING;
    if (total > limit) fail("padLeft", `a length of ${total} is more than a ${env?.template ? "resource definition" : "policy function's result"} may hold (${limit})`);
    return (typeof v === "number" ? String(v) : str(v, "padLeft")).padStart(total, padding);
  }),
  string: f(1, 1, ([v]) => toText(v)),
  format: f(1, ANY, ([fmt, ...args]) =>
    str(fmt, "format").replace(/\{\{|\}\}|\{(\d+)(?::[^}]*)?\}/g, (token, index?: string) => {
      if (index === undefined) return token[0];
      const i = Number(index);
      return i < args.length ? toText(args[i]) : fail("format", `no argument {${i}}`);
    }),
  ),
  base64: f(1, 1, ([s]) => Buffer.from(str(s, "base64"), "utf8").toString("base64")),
  base64tostring: f(1, 1, ([s]) => Buffer.from(str(s, "base64ToString"), "base64").toString("utf8")),
  base64tojson: f(1, 1, ([s]) => parseJson(Buffer.from(str(s, "base64ToJson"), "base64").toString("utf8"), "base64ToJson")),
  uricomponent: f(1, 1, ([s]) => encodeURIComponent(str(s, "uriComponent"))),
  uricomponenttostring: f(1, 1, ([s]) => decodeUri(str(s, "uriComponentToString"), "uriComponentToString")),
  uri: f(2, 2, ([base, relative]) => new URL(str(relative, "uri"), str(base, "uri")).toString()),
  datauri: f(1, 1, ([v]) => `data:text/plain;charset=utf8;base64,${Buffer.from(toText(v), "utf8").toString("base64")}`),
  datauritostring: f(1, 1, ([v]) => {
    const m = /^data:[^,]*?(;base64)?,(.*)$/s.exec(str(v, "dataUriToString"));
    if (!m) return fail("dataUriToString", `not a data URI: ${show(v)}`);
    return m[1] ? Buffer.from(m[2], "base64").toString("utf8") : decodeUri(m[2], "dataUriToString");
  }),

  // Arrays and objects (several also take strings)
  length: f(1, 1, ([v]) => lengthOf(v, "length")),
  empty: f(1, 1, ([v]) => v === null || lengthOf(v, "empty") === 0),
  contains: f(2, 2, ([container, item]) => {
    if (typeof container === "string") return container.includes(toText(item));
    if (Array.isArray(container)) return container.some((x) => deepEqual(x, item));
    if (isObject(container)) return getKey(container, str(item, "contains")) !== undefined;
    return fail("contains", `expected a string, array or object, got ${show(container)}`);
  }),
  first: f(1, 1, ([v]) => (typeof v === "string" ? v.slice(0, 1) : (arr(v, "first")[0] ?? null))),
  last: f(1, 1, ([v]) => (typeof v === "string" ? v.slice(-1) : (arr(v, "last").at(-1) ?? null))),
  take: f(2, 2, ([v, n]) => (typeof v === "string" ? v : arr(v, "take")).slice(0, Math.max(0, int(n, "take")))),
  skip: f(2, 2, ([v, n]) => (typeof v === "string" ? v : arr(v, "skip")).slice(Math.max(0, int(n, "skip")))),
  array: f(1, 1, ([v]) => (Array.isArray(v) ? (v as unknown[]) : [v])),
  createarray: f(0, ANY, (args) => [...args]),
  createobject: f(0, ANY, (args) => {
    if (args.length % 2) fail("createObject", "expects key/value pairs");
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) setOwn(obj, str(args[i], "createObject"), args[i + 1]);
    return obj;
  }),
  union: f(1, ANY, (args) => {
    if (args.every(isObject)) return args.reduce<Record<string, unknown>>((merged, a) => mergeObjects(merged, a), {});
    const out: unknown[] = [];
    for (const a of args) for (const x of arr(a, "union")) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }),
  intersection: f(2, ANY, ([head, ...rest]) => {
    if (isObject(head) && rest.every(isObject)) {
      const shared = Object.entries(head).filter(([k, v]) => rest.every((o) => deepEqual(getKey(o, k), v)));
      return Object.fromEntries(shared);
    }
    const out: unknown[] = [];
    for (const x of arr(head, "intersection")) {
      const inAll = rest.every((o) => arr(o, "intersection").some((y) => deepEqual(x, y)));
      if (inAll && !out.some((y) => deepEqual(x, y))) out.push(x);
    }
    return out;
  }),
  // "count ... Must be non-negative integer up to 10000"; "The sum of startIndex and count must be
  // no greater than 2147483647" (Array functions for ARM templates, range).
  range: f(2, 2, ([start, count]) => {
    const from = int(start, "range");
    const n = int(count, "range");
    if (n > MAX_RANGE) fail("range", `a count of ${n} is more than ${MAX_RANGE}`);
    if (from + n > 2147483647) fail("range", "startIndex + count is more than 2147483647");
    return Array.from({ length: Math.max(0, n) }, (_, i) => from + i);
  }),
  json: f(1, 1, ([s]) => parseJson(str(s, "json"), "json")),
  join: f(2, 2, ([a, sep]) => arr(a, "join").map(toText).join(str(sep, "join"))),
  tryget: f(2, ANY, ([target, ...keys]) => {
    let v = target;
    for (const k of keys) {
      if (Array.isArray(v) && typeof k === "number") v = v[k];
      else if (isObject(v) && typeof k === "string") v = getKey(v, k);
      else return null;
      if (v === undefined) return null;
    }
    return v;
  }),

  // Numbers
  int: f(1, 1, ([v]) => Math.trunc(numeric(v, "int"))),
  float: f(1, 1, ([v]) => numeric(v, "float")),
  add: f(2, 2, ([a, b]) => num(a, "add") + num(b, "add")),
  sub: f(2, 2, ([a, b]) => num(a, "sub") - num(b, "sub")),
  mul: f(2, 2, ([a, b]) => num(a, "mul") * num(b, "mul")),
  div: f(2, 2, ([a, b]) => Math.trunc(int(a, "div") / divisor(b, "div"))),
  mod: f(2, 2, ([a, b]) => int(a, "mod") % divisor(b, "mod")),
  // Folded, never spread: min(parameters('list')) may get more numbers than a call takes arguments.
  min: f(1, ANY, (args) => numbers(args, "min").reduce((a, b) => Math.min(a, b))),
  max: f(1, ANY, (args) => numbers(args, "max").reduce((a, b) => Math.max(a, b))),

  // Dates
  datetimeadd: f(2, 2, ([base, duration]) => formatDate(addDuration(parseDate(base, "dateTimeAdd"), str(duration, "dateTimeAdd")))),
  datetimefromepoch: f(1, 1, ([s]) => formatDate(new Date(int(s, "dateTimeFromEpoch") * 1000))),
  datetimetoepoch: f(1, 1, ([d]) => Math.floor(parseDate(d, "dateTimeToEpoch").getTime() / 1000)),
};

/**
 * How long a string a function may return: "Length of string returned by a function 131072" (Azure
 * Policy definition structure, policy rule limits; more fails the evaluation); in a template,
 * "each resource definition to 1 MB" (ARM template best practices, Template limits).
 */
const MAX_POLICY_STRING = 131_072;
const MAX_TEMPLATE_STRING = 1024 * 1024;
const MAX_RANGE = 10_000;

function decodeUri(text: string, fn: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(fn, `not a valid URI component: ${show(text)}`);
  }
}

/**
 * union() of objects: "For later parameters, any new names are added to the result. If a later
 * parameter has a property with the same name, that value overwrites the existing value." and "The
 * union function merges not only the top-level elements but also recursively merging any nested
 * arrays and objects within them" — nested objects merge; a nested array is replaced (its example:
 * objectOutput.nestedArray is [3, 4]) (Object functions for ARM templates, union). Names match
 * without regard to case, as everywhere in ARM; the first spelling is kept.
 */
function mergeObjects(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const out = { ...into };
  for (const [k, v] of Object.entries(from)) {
    const existing = Object.keys(out).find((key) => key.toLowerCase() === k.toLowerCase());
    if (existing === undefined) {
      setOwn(out, k, v);
      continue;
    }
    const before = out[existing];
    if (isPlainObject(before) && isPlainObject(v)) setOwn(out, existing, mergeObjects(before, v));
    // A template's unknown object merged with a known one keeps unknown members: unknown as a whole.
    else setOwn(out, existing, before instanceof Unresolved && isPlainObject(v) ? before : v);
  }
  return out;
}

/** Sets a member as data, even one named `__proto__`, which an assignment would take as the object's prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object of JSON (not an Unresolved or a partly known string, which are values of their own). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return isObject(v) && !(v instanceof Unresolved) && !isPartial(v);
}

function divisor(v: unknown, fn: string): number {
  return int(v, fn) === 0 ? fail(fn, "division by zero") : (v as number);
}

/** A number, or a numeric string's value. */
function numeric(v: unknown, fn: string): number {
  const n = typeof v === "string" ? toNumber(v) : v;
  return typeof n === "number" ? n : fail(fn, `cannot convert ${show(v)} to a number`);
}

function numbers(args: readonly unknown[], fn: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) fail(fn, "expects at least one number");
  return list.map((v) => num(v, fn));
}

function parseJson(text: string, fn: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail(fn, `invalid JSON: ${show(text)}`);
  }
}

// -- partly known strings (partial.ts) --------------------------------------------------------

/** A partial() that runs the ordinary call: the function only passes its arguments through (coalesce, createArray). */
const passThrough =
  (fn: string): TemplateFunction["partial"] =>
  (args, scope, env) =>
    FUNCTIONS[fn].call(args, scope, env);

/** Text of known and partly known strings; undefined when an argument is neither. */
function texts(args: readonly unknown[]): (string | PartialString)[] | undefined {
  const out: (string | PartialString)[] = [];
  for (const a of args) {
    if (isPartial(a) || typeof a === "string") out.push(a);
    else if (a === null) out.push("");
    else if (typeof a === "number" || typeof a === "boolean") out.push(String(a));
    else return undefined;
  }
  return out;
}

/** The unknown a call on partly known arguments cannot decide. */
function unknownOf(args: readonly unknown[]): never {
  const partial = firstPartial(args);
  if (partial) throw new UnknownValue(partial);
  throw new PolicyError("expected a partly known argument");
}

/** startsWith()/endsWith()/contains() on a partly known string (startsWith and endsWith ignore case, as above). */
function textTest(kind: "startsWith" | "endsWith" | "contains", text: unknown, needle: unknown, fold: boolean): boolean {
  if (!isPartial(text) || typeof needle !== "string") return unknownOf([text, needle]);
  const lower = (s: string) => (fold ? s.toLowerCase() : s);
  return decided(decide(mapText(text, lower), textAutomaton(kind, lower(needle))), text);
}

/** ARM equals() of values that may hold partly known strings: case-sensitive, element by element. */
function equalsTri(a: unknown, b: unknown): boolean | undefined {
  if (isPartial(a) || isPartial(b)) {
    const [text, other] = isPartial(a) ? [a, b] : [b as PartialString, a];
    if (typeof other === "string") return decide(text, equalsAutomaton(other));
    // A string never equals a number, a boolean, null, an array or an object; two partly known strings may or may not be equal.
    return isPartial(other) ? undefined : false;
  }
  // Arrays of which one holds a partly known string are unequal when an element is, else unsure:
  // a partly known string is never certainly equal to anything (each hole has many completions).
  if (Array.isArray(a) && Array.isArray(b)) return a.length !== b.length || a.some((e, i) => equalsTri(e, b[i]) === false) ? false : undefined;
  return containsPartial(a) || containsPartial(b) ? undefined : deepEqual(a, b);
}

const PARTIAL: Readonly<Record<string, TemplateFunction["partial"]>> = {
  coalesce: passThrough("coalesce"),
  createarray: passThrough("createarray"),
  // Arrays pass through; only a partly known string's own characters are unknown.
  length: (args, scope, env) => (Array.isArray(args[0]) ? FUNCTIONS.length.call(args, scope, env) : unknownOf(args)),
  first: (args, scope, env) => (Array.isArray(args[0]) ? FUNCTIONS.first.call(args, scope, env) : unknownOf(args)),
  last: (args, scope, env) => (Array.isArray(args[0]) ? FUNCTIONS.last.call(args, scope, env) : unknownOf(args)),
  // Anything else holding one is an array or an object, whose emptiness is known.
  empty: ([v], scope, env) => (isPartial(v) ? decided(decide(v, equalsAutomaton("")), v) : FUNCTIONS.empty.call([v], scope, env)),
  string: ([v]) => (isPartial(v) ? v : jsonText(v)),
  tolower: ([v]) => (isPartial(v) ? mapText(v, (s) => s.toLowerCase()) : unknownOf([v])),
  toupper: ([v]) => (isPartial(v) ? mapText(v, (s) => s.toUpperCase()) : unknownOf([v])),
  startswith: ([s, x]) => textTest("startsWith", s, x, true),
  endswith: ([s, x]) => textTest("endsWith", s, x, true),
  contains: ([container, item]) => textTest("contains", container, item, false),
  equals: ([a, b]) => {
    const answer = equalsTri(a, b);
    return answer === undefined ? unknownOf([a, b]) : answer;
  },
  concat: (args, scope, env) => {
    // Arrays (no text) concatenate as always.
    const parts = texts(args);
    return parts ? joinText(parts) : FUNCTIONS.concat.call(args, scope, env);
  },
  split: ([s, delimiters]) => {
    if (!isPartial(s)) return unknownOf([s, delimiters]);
    let pieces: (string | PartialString)[] = [s];
    for (const d of Array.isArray(delimiters) ? delimiters : [delimiters]) {
      if (typeof d !== "string") return unknownOf([s]);
      const next: (string | PartialString)[] = [];
      for (const piece of pieces) {
        const parts = typeof piece === "string" ? piece.split(d) : splitText(piece, d);
        if (!parts) throw new UnknownValue(s);
        for (const part of parts) next.push(part);
      }
      pieces = next;
    }
    return pieces;
  },
};

/** The partial() of each function that can decide on partly known strings. */
for (const [name, partial] of Object.entries(PARTIAL)) (FUNCTIONS as Record<string, TemplateFunction>)[name] = { ...FUNCTIONS[name], partial };
