// The condition operators of the policy language, and the comparison rules they rest on: strings
// compare case-insensitively (except for match/notMatch), "80" equals 80, "true"/"TRUE" equal true
// ("yes" does not), null equals "", and an absent field (undefined) equals only null.

import { getKey } from "./field-paths";
import { UnknownValue, containsPartial, decide, decided, equalsAutomaton, firstPartial, globAutomaton, isPartial, mapText, textAutomaton, type PartialString } from "./partial";
import { PolicyError } from "./scope";

/** `value` is the field/value/count side (undefined when the field is absent); `operand` the right-hand side. */
export type Operator = (value: unknown, operand: unknown) => boolean;

const ASCII = /^[\x00-\x7f]*$/;

/** Case folding for case-insensitive comparison; upper-then-lower also folds ß→ss, ﬃ→ffi and final sigma. */
export function fold(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : s.toUpperCase().toLowerCase();
}

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A numeric string's value ("80" → 80), else undefined. */
export function toNumber(s: string): number | undefined {
  return NUMBER.test(s) ? Number(s) : undefined;
}

/** true/false for booleans and (case-insensitively) "true"/"false", else undefined. */
export function asBoolish(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const lower = v.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return undefined;
}

/** Policy equality of two present values (see the file header for the coercions). */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "string") {
    if (typeof b === "string") return fold(a) === fold(b);
    if (typeof b === "number") return toNumber(a) === b;
    if (typeof b === "boolean") return asBoolish(a) === b;
    return b === null && a === "";
  }
  if (typeof b === "string") return looseEquals(b, a);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => looseEquals(x, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const other = getKey(b as Record<string, unknown>, k);
    return other !== undefined && looseEquals((a as Record<string, unknown>)[k], other);
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)/;

/**
 * Ordering for less/greater: numbers (numeric strings coerce), dates (ISO 8601 strings compare as
 * instants), strings (case-insensitively), booleans. Other pairings are an evaluation error, as
 * documented ("if the property type doesn't match the condition type, an error is thrown").
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") {
    if (DATE.test(a) && DATE.test(b)) {
      const delta = Date.parse(a) - Date.parse(b);
      if (!Number.isNaN(delta)) return delta;
    }
    const fa = fold(a);
    const fb = fold(b);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  }
  const na = typeof a === "string" ? toNumber(a) : a;
  const nb = typeof b === "string" ? toNumber(b) : b;
  if (typeof na === "number" && typeof nb === "number") return na - nb;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  throw new PolicyError(`cannot compare ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
}

/** Strings, numbers and booleans as string-operator input; undefined for anything else. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** `like`: `*` matches any run of characters and `?` one character, case-insensitively. */
export function like(value: unknown, pattern: unknown): boolean {
  const text = scalarText(value);
  const pat = scalarText(pattern);
  return text !== undefined && pat !== undefined && wildcard(fold(text), fold(pat));
}

