/**
 * Roll-out rings and exemptions: which ring a stack or an Azure resource belongs to, whether an
 * exemption covers a resource, and whether it is still honoured. One definition for every engine:
 * the generator copies this file verbatim into the policy pack (policypack/rollout.ts), `apiguard
 * evaluate` and the catalog loader import it, so the pack, the CLI and the Azure outputs agree.
 *
 * Self-contained on purpose (no imports), like core/semantics/semantics.ts. Pure: the current time
 * is always a parameter, so nothing here depends on the day it runs.
 *
 * Patterns (stack names, resource names, URNs) know one wildcard: `*`, any run of characters
 * (possibly none). Everything else matches itself.
 */

/** Enforcement, weakest first: the order `atLeast` compares by. */
export type Level = "disabled" | "advisory" | "mandatory";
export const LEVELS: readonly Level[] = ["disabled", "advisory", "mandatory"];
/** Azure Policy's assignment enforcement modes a ring may take; `Enroll` is the EPAC rendering's. */
export type EnforcementMode = "Default" | "DoNotEnforce";

/** The policy that reports exempt violations, always advisory. */
export const EXEMPTIONS_POLICY = "exemptions";
/** The policy that checks a preview runs with its stack's ring config. */
export const RING_POLICY = "rollout-ring";
/** The ring of every stack and resource no ring selects. */
export const REST = "rest";

/** Stacks a ring selects: a name matching one of `names` (when given) and every tag in `tags` (when given). */
export interface StackSelector {
  names?: string[];
  tags?: Record<string, string>;
}

/**
 * Azure resources a ring selects, as one Azure resource selector: every kind given must hold
 * ("Azure Policy assignment structure", resource selectors,
 * https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure#resource-selectors).
 */
export interface AzureSelector {
  resourceLocation?: string[];
  resourceType?: string[];
  resourceWithoutLocation?: string[];
}

export type AzureSelectorKind = keyof AzureSelector;
export const AZURE_SELECTOR_KINDS: readonly AzureSelectorKind[] = ["resourceLocation", "resourceType", "resourceWithoutLocation"];

/** Enforcement as a roll-out file states it: one level for every rule (`all`) and levels per rule id. */
export type EnforcementTable = Record<string, Level>;

/** What a ring (or the rest of the estate) gets now. */
export interface Stage {
  enforcementMode: EnforcementMode;
  enforcement: EnforcementTable;
}

export interface Ring extends Stage {
  name: string;
  description?: string;
  stacks?: StackSelector;
  /** Alternatives: a resource is in the ring when it satisfies any of them. */
  azure?: AzureSelector[];
}

export interface Rollout {
  rings: Ring[];
  rest: Stage;
  /** EPAC renders the rings as policy enrollments into one assignment in Enroll mode (preview). */
  enroll: boolean;
}

/** A Pulumi resource an exemption names: every field given must match. */
export interface PulumiMatcher {
  stack?: string;
  name?: string;
  urn?: string;
}

export type ExemptionCategory = "Waiver" | "Mitigated";

export interface Exemption {
  name: string;
  rules: string[];
  category: ExemptionCategory;
  reason: string;
  reference: string;
  /** UTC, `yyyy-MM-ddTHH:mm:ssZ`; absent: no expiry (Mitigated only). */
  expiresOn?: string;
  /** Literal Azure scopes: the scope and everything below it. */
  azureScopes: string[];
  pulumi: PulumiMatcher[];
}

export type ExemptionStatus = "active" | "expired";

export interface ExemptionMatch {
  exemption: Exemption;
  status: ExemptionStatus;
}

/** The stack of a Pulumi resource: its name and tags. */
export interface StackInfo {
  name: string;
  tags?: Record<string, string>;
}

/** What Azure resource selectors read of a resource. */
export interface AzureResourceInfo {
  type: string;
  /** Absent for resources without a location (subscription-level resources). */
  location?: string;
}

// ------------------------------------------------------------------------------------------------
// Patterns

