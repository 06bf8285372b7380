/**
 * Judges the resources of one input file with the generated outputs, every rule switched on: Azure
 * Policy definitions with their `effect` parameter at Deny, CrossGuard policies as if mandatory (a
 * policy's verdict does not depend on its level; only whether a failure blocks does). Both engines
 * are the ones `evaluate` runs (../evaluate/engines), loaded once for all files.
 *
 * Existing resources are judged in the shape an inventory holds them, the provider's GET response,
 * which is what Azure Policy's compliance scan evaluates: "The latest API version is always used
 * during compliance evaluation on existing resources" (Azure Policy definition structure policy rule,
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule), and
 * "During evaluation of existing resources, resources that match a deny policy definition are marked
 * as non-compliant" while their next create or update "is returned as a 403 (Forbidden)" (Azure Policy
 * definitions deny effect, https://learn.microsoft.com/azure/governance/policy/concepts/effect-deny).
 */
import * as fs from "fs";
import * as path from "path";
import type { ArmResource } from "../../core/resources/convert";
import { EXEMPTIONS_POLICY, RING_POLICY, exemptRule } from "../../core/rollout/rollout";
import { matchShape, type ShapeBinding, type Verdict } from "../../core/semantics/semantics";
import type { AzureDefinition } from "../evaluate/engines/azure-policy";
import type { PackPolicy } from "../evaluate/engines/crossguard";
import { unknownCheckingProxy } from "../evaluate/engines/pulumi-proxy";
import { packExemptions } from "../evaluate/exemptions";
import { notJudgedLine } from "../evaluate/format";
import { readInput, type FileInput, type InputOptions, type InputResource } from "../evaluate/formats";
import type { Engine } from "../evaluate/run";
import { isUnknownSentinel, type UnknownNote } from "../evaluate/unknowns";
import type { Subject } from "./hooks";
import { ENFORCED, type PerEngine } from "./model";
import { placementOf, urnParts } from "./placement";

export interface RuleMeta {
  id: string;
  title: string;
  severity?: string;
  enforcement: PerEngine<string>;
  fix: string;
  stack: boolean;
}

interface AzureRule {
  /** The definition with its `effect` defaulting to Deny: as assigned with `effect: Deny` and every other parameter at its default. */
  definition: AzureDefinition;
  /** Where its verdicts go in a resource's Verdicts. */
  slot: number;
}

interface PackRule {
  policy: PackPolicy;
  slot: number;
  /** The shapes the rule judges (the pack's `rules` export), to skip resources of other types. */
  shapes?: ShapeBinding[];
  stack: boolean;
}

export interface Engines {
  list: Engine[];
  /** In report order (by id); a resource's Verdicts hold one verdict per rule and engine in this order. */
  rules: RuleMeta[];
  azure: AzureRule[];
  pack: PackRule[];
  /** Rules whose Azure definition cannot be set to Deny (its `effect` does not allow it): judged by CrossGuard only. */
  cannotDeny: string[];
  /**
   * The pack's exemptions policy, when an exemption names a stack rule: a stack rule passes over the
   * resources it exempts without a word, and this policy says which they are and what they did.
   */
  exemptionReporter?: PackPolicy;
}

/** The pack's catalog export: each rule's name and the shapes it judges (generators/crossguard.ts). */
type PackCatalogRule = { name: string; shapes?: ShapeBinding[] };

