/**
 * The catalog's roll-out and exemptions: `rollout.yaml` (rings) and `exemptions.yaml`, both
 * optional, beside the rules (in a team's catalog, beside bundled.yaml). They are read with
 * positions and checked against the catalog's rules, so every mistake is an error at
 * file:line:column: an unknown rule, a malformed pattern, scope or date, an exemption without a
 * reason, rings that overlap, and the limits Azure imposes on an assignment, which its published
 * schemas do not encode ("Azure Policy assignment structure",
 * https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure: at most 10
 * resource selectors, 50 values per selector and 10 overrides, each override selecting at most 50
 * policy definition reference ids).
 *
 * Nothing here depends on the date: an expired exemption is still an exemption (Azure keeps it for
 * the record); the command line warns about it (expiredExemptions).
 */
import * as fs from "fs";
import * as path from "path";
import type { Rule, SourcePosition } from "../ir/types";
import {
  AZURE_SELECTOR_KINDS,
  REST,
  atLeast,
  azureSelectorsOverlap,
  declaredLevel,
  effectiveLevel,
  exemptionStatus,
  expiryText,
  stackSelectorsOverlap,
  type AzureSelector,
  type Exemption,
  type Level,
  type Ring,
  type Rollout,
  type Stage,
  type StackSelector,
} from "../rollout/rollout";
import { ErrorCollector } from "./errors";
import { displayPath, readCatalogFile } from "./files";
import { compileRuleSchema, schemaErrors } from "./schema";
import { CatalogError, CatalogErrors, type SourceDocument } from "./yaml-source";

export const ROLLOUT_FILE = "rollout.yaml";
export const EXEMPTIONS_FILE = "exemptions.yaml";
export const ROLLOUT_SCHEMA = "rollout.schema.json";
export const EXEMPTIONS_SCHEMA = "exemptions.schema.json";

/** Azure's limits on one assignment (assignment structure, resource selectors and overrides). */
export const AZURE_LIMITS = { resourceSelectors: 10, selectorValues: 50, overrides: 10, overrideReferenceIds: 50 } as const;
/** A ring's assignment is `apiguard-ring-<name>`; Azure allows 24 characters at management-group scope. */
export const RING_ASSIGNMENT_PREFIX = "apiguard-ring-";
export const MAX_RING_NAME = 24 - RING_ASSIGNMENT_PREFIX.length;
/** An Azure exemption is named `<name>-<assignment>` within its 64 characters (Microsoft.Authorization/policyExemptions naming rules). */
export const MAX_EXEMPTION_NAME = 64 - 1 - 24;
/** An Azure exemption's description (its reason) holds 512 characters (exemption structure). */
export const MAX_REASON = 512;
/** A ring's description goes into its assignment's, which holds 512 characters with apiguard's own words. */
export const MAX_RING_DESCRIPTION = 300;

/** An exemption and where it is declared (for warnings). */
export interface CatalogExemption extends Exemption {
  at: SourcePosition;
}

export interface Estate {
  rollout?: Rollout;
  exemptions: CatalogExemption[];
}

const KEBAB = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LOCATION = /^[A-Za-z0-9]+$/;
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+(\/[A-Za-z][A-Za-z0-9]*)+$/;
/** Pulumi stack names: alphanumerics, hyphens, underscores and periods (plus the wildcard). */
const STACK_PATTERN = /^[A-Za-z0-9._*-]+$/;
const GUID = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";
const NAME_SEGMENT = "[^/*\\s][^/*]*";
/** The scopes an Azure policy exemption can be created at (`az policy exemption create --scope`). */
const SCOPES = [
  new RegExp(`^/providers/Microsoft\\.Management/managementGroups/${NAME_SEGMENT}$`, "i"),
  new RegExp(`^/subscriptions/${GUID}$`, "i"),
  new RegExp(`^/subscriptions/${GUID}/resourceGroups/${NAME_SEGMENT}$`, "i"),
  new RegExp(`^/subscriptions/${GUID}/resourceGroups/${NAME_SEGMENT}/providers/[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)+(/[A-Za-z][A-Za-z0-9]*/${NAME_SEGMENT})+$`, "i"),
];