function wildcard(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === "*") {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

const LETTER = /\p{L}/u;

/** `match`: `#` is a digit, `?` a letter, `.` any character; everything else matches itself. */
export function match(value: unknown, pattern: unknown, insensitive: boolean): boolean {
  let text = scalarText(value);
  let pat = scalarText(pattern);
  if (text === undefined || pat === undefined) return false;
  if (insensitive) {
    text = fold(text);
    pat = fold(pat);
  }
  const chars = Array.from(text);
  const pats = Array.from(pat);
  if (chars.length !== pats.length) return false;
  return pats.every((p, i) => {
    const c = chars[i];
    if (p === "#") return c >= "0" && c <= "9";
    if (p === "?") return LETTER.test(c);
    return p === "." || p === c;
  });
}

/** `contains`: substring of a string, member of an array, or key of an object (all case-insensitive). */
function contains(value: unknown, operand: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((member) => looseEquals(member, operand));
  if (typeof value === "object") return hasKey(value, operand);
  const text = scalarText(value);
  const needle = scalarText(operand);
  return text !== undefined && needle !== undefined && fold(text).includes(fold(needle));
}

/** Whether an object has a key; a number or boolean key is read as its text, as regorus reads it. */
function hasKey(obj: object, key: unknown): boolean {
  const text = scalarText(key);
  if (text === undefined) return false;
  const lower = fold(text);
  return Object.keys(obj).some((k) => fold(k) === lower);
}

function containsKey(value: unknown, operand: unknown): boolean {
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  return isObject && hasKey(value, operand);
}

function isIn(value: unknown, operand: unknown): boolean {
  if (!Array.isArray(operand)) throw new PolicyError(`'in'/'notIn' expects an array, got ${JSON.stringify(operand)}`);
  if (value === undefined) return operand.includes(null);
  return value !== null && operand.some((member) => member !== null && looseEquals(value, member));
}

function equals(value: unknown, operand: unknown): boolean {
  return value === undefined ? operand === null : looseEquals(value, operand);
}

function exists(value: unknown, operand: unknown): boolean {
  const expected = asBoolish(operand);
  if (expected === undefined) throw new PolicyError(`'exists' expects true or false, got ${JSON.stringify(operand)}`);
  return (value !== undefined && value !== null) === expected;
}

// An absent or null value is never ordered.
const ordered =
  (test: (delta: number) => boolean): Operator =>
  (value, operand) =>
    value !== undefined && value !== null && test(compareValues(value, operand));

/** Keyed by lower-cased operator name (policy JSON keys match case-insensitively). */
export const OPERATORS: Readonly<Record<string, Operator>> = {
  equals,
  notequals: (v, o) => !equals(v, o),
  like,
  notlike: (v, o) => !like(v, o),
  match: (v, o) => match(v, o, false),
  notmatch: (v, o) => !match(v, o, false),
  matchinsensitively: (v, o) => match(v, o, true),
  notmatchinsensitively: (v, o) => !match(v, o, true),
  contains,
  notcontains: (v, o) => !contains(v, o),
  in: isIn,
  notin: (v, o) => !isIn(v, o),
  containskey: containsKey,
  notcontainskey: (v, o) => !containsKey(v, o),
  less: ordered((d) => d < 0),
  lessorequals: ordered((d) => d <= 0),
  greater: ordered((d) => d > 0),
  greaterorequals: ordered((d) => d >= 0),
  exists,
};

// -- partly known strings (partial.ts) --------------------------------------------------------

/** looseEquals of a partly known string and a known value: undefined when some completions match and some don't. */
function partialEquals(text: PartialString, other: unknown): boolean | undefined {
  if (typeof other === "string") return decide(mapText(text, fold), equalsAutomaton(fold(other)));
  // null equals only ""; a number or boolean equals the string spelling it (looseEquals).
  if (other === null) return decide(text, equalsAutomaton(""));
  return undefined;
}

/**
 * `in` of a partly known string: not in the list when it certainly equals no member (null is never
 * a member, as in isIn), else unsure — it is never certainly equal to one, each hole having many
 * completions.
 */
function equalsAny(text: PartialString, members: readonly unknown[]): boolean | undefined {
  return members.every((m) => m === null || partialEquals(text, m) === false) ? false : undefined;
}

/** How each operator decides on a partly known string on the field/value side (undefined: it cannot). */
const ON_PARTIAL: Readonly<Record<string, (text: PartialString, operand: unknown) => boolean | undefined>> = {
  equals: partialEquals,
  notequals: (t, o) => negate(partialEquals(t, o)),
  like: (t, o) => (typeof o === "string" ? decide(mapText(t, fold), globAutomaton(fold(o))) : undefined),
  notlike: (t, o) => negate(typeof o === "string" ? decide(mapText(t, fold), globAutomaton(fold(o))) : undefined),
  contains: (t, o) => (scalarText(o) !== undefined ? decide(mapText(t, fold), textAutomaton("contains", fold(scalarText(o)!))) : undefined),
  notcontains: (t, o) => negate(scalarText(o) !== undefined ? decide(mapText(t, fold), textAutomaton("contains", fold(scalarText(o)!))) : undefined),
  in: (t, o) => (Array.isArray(o) ? equalsAny(t, o) : undefined),
  notin: (t, o) => (Array.isArray(o) ? negate(equalsAny(t, o)) : undefined),
  // A partly known string is there.
  exists: (_t, o) => asBoolish(o),
};

function negate(v: boolean | undefined): boolean | undefined {
  return v === undefined ? undefined : !v;
}

/**
 * An operator that also decides on partly known strings: a string with holes on the field/value
 * side is decided when every completion gives the same answer; anything else holding one (an
 * operand, an array) cannot be decided. Either way it throws UnknownValue rather than guess.
 */
export function withPartials(name: string, op: Operator): Operator {
  const onPartial = ON_PARTIAL[name];
  return (value, operand) => {
    if (isPartial(value) && !containsPartial(operand)) return decided(onPartial ? onPartial(value, operand) : undefined, value);
    const partial = firstPartial(value) ?? firstPartial(operand);
    if (partial) throw new UnknownValue(partial);
    return op(value, operand);
  };
}