/** Whether `text` matches `pattern` (`*` matches any run of characters). */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  // Greedy matching with backtracking to the last star: linear for `*`-only patterns. Past the end
  // of the pattern, p[pi] is undefined and equals no character.
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (p[pi] === "*") {
      star = pi++;
      resume = ti;
    } else if (p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else return false;
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

/**
 * A string both patterns match, or undefined when none exists: two rings whose stack patterns share
 * a match overlap. Stars stand for nothing where they can, so the witness is the shortest such string.
 */
export function globIntersection(a: string, b: string): string | undefined {
  const memo = new Map<string, string | null>();
  const solve = (i: number, j: number): string | null => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    // Every step consumes a character of at least one pattern and none goes past its end, so the
    // recursion ends; a character past the end is undefined.
    let result: string | null = null;
    const x = a[i];
    const y = b[j];
    if (i === a.length && j === b.length) result = "";
    else if (x === "*") {
      // The star matches nothing, or also what the other pattern's next character matches.
      result = solve(i + 1, j);
      if (result === null && j < b.length) {
        const rest = solve(i, j + 1);
        if (rest !== null) result = (y === "*" ? "" : y) + rest;
      }
    } else if (y === "*") {
      result = solve(i, j + 1);
      if (result === null && i < a.length) {
        const rest = solve(i + 1, j);
        if (rest !== null) result = x + rest;
      }
    } else if (x === y) {
      // Both past the end is the case above, so x is a character here.
      const rest = solve(i + 1, j + 1);
      if (rest !== null) result = x + rest;
    }
    memo.set(key, result);
    return result;
  };
  return solve(0, 0) ?? undefined;
}

/** A Pulumi URN's parts: `urn:pulumi:<stack>::<project>::<type>::<name>` (the name may hold `::`). */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
  const prefix = "urn:pulumi:";
  if (!urn.startsWith(prefix)) return undefined;
  const parts = urn.slice(prefix.length).split("::");
  if (parts.length < 4) return undefined;
  return { stack: parts[0], project: parts[1], type: parts[2], name: parts.slice(3).join("::") };
}

// ------------------------------------------------------------------------------------------------
// Rings

export function stackSelected(selector: StackSelector, stack: StackInfo): boolean {
  if (selector.names && !selector.names.some((n) => globMatch(n, stack.name))) return false;
  for (const [key, value] of Object.entries(selector.tags ?? {})) {
    if (stack.tags?.[key] !== value) return false;
  }
  return true;
}

/** The ring a stack belongs to: the first whose stack selector holds, else the rest. */
export function ringOfStack(rollout: Pick<Rollout, "rings">, stack: StackInfo): string {
  return rollout.rings.find((r) => r.stacks !== undefined && stackSelected(r.stacks, stack))?.name ?? REST;
}

/** Azure compares locations and types without regard to case; ARM also accepts a location's display name ("West Europe"). */
function normalLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function azureSelected(selector: AzureSelector, resource: AzureResourceInfo): boolean {
  const location = resource.location === undefined ? undefined : normalLocation(resource.location);
  // A resource without a location is in no location list.
  if (selector.resourceLocation && !selector.resourceLocation.some((l) => normalLocation(l) === location)) return false;
  if (selector.resourceType && !selector.resourceType.some((t) => t.toLowerCase() === resource.type.toLowerCase())) return false;
  // "subscriptionLevelResources" is the only value Azure documents: resources without a location.
  if (selector.resourceWithoutLocation && location !== undefined) return false;
  return true;
}

/** The ring an Azure resource belongs to: the first with an alternative that selects it, else the rest. */
export function ringOfAzureResource(rollout: Pick<Rollout, "rings">, resource: AzureResourceInfo): string {
  return rollout.rings.find((r) => r.azure?.some((s) => azureSelected(s, resource)))?.name ?? REST;
}

/**
 * Whether some stack satisfies both selectors: their name patterns share a match (or one selects
 * by no name), and no tag key asks for two values. Returns such a stack, or undefined.
 */
export function stackSelectorsOverlap(a: StackSelector, b: StackSelector): StackInfo | undefined {
  let name: string | undefined = "any-stack";
  const names = a.names ?? b.names;
  if (a.names && b.names) {
    name = undefined;
    for (const x of a.names) for (const y of b.names) name ??= globIntersection(x, y);
  } else if (names) {
    // A name the one side's first pattern accepts, with each star standing for nothing.
    name = names[0].split("*").join("");
  }
  if (name === undefined) return undefined;
  const tags: Record<string, string> = { ...a.tags };
  for (const [key, value] of Object.entries(b.tags ?? {})) {
    if (key in tags && tags[key] !== value) return undefined;
    tags[key] = value;
  }
  return { name, tags };
}

/**
 * Whether some resource satisfies both Azure selectors, and what it is: for each kind both
 * constrain, a value both list (locations and types compared without regard to case). A selector on
 * resources without a location never meets one on locations.
 */
export function azureSelectorsOverlap(a: AzureSelector, b: AzureSelector): Partial<Record<AzureSelectorKind, string>> | undefined {
  if ((a.resourceLocation && b.resourceWithoutLocation) || (a.resourceWithoutLocation && b.resourceLocation)) return undefined;
  const witness: Partial<Record<AzureSelectorKind, string>> = {};
  for (const kind of AZURE_SELECTOR_KINDS) {
    const x = a[kind];
    const y = b[kind];
    if (!x || !y) continue;
    const norm = (v: string) => (kind === "resourceLocation" ? normalLocation(v) : v.toLowerCase());
    const shared = x.find((v) => y.some((w) => norm(w) === norm(v)));
    if (shared === undefined) return undefined;
    witness[kind] = shared;
  }
  return witness;
}

