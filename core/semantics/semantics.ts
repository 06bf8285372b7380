/**
 * The reference semantics of apiguard's operators: the one definition of what every operator
 * means. The generator copies this file verbatim into the policy pack, so the CrossGuard policies
 * run exactly this code; the Azure Policy renderings in core/operators mirror it expression for
 * expression, and the parity tests hold the two together.
 *
 * Self-contained on purpose: no imports, so the pack loads it without pulling in anything else.
 *
 * Values are three-valued: true, false, or UNKNOWN (a property Pulumi cannot know during preview).
 * UNKNOWN only decides a verdict when no known value could: anyOf(UNKNOWN, true) is true.
 */

/** A value that cannot be known yet (Pulumi preview). Carries the runtime's error so it can be rethrown. */
export class Unknown {
  constructor(readonly error: Error) {}
}

/**
 * A text only partly known before deployment: known runs and holes the deployment fills in, as
 * `apiguard evaluate` reads `resourceId()` of a template's own resource group
 * (`/subscriptions/{hole}/resourceGroups/rg/providers/…/privatelink.eastus.azmk8s.io`). It is an
 * unknown value, so every operator treats it as one, except those that decide on its known text
 * when every way of filling the holes gives the same answer. A `segment` hole is a name or an ID
 * segment: never empty and never a `/`, `"`, `\` or control character; any other hole is any text.
 *
 * In props it is written `{ "apiguard:partly-known-text": parts, "value": <Pulumi's unknown string> }`:
 * reading `value` through @pulumi/policy's unknown-checking proxy gives the unknown's error, which
 * names the property. A Pulumi program never produces one.
 */
export const PARTIAL_TEXT = "apiguard:partly-known-text";
export interface TextHole {
  hole: string;
  segment: boolean;
}
export class PartialText extends Unknown {
  constructor(
    readonly parts: readonly (string | TextHole)[],
    error: Error,
  ) {
    super(error);
  }
}

/** The PartialText a props value stands for, if it is one. */
function partialText(value: unknown): PartialText | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const parts = (value as Record<string, unknown>)[PARTIAL_TEXT];
  if (!Array.isArray(parts)) return undefined;
  let error: Error = new Error("a text only partly known before deployment");
  try {
    void (value as Record<string, unknown>).value;
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    error = e;
  }
  const read: (string | TextHole)[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as unknown;
    if (typeof p === "string") read.push(p);
    else if (p !== null && typeof p === "object") read.push({ hole: String((p as TextHole).hole), segment: (p as TextHole).segment === true });
  }
  return new PartialText(read, error);
}

/** A regular expression every completion of a partly known text matches, and nothing else (known runs lower-cased when `lower`). */
function completions(text: PartialText, lower: boolean): RegExp {
  const source = text.parts.map((p) => (typeof p === "string" ? (lower ? p.toLowerCase() : p).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : p.segment ? '[^/"\\\\\\u0000-\\u001f\\u007f]+' : "[\\s\\S]*")).join("");
  return new RegExp(`^${source}$`, "u");
}

/** Whether some completion of the text equals `s` (compared in lower case when `lower`). */
function mayEqual(text: PartialText, s: string, lower: boolean): boolean {
  return completions(text, lower).test(lower ? s.toLowerCase() : s);
}

/** Whether every completion holds a character other than whitespace. */
function surelyNotBlank(text: PartialText): boolean {
  return text.parts.some((p) => typeof p === "string" && p.trim() !== "");
}
export type Tri = boolean | Unknown;
export type Verdict = "pass" | "fail" | "not-applicable" | "unknown";

export interface FieldBinding {
  path: string[];
  default: unknown;
  inverted?: boolean;
  valueMap?: Record<string, boolean>;
  /** The cloud treats an empty string like an absent property (see core/targets). */
  emptyIsDefault?: boolean;
  present?: boolean;
  elements?: Record<string, FieldBinding>;
}
export interface ShapeBinding {
  id: string;
  typePattern: string;
  fields: Record<string, FieldBinding>;
}

// @pulumi/policy wraps resource properties in a proxy that throws UnknownValueError on unknown values.
function isUnknownValueError(e: unknown): e is Error {
  return e instanceof Error && e.constructor.name === "UnknownValueError";
}

function unknownOf(values: readonly unknown[]): Unknown | undefined {
  return values.find((v): v is Unknown => v instanceof Unknown);
}