type Path = (string | number)[];

/** The catalog's schema file `name`: its own, else the one beside `fallbackDir` (the installed apiguard's catalog). */
function schemaFor(root: string, name: string, fallbackDir: string | undefined): object {
  const own = path.join(root, name);
  const file = fs.existsSync(own) || !fallbackDir ? own : path.join(fallbackDir, name);
  if (!fs.existsSync(file)) throw new CatalogErrors([new CatalogError({ file: displayPath(file), line: 1, column: 1 }, `missing ${name}: it validates ${name.replace(".schema.json", ".yaml")}`)]);
  return JSON.parse(fs.readFileSync(file, "utf8")) as object;
}

function readValidated(root: string, file: string, schema: string, fallbackDir: string | undefined): { doc: SourceDocument; data: unknown } | undefined {
  const absolute = path.join(root, file);
  if (!fs.existsSync(absolute)) return undefined;
  const doc = readCatalogFile(absolute);
  const data = doc.toJS() ?? {};
  const validate = compileRuleSchema(schemaFor(root, schema, fallbackDir));
  if (!validate(data)) throw new CatalogErrors(schemaErrors(doc, validate.errors ?? []));
  return { doc, data };
}

/** Reads `rollout.yaml` and `exemptions.yaml` of the catalog at `root` (either may be absent), checked against `rules`. */
export function loadEstate(root: string, rules: readonly Rule[], schemaFallbackDir?: string): Estate {
  const errors = new ErrorCollector();
  const byId = new Map(rules.map((r) => [r.id, r]));
  const rollout = errors.run(() => {
    const read = readValidated(root, ROLLOUT_FILE, ROLLOUT_SCHEMA, schemaFallbackDir);
    return read && parseRollout(read.doc, read.data as RawRollout, byId);
  });
  const exemptions = errors.run(() => {
    const read = readValidated(root, EXEMPTIONS_FILE, EXEMPTIONS_SCHEMA, schemaFallbackDir);
    return read ? parseExemptions(read.doc, read.data as RawExemptions, byId) : [];
  });
  errors.throwIfAny();
  return { ...(rollout ? { rollout } : {}), exemptions: exemptions ?? [] };
}

/** The exemptions no longer honoured at `now`, as warnings naming where each is declared. */
export function expiredExemptions(exemptions: readonly CatalogExemption[], now: Date): string[] {
  return exemptions
    .filter((e) => exemptionStatus(e, now) === "expired")
    .map((e) => `${e.at.file}:${e.at.line}:${e.at.column}: exemption '${e.name}' expired on ${expiryText(String(e.expiresOn))}: its resources are judged again (${e.rules.join(", ")}); renew it or remove it`);
}

// ------------------------------------------------------------------------------------------------
// rollout.yaml

type RawStage = { enforcementMode?: Stage["enforcementMode"]; enforcement?: Stage["enforcement"] };
type RawRing = RawStage & { name: string; description?: string; azure?: AzureSelector | AzureSelector[]; stacks?: StackSelector };
type RawRollout = { rest?: RawStage; rings?: RawRing[]; enroll?: boolean };

function stage(raw: RawStage | undefined): Stage {
  return { enforcementMode: raw?.enforcementMode ?? "Default", enforcement: { ...raw?.enforcement } };
}

function checkEnforcement(doc: SourceDocument, at: Path, table: Stage["enforcement"], rules: Map<string, Rule>, errors: ErrorCollector): void {
  for (const id of Object.keys(table)) {
    if (id !== "all" && !rules.has(id)) errors.add(doc.error([...at, id], unknownRule(id, rules), { key: true }));
  }
}

function unknownRule(id: string, rules: Map<string, Rule>): string {
  return `unknown rule '${id}' (the catalog's rules: ${[...rules.keys()].join(", ")})`;
}

