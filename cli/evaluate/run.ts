/**
 * `apiguard evaluate`: judges resources from files with the generated CrossGuard pack and/or the
 * generated Azure Policy definitions, so a change can be tried before it is assigned or previewed.
 */
import * as path from "path";
import { unknownCheckingProxy } from "./engines/pulumi-proxy";
import type { AzureDefinition } from "./engines/azure-policy";
import type { PackPolicy } from "./engines/crossguard";
import { pulumiPathOf } from "../../core/resources/convert";
import type { Verdict } from "../../core/semantics/semantics";
import type { ParameterValues } from "../../arm-template";
import { matchShape, PARTIAL_TEXT, type ShapeBinding } from "../../core/semantics/semantics";
import { InputError, readInput, type InputResource, type NotJudgedInput } from "./formats";
import type { Position } from "./parse";
import { explainUnknown, isUnknownSentinel, UNKNOWN } from "./unknowns";
import { EXEMPTIONS_POLICY, RING_POLICY, type Exemption } from "../../core/rollout/rollout";
import { applyPackExemptions, azureExemptions, azureOutcome, packExemptions, type ExemptionNote } from "./exemptions";

export type Engine = "crossguard" | "azure-policy";
/** An engine's verdict, or `exempt`: a violation an exemption keeps from blocking (catalog/exemptions.yaml). */
export type EvaluateVerdict = Verdict | "exempt";
export const ENGINES: readonly Engine[] = ["crossguard", "azure-policy"];

export interface RuleInfo {
  id: string;
  title: string;
  description: string;
  remediation?: string;
  severity?: string;
  /** mandatory/advisory/disabled for CrossGuard; the default effect for Azure Policy. */
  enforcement: string;
}

export interface Result {
  file: string;
  resource: string;
  /** The resource's identity within its file and where it is declared (absent for stack-level results). */
  id?: string;
  position?: Position;
  type: string;
  rule: string;
  engine: Engine;
  verdict: EvaluateVerdict;
  /** Whether a failure here blocks: a mandatory policy, or an Azure Policy Deny. */
  blocking: boolean;
  message: string;
  /** The exemption that covers the resource (verdict `exempt`), or that covered it and expired (verdict `fail`). */
  exemption?: ExemptionNote;
}

/**
 * A resource of an input that no rule judged, or a part of a file that could not be followed, with
 * why: nothing is dropped in silence. `type` is absent for what is not one resource (a linked
 * template, a file that holds nothing to judge).
 */
export interface NotJudged extends NotJudgedInput {
  /** The resource's identity within its file, when it is one the formats handed over. */
  id?: string;
}

export interface Report {
  results: Result[];
  summary: Record<EvaluateVerdict, number>;
  rules: RuleInfo[];
  /** One per file that could not be read (its message is one line); the other files are still judged. */
  errors: InputError[];
  /** Every resource no rule judged and every part of a file that could not be followed, in input order. */
  notJudged: NotJudged[];
}