// Compiled once per pattern: the pack matches every resource against every rule's shapes.
const typePatterns = new Map<string, RegExp>();

/** The shape whose type pattern matches a resource type token (case-insensitive), if any. */
export function matchShape<S extends ShapeBinding>(shapes: readonly S[], type: string): S | undefined {
  return shapes.find((s) => {
    let pattern = typePatterns.get(s.typePattern);
    if (!pattern) typePatterns.set(s.typePattern, (pattern = new RegExp(s.typePattern, "i")));
    return pattern.test(type);
  });
}

/**
 * Reads a logical field: follows the path, applies the cloud default when the property (or any
 * parent) is absent or null, and normalises provider-specific encodings. Never throws for unknowns.
 */
export function readField(props: unknown, binding: FieldBinding): unknown {
  if (binding.path.length === 0 && !binding.elements) return binding.default; // the provider cannot express the field
  let value: unknown;
  try {
    value = props;
    for (const key of binding.path) {
      if (value === undefined || value === null || typeof value !== "object") {
        value = undefined;
        break;
      }
      value = (value as Record<string, unknown>)[key];
    }
  } catch (e) {
    if (isUnknownValueError(e)) return new Unknown(e);
    throw e;
  }
  if (binding.present) return value !== undefined && value !== null && !(binding.emptyIsDefault && value === "");
  // Read every element now: an element unknown at preview becomes Unknown in place, so a known
  // element can still decide (["0.0.0.0/0", <unknown>] fails either way).
  if (Array.isArray(value)) value = Array.from({ length: value.length }, (_, i) => readElement(value as unknown[], i));
  if (binding.elements) return elementReaders(binding.path.length === 0 ? [value] : value, binding.elements);
  if (value === undefined || value === null) return binding.default;
  if (binding.emptyIsDefault && value === "") return binding.default;
  const partial = partialText(value);
  if (partial) {
    // A text that may be empty may be the default instead: then only the deployment knows.
    return binding.emptyIsDefault && mayEqual(partial, "", false) ? new Unknown(partial.error) : partial;
  }
  if (binding.valueMap && typeof value === "string") {
    const mapped = binding.valueMap[value.toLowerCase()];
    if (mapped !== undefined) return mapped;
  }
  if (binding.inverted) {
    const b = asBoolean(value);
    if (b !== undefined) return !b;
  }
  return value;
}

/** An objectArray field reads as one field reader per element (or Unknown for an element unknown at preview). */
export type ElementReader = (field: string) => unknown;

function elementReaders(list: unknown, elements: Record<string, FieldBinding>): (ElementReader | Unknown)[] {
  if (!Array.isArray(list)) return [];
  return list.map((element) => (element instanceof Unknown ? element : (field: string) => readField(element, elements[field])));
}