function checkAzureSelector(doc: SourceDocument, at: Path, selector: AzureSelector, errors: ErrorCollector): void {
  if (selector.resourceLocation && selector.resourceWithoutLocation) {
    errors.add(doc.error([...at, "resourceWithoutLocation"], "resourceLocation and resourceWithoutLocation cannot be in one selector (Azure Policy assignment structure); give each its own", { key: true }));
  }
  for (const kind of AZURE_SELECTOR_KINDS) {
    const values = selector[kind] ?? [];
    if (values.length > AZURE_LIMITS.selectorValues) errors.add(doc.error([...at, kind], `${values.length} values: Azure allows at most ${AZURE_LIMITS.selectorValues} in one selector`, { key: true }));
    const seen = new Set<string>();
    values.forEach((value, i) => {
      const where = [...at, kind, i];
      if (kind === "resourceLocation" && !LOCATION.test(value)) errors.add(doc.error(where, `'${value}' is not a location name (letters and digits, e.g. westeurope)`));
      if (kind === "resourceType" && !RESOURCE_TYPE.test(value)) errors.add(doc.error(where, `'${value}' is not a resource type (<namespace>/<type>, e.g. Microsoft.ContainerService/managedClusters)`));
      if (seen.has(value.toLowerCase())) errors.add(doc.error(where, `'${value}' is listed twice`));
      seen.add(value.toLowerCase());
    });
  }
}

function checkStackSelector(doc: SourceDocument, at: Path, selector: StackSelector, errors: ErrorCollector): void {
  (selector.names ?? []).forEach((name, i) => {
    if (!STACK_PATTERN.test(name)) errors.add(doc.error([...at, "names", i], `'${name}' is not a stack name pattern (letters, digits, '.', '_', '-', and '*' for any run of characters)`));
  });
  for (const key of Object.keys(selector.tags ?? {})) {
    if (key.trim() === "") errors.add(doc.error([...at, "tags", key], "a tag name cannot be empty", { key: true }));
  }
}

function describeStack(stack: { name: string; tags?: Record<string, string> }): string {
  const tags = Object.entries(stack.tags ?? {}).map(([k, v]) => `${k}=${v}`);
  return `a stack named '${stack.name}'${tags.length > 0 ? ` tagged ${tags.join(", ")}` : ""}`;
}

/**
 * Overlap, precisely: two rings overlap when one stack satisfies both stack selectors (name
 * patterns with a common match, and tags that do not contradict), or one Azure resource satisfies
 * an alternative of each (for every kind both constrain, a value both list).
 */
function checkOverlaps(doc: SourceDocument, rings: Ring[], errors: ErrorCollector): void {
  rings.forEach((ring, j) => {
    for (const earlier of rings.slice(0, j)) {
      const stack = ring.stacks && earlier.stacks ? stackSelectorsOverlap(earlier.stacks, ring.stacks) : undefined;
      if (stack) errors.add(doc.error(["rings", j, "stacks"], `ring '${ring.name}' overlaps ring '${earlier.name}': ${describeStack(stack)} is in both; give the rings names or tags no stack can share`, { key: true }));
      for (const a of earlier.azure ?? []) {
        for (const b of ring.azure ?? []) {
          const resource = azureSelectorsOverlap(a, b);
          if (!resource) continue;
          const what = Object.entries(resource).map(([k, v]) => `${k} ${v}`).join(", ");
          const kinds = (x: AzureSelector) => Object.keys(x).join(" and ");
          const which = what ? `a resource with ${what}` : `a resource both select (one constrains ${kinds(a)}, the other ${kinds(b)})`;
          errors.add(doc.error(["rings", j, "azure"], `ring '${ring.name}' overlaps ring '${earlier.name}': ${which} is in both; a resource may be in one ring only`, { key: true }));
        }
      }
    }
  });
}

/** The rules an Azure assignment overrides and how many overrides that takes: one per effect, 50 reference ids each. */
export function overrideCount(levels: Level[]): number {
  const perEffect = new Map<Level, number>();
  for (const l of levels) perEffect.set(l, (perEffect.get(l) ?? 0) + 1);
  return [...perEffect.values()].reduce((n, count) => n + Math.ceil(count / AZURE_LIMITS.overrideReferenceIds), 0);
}

