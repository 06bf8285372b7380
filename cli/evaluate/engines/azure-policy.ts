/**
 * The Azure Policy engine: evaluates the generated definition JSON (azure-policy/definitions) with
 * apiguard's local Azure Policy evaluator against ARM-shaped resources.
 */
import * as fs from "fs";
import * as path from "path";
import { compilePolicy, UnknownValue } from "../../../azure-policy-engine";
import { canonicalEnvelope, type ArmResource } from "../../../core/resources/convert";
import { armAliasPaths, supportsTagsAndLocation } from "../../../core/targets";
import { UnknownValueError } from "./pulumi-proxy";
import type { Verdict } from "../../../core/semantics/semantics";

export interface AzureDefinition {
  ruleId: string;
  file: string;
  definition: { name: string; properties: { displayName: string; description: string; policyRule: { if: unknown }; parameters: Record<string, { defaultValue?: unknown }> } };
  /** The ARM type the definition's first condition pins, for not-applicable verdicts. */
  resourceType?: string;
  /** Every ARM type the definition pins (one, or one per `anyOf` branch). */
  resourceTypes?: string[];
  evaluate: ReturnType<typeof compilePolicy>;
}

export interface AzureJudged {
  verdict: Verdict;
  effect?: string;
  error?: string;
  /** An unknown verdict: the path in the ARM resource the definition read, as the unknown-checking proxy recorded it. */
  unknownPath?: string[];
}

/** A value not known before deployment: the proxy's message and the path it read, never an "evaluation error". */
function unknownRead(e: Error): AzureJudged {
  return { verdict: "unknown", error: e.message, unknownPath: (e as Error & { props?: string[] }).props };
}

/** Where the aliases of apiguard's targets live in an ARM resource (envelope fields such as `sku.name` included). */
const ALIASES = armAliasPaths();

/** Asked for every resource and definition, so answered once per type. */
const tagsAndLocation = new Map<string, boolean>();
function supportsTagsAndLocationOf(type: string): boolean {
  let known = tagsAndLocation.get(type);
  if (known === undefined) tagsAndLocation.set(type, (known = supportsTagsAndLocation(type)));
  return known;
}

function pinnedType(policyRule: { if: unknown }): string | undefined {
  const first = (policyRule.if as { allOf?: { field?: string; equals?: unknown }[] }).allOf?.[0];
  return first?.field === "type" && typeof first.equals === "string" ? first.equals : undefined;
}

/** The types of a definition whose `if` is an `anyOf` of type-pinned branches. */
function pinnedTypes(policyRule: { if: unknown }): string[] | undefined {
  const branches = (policyRule.if as { anyOf?: { allOf?: unknown }[] }).anyOf;
  const types = branches?.map((b) => pinnedType({ if: b }));
  const single = pinnedType(policyRule);
  if (single) return [single];
  return types && types.every((t): t is string => t !== undefined) ? types : undefined;
}

export function loadDefinitions(azurePolicyDir: string): AzureDefinition[] {
  const dir = path.join(azurePolicyDir, "definitions");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => compileDefinition(f.replace(/\.json$/, ""), path.join(dir, f), JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as AzureDefinition["definition"]));
}

/** One definition (the JSON of a definition file) ready to judge resources. */
export function compileDefinition(ruleId: string, file: string, definition: AzureDefinition["definition"]): AzureDefinition {
  return {
    ruleId,
    file,
    definition,
    resourceType: pinnedType(definition.properties.policyRule),
    resourceTypes: pinnedTypes(definition.properties.policyRule),
    evaluate: compilePolicy(definition, { supportsTagsAndLocation: supportsTagsAndLocationOf, aliases: ALIASES }),
  };
}

/**
 * Parameters: the definition defaults, overridden by `parameters` (assignment values).
 *
 * A template function that fails fails the evaluation, and "a failed evaluation is an implicit
 * deny" (Azure Policy definition structure: policy rule, "Avoiding template failures",
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#avoiding-template-failures).
 * So it is a failure that blocks, reported with the failing expression, never "unknown".
 */
export function judgeWithAzure(def: AzureDefinition, given: ArmResource, parameters: Record<string, unknown> = {}, partial = false): AzureJudged {
  let resource: ArmResource;
  try {
    resource = canonicalEnvelope(given);
  } catch (e) {
    // `evaluate` hands in resources behind Pulumi's unknown-checking proxy: a value not known yet.
    if (e instanceof UnknownValueError) return unknownRead(e);
    throw e;
  }
  const types = def.resourceTypes ?? (def.resourceType ? [def.resourceType] : undefined);
  if (types && !types.some((t) => t.toLowerCase() === String(resource.type).toLowerCase())) return { verdict: "not-applicable" };
  const result = def.evaluate(resource, { parameters, partial });
  if (result.thrown instanceof UnknownValueError) return unknownRead(result.thrown);
  // A partly known string the definition cannot decide on: unknown at the property it sits at.
  if (result.thrown instanceof UnknownValue) return { verdict: "unknown", error: result.thrown.message, unknownPath: result.thrown.value.path?.split(".") };
  if (result.error?.startsWith("evaluation error: ")) return { verdict: "fail", effect: "deny", error: result.error };
  if (result.error) return { verdict: "unknown", error: result.error };
  if (result.effect && result.effect !== "disabled") return { verdict: "fail", effect: result.effect };
  return { verdict: "pass" };
}
