/**
 * The Azure Policy engine: evaluates the generated definition JSON (azure-policy/definitions) with
 * apiguard's local Azure Policy evaluator against ARM-shaped resources.
 */
import * as fs from "fs";
import * as path from "path";
import { compilePolicy } from "../evaluator";
import type { ArmResource } from "../resources/convert";
import { supportsTagsAndLocation } from "../targets";
import type { Verdict } from "../semantics/semantics";

export interface AzureDefinition {
  ruleId: string;
  file: string;
  definition: { name: string; properties: { displayName: string; description: string; policyRule: { if: unknown }; parameters: Record<string, { defaultValue?: unknown }> } };
  /** The ARM type the definition's first condition pins, for not-applicable verdicts. */
  resourceType?: string;
  evaluate: ReturnType<typeof compilePolicy>;
}

export interface AzureJudged {
  verdict: Verdict;
  effect?: string;
  error?: string;
}

function pinnedType(policyRule: { if: unknown }): string | undefined {
  const first = (policyRule.if as { allOf?: { field?: string; equals?: unknown }[] }).allOf?.[0];
  return first?.field === "type" && typeof first.equals === "string" ? first.equals : undefined;
}

export function loadDefinitions(azurePolicyDir: string): AzureDefinition[] {
  const dir = path.join(azurePolicyDir, "definitions");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const definition = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      return {
        ruleId: f.replace(/\.json$/, ""),
        file: path.join(dir, f),
        definition,
        resourceType: pinnedType(definition.properties.policyRule),
        evaluate: compilePolicy(definition, { supportsTagsAndLocation }),
      };
    });
}

/** Parameters: the definition defaults, overridden by `parameters` (assignment values). */
export function judgeWithAzure(def: AzureDefinition, resource: ArmResource, parameters: Record<string, unknown> = {}): AzureJudged {
  if (def.resourceType && def.resourceType.toLowerCase() !== resource.type.toLowerCase()) return { verdict: "not-applicable" };
  const result = def.evaluate(resource, { parameters });
  if (result.error) return { verdict: "unknown", error: result.error };
  if (result.effect && result.effect !== "disabled") return { verdict: "fail", effect: result.effect };
  return { verdict: "pass" };
}