interface Options {
  engines: readonly Engine[];
  /** The project folder holding policypack/ and azure-policy/. */
  projectDir: string;
  /** ARM template parameter values by lower-cased name. */
  parameters?: ParameterValues;
  /** When exemptions are judged (tests); the pack itself always judges them now. */
  now?: Date;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function crossguardRules(policies: PackPolicy[]): RuleInfo[] {
  return policies.map((p) => ({
    id: p.name,
    title: p.displayName ?? p.name,
    description: p.description,
    remediation: p.remediationSteps,
    severity: p.severity,
    enforcement: p.enforcementLevel ?? "advisory",
  }));
}

/** The pack's rules (policies.js exports them for its config check): which types each policy judges, and reads beside them. */
export interface PackRule {
  name: string;
  shapes: readonly ShapeBinding[];
  /** The shapes a stack rule reads to judge its own (`noneRelated`). */
  related: readonly ShapeBinding[];
}

async function runCrossGuard(policies: PackPolicy[], rules: readonly PackRule[], resources: InputResource[], exemptions: readonly Exemption[], now: Date): Promise<Result[]> {
  const { isStackPolicy, judgeWithPack, urnOf } = await import("./engines/crossguard");
  // The exemptions policy is not a rule: it turns the verdicts it reports into `exempt`.
  const reporter = policies.find((p) => p.name === EXEMPTIONS_POLICY);
  const results: Result[] = [];
  const byFile = new Map<string, InputResource[]>();
  for (const r of resources) {
    const list = byFile.get(r.file);
    if (list) list.push(r);
    else byFile.set(r.file, [r]);
  }
  const row = (r: InputResource, policy: PackPolicy, verdict: Verdict, message: string): Result => ({
    file: r.file,
    resource: r.name,
    id: r.id,
    position: r.position,
    type: r.pulumi.type,
    rule: policy.name,
    engine: "crossguard",
    verdict,
    blocking: policy.enforcementLevel === "mandatory",
    message,
  });
  for (const [file, stack] of byFile) {
    const fileResults: Result[] = [];
    for (const policy of policies) {
      if (policy === reporter) continue;
      const blocking = policy.enforcementLevel === "mandatory";
      if (isStackPolicy(policy)) {
        const packResources = stack.map((r) => ({ ...r.pulumi, urn: r.urn ?? urnOf(r.pulumi) }));
        const outcome = await judgeWithPack(policy, packResources);
        // The resources of the types the rule judges (a pack from before it exported its rules names none).
        const shapes = rules.find((x) => x.name === policy.name)?.shapes;
        const judgedHere = shapes ? stack.filter((r) => matchShape(shapes, r.pulumi.type)) : [];
        if (outcome.verdict === "not-applicable") {
          // The rule judges these types, but not in this stack (no resource triggers it): say so for each.
          for (const r of judgedHere) fileResults.push(row(r, policy, "not-applicable", outcome.reason ?? ""));
          continue;
        }
        const failing = new Set<InputResource>();
        for (const v of outcome.violations) {
          const r = stack.find((s) => (s.urn ?? urnOf(s.pulumi)) === v.urn);
          if (r) failing.add(r);
          fileResults.push({ file, resource: r?.name ?? String(v.urn), id: r?.id, position: r?.position, type: r?.pulumi.type ?? "", rule: policy.name, engine: "crossguard", verdict: "fail", blocking, message: v.message });
        }
        // Each other resource it judges passed, unless the stack could not be decided.
        const reason =
          outcome.verdict === "unknown"
            ? explainUnknown(
                stack.flatMap((r) => r.unknowns),
                outcome.unknownPath,
                outcome.reason ?? "",
              )
            : (outcome.reason ?? "");
        for (const r of judgedHere) if (!failing.has(r)) fileResults.push(row(r, policy, outcome.verdict === "unknown" ? "unknown" : "pass", reason));
        if (judgedHere.length === 0 && outcome.violations.length === 0) {
          fileResults.push({ file, resource: "(stack)", type: "", rule: policy.name, engine: "crossguard", verdict: outcome.verdict, blocking, message: reason });
        }
        continue;
      }
      for (const r of stack) {
        const outcome = await judgeWithPack(policy, [r.pulumi]);
        // The policy does not judge this type: no row (the resource is reported as not judged if no rule does).
        if (outcome.verdict === "not-applicable" && outcome.reason?.startsWith("Policy only applies to")) continue;
        const message = outcome.violations.map((v) => v.message).join("\n") || outcome.reason || "";
        fileResults.push(row(r, policy, outcome.verdict, outcome.verdict === "unknown" ? explainUnknown(r.unknowns, outcome.unknownPath, message) : message));
      }
    }
    // Exempt and expired violations, as the pack decides them (its own exemptions policy and data).
    const identified = stack.map((resource) => ({ resource, urn: resource.urn ?? urnOf(resource.pulumi) }));
    const reports = reporter
      ? (
          await judgeWithPack(
            reporter,
            identified.map(({ resource, urn }) => ({ ...resource.pulumi, urn })),
          )
        ).violations
      : [];
    for (const r of applyPackExemptions(fileResults, reports, identified, exemptions, now)) results.push(r);
  }
  return results;
}

function azureRules(definitions: AzureDefinition[]): RuleInfo[] {
  return definitions.map((d) => ({
    id: d.ruleId,
    title: d.definition.properties.displayName,
    description: d.definition.properties.description,
    enforcement: String((d.definition.properties.parameters.effect?.defaultValue as string | undefined) ?? "Audit"),
  }));
}

/** The resource's Azure id, when the input gives it (a what-if result, a resource export, an inventory). */
function armId(r: InputResource): string | undefined {
  const id = r.arm?.id;
  return typeof id === "string" && !isUnknownSentinel(id) ? id : undefined;
}

function runAzure(definitions: AzureDefinition[], resources: InputResource[], judgeWithAzure: typeof import("./engines/azure-policy").judgeWithAzure, exemptions: readonly Exemption[], now: Date): Result[] {
  const results: Result[] = [];
  for (const r of resources) {
    // Behind the same proxy as CrossGuard's: a definition that reads an unknown value cannot decide.
    const arm = r.arm && (r.unknowns.length > 0 || hasSentinel(r.arm) ? unknownCheckingProxy(r.arm) : r.arm);
    const type = r.arm?.type ?? r.pulumi.type;
    for (const def of definitions) {
      if (!arm) break;
      const outcome = judgeWithAzure(def, arm, {}, r.partial === true);
      // Not of the definition's type: no row (the resource is reported as not judged if no rule judges it).
      if (outcome.verdict === "not-applicable") continue;
      const message =
        outcome.verdict === "unknown"
          ? explainUnknown(r.unknowns, ownPath(r, outcome.unknownPath), outcome.error ?? "")
          : outcome.error
            ? `${outcome.error} (Azure denies a resource whose evaluation fails)`
            : outcome.verdict === "fail"
              ? `${def.definition.properties.displayName} (effect: ${outcome.effect})`
              : "";
      const result: Result = { file: r.file, resource: r.name, id: r.id, position: r.position, type, rule: def.ruleId, engine: "azure-policy", verdict: outcome.verdict, blocking: outcome.effect === "deny", message };
      if ((outcome.verdict === "fail" || outcome.verdict === "unknown") && exemptions.length > 0) {
        const exempted = azureOutcome(exemptions, def.ruleId, armId(r), outcome.verdict, message, now);
        Object.assign(result, { message: exempted.message }, exempted.exempt ? { verdict: "exempt", blocking: false } : {}, exempted.exemption ? { exemption: exempted.exemption } : {});
      }
      results.push(result);
    }
  }
  return results;
}

/**
 * A path Azure Policy read in the ARM shape, as the resource's own provider spells it (a converted
 * classic resource's ARM `authorizedIPRanges` is its `authorizedIpRanges`); ARM and azure-native
 * resources keep the path as read.
 */
function ownPath(r: InputResource, read: string[] | undefined): string[] | undefined {
  if (!read || r.pulumi.type === r.arm?.type) return read;
  return pulumiPathOf(r.pulumi.type, read) ?? read;
}

function hasSentinel(value: unknown): boolean {
  if (typeof value === "string") return isUnknownSentinel(value);
  if (Array.isArray(value)) return value.some(hasSentinel);
  return value !== null && typeof value === "object" && Object.values(value).some(hasSentinel);
}

/** A partly known text as Pulumi's plain unknown, for a pack that does not read partly known texts. */
function wholeUnknowns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wholeUnknowns);
  if (value === null || typeof value !== "object") return value;
  if (PARTIAL_TEXT in value) return UNKNOWN;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wholeUnknowns(v)]));
}