function checkStageLimits(doc: SourceDocument, at: Path, s: Stage, rules: Map<string, Rule>, errors: ErrorCollector): void {
  if (Object.keys(s.enforcement).length === 0) return;
  const azureRules = [...rules.values()].filter((r) => r.backends.includes("azure-policy"));
  const levels = azureRules.map((r) => declaredLevel(s, r.id, r.enforcement));
  const count = new Set(levels).size === 1 ? 1 : overrideCount(levels);
  if (count > AZURE_LIMITS.overrides) errors.add(doc.error(at, `this enforcement needs ${count} overrides: Azure allows at most ${AZURE_LIMITS.overrides} in one assignment`, { key: true }));
}

function parseRollout(doc: SourceDocument, raw: RawRollout, rules: Map<string, Rule>): Rollout {
  const errors = new ErrorCollector();
  const rest = stage(raw.rest);
  checkEnforcement(doc, ["rest", "enforcement"], rest.enforcement, rules, errors);
  checkStageLimits(doc, ["rest", "enforcement"], rest, rules, errors);
  const names = new Set<string>();
  const rings: Ring[] = (raw.rings ?? []).map((r, i) => {
    const at: Path = ["rings", i];
    if (!KEBAB.test(r.name)) errors.add(doc.error([...at, "name"], `ring name '${r.name}' must be lower-case letters, digits and hyphens`));
    else if (r.name.length > MAX_RING_NAME) errors.add(doc.error([...at, "name"], `ring name '${r.name}' is longer than ${MAX_RING_NAME} characters: its assignment ${RING_ASSIGNMENT_PREFIX}${r.name} must fit the 24 characters Azure allows for an assignment name at management-group scope`));
    if (r.name === REST) errors.add(doc.error([...at, "name"], `'${REST}' names every stack and resource outside the rings; choose another ring name`));
    else if (names.has(r.name)) errors.add(doc.error([...at, "name"], `ring '${r.name}' is declared twice`));
    names.add(r.name);
    if (r.description && r.description.trim().length > MAX_RING_DESCRIPTION) errors.add(doc.error([...at, "description"], `the description is ${r.description.trim().length} characters: at most ${MAX_RING_DESCRIPTION} fit the ring assignment's description`));
    if (r.azure === undefined && r.stacks === undefined) errors.add(doc.error(at, `ring '${r.name}' selects nothing: give it \`azure\` (resource selectors), \`stacks\` (stack names or tags) or both`));
    const azure = r.azure === undefined ? undefined : Array.isArray(r.azure) ? r.azure : [r.azure];
    if (azure && azure.length > AZURE_LIMITS.resourceSelectors) errors.add(doc.error([...at, "azure"], `${azure.length} resource selectors: Azure allows at most ${AZURE_LIMITS.resourceSelectors} in one assignment`, { key: true }));
    azure?.forEach((s, k) => checkAzureSelector(doc, Array.isArray(r.azure) ? [...at, "azure", k] : [...at, "azure"], s, errors));
    if (r.stacks) checkStackSelector(doc, [...at, "stacks"], r.stacks, errors);
    const ring: Ring = { name: r.name, ...(r.description ? { description: r.description.trim() } : {}), ...(r.stacks ? { stacks: r.stacks } : {}), ...(azure ? { azure } : {}), ...stage(r) };
    checkEnforcement(doc, [...at, "enforcement"], ring.enforcement, rules, errors);
    checkStageLimits(doc, [...at, "enforcement"], ring, rules, errors);
    // The ring's resources are also evaluated by the rest's assignment: a weaker ring would not hold.
    for (const rule of rules.values()) {
      const mine = effectiveLevel(ring, rule.id, rule.enforcement);
      const theirs = effectiveLevel(rest, rule.id, rule.enforcement);
      if (atLeast(mine, theirs)) continue;
      const where = r.enforcement?.[rule.id] !== undefined ? [...at, "enforcement", rule.id] : r.enforcement?.all !== undefined ? [...at, "enforcement", "all"] : r.enforcementMode ? [...at, "enforcementMode"] : [...at, "name"];
      errors.add(doc.error(where, `ring '${r.name}' is weaker than the rest for '${rule.id}' (${mine} here, ${theirs} for the rest): its resources are also evaluated by the rest's assignment, so a ring can only be stricter`));
      break;
    }
    return ring;
  });
  checkOverlaps(doc, rings, errors);
  const rollout: Rollout = { rings, rest, enroll: raw.enroll ?? false };
  if (rollout.enroll) checkEnroll(doc, rollout, rules, errors);
  errors.throwIfAny();
  return rollout;
}

