/**
 * `apiguard evaluate`: judges resources from files with the generated CrossGuard pack and/or the
 * generated Azure Policy definitions, so a change can be tried before it is assigned or previewed.
 */
import * as path from "path";
import { unknownCheckingProxy } from "./engines/pulumi-proxy";
import type { AzureDefinition } from "./engines/azure-policy";
import type { PackPolicy } from "./engines/crossguard";
import type { ArmResource } from "../../core/resources/convert";
import type { Verdict } from "../../core/semantics/semantics";
import type { ParameterValues } from "../../arm-template";
import { InputError, readInput, type InputResource } from "./formats";
import type { Position } from "./parse";
import { isUnknownSentinel } from "./unknowns";
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
  /** null when no rule of the engine judges this resource type. */
  rule: string | null;
  engine: Engine;
  verdict: EvaluateVerdict;
  /** Whether a failure here blocks: a mandatory policy, or an Azure Policy Deny. */
  blocking: boolean;
  message: string;
  /** The exemption that covers the resource (verdict `exempt`), or that covered it and expired (verdict `fail`). */
  exemption?: ExemptionNote;
}

export interface Report {
  results: Result[];
  summary: Record<EvaluateVerdict, number>;
  rules: RuleInfo[];
  /** One per file that could not be read (its message is one line); the other files are still judged. */
  errors: InputError[];
  /** One line per part of a file that could not be followed (a linked template …). */
  warnings: string[];
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

/** The reasons behind an unknown verdict: the notes whose path the failed read touches (all when none does). */
function unknownDetail(r: InputResource, message: string): string {
  if (r.unknowns.length === 0) return message;
  const read = /at \.([^\s]+)/.exec(message)?.[1]?.replace(/^properties\./, "");
  const strip = (p: string) => p.replace(/^properties\./, "");
  const related = read ? r.unknowns.filter((n) => strip(n.path).startsWith(read) || read.startsWith(strip(n.path))) : [];
  const notes = (related.length > 0 ? related : r.unknowns).slice(0, 3).map((n) => `${n.path}: ${n.reason}`);
  return [message, ...notes.map((n) => `unknown ${n}`)].filter(Boolean).join("\n");
}

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

async function runCrossGuard(policies: PackPolicy[], resources: InputResource[], exemptions: readonly Exemption[], now: Date): Promise<Result[]> {
  const { isStackPolicy, judgeWithPack, urnOf } = await import("./engines/crossguard");
  // The exemptions policy is not a rule: it turns the verdicts it reports into `exempt`.
  const reporter = policies.find((p) => p.name === EXEMPTIONS_POLICY);
  const results: Result[] = [];
  const byFile = new Map<string, InputResource[]>();
  for (const r of resources) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [file, stack] of byFile) {
    const judged = new Set<InputResource>();
    const fileResults: Result[] = [];
    for (const policy of policies.filter((p) => p !== reporter)) {
      const blocking = policy.enforcementLevel === "mandatory";
      if (isStackPolicy(policy)) {
        const packResources = stack.map((r) => ({ ...r.pulumi, urn: r.urn ?? urnOf(r.pulumi) }));
        const outcome = await judgeWithPack(policy, packResources);
        if (outcome.verdict === "not-applicable") continue;
        for (const v of outcome.violations) {
          const r = stack.find((s) => (s.urn ?? urnOf(s.pulumi)) === v.urn);
          if (r) judged.add(r);
          fileResults.push({ file, resource: r?.name ?? String(v.urn), id: r?.id, position: r?.position, type: r?.pulumi.type ?? "", rule: policy.name, engine: "crossguard", verdict: "fail", blocking, message: v.message });
        }
        if (outcome.violations.length === 0) {
          fileResults.push({ file, resource: "(stack)", type: "", rule: policy.name, engine: "crossguard", verdict: outcome.verdict, blocking, message: outcome.reason ?? "" });
        }
        continue;
      }
      for (const r of stack) {
        const outcome = await judgeWithPack(policy, [r.pulumi]);
        if (outcome.verdict === "not-applicable" && outcome.reason?.startsWith("Policy only applies to")) continue;
        judged.add(r);
        const message = outcome.violations.map((v) => v.message).join("\n") || outcome.reason || "";
        fileResults.push({
          file,
          resource: r.name,
          id: r.id,
          position: r.position,
          type: r.pulumi.type,
          rule: policy.name,
          engine: "crossguard",
          verdict: outcome.verdict,
          blocking,
          message: outcome.verdict === "unknown" ? unknownDetail(r, message) : message,
        });
      }
    }
    // Exempt and expired violations, as the pack decides them (its own exemptions policy and data).
    const identified = stack.map((resource) => ({ resource, urn: resource.urn ?? urnOf(resource.pulumi) }));
    const reports = reporter ? (await judgeWithPack(reporter, identified.map(({ resource, urn }) => ({ ...resource.pulumi, urn })))).violations : [];
    results.push(...applyPackExemptions(fileResults, reports, identified, exemptions, now));
    for (const r of stack.filter((s) => !judged.has(s))) {
      results.push({ file, resource: r.name, id: r.id, position: r.position, type: r.pulumi.type, rule: null, engine: "crossguard", verdict: "not-applicable", blocking: false, message: `no CrossGuard rule judges ${r.pulumi.type}` });
    }
  }
  return results;
}