function readElement(array: unknown[], index: number): unknown {
  try {
    const element = array[index];
    return partialText(element) ?? element;
  } catch (e) {
    if (isUnknownValueError(e)) return new Unknown(e);
    throw e;
  }
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

/**
 * Azure Policy's `equals`: strings compare case-insensitively, "true"/"false" strings equal
 * booleans, numeric strings equal numbers. Anything else compares strictly.
 */
export function looselyEquals(actual: unknown, expected: unknown): boolean {
  if (typeof expected === "boolean") return asBoolean(actual) === expected;
  if (typeof actual === "boolean") return asBoolean(expected) === actual;
  if (typeof expected === "number" && typeof actual === "string") return actual.trim() !== "" && Number(actual) === expected;
  if (typeof actual === "number" && typeof expected === "string") return expected.trim() !== "" && Number(expected) === actual;
  if (typeof actual === "string" && typeof expected === "string") return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

/**
 * looselyEquals of a partly known text and a known value: false when no completion equals it (texts
 * compare in lower case), else unknown. Only a text can equal a text; anything else is unknown.
 */
function partialEquals(text: PartialText, other: unknown): Tri {
  return typeof other === "string" && !mayEqual(text, other, true) ? false : text;
}

export function equals(actual: unknown, expected: unknown): Tri {
  if (actual instanceof PartialText) return partialEquals(actual, expected);
  if (expected instanceof PartialText && !(actual instanceof Unknown)) return partialEquals(expected, actual);
  if (actual instanceof Unknown) return actual;
  return looselyEquals(actual, expected);
}

export function notEquals(actual: unknown, expected: unknown): Tri {
  return not(equals(actual, expected));
}

export function isIn(actual: unknown, expected: readonly unknown[]): Tri {
  if (actual instanceof PartialText) return some(expected, (e) => partialEquals(actual, e));
  if (actual instanceof Unknown) return actual;
  return expected.some((e) => looselyEquals(actual, e));
}

export function notIn(actual: unknown, expected: readonly unknown[]): Tri {
  return not(isIn(actual, expected));
}

/**
 * Authorized ranges are read as text, the one interpretation both backends render:
 *   - a string element is trimmed first; a blank one restricts nothing (it is not a range);
 *   - an element that is not a string is not a range AKS accepts, so it counts as a range that
 *     cannot be verified (broad), never as a blank one.
 * The Azure rendering (core/operators) tells strings apart with `equals(string(x), x)` and trims
 * with `trim()`, whose whitespace set the evaluator shares with String.prototype.trim.
 */
export function isBlankRange(range: unknown): boolean {
  return typeof range === "string" && range.trim() === "";
}

/** isBlankRange of an element that may be a partly known text: false when it surely holds more than whitespace. */
function blankRange(range: unknown): Tri {
  if (range instanceof PartialText) return surelyNotBlank(range) ? false : range;
  return range instanceof Unknown ? range : isBlankRange(range);
}

/** A missing or non-array value holds no elements (Azure's `count` of it is 0); blank strings don't count. */
export function isEmpty(actual: unknown, expected: boolean): Tri {
  if (actual instanceof Unknown) return actual;
  if (Array.isArray(actual) && actual.some((e) => e instanceof Unknown)) {
    // One element that surely restricts something decides; else an unknown one may.
    if (actual.some((e) => blankRange(e) === false)) return expected === false;
    return unknownOf(actual)!;
  }
  const empty = !Array.isArray(actual) || actual.every(isBlankRange);
  return empty === expected;
}

const DIGITS = /^[0-9]+$/;

/**
 * Whether bare address text (no prefix) is the all-zero address, "anywhere" to AKS, in any
 * spelling: IPv4 `0.0.0.0`, IPv6 `::`, `0::0`, `0:0:0:0:0:0:0:0`, leading zeros, the mixed form
 * `::0.0.0.0` and the IPv4-mapped forms `::ffff:0.0.0.0` / `::ffff:0:0`. Text-based on purpose
 * (Azure Policy has no address parser): after dropping `:ffff:` markers, only `0`, `.` and `:`
 * remain. Text that is no valid address at all but matches (`0.0`) is refused by AKS anyway.
 */
export function isAllZeroAddress(text: string): boolean {
  const rest = text.toLowerCase().split(":ffff:").join(":");
  return text !== "" && /^[0.:]*$/.test(rest);
}

/**
 * Whether one authorized range admits more addresses than a /minPrefix IPv4 block.
 * - the element is trimmed; a blank one admits nothing (see isBlankRange), a non-string one
 *   cannot be verified, so it counts as broad;
 * - `a.b.c.d/n`: broader when n < minPrefix; IPv6 prefixes are compared 96 bits down (/120 ~ /24).
 * - a prefix that is not a plain decimal (`/00`, `/x`, empty) or exceeds the family's width cannot
 *   be verified, so it counts as broad;
 * - a bare address is a single host, except the all-zero address in any spelling, which reads as
 *   "anywhere";
 * - /0 is always broad, whatever minPrefix says. `0.0.0.0/32` is narrow: AKS reads it as
 *   "only the cluster's own outbound IP".
 */
export function isBroaderThan(range: unknown, minPrefix: number): boolean {
  if (typeof range !== "string") return true;
  const text = range.trim();
  if (text === "") return false;
  const min = Math.max(minPrefix, 1);
  const slash = text.lastIndexOf("/");
  if (slash < 0) return isAllZeroAddress(text);
  const prefixText = text.slice(slash + 1);
  const ipv6 = text.includes(":");
  const canonical = prefixText === "0" || (DIGITS.test(prefixText) && !prefixText.startsWith("0"));
  if (!canonical || prefixText.length > 3) return true;
  const prefix = Number(prefixText);
  if (prefix > (ipv6 ? 128 : 32)) return true;
  return (ipv6 ? prefix - 96 : prefix) < min;
}

/**
 * isBroaderThan of a partly known range: decided when the prefix length is known text after the
 * last hole and the answer is the same whether the range is IPv4 or IPv6 (a hole may hold a `:`);
 * a range with no `/` in reach is broad only as the all-zero address, which a known character other
 * than `0`, `.`, `:` or `f` rules out.
 */
function partialBroaderThan(text: PartialText, minPrefix: number): Tri {
  const last = text.parts[text.parts.length - 1];
  const tail = typeof last === "string" ? last.trimEnd() : "";
  const known = text.parts.filter((p): p is string => typeof p === "string");
  const holes = text.parts.filter((p): p is TextHole => typeof p !== "string");
  if (tail.includes("/")) {
    const ipv6 = known.some((p) => p.includes(":")) ? [true] : [false, true];
    const answers = new Set(ipv6.map((v6) => isBroaderThan(`${v6 ? "::" : "0.0.0.1"}${tail.slice(tail.lastIndexOf("/"))}`, minPrefix)));
    return answers.size === 1 ? [...answers][0] : text;
  }
  if (holes.every((h) => h.segment) && known.some((p) => /[^0.:f\s]/i.test(p))) return false;
  return text;
}

export function anyBroaderThan(actual: unknown, minPrefix: unknown): Tri {
  if (actual instanceof Unknown) return actual;
  if (!Array.isArray(actual)) return false;
  return some(actual, (range) => (range instanceof PartialText ? partialBroaderThan(range, Number(minPrefix)) : range instanceof Unknown ? range : isBroaderThan(range, Number(minPrefix))));
}

/** The documented AKS private DNS zone suffix of Azure's global cloud. */
export const AZURE_PUBLIC_ZONE_SUFFIX = "azmk8s.io";

/**
 * Whether a value is the resource ID of a private DNS zone AKS can use:
 * `/subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.Network/privateDnsZones/<zone>` with
 * `<zone>` = `<label>.<region>.<suffix>` or `<subzone>.<label>.<region>.<suffix>`, for one of
 * `suffixes` (case-insensitive, every label non-empty). `label` is `privatelink` for Private Link
 * clusters and `private` for API Server VNet Integration. Lookalikes (`myprivatelink.…`,
 * `….azmk8s.io.evil.com`, a trailing dot, a missing region) are rejected. Non-strings are no IDs.
 */
export function isAksZoneId(value: unknown, label: string, suffixes: readonly unknown[]): boolean {
  if (typeof value !== "string") return false;
  const segments = value.toLowerCase().split("/");
  if (segments.length !== 9 || segments.some((s, i) => (i === 0 ? s !== "" : s === ""))) return false;
  if (segments[1] !== "subscriptions" || segments[3] !== "resourcegroups" || segments[5] !== "providers") return false;
  if (segments[6] !== "microsoft.network" || segments[7] !== "privatednszones") return false;
  return isAksZoneName(segments[8], label, suffixes);
}

/**
 * The longest `<subzone>` label AKS accepts: "If you're specifying a subzone, there's a 32 character
 * limit for the `<subzone>` name" (Create a private Azure Kubernetes Service (AKS) cluster,
 * https://learn.microsoft.com/azure/aks/private-clusters, "Configure a private DNS zone"). A limit of
 * 32 allows 32: a label of exactly 32 characters passes.
 */
export const MAX_SUBZONE_LENGTH = 32;

/**
 * The zone-name part of isAksZoneId: `<label>.<region>.<suffix>` or `<subzone>.<label>.<region>.<suffix>`,
 * the subzone at most MAX_SUBZONE_LENGTH characters.
 */
export function isAksZoneName(name: string, label: string, suffixes: readonly unknown[]): boolean {
  const zone = name.toLowerCase();
  if (zone.startsWith(".") || zone.includes("..")) return false;
  return suffixes.some((suffix) => {
    if (typeof suffix !== "string" || suffix === "") return false;
    const tail = "." + suffix.toLowerCase();
    if (!zone.endsWith(tail)) return false;
    const labels = zone.slice(0, zone.length - tail.length).split(".");
    if (labels.length === 3 && labels[0].length > MAX_SUBZONE_LENGTH) return false;
    return (labels.length === 2 || labels.length === 3) && labels[labels.length - 2] === label;
  });
}

export function isAksPrivateDnsZoneId(value: unknown): boolean {
  return isAksZoneId(value, "privatelink", [AZURE_PUBLIC_ZONE_SUFFIX]);
}

/**
 * The zone suffixes of AKS private DNS zones in Azure's public, US Government and China clouds: the
 * defaults of the zone-format rule's `zoneSuffixes` parameter, where each is cited.
 */
export const AKS_ZONE_SUFFIXES: readonly string[] = [AZURE_PUBLIC_ZONE_SUFFIX, "cx.aks.containerservice.azure.us", "cx.prod.service.azk8s.cn"];

/** A zone name AKS can use for a private cluster: Private Link or VNet Integration form, in any of those clouds. */
export function isAksPrivateDnsZoneName(value: unknown): boolean {
  return typeof value === "string" && ["privatelink", "private"].some((label) => isAksZoneName(value, label, AKS_ZONE_SUFFIXES));
}

export function aksPrivateDnsZoneName(actual: unknown, expected: boolean): Tri {
  if (actual instanceof Unknown) return actual;
  return isAksPrivateDnsZoneName(actual) === expected;
}

/**
 * Stack rules: true when no related resource's `field` equals `own` (Azure names compare
 * case-insensitively). An unknown on either side keeps the answer unknown unless a known match decides.
 */
export function noneRelated(related: readonly ElementReader[], field: string, own: unknown): Tri {
  if (own instanceof Unknown && !(own instanceof PartialText)) return own;
  return not(some(related, (read) => equals(read(field), own)));
}

/**
 * isAksZoneId of a partly known text whose holes are segments (a subscription ID, a resource group
 * name): its `/`-separated segments are then known in number, each known or partly known. Decided
 * when each check is: a fixed segment no completion can match fails, and the zone name is judged
 * when it is known text. Anything else is unknown.
 */
function partialZoneId(text: PartialText, label: string, suffixes: readonly unknown[]): Tri {
  if (!text.parts.every((p) => typeof p === "string" || p.segment)) return text;
  // Split on `/`: a segment hole never holds one, so the segments are exact.
  const segments: (string | PartialText)[] = [];
  let current: (string | TextHole)[] = [];
  const close = () => segments.push(current.every((p) => typeof p === "string") ? current.join("") : new PartialText(current, text.error));
  for (const p of text.parts) {
    if (typeof p !== "string") {
      current.push(p);
      continue;
    }
    const pieces = p.split("/");
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        close();
        current = [];
      }
      if (pieces[i] !== "") current.push(pieces[i]);
    }
  }
  close();
  if (segments.length !== 9) return false;
  const checks: Tri[] = [segments[0] === ""];
  ["subscriptions", undefined, "resourcegroups", undefined, "providers", "microsoft.network", "privatednszones"].forEach((name, i) => {
    const s = segments[i + 1];
    // A segment hole is never empty; a known segment must not be.
    if (name === undefined) checks.push(s !== "");
    else checks.push(typeof s === "string" ? s.toLowerCase() === name : partialEquals(s, name));
  });
  const zone = segments[8];
  checks.push(typeof zone === "string" ? zone !== "" && isAksZoneName(zone, label, suffixes) : zone);
  return allOf(...checks);
}