/**
 * Enroll mode (Azure Policy enrollment structure, preview,
 * https://learn.microsoft.com/azure/governance/policy/concepts/enrollment-structure): one
 * assignment evaluates everything and enforces its effects only for enrolled resources. So the
 * rest is DoNotEnforce, every ring in Default mode is enrolled, and all share one set of effects.
 */
function checkEnroll(doc: SourceDocument, rollout: Rollout, rules: Map<string, Rule>, errors: ErrorCollector): void {
  if (rollout.rest.enforcementMode !== "DoNotEnforce") {
    errors.add(doc.error(["enroll"], "Enroll mode enforces only what is enrolled: set rest.enforcementMode to DoNotEnforce", { key: true }));
  }
  for (const [i, ring] of rollout.rings.entries()) {
    const differs = [...rules.values()].find((r) => declaredLevel(ring, r.id, r.enforcement) !== declaredLevel(rollout.rest, r.id, r.enforcement));
    if (differs) errors.add(doc.error(["rings", i, "enforcement"], `Enroll mode has one assignment, so one effect per rule: ring '${ring.name}' and the rest differ for '${differs.id}'`, { key: true }));
  }
}

// ------------------------------------------------------------------------------------------------
// exemptions.yaml

type RawExemption = { name: string; rules: string[]; category: Exemption["category"]; reason: string; reference: string; expires?: string; azure?: { scopes: string[] }; pulumi?: Exemption["pulumi"] };
type RawExemptions = { exemptions: RawExemption[] };

/** `YYYY-MM-DD` (honoured through that day, UTC) or `YYYY-MM-DDTHH:MM:SSZ`, as Azure's `expiresOn`; undefined when malformed. */
export function parseExpiry(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = "23", minute = "59", second = "59"] = m.slice(1);
  const date = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second));
  // Date.UTC rolls over (February 30th becomes March 2nd): a rolled-over date was not a date.
  const real = date.getUTCFullYear() === +year && date.getUTCMonth() === +month - 1 && date.getUTCDate() === +day && date.getUTCHours() === +hour && date.getUTCMinutes() === +minute && date.getUTCSeconds() === +second;
  return real ? `${year}-${month}-${day}T${hour}:${minute}:${second}Z` : undefined;
}

function checkScope(doc: SourceDocument, at: Path, scope: string, errors: ErrorCollector): void {
  if (scope.includes("*")) {
    errors.add(doc.error(at, `'${scope}' is a pattern: an Azure policy exemption is created at one scope and Azure matches no patterns, so list each scope (a resource group exempts everything in it)`));
  } else if (!SCOPES.some((re) => re.test(scope))) {
    errors.add(doc.error(at, `'${scope}' is not a management group, subscription, resource group or resource id (e.g. /subscriptions/<subscription id>/resourceGroups/<name>)`));
  }
}