export async function loadEngines(projectDir: string, engines: readonly Engine[]): Promise<Engines> {
  const rules = new Map<string, RuleMeta>();
  const loaded: Engines = { list: [...engines], rules: [], azure: [], pack: [], cannotDeny: [] };
  const packDir = path.join(projectDir, "policypack");
  // The pack also says how to fix each rule (its remediation steps), so its metadata is read whichever engine runs.
  const packBin = path.resolve(packDir, "bin", "policies.js");
  const metadata = new Map<string, PackPolicy>();
  if (engines.includes("crossguard") || fs.existsSync(packBin)) {
    const { isStackPolicy, loadPackPolicies } = await import("../evaluate/engines/crossguard");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const catalog = (require(packBin) as { rules?: PackCatalogRule[] }).rules ?? [];
    // As `evaluate` does: a policy disabled by default (unknown-at-preview) is no catalog rule and does
    // not run, nor the ring check (about a pipeline's config); the exemptions policy is no rule either.
    const policies = loadPackPolicies(packDir);
    const stackRules = new Set<string>();
    for (const policy of policies.filter((p) => p.enforcementLevel !== "disabled" && p.name !== RING_POLICY && p.name !== EXEMPTIONS_POLICY)) {
      metadata.set(policy.name, policy);
      if (!engines.includes("crossguard")) continue;
      const stack = isStackPolicy(policy);
      if (stack) stackRules.add(policy.name);
      loaded.pack.push({ policy, shapes: catalog.find((r) => r.name === policy.name)?.shapes, stack, slot: -1 });
      rules.set(policy.name, {
        id: policy.name,
        title: policy.displayName ?? policy.name,
        severity: policy.severity,
        enforcement: { crossguard: policy.enforcementLevel ?? "advisory" },
        fix: policy.remediationSteps ?? policy.description,
        stack,
      });
    }
    if (packExemptions(packDir).some((e) => e.pulumi.length > 0 && e.rules.some((r) => stackRules.has(r)))) loaded.exemptionReporter = policies.find((p) => p.name === EXEMPTIONS_POLICY);
  }
  if (engines.includes("azure-policy")) {
    const { compileDefinition, loadDefinitions } = await import("../evaluate/engines/azure-policy");
    for (const definition of loadDefinitions(path.join(projectDir, "azure-policy"))) {
      const props = definition.definition.properties;
      const effect = props.parameters.effect as { defaultValue?: unknown; allowedValues?: unknown[] } | undefined;
      const deny = effect?.allowedValues?.find((v) => String(v).toLowerCase() === ENFORCED["azure-policy"].toLowerCase());
      if (deny === undefined) {
        loaded.cannotDeny.push(definition.ruleId);
        continue;
      }
      // Compiled once with Deny as the effect's default, rather than given as a parameter to every evaluation.
      const denying = JSON.parse(JSON.stringify(definition.definition)) as AzureDefinition["definition"];
      denying.properties.parameters.effect.defaultValue = deny;
      loaded.azure.push({ definition: compileDefinition(definition.ruleId, definition.file, denying), slot: -1 });
      const enforcement = typeof effect?.defaultValue === "string" ? effect.defaultValue : "Audit";
      const known = rules.get(definition.ruleId);
      const policy = metadata.get(definition.ruleId);
      if (known) known.enforcement["azure-policy"] = enforcement;
      else
        rules.set(definition.ruleId, {
          id: definition.ruleId,
          title: props.displayName,
          severity: policy?.severity,
          enforcement: { "azure-policy": enforcement },
          fix: policy?.remediationSteps ?? props.description,
          stack: false,
        });
    }
  }
  loaded.rules = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(loaded.rules.map((r, i) => [r.id, i]));
  const slot = (rule: string, engine: Engine) => index.get(rule)! * engines.length + engines.indexOf(engine);
  for (const a of loaded.azure) a.slot = slot(a.definition.ruleId, "azure-policy");
  for (const p of loaded.pack) p.slot = slot(p.policy.name, "crossguard");
  return loaded;
}

/** Verdicts as stored: 0 when the engine does not judge the resource with the rule. */
export const VERDICTS: readonly (Verdict | undefined)[] = [undefined, "pass", "fail", "unknown", "not-applicable"];
const CODE: Record<Verdict, number> = { pass: 1, fail: 2, unknown: 3, "not-applicable": 4 };

export interface Judged {
  resource: InputResource;
  /** One verdict code per rule and engine (VERDICTS), rule-major in Engines.rules order. */
  verdicts: Uint8Array;
  /** How many rules judge the resource in some engine. */
  judgedBy: number;
  /** For an undecided rule: the property it could not read (`properties.aadProfile`), as the engine said. */
  unread?: Map<string, string>;
}