export function validAksPrivateDnsZoneId(actual: unknown, expected: boolean): Tri {
  if (actual instanceof PartialText) return equals(partialZoneId(actual, "privatelink", [AZURE_PUBLIC_ZONE_SUFFIX]), expected);
  if (actual instanceof Unknown) return actual;
  return isAksPrivateDnsZoneId(actual) === expected;
}

/** True when the value is not a Private Link zone ID (`[<subzone>.]privatelink.<region>.<suffix>`). */
export function notPrivateLinkZoneId(actual: unknown, suffixes: unknown): Tri {
  if (actual instanceof PartialText) return not(partialZoneId(actual, "privatelink", Array.isArray(suffixes) ? suffixes : []));
  if (actual instanceof Unknown) return actual;
  return !isAksZoneId(actual, "privatelink", Array.isArray(suffixes) ? suffixes : []);
}

/** True when the value is not a VNet Integration zone ID (`[<subzone>.]private.<region>.<suffix>`). */
export function notVnetIntegrationZoneId(actual: unknown, suffixes: unknown): Tri {
  if (actual instanceof PartialText) return not(partialZoneId(actual, "private", Array.isArray(suffixes) ? suffixes : []));
  if (actual instanceof Unknown) return actual;
  return !isAksZoneId(actual, "private", Array.isArray(suffixes) ? suffixes : []);
}