// ------------------------------------------------------------------------------------------------
// Enforcement

/** The level a stage states for a rule: the rule's own entry, else `all`, else the catalog's. */
export function declaredLevel(stage: Stage, rule: string, catalog: Level): Level {
  return stage.enforcement[rule] ?? stage.enforcement.all ?? catalog;
}

/** The level that holds: DoNotEnforce reports what would be denied and blocks nothing, as advisory does. */
export function effectiveLevel(stage: Stage, rule: string, catalog: Level): Level {
  const declared = declaredLevel(stage, rule, catalog);
  return stage.enforcementMode === "DoNotEnforce" && declared === "mandatory" ? "advisory" : declared;
}

export function atLeast(level: Level, floor: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(floor);
}

// ------------------------------------------------------------------------------------------------
// Exemptions

/**
 * Whether an exemption is honoured at `now`. Like Azure, an expired exemption is kept for the
 * record but no longer honoured ("Azure Policy exemption structure", expiration,
 * https://learn.microsoft.com/azure/governance/policy/concepts/exemption-structure).
 */
export function exemptionStatus(exemption: Pick<Exemption, "expiresOn">, now: Date): ExemptionStatus {
  return exemption.expiresOn !== undefined && now.getTime() >= Date.parse(exemption.expiresOn) ? "expired" : "active";
}

/** Whether a resource id is the scope or below it (Azure ids compare without regard to case). */
export function withinScope(scope: string, resourceId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const id = resourceId.toLowerCase();
  return id === s || id.startsWith(`${s}/`);
}

export function pulumiMatched(matcher: PulumiMatcher, resource: { urn: string; name: string }): boolean {
  const stack = parseUrn(resource.urn)?.stack;
  if (matcher.stack !== undefined && (stack === undefined || !globMatch(matcher.stack, stack))) return false;
  if (matcher.name !== undefined && !globMatch(matcher.name, resource.name)) return false;
  if (matcher.urn !== undefined && !globMatch(matcher.urn, resource.urn)) return false;
  return true;
}

/** The first honoured exemption among those that match, else the first expired one. */
function firstMatch(candidates: Exemption[], now: Date): ExemptionMatch | undefined {
  const matches = candidates.map((exemption) => ({ exemption, status: exemptionStatus(exemption, now) }));
  return matches.find((m) => m.status === "active") ?? matches[0];
}

/** The exemption of `rule` that covers a Pulumi resource (by stack, name or URN), if any. */
export function pulumiExemption(exemptions: readonly Exemption[], rule: string, resource: { urn: string; name: string }, now: Date): ExemptionMatch | undefined {
  return firstMatch(
    exemptions.filter((e) => e.rules.includes(rule) && e.pulumi.some((m) => pulumiMatched(m, resource))),
    now,
  );
}

/** The exemption of `rule` that covers an Azure resource id (by scope), if any. */
export function azureExemption(exemptions: readonly Exemption[], rule: string, resourceId: string, now: Date): ExemptionMatch | undefined {
  return firstMatch(
    exemptions.filter((e) => e.rules.includes(rule) && e.azureScopes.some((s) => withinScope(s, resourceId))),
    now,
  );
}

/** An expiry as people write it: the date alone when it is the end of that day (UTC). */
export function expiryText(expiresOn: string): string {
  return expiresOn.endsWith("T23:59:59Z") ? expiresOn.slice(0, 10) : expiresOn;
}

/** The exemption's name, category and ticket: "exemption 'x' (Waiver, ref CHG-1". */
function named(e: Exemption): string {
  return `exemption '${e.name}' (${e.category}, ref ${e.reference}`;
}

/** The report of an exempt violation; `exemptRule` reads the rule back from it. */
export function exemptMessage(rule: string, e: Exemption, verdict: "fail" | "unknown"): string {
  const what = verdict === "fail" ? "fails" : "can't decide during preview";
  const expiry = e.expiresOn === undefined ? "no expiry" : `expires ${expiryText(e.expiresOn)}`;
  return `exempt from '${rule}' (${what}; not blocking): ${named(e)}, ${expiry}): ${e.reason}`;
}

/** The rule an exempt report is about. */
export function exemptRule(message: string): string | undefined {
  return /^exempt from '([^']+)'/.exec(message)?.[1];
}

/** What a violation adds when the exemption that covered it has expired. */
export function expiredNote(e: Exemption): string {
  return `The ${named(e)}) expired on ${expiryText(String(e.expiresOn))} and no longer applies: ${e.reason}`;
}