function azureRules(definitions: AzureDefinition[]): RuleInfo[] {
  return definitions.map((d) => ({
    id: d.ruleId,
    title: d.definition.properties.displayName,
    description: d.definition.properties.description,
    enforcement: String(d.definition.properties.parameters.effect?.defaultValue ?? "Audit"),
  }));
}

/** The resource's Azure id, when the input gives it (a what-if result, a resource export). */
function armId(r: InputResource): string | undefined {
  const id = r.arm?.id;
  return typeof id === "string" && !isUnknownSentinel(id) ? id : undefined;
}

function runAzure(definitions: AzureDefinition[], resources: InputResource[], judgeWithAzure: typeof import("./engines/azure-policy").judgeWithAzure, exemptions: readonly Exemption[], now: Date): Result[] {
  const results: Result[] = [];
  for (const r of resources) {
    let judged = false;
    // Behind the same proxy as CrossGuard's: a definition that reads an unknown value cannot decide.
    const arm = r.arm && (r.unknowns.length > 0 || hasSentinel(r.arm) ? (unknownCheckingProxy(r.arm) as ArmResource) : r.arm);
    const type = r.arm?.type ?? r.pulumi.type;
    for (const def of definitions) {
      if (!arm) break;
      const outcome = judgeWithAzure(def, arm);
      if (outcome.verdict === "not-applicable") continue;
      judged = true;
      const message =
        outcome.verdict === "unknown"
          ? unknownDetail(r, outcome.error ?? "")
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
    if (!judged) {
      results.push({ file: r.file, resource: r.name, id: r.id, position: r.position, type, rule: null, engine: "azure-policy", verdict: "not-applicable", blocking: false, message: `no Azure Policy definition judges ${type}` });
    }
  }
  return results;
}

function hasSentinel(value: unknown): boolean {
  if (typeof value === "string") return isUnknownSentinel(value);
  if (Array.isArray(value)) return value.some(hasSentinel);
  return value !== null && typeof value === "object" && Object.values(value).some(hasSentinel);
}

export async function evaluateFiles(files: readonly string[], options: Options): Promise<Report> {
  const resources: InputResource[] = [];
  const errors: InputError[] = [];
  const warnings: string[] = [];
  // One bad file is reported and skipped; the others are still judged.
  for (const file of files) {
    try {
      const input = readInput(file, { parameters: options.parameters });
      resources.push(...input.resources);
      warnings.push(...input.notJudged);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  }
  const results: Result[] = [];
  const rules: RuleInfo[] = [];
  const now = options.now ?? new Date();
  // Each engine is loaded only when asked for: --engine azure-policy never loads the pack.
  if (options.engines.includes("crossguard")) {
    const { loadPackPolicies } = await import("./engines/crossguard");
    const packDir = path.join(options.projectDir, "policypack");
    // As under the CLI, a policy disabled by default (unknown-at-preview) does not run; the ring
    // check is about a pipeline's config, which evaluate does not take.
    const policies = loadPackPolicies(packDir).filter((p) => p.enforcementLevel !== "disabled" && p.name !== RING_POLICY);
    rules.push(...crossguardRules(policies.filter((p) => p.name !== EXEMPTIONS_POLICY)));
    results.push(...(await runCrossGuard(policies, resources, packExemptions(packDir), now)));
  }
  if (options.engines.includes("azure-policy")) {
    const { judgeWithAzure, loadDefinitions } = await import("./engines/azure-policy");
    const definitions = loadDefinitions(path.join(options.projectDir, "azure-policy"));
    for (const r of azureRules(definitions)) if (!rules.some((x) => x.id === r.id)) rules.push(r);
    results.push(...runAzure(definitions, resources, judgeWithAzure, azureExemptions(path.join(options.projectDir, "azure-policy")), now));
  }
  // Input order of resources, then rule, then engine: a resource's verdicts read together.
  const order = new Map(resources.map((r, i) => [`${r.file}\0${r.id}`, i]));
  const rank = (r: Result) => order.get(`${r.file}\0${r.id}`) ?? -1;
  results.sort((a, b) => rank(a) - rank(b) || byteOrder(a.rule ?? "", b.rule ?? "") || ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
  const summary: Record<EvaluateVerdict, number> = { pass: 0, fail: 0, "not-applicable": 0, unknown: 0, exempt: 0 };
  for (const r of results) summary[r.verdict]++;
  return { results, summary, rules, errors, warnings };
}

/** Exit status: 1 when a blocking rule failed (an exempt violation does not block; one whose exemption expired does). */
export function hasBlockingFailure(report: Report): boolean {
  return report.results.some((r) => r.verdict === "fail" && r.blocking);
}
