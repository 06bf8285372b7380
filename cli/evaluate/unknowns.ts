/**
 * Values unknown before deployment, in one representation both engines understand: Pulumi's unknown
 * sentinel strings. CrossGuard reads props through @pulumi/policy's unknown-checking proxy, which
 * throws on them ("can't be known during preview"); the Azure Policy engine wraps the ARM resource
 * in the same proxy, so a definition that reads one evaluates to `unknown` rather than to its text.
 * The sentinels are Pulumi's wire values (@pulumi/policy proxy.js; pulumi/pulumi
 * sdk/go/common/resource/plugin/rpc.go `UnknownStringValue`), which stack exports and
 * `pulumi preview --json` also carry.
 */

import { spelledPath } from "../../core/resources/convert";
import { shapesOfType } from "../../core/targets";

/** Pulumi's UnknownStringValue: what reaches a policy pack for a computed value. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every sentinel @pulumi/policy treats as unknown (string, boolean, number, array, asset, archive, object). */
const SENTINELS = new Set([
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Every sentinel is a UUID: a string of another length is none (asked of every string an inventory holds). */
const SENTINEL_LENGTH = UNKNOWN.length;

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && v.length === SENTINEL_LENGTH && SENTINELS.has(v);
}

/** Why a value is unknown: its dotted path in the resource and the expression or source it came from. */
export interface UnknownNote {
  path: string;
  reason: string;
}

/** Notes for sentinels already present in a value (stack exports, previews, plans). */
export function sentinelNotes(value: unknown, reason: string, prefix = ""): UnknownNote[] {
  const notes: UnknownNote[] = [];
  // The path is kept as segments and spelled only for a sentinel: every resource of an inventory is walked, and few hold one.
  const at: (string | number)[] = [];
  const walk = (v: unknown) => {
    if (isUnknownSentinel(v)) notes.push({ path: spelledPath(at, prefix) || "(value)", reason });
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i]);
        at.pop();
      }
    } else if (v !== null && typeof v === "object") {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        at.push(k);
        walk((v as Record<string, unknown>)[k]);
        at.pop();
      }
    }
  };
  walk(value);
  return notes;
}

/** A dotted note path (`a.b[0].c`) or a proxy's property list as segments, without ARM's leading `properties`. */
function segments(path: string | readonly string[]): string[] {
  const list = typeof path === "string" ? path.split(/\.|\[(\d+)\]/).filter((s): s is string => s !== undefined && s !== "") : [...path];
  return list[0] === "properties" ? list.slice(1) : list;
}

/** `a.b[0].c`: how a path reads in messages, whichever engine recorded it. */
export function displayPath(path: readonly string[]): string {
  return segments(path)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join("");
}

const isPrefix = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);

/**
 * Why a rule could not decide: the property it read (the path the unknown-checking proxy recorded)
 * and the note that made it unknown — the note on that property, or on the object holding it. Only
 * notes on what the rule read are named, never the resource's other unknown values.
 */
export function explainUnknown(notes: readonly UnknownNote[], read: readonly string[] | undefined, fallback: string): string {
  if (!read || read.length === 0) return fallback;
  const located = notes.map((n) => ({ n, at: segments(n.path) }));
  let property = segments(read);
  // A partly known text is read at its `value` (the sentinel its marker holds): name the text itself.
  const parent = property.slice(0, -1);
  if (property[property.length - 1] === "value" && located.some(({ at }) => at.length === parent.length && isPrefix(at, parent))) property = parent;
  const note = located.filter(({ at }) => isPrefix(at, property) || isPrefix(property, at)).sort((a, b) => b.at.length - a.at.length)[0]?.n;
  return `${displayPath(property)} is not known before deployment${note ? `: ${note.reason}` : ""}`;
}

/**
 * The inputs of a resource none of whose values is known yet (a stack export's `inputs` that are one
 * secret or one unknown, a plan's `after` known only after apply): every property a rule of its
 * target reads is unknown, so those rules cannot decide — and never fall back to anything else.
 */
export function everyFieldUnknown(type: string, reason: string): { props: Record<string, unknown>; unknowns: UnknownNote[] } {
  const roots = fieldRoots(type);
  return { props: Object.fromEntries(roots.map((top) => [top, UNKNOWN])), unknowns: roots.map((top) => ({ path: top, reason })) };
}

/**
 * The top-level properties a rule of any target that judges the type reads (a cluster: also its node
 * pools'); a standalone child resource is itself the element, so its element fields' paths are its own.
 */
export function fieldRoots(type: string): string[] {
  const bindings = shapesOfType(type).flatMap(({ shape }) => Object.values(shape.fields).flatMap((b) => (b.path.length === 0 ? Object.values(b.elements ?? {}) : [b])));
  return [...new Set(bindings.flatMap((b) => b.path.slice(0, 1)))];
}