/** The property path an engine's unknown-value message names (@pulumi/policy's UnknownValueError: "… value at .<path> can't be known …"). */
function unreadPath(message: string | undefined): string | undefined {
  return message ? /at \.([^\s]+)/.exec(message)?.[1] : undefined;
}

/**
 * What a rule found on a resource the pack exempted: the pack reports the exemption in place of the
 * verdict ("exempt from '<rule>' (fails; not blocking) …", core/rollout's exemptMessage). The report
 * keeps the verdict and judges the exemption itself, on its own day, as the other engine's are.
 */
function exemptedVerdict(rule: string, message: string | undefined): "fail" | "unknown" | undefined {
  if (message === undefined || exemptRule(message) !== rule) return undefined;
  return message.startsWith(`exempt from '${rule}' (fails;`) ? "fail" : "unknown";
}

function hasSentinel(value: unknown): boolean {
  if (typeof value === "string") return isUnknownSentinel(value);
  if (Array.isArray(value)) return value.some(hasSentinel);
  return value !== null && typeof value === "object" && Object.values(value).some(hasSentinel);
}

function set(j: Judged, slot: number, engines: number, verdict: Verdict, rule: string, message?: string): void {
  // A rule judging the resource for the first time (in any engine) counts it.
  const first = slot - (slot % engines);
  let seen = false;
  for (let i = first; i < first + engines; i++) if (j.verdicts[i] !== 0) seen = true;
  if (!seen) j.judgedBy++;
  j.verdicts[slot] = CODE[verdict];
  if (verdict !== "unknown") return;
  const path = unreadPath(message);
  if (path && !j.unread?.has(rule)) (j.unread ??= new Map()).set(rule, path);
}

function judgeAzure(engines: Engines, j: Judged, inventory: boolean, judge: typeof import("../evaluate/engines/azure-policy").judgeWithAzure): void {
  const r = j.resource;
  if (!r.arm) return;
  // As `evaluate` does: behind Pulumi's unknown-checking proxy, a definition that reads an unknown value
  // cannot decide. An inventory notes every unknown it places, so its resources need no search for one.
  const arm = r.unknowns.length > 0 || (!inventory && hasSentinel(r.arm)) ? unknownCheckingProxy<ArmResource>(r.arm) : r.arm;
  const n = engines.list.length;
  for (const { definition, slot } of engines.azure) {
    const outcome = judge(definition, arm);
    if (outcome.verdict !== "not-applicable") set(j, slot, n, outcome.verdict, definition.ruleId, outcome.error);
  }
}