/** Some element of an objectArray field satisfies `test` (which reads that element's fields). */
export function anyElement(elements: unknown, test: (field: ElementReader) => Tri): Tri {
  if (elements instanceof Unknown) return elements;
  if (!Array.isArray(elements)) return false;
  return some(elements, (e: ElementReader | Unknown) => (e instanceof Unknown ? e : test(e)));
}

/** Some element of a list equals one of the operands (Azure's `in`: strings case-insensitive). */
export function anyIn(actual: unknown, expected: readonly unknown[]): Tri {
  if (actual instanceof Unknown) return actual;
  if (!Array.isArray(actual)) return false;
  return some(actual, (v) => (v instanceof Unknown ? isIn(v, expected) : expected.some((e) => looselyEquals(v, e))));
}

/**
 * Address blocks no internet host connects from, by family, each as the texts its leading parts take:
 * IPv4 by its first octets in canonical decimal (`10`, not `010`), IPv6 by the first hex digit of
 * its first group (a group of fewer than four digits has leading zeros, so its first digit is 0).
 * `prefix` is the block's prefix length: a source lies in the block when its own prefix is at least
 * as long and its leading parts match.
 *
 * IPv4: the blocks of the IANA IPv4 Special-Purpose Address Registry
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/) marked "Globally Reachable: False"
 * — 0.0.0.0/8 (RFC 1122), 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), 100.64.0.0/10
 * (RFC 6598), 127.0.0.0/8, 169.254.0.0/16 (RFC 3927), 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
 * (RFC 5737), 198.18.0.0/15 (RFC 2544) — and 224.0.0.0/3: multicast 224.0.0.0/4 (RFC 5771) and the
 * reserved 240.0.0.0/4 (RFC 1112), never the source of a connection. 192.0.0.0/24 is left out: the
 * registry lists globally reachable addresses inside it.
 * IPv6: everything outside 2000::/3, the only range IANA allocates for global unicast ("IANA unicast
 * address assignments are currently limited to the IPv6 unicast address range of 2000::/3",
 * Internet Protocol Version 6 Address Space, https://www.iana.org/assignments/ipv6-address-space/):
 * ::/3, 4000::/2, 8000::/1 (which hold ::1, IPv4-mapped addresses, fc00::/7 unique local and
 * fe80::/10 link-local addresses).
 * Blocks narrower than /32 inside 2000::/3 (2001:db8::/32, documentation) never matter: a source that
 * narrow is never broad enough to count (internetPrefixLength is at most 32).
 */
