/**
 * `apiguard evaluate`: judges resources from files with the generated CrossGuard pack and/or the
 * generated Azure Policy definitions, so a change can be tried before it is assigned or previewed.
 */
import * as path from "path";
import { judgeWithAzure, loadDefinitions, type AzureDefinition } from "../engines/azure-policy";
import { isStackPolicy, judgeWithPack, loadPackPolicies, urnOf, type PackPolicy } from "../engines/crossguard";
import type { Verdict } from "../semantics/semantics";
import { byteOrder } from "../catalog/load";
import { readInput, type InputResource } from "./inputs";

export type Engine = "crossguard" | "azure-policy";
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
  type: string;
  /** null when no rule of the engine judges this resource type. */
  rule: string | null;
  engine: Engine;
  verdict: Verdict;
  /** Whether a failure here blocks: a mandatory policy, or an Azure Policy Deny. */
  blocking: boolean;
  message: string;
}

export interface Report {
  results: Result[];
  summary: Record<Verdict, number>;
  rules: RuleInfo[];
}

interface Options {
  engines: readonly Engine[];
  /** The project folder holding policypack/ and azure-policy/. */
  projectDir: string;
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

async function runCrossGuard(policies: PackPolicy[], resources: InputResource[]): Promise<Result[]> {
  const results: Result[] = [];
  const byFile = new Map<string, InputResource[]>();
  for (const r of resources) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [file, stack] of byFile) {
    const judged = new Set<InputResource>();
    for (const policy of policies) {
      const blocking = policy.enforcementLevel === "mandatory";
      if (isStackPolicy(policy)) {
        const packResources = stack.map((r) => ({ ...r.pulumi, urn: r.urn ?? urnOf(r.pulumi) }));
        const outcome = await judgeWithPack(policy, packResources);
        if (outcome.verdict === "not-applicable") continue;
        for (const v of outcome.violations) {
          const r = stack.find((s) => (s.urn ?? urnOf(s.pulumi)) === v.urn);
          if (r) judged.add(r);
          results.push({ file, resource: r?.name ?? String(v.urn), type: r?.pulumi.type ?? "", rule: policy.name, engine: "crossguard", verdict: "fail", blocking, message: v.message });
        }
        if (outcome.violations.length === 0) {
          results.push({ file, resource: "(stack)", type: "", rule: policy.name, engine: "crossguard", verdict: outcome.verdict, blocking, message: outcome.reason ?? "" });
        }
        continue;
      }
      for (const r of stack) {
        const outcome = await judgeWithPack(policy, [r.pulumi]);
        if (outcome.verdict === "not-applicable" && outcome.reason?.startsWith("Policy only applies to")) continue;
        judged.add(r);
        results.push({
          file,
          resource: r.name,
          type: r.pulumi.type,
          rule: policy.name,
          engine: "crossguard",
          verdict: outcome.verdict,
          blocking,
          message: outcome.violations.map((v) => v.message).join("\n") || outcome.reason || "",
        });
      }
    }
    for (const r of stack.filter((s) => !judged.has(s))) {
      results.push({ file, resource: r.name, type: r.pulumi.type, rule: null, engine: "crossguard", verdict: "not-applicable", blocking: false, message: `no CrossGuard rule judges ${r.pulumi.type}` });
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

function runAzure(definitions: AzureDefinition[], resources: InputResource[]): Result[] {
  const results: Result[] = [];
  for (const r of resources) {
    let judged = false;
    for (const def of r.arm ? definitions : []) {
      const outcome = judgeWithAzure(def, r.arm!);
      if (outcome.verdict === "not-applicable") continue;
      judged = true;
      const message =
        outcome.verdict === "fail"
          ? `${def.definition.properties.displayName} (effect: ${outcome.effect})`
          : outcome.error
            ? `evaluation error: ${outcome.error}`
            : "";
      results.push({ file: r.file, resource: r.name, type: r.arm!.type, rule: def.ruleId, engine: "azure-policy", verdict: outcome.verdict, blocking: outcome.effect === "deny", message });
    }
    if (!judged) {
      const type = r.arm?.type ?? r.pulumi.type;
      results.push({ file: r.file, resource: r.name, type, rule: null, engine: "azure-policy", verdict: "not-applicable", blocking: false, message: `no Azure Policy definition judges ${type}` });
    }
  }
  return results;
}

export async function evaluateFiles(files: readonly string[], options: Options): Promise<Report> {
  const resources = files.flatMap((f) => readInput(f));
  const results: Result[] = [];
  const rules: RuleInfo[] = [];
  if (options.engines.includes("crossguard")) {
    // As under the CLI, a policy disabled by default (unknown-at-preview) does not run.
    const policies = loadPackPolicies(path.join(options.projectDir, "policypack")).filter((p) => p.enforcementLevel !== "disabled");
    rules.push(...crossguardRules(policies));
    results.push(...(await runCrossGuard(policies, resources)));
  }
  if (options.engines.includes("azure-policy")) {
    const definitions = loadDefinitions(path.join(options.projectDir, "azure-policy"));
    for (const r of azureRules(definitions)) if (!rules.some((x) => x.id === r.id)) rules.push(r);
    results.push(...runAzure(definitions, resources));
  }
  // Input order of resources, then rule, then engine: a resource's verdicts read together.
  const order = new Map(resources.map((r, i) => [`${r.file}\0${r.name}`, i]));
  const rank = (r: Result) => order.get(`${r.file}\0${r.resource}`) ?? -1;
  results.sort((a, b) => rank(a) - rank(b) || byteOrder(a.rule ?? "", b.rule ?? "") || ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
  const summary: Record<Verdict, number> = { pass: 0, fail: 0, "not-applicable": 0, unknown: 0 };
  for (const r of results) summary[r.verdict]++;
  return { results, summary, rules };
}

/** Exit status: 1 when a blocking rule failed. */
export function hasBlockingFailure(report: Report): boolean {
  return report.results.some((r) => r.verdict === "fail" && r.blocking);
}