/** The verdicts of every resource of one file. Stack rules judge the file as one stack, unless it is an inventory. */
export async function judgeFile(engines: Engines, input: FileInput): Promise<Judged[]> {
  const size = engines.rules.length * engines.list.length;
  const n = engines.list.length;
  // One buffer for the file: each resource's verdicts are a view of it, which crosses from a worker thread as one copy.
  const all = new Uint8Array(size * input.resources.length);
  const judged: Judged[] = input.resources.map((resource, i) => ({ resource, verdicts: all.subarray(i * size, (i + 1) * size), judgedBy: 0 }));
  if (engines.azure.length > 0) {
    const { judgeWithAzure } = await import("../evaluate/engines/azure-policy");
    for (const j of judged) judgeAzure(engines, j, input.inventory, judgeWithAzure);
  }
  if (engines.pack.length === 0) return judged;
  const { judgeWithPack, urnOf } = await import("../evaluate/engines/crossguard");
  const targets = (rule: PackRule, r: InputResource) => !rule.shapes || matchShape(rule.shapes, r.pulumi.type) !== undefined;
  // Stack rules' exempt resources, by rule and URN, with what the rule found on them.
  let exempted: Map<string, "fail" | "unknown"> | undefined;
  if (engines.exemptionReporter && !input.inventory) {
    const reports = await judgeWithPack(
      engines.exemptionReporter,
      judged.map((j) => ({ ...j.resource.pulumi, urn: j.resource.urn ?? urnOf(j.resource.pulumi) })),
    );
    exempted = new Map();
    for (const v of reports.violations) {
      const rule = exemptRule(v.message);
      const verdict = rule && exemptedVerdict(rule, v.message);
      if (verdict && v.urn) exempted.set(`${rule}\0${v.urn}`, verdict);
    }
  }
  for (const rule of engines.pack) {
    if (rule.stack) {
      if (input.inventory) continue;
      const outcome = await judgeWithPack(
        rule.policy,
        judged.map((j) => ({ ...j.resource.pulumi, urn: j.resource.urn ?? urnOf(j.resource.pulumi) })),
      );
      const violating = new Set(outcome.violations.map((v) => v.urn));
      for (const j of judged) {
        const urn = j.resource.urn ?? urnOf(j.resource.pulumi);
        const exempt = exempted?.get(`${rule.policy.name}\0${urn}`);
        if (violating.has(urn)) set(j, rule.slot, n, "fail", rule.policy.name);
        else if (exempt) set(j, rule.slot, n, exempt, rule.policy.name);
        // Without the pack's shapes, only the resources a violation names are known to be the rule's.
        else if (rule.shapes && targets(rule, j.resource)) set(j, rule.slot, n, outcome.verdict === "fail" ? "pass" : outcome.verdict, rule.policy.name, outcome.reason);
      }
      continue;
    }
    for (const j of judged) {
      if (!targets(rule, j.resource)) continue;
      const outcome = await judgeWithPack(rule.policy, [j.resource.pulumi]);
      if (outcome.verdict === "not-applicable" && outcome.reason?.startsWith("Policy only applies to")) continue;
      const exempt = outcome.verdict === "not-applicable" ? exemptedVerdict(rule.policy.name, outcome.reason) : undefined;
      set(j, rule.slot, n, exempt ?? outcome.verdict, rule.policy.name, exempt ? undefined : outcome.reason);
    }
  }
  return judged;
}

/**
 * What the report keeps of one judged resource: where it lives and its verdicts, in plain data, so
 * that it can cross from the worker thread that judged it (structured clone) and the resource itself
 * can be let go.
 */
export interface JudgedRow extends Subject {
  file: string;
  /** Values only known at deployment, and why (the reasons of undecided verdicts). */
  unknowns: UnknownNote[];
  verdicts: Uint8Array;
  judgedBy: number;
  unread?: Map<string, string>;
}

/** One file, read and judged: its rows, what it did not hand over, and the resources the cloud would refuse. */
export interface FileOutcome {
  rows: JudgedRow[];
  /** One line each (file:line:column: type name: why). */
  notJudged: string[];
  errors: string[];
  page?: { count: number; totalRecords: number };
}

function rowOf({ resource: r, verdicts, judgedBy, unread }: Judged, crossguard: boolean): JudgedRow {
  const placement = placementOf(r);
  const row: JudgedRow = { name: r.name, type: r.urn ? r.pulumi.type : (r.arm?.type ?? r.pulumi.type), placement, file: r.file, unknowns: r.unknowns, verdicts, judgedBy };
  // Keys only where there is a value (a row crosses from a worker thread as it is), set one by one: every resource of a fleet is a row.
  if (r.urn !== undefined) row.urn = r.urn;
  const stack = r.origin?.stack ?? urnParts(r.urn).stack;
  if (stack !== undefined) row.stack = stack;
  if (r.arm?.type !== undefined) row.armType = r.arm.type;
  if (placement.region !== undefined) row.location = placement.region;
  // Only CrossGuard's exemptions read it; made from an ARM resource, the Pulumi shape costs more than judging it.
  if (crossguard) row.pulumi = { type: r.pulumi.type, name: r.pulumi.name };
  if (unread) row.unread = unread;
  return row;
}

/** Reads and judges one file; an InputError (the file cannot be read) is the caller's. */
export async function judgeInputFile(engines: Engines, file: string, options: InputOptions): Promise<FileOutcome> {
  const input = readInput(file, options);
  const crossguard = engines.pack.length > 0;
  return {
    rows: (await judgeFile(engines, input)).map((j) => rowOf(j, crossguard)),
    notJudged: input.notJudged.map(notJudgedLine),
    errors: input.errors.map((e) => e.message),
    ...(input.page ? { page: input.page } : {}),
  };
}