export const NON_INTERNET_IPV4: readonly { cidr: string; prefix: number; octets: readonly (readonly string[])[] }[] = [
  { cidr: "0.0.0.0/8", prefix: 8, octets: [["0"]] },
  { cidr: "10.0.0.0/8", prefix: 8, octets: [["10"]] },
  { cidr: "127.0.0.0/8", prefix: 8, octets: [["127"]] },
  { cidr: "224.0.0.0/3", prefix: 3, octets: [decimals(224, 255)] },
  { cidr: "100.64.0.0/10", prefix: 10, octets: [["100"], decimals(64, 127)] },
  { cidr: "172.16.0.0/12", prefix: 12, octets: [["172"], decimals(16, 31)] },
  { cidr: "198.18.0.0/15", prefix: 15, octets: [["198"], ["18", "19"]] },
  { cidr: "169.254.0.0/16", prefix: 16, octets: [["169"], ["254"]] },
  { cidr: "192.168.0.0/16", prefix: 16, octets: [["192"], ["168"]] },
  { cidr: "192.0.2.0/24", prefix: 24, octets: [["192"], ["0"], ["2"]] },
  { cidr: "198.51.100.0/24", prefix: 24, octets: [["198"], ["51"], ["100"]] },
  { cidr: "203.0.113.0/24", prefix: 24, octets: [["203"], ["0"], ["113"]] },
];
export const NON_INTERNET_IPV6: readonly { cidr: string; prefix: number; nibbles: readonly string[] }[] = [
  { cidr: "::/3", prefix: 3, nibbles: ["0", "1"] },
  { cidr: "4000::/2", prefix: 2, nibbles: ["4", "5", "6", "7"] },
  { cidr: "8000::/1", prefix: 1, nibbles: ["8", "9", "a", "b", "c", "d", "e", "f"] },
];