/** The engines' names for a reason: `CrossGuard rule or Azure Policy definition`. */
function judges(engines: readonly Engine[]): string {
  return engines.map((e) => (e === "crossguard" ? "CrossGuard rule" : "Azure Policy definition")).join(" or ");
}

/**
 * What no rule judged, in input order: each file's not-judged parts and resources the formats
 * reported, each resource they handed over that no rule of the engines judged, and each file in
 * which nothing at all was judged.
 */
function notJudgedOf(files: readonly string[], inputs: ReadonlyMap<string, NotJudgedInput[]>, resources: InputResource[], results: Result[], engines: readonly Engine[], packRules: readonly PackRule[]): NotJudged[] {
  // A type no rule judges may still be read by a stack rule to judge another (a DNS zone's links).
  const readBy = (type: string) => packRules.filter((r) => matchShape(r.related, type)).map((r) => r.name);
  const judged = new Set(results.filter((r) => r.id !== undefined).map((r) => `${r.file}\0${r.id}`));
  const judgedFiles = new Set(results.map((r) => r.file));
  const out: NotJudged[] = [];
  for (const file of files) {
    if (!inputs.has(file)) continue;
    for (const n of inputs.get(file) ?? []) out.push(n);
    const own = resources.filter((r) => r.file === file);
    for (const r of own) {
      if (judged.has(`${file}\0${r.id}`)) continue;
      const readers = readBy(r.pulumi.type);
      const reason = `no ${judges(engines)} judges this type` + (readers.length > 0 ? `; ${readers.join(", ")} read${readers.length === 1 ? "s" : ""} it to judge other resources` : "");
      out.push({ file, position: r.position, type: r.pulumi.type, resource: r.name, id: r.id, reason });
    }
    if (!judgedFiles.has(file)) out.push({ file, reason: own.length === 0 ? "nothing in this file was judged: it holds no resource to judge" : "nothing in this file was judged" });
  }
  return out;
}