function checkMatcher(doc: SourceDocument, at: Path, matcher: Exemption["pulumi"][number], errors: ErrorCollector): void {
  if (matcher.stack !== undefined && !STACK_PATTERN.test(matcher.stack)) errors.add(doc.error([...at, "stack"], `'${matcher.stack}' is not a stack name pattern (letters, digits, '.', '_', '-', and '*' for any run of characters)`));
  if (matcher.name !== undefined && (matcher.name === "" || /[\u0000-\u001f]|::/.test(matcher.name))) errors.add(doc.error([...at, "name"], `'${matcher.name}' is not a resource name pattern (no '::' or control characters)`));
  if (matcher.urn !== undefined && (!matcher.urn.startsWith("urn:pulumi:") || /\s/.test(matcher.urn))) errors.add(doc.error([...at, "urn"], `'${matcher.urn}' is not a URN pattern (urn:pulumi:<stack>::<project>::<type>::<name>, '*' for any run of characters)`));
}

function parseExemptions(doc: SourceDocument, raw: RawExemptions, rules: Map<string, Rule>): CatalogExemption[] {
  const errors = new ErrorCollector();
  const names = new Set<string>();
  const exemptions = raw.exemptions.map((e, i): CatalogExemption => {
    const at: Path = ["exemptions", i];
    if (!KEBAB.test(e.name)) errors.add(doc.error([...at, "name"], `exemption name '${e.name}' must be lower-case letters, digits and hyphens`));
    else if (e.name.length > MAX_EXEMPTION_NAME) errors.add(doc.error([...at, "name"], `exemption name '${e.name}' is longer than ${MAX_EXEMPTION_NAME} characters: Azure names each exemption <name>-<assignment> within 64 characters`));
    if (names.has(e.name)) errors.add(doc.error([...at, "name"], `exemption '${e.name}' is declared twice`));
    names.add(e.name);
    e.rules.forEach((id, k) => {
      if (!rules.has(id)) errors.add(doc.error([...at, "rules", k], unknownRule(id, rules)));
    });
    if (e.reason.trim() === "") errors.add(doc.error([...at, "reason"], "an exemption needs a reason"));
    else if (e.reason.trim().length > MAX_REASON) errors.add(doc.error([...at, "reason"], `the reason is ${e.reason.trim().length} characters: the Azure exemption's description holds ${MAX_REASON}`));
    if (e.reference.trim() === "") errors.add(doc.error([...at, "reference"], "an exemption needs a reference (the ticket that approved it)"));
    const expiresOn = e.expires === undefined ? undefined : parseExpiry(e.expires);
    if (e.expires !== undefined && expiresOn === undefined) errors.add(doc.error([...at, "expires"], `'${e.expires}' is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ in UTC)`));
    if (e.expires === undefined && e.category === "Waiver") errors.add(doc.error([...at, "category"], "a Waiver accepts non-compliance for a time: give it `expires`"));
    if (!e.azure && !e.pulumi) errors.add(doc.error(at, `exemption '${e.name}' names no resources: give it \`azure.scopes\`, \`pulumi\` or both`));
    e.azure?.scopes.forEach((s, k) => checkScope(doc, [...at, "azure", "scopes", k], s, errors));
    e.pulumi?.forEach((m, k) => checkMatcher(doc, [...at, "pulumi", k], m, errors));
    const known = e.rules.flatMap((id) => rules.get(id) ?? []);
    if (e.azure && known.length === e.rules.length && !known.some((r) => r.backends.includes("azure-policy"))) {
      errors.add(doc.error([...at, "azure"], `none of ${e.rules.join(", ")} has an Azure Policy side, so there is nothing to exempt in Azure`, { key: true }));
    }
    if (e.pulumi && known.length === e.rules.length && !known.some((r) => r.backends.includes("crossguard"))) {
      errors.add(doc.error([...at, "pulumi"], `none of ${e.rules.join(", ")} has a CrossGuard side, so there is nothing to exempt in Pulumi`, { key: true }));
    }
    return {
      name: e.name,
      rules: e.rules,
      category: e.category,
      reason: e.reason.trim(),
      reference: e.reference.trim(),
      ...(expiresOn ? { expiresOn } : {}),
      azureScopes: e.azure?.scopes ?? [],
      pulumi: e.pulumi ?? [],
      at: doc.at(at),
    };
  });
  errors.throwIfAny();
  return exemptions;
}