/** The canonical decimal texts from `from` to `to`. */
function decimals(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

/** Source spellings that mean every address: `*`, the `Internet` service tag, and the portal's `Any`. */
export const INTERNET_KEYWORDS: readonly string[] = ["*", "internet", "any"];

/** The parts of a source text the internet test reads; the Azure rendering computes the same ones. */
export interface SourceParts {
  /** The text, trimmed and lower-cased ('' when the value is not text). */
  text: string;
  /** The prefix length, or 0 when it is not a canonical decimal within the family's width. */
  prefix: number;
  /** The first three IPv4 octets as written ('' where there is none). */
  octets: [string, string, string];
  /** The first hex digit of the IPv6 address: '0' for a short first group, 'x' for an overlong one. */
  nibble: string;
  ipv6: boolean;
}

export function sourceParts(source: unknown): SourceParts {
  const text = typeof source === "string" ? source.trim().toLowerCase() : "";
  const pieces = text.split("/");
  const address = pieces[0];
  const prefixText = pieces[pieces.length - 1];
  const ipv6 = address.includes(":");
  const canonical = pieces.length === 2 && prefixText.length <= 3 && DIGITS.test(prefixText) && (prefixText === "0" || !prefixText.startsWith("0"));
  const written = canonical ? Number(prefixText) : 0;
  const prefix = written > (ipv6 ? 128 : 32) ? 0 : written;
  const [a = "", b = "", c = ""] = address.split(".");
  const group = address.split(":")[0];
  const nibble = group.length === 4 ? group.charAt(0) : group.length < 4 ? "0" : "x";
  return { text, prefix, octets: [a, b, c], nibble, ipv6 };
}

/**
 * Whether a network security rule's source admits the internet (apiguard's definition; Microsoft
 * gives none beyond the `Internet` service tag):
 * - `*`, `Internet` and `Any` in any casing, padded or not ("*0.0.0.0/0* in the Source and Destination
 *   columns represents all IP addresses. Clients like the Azure portal, Azure CLI, or PowerShell can
 *   use * or Any for this expression", Azure network security groups overview,
 *   https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview);
 * - a block broader than /`prefixLength` (a shorter prefix; IPv6 compares the same prefix length,
 *   the same share of its family's space) that holds public addresses, i.e. does not lie in one of
 *   the NON_INTERNET blocks: `0.0.0.0/0`, `::/0`, `0.0.0.0/1` and `128.0.0.0/1`, `8.0.0.0/6` are the
 *   internet, `10.0.0.0/8` or `fc00::/7` are not. /0 is always broad. A prefix that is not a canonical
 *   decimal within the family's width cannot be verified and reads as /0; an address whose leading
 *   parts are not canonical matches no block, so it reads as public;
 * - the all-zero address without a prefix, in any spelling (see isAllZeroAddress).
 * Other text is a single host or a service tag naming Azure's own addresses (VirtualNetwork,
 * AzureLoadBalancer, ...): not the internet. A value that is not text is no source at all.
 */
export function isInternetSource(source: unknown, prefixLength: number): boolean {
  const parts = sourceParts(source);
  if (INTERNET_KEYWORDS.includes(parts.text)) return true;
  if (!parts.text.includes("/")) return isAllZeroAddress(parts.text);
  if (parts.prefix >= Math.max(prefixLength, 1)) return false;
  const inBlock = parts.ipv6
    ? NON_INTERNET_IPV6.some((b) => parts.prefix >= b.prefix && b.nibbles.includes(parts.nibble))
    : NON_INTERNET_IPV4.some((b) => parts.prefix >= b.prefix && b.octets.every((texts, i) => texts.includes(parts.octets[i])));
  return !inBlock;
}

export function admitsInternet(actual: unknown, prefixLength: unknown): Tri {
  if (actual instanceof Unknown) return actual;
  return isInternetSource(actual, Number(prefixLength));
}

export function anyAdmitsInternet(actual: unknown, prefixLength: unknown): Tri {
  if (actual instanceof Unknown) return actual;
  if (!Array.isArray(actual)) return false;
  return anyOf(...actual.map((v) => (v instanceof Unknown ? v : isInternetSource(v, Number(prefixLength)))));
}

/** Characters Azure Policy's `tags[<name>]` field syntax cannot carry in a name: a name holding one names no tag. */
export const UNADDRESSABLE_TAG_CHARACTERS: readonly string[] = ["'", '"', "[", "]"];
/** A tag name no resource can carry ("Tag names can't contain these characters: <, >, %, &, \\, ?, /"). */
export const NO_TAG = "<apiguard:no-tag>";

/**
 * Whether `tags` carries the tag `spec` names: `name=value` (the tag's value equals `value`; values
 * compare case-insensitively, as Azure Policy's equals) or `name` alone (the tag is set, to anything).
 * The name is everything before the first `=`; Azure reads tag names without regard to case. An
 * empty name, or one with a quote or bracket (which Azure Policy's field syntax cannot address),
 * names no tag; tags that are not an object hold none.
 */
export function isTagged(tags: unknown, spec: unknown): boolean {
  if (typeof spec !== "string" || tags === null || typeof tags !== "object" || Array.isArray(tags)) return false;
  const eq = spec.indexOf("=");
  const name = (eq < 0 ? spec : spec.slice(0, eq)).toLowerCase();
  if (name === "" || UNADDRESSABLE_TAG_CHARACTERS.some((c) => name.includes(c))) return false;
  const values = Object.keys(tags)
    .filter((k) => k.toLowerCase() === name)
    .map((k) => (tags as Record<string, unknown>)[k]);
  // Azure Policy's equals reads a null value as '' (an absent one as nothing).
  return eq < 0 ? values.some((v) => v !== undefined && v !== null) : values.some((v) => looselyEquals(v ?? "", spec.slice(eq + 1)));
}

export function hasTag(actual: unknown, spec: unknown): Tri {
  if (actual instanceof Unknown) return actual;
  return isTagged(actual, spec);
}

const PORT_DIGITS = /^[0-9]+$/;
/** Longer digit strings are not ports and would overflow Azure's int(). */
const MAX_PORT_TEXT = 11;

/**
 * Whether an NSG port specification admits `port`: `*`, a port (`22`), or an inclusive range
 * (`20-25`) (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
 * Anything else admits nothing here: Azure rejects it when the rule is created.
 */
export function isPortCovered(spec: unknown, port: number): boolean {
  const text = typeof spec === "number" ? String(spec) : spec;
  if (typeof text !== "string") return false;
  if (text === "*") return true;
  if (text.length > MAX_PORT_TEXT) return false;
  if (PORT_DIGITS.test(text)) return Number(text) === port;
  const bounds = text.split("-");
  if (bounds.length !== 2 || !bounds.every((b) => PORT_DIGITS.test(b))) return false;
  return Number(bounds[0]) <= port && port <= Number(bounds[1]);
}

export function coversPort(actual: unknown, ports: readonly unknown[]): Tri {
  if (actual instanceof Unknown) return actual;
  return ports.some((p) => isPortCovered(actual, Number(p)));
}

export function anyCoversPort(actual: unknown, ports: readonly unknown[]): Tri {
  if (actual instanceof Unknown) return actual;
  if (!Array.isArray(actual)) return false;
  return some(actual, (v) => (v instanceof Unknown ? v : ports.some((p) => isPortCovered(v, Number(p)))));
}

export function not(value: Tri): Tri {
  return value instanceof Unknown ? value : !value;
}

export function allOf(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return unknownOf(values) ?? true;
}

export function anyOf(...values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return unknownOf(values) ?? false;
}

/**
 * anyOf over the elements of a list, each tested by `test`. Folded, never spread into one call: a
 * list (150,000 authorized ranges) can hold more values than a call takes arguments.
 */
function some<T>(list: readonly T[], test: (item: T) => Tri): Tri {
  let unknown: Unknown | undefined;
  for (const item of list) {
    const value = test(item);
    if (value === true) return true;
    if (value instanceof Unknown) unknown ??= value;
  }
  return unknown ?? false;
}

/** A rule fails when it applies and its failure condition holds. */
export function judge(applies: Tri, fails: Tri): Verdict {
  if (applies === false) return "not-applicable";
  if (fails === false) return "pass";
  if (applies === true && fails === true) return "fail";
  return "unknown";
}

/** The error to rethrow for an `unknown` verdict, so the Pulumi runtime reports it as "can't run during preview". */
export function unknownCause(...values: Tri[]): Error | undefined {
  return unknownOf(values)?.error;
}