/** Any failure while reading a file is that file's one-line error, whatever threw it. */
function fileError(file: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const error = new InputError(e instanceof RangeError ? `${file}: cannot be read: it nests too deep or is too large (${e.message})` : `${file}: cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  error.stack = e instanceof Error ? e.stack : error.stack;
  return error;
}

export async function evaluateFiles(files: readonly string[], options: Options): Promise<Report> {
  const resources: InputResource[] = [];
  const errors: InputError[] = [];
  const notJudgedInputs = new Map<string, NotJudgedInput[]>();
  // One bad file is reported and skipped; the others are still judged.
  for (const file of files) {
    try {
      const input = readInput(file, { parameters: options.parameters });
      for (const r of input.resources) resources.push(r);
      for (const e of input.errors) errors.push(e);
      notJudgedInputs.set(file, input.notJudged);
    } catch (e) {
      errors.push(fileError(file, e));
    }
  }
  const results: Result[] = [];
  const rules: RuleInfo[] = [];
  let packRules: PackRule[] = [];
  const now = options.now ?? new Date();
  // Each engine is loaded only when asked for: --engine azure-policy never loads the pack.
  if (options.engines.includes("crossguard")) {
    const { loadPackPolicies, loadPackRules, packReadsPartialText } = await import("./engines/crossguard");
    const packDir = path.join(options.projectDir, "policypack");
    // As under the CLI, a policy disabled by default (unknown-at-preview) does not run; the ring
    // check is about a pipeline's config, which evaluate does not take.
    const policies = loadPackPolicies(packDir).filter((p) => p.enforcementLevel !== "disabled" && p.name !== RING_POLICY);
    for (const r of crossguardRules(policies.filter((p) => p.name !== EXEMPTIONS_POLICY))) rules.push(r);
    packRules = loadPackRules(packDir);
    const judged = packReadsPartialText(packDir) ? resources : resources.map((r) => (r.partial ? { ...r, pulumi: { ...r.pulumi, props: wholeUnknowns(r.pulumi.props) as Record<string, unknown> } } : r));
    for (const r of await runCrossGuard(policies, packRules, judged, packExemptions(packDir), now)) results.push(r);
  }
  if (options.engines.includes("azure-policy")) {
    const { judgeWithAzure, loadDefinitions } = await import("./engines/azure-policy");
    const definitions = loadDefinitions(path.join(options.projectDir, "azure-policy"));
    for (const r of azureRules(definitions)) if (!rules.some((x) => x.id === r.id)) rules.push(r);
    for (const r of runAzure(definitions, resources, judgeWithAzure, azureExemptions(path.join(options.projectDir, "azure-policy")), now)) results.push(r);
  }
  // Input order of resources, then rule, then engine: a resource's verdicts read together.
  const order = new Map(resources.map((r, i) => [`${r.file}\0${r.id}`, i]));
  const rank = (r: Result) => order.get(`${r.file}\0${r.id}`) ?? -1;
  results.sort((a, b) => rank(a) - rank(b) || byteOrder(a.rule, b.rule) || ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
  const summary: Record<EvaluateVerdict, number> = { pass: 0, fail: 0, "not-applicable": 0, unknown: 0, exempt: 0 };
  for (const r of results) summary[r.verdict]++;
  return { results, summary, rules, errors, notJudged: notJudgedOf(files, notJudgedInputs, resources, results, options.engines, packRules) };
}

/** Exit status: 1 when a blocking rule failed (an exempt violation does not block; one whose exemption expired does). */
export function hasBlockingFailure(report: Report): boolean {
  return report.results.some((r) => r.verdict === "fail" && r.blocking);
}
