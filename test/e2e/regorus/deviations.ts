/**
 * Where Microsoft's regorus engine (pinned in tools/regorus-harness/Cargo.toml) judges differently
 * from Azure Policy as Microsoft documents it. Each entry names the document that decides the case and
 * carries a minimal policy rule and resource; the differential test re-runs it on every build, so an
 * entry goes red once regorus changes (then delete it).
 */
import type { AzureDefinition } from "../../../cli/evaluate/engines/azure-policy";
import type { Rule } from "../../../core/ir/types";
import type { ArmResource } from "../../../core/resources/convert";
import { versionsOfAlias } from "./resources";

/** fail / not-fail, or a definition that could not be evaluated (a template error: Azure denies). */
export type Verdict = "fail" | "not-fail" | "evaluation-failure";
export interface Case {
  rule: Rule;
  definition: AzureDefinition;
  resource: ArmResource;
  /** Assignment values; `{}` means the definition's defaultValues. */
  parameters: Record<string, unknown>;
  origin: string;
}
export interface Judged extends Case {
  reference: Verdict;
  local: Verdict;
  regorus: Verdict;
}

export interface Deviation {
  id: string;
  /** What Microsoft documents, with the page's title and URL. */
  decidedBy: { title: string; url: string; says: string };
  /** A corpus case whose regorus verdict this deviation explains (the Azure verdict is the local evaluator's). */
  explains(j: Judged): boolean;
  /** A minimal demonstration: Azure's documented verdict, and what regorus answers instead. */
  example: { policyRule: { if: unknown; then: { effect: string } }; resource: ArmResource; azure: Verdict; regorus: Verdict };
}

const RANGES = "Microsoft.ContainerService/managedClusters/apiServerAccessProfile.authorizedIPRanges[*]";
const LEGACY_RANGES = "Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]";
/** The API versions whose clusters carry the top-level `apiServerAuthorizedIPRanges` (data/versioned-paths.json). */
const LEGACY_API_VERSIONS = versionsOfAlias(LEGACY_RANGES);
const has = (o: unknown, key: string) => typeof o === "object" && o !== null && Object.keys(o).some((k) => k.toLowerCase() === key.toLowerCase());

export const KNOWN_DEVIATIONS: Deviation[] = [
  {
    id: "template-function-error-reads-as-false",
    decidedBy: {
      title: "Azure Policy pattern: The value operator",
      url: "https://learn.microsoft.com/azure/governance/policy/samples/pattern-value-operator",
      says: "If the result of a template function is an error, policy evaluation fails. A failed evaluation is an implicit deny.",
    },
    // regorus's template functions return "undefined" for arguments of the wrong type (e.g.
    // contains(5, '/')), and the condition reads as false; Azure fails the evaluation instead.
    explains: (j) => j.local === "evaluation-failure",
    example: {
      policyRule: {
        if: { count: { field: RANGES, where: { value: `[contains(current('${RANGES}'), '/')]`, equals: true } }, greater: 0 },
        then: { effect: "deny" },
      },
      resource: { type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAccessProfile: { authorizedIPRanges: [5] } } },
      azure: "evaluation-failure",
      regorus: "not-fail",
    },
  },
  {
    id: "alias-read-at-its-name-not-its-path",
    decidedBy: {
      title: "Azure Policy definition structure aliases",
      url: "https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-alias",
      says: "Each alias maps to paths in different API versions for a given resource type. During policy evaluation, the policy engine gets the property path for that API version.",
    },
    // Get-AzPolicyAlias gives the legacy alias the path properties.apiServerAccessProfile.authorizedIPRanges[*]
    // (current API versions); regorus's normalizer also reads a top-level `apiServerAuthorizedIPRanges` (the
    // alias's name) when one is sent. The corpus sends that property only at the 2019 API versions, where
    // the alias reads it (test/e2e/regorus/data/versioned-paths.json) and both engines agree: this explains
    // only a request at another API version (or none).
    explains: (j) => has(j.resource.properties, "apiServerAuthorizedIPRanges") && !LEGACY_API_VERSIONS.includes(String(j.resource.apiVersion)) && JSON.stringify(j.definition.definition).includes(LEGACY_RANGES),
    example: {
      policyRule: { if: { count: { field: LEGACY_RANGES }, greater: 0 }, then: { effect: "deny" } },
      resource: { type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAuthorizedIPRanges: ["73.140.245.0/24"] } },
      azure: "not-fail",
      regorus: "fail",
    },
  },
  {
    id: "if-evaluates-both-branches",
    decidedBy: {
      title: "ARM template functions - logical: if",
      url: "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-logical#if",
      says: "When the condition is True, only the true value is evaluated. When the condition is False, only the false value is evaluated.",
    },
    // regorus compiles if() to an ordinary call of its three evaluated arguments, and a call on an
    // undefined value (trim() of a number) is undefined, so the unselected branch decides. The generated
    // definitions give trim() text in either branch (asText in core/operators), so no corpus case needs this.
    explains: () => false,
    example: {
      policyRule: {
        if: { count: { field: RANGES, where: { value: `[if(true, true, empty(trim(current('${RANGES}'))))]`, equals: true } }, greater: 0 },
        then: { effect: "deny" },
      },
      resource: { type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAccessProfile: { authorizedIPRanges: [24] } } },
      azure: "fail",
      regorus: "not-fail",
    },
  },
  {
    id: "substring-without-length-is-undefined",
    decidedBy: {
      title: "String functions for ARM templates: substring",
      url: "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#substring",
      says: "length | No | int | The number of characters for the substring. Must be a number within the string.",
    },
    // regorus evaluates substring() only with its three arguments; the generated definitions use skip()
    // instead (core/operators taggedCondition), so no corpus case needs this.
    explains: () => false,
    example: {
      policyRule: { if: { value: "[substring('role=jumpbox', 5)]", equals: "jumpbox" }, then: { effect: "deny" } },
      resource: { type: "Microsoft.Network/networkInterfaces", name: "nic", properties: {} },
      azure: "fail",
      regorus: "not-fail",
    },
  },
  {
    id: "concat-joins-only-text",
    decidedBy: {
      title: "Array functions for ARM templates: concat",
      url: "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#concat",
      says: "Combines multiple arrays and returns the concatenated array, or combines multiple string values and returns the concatenated string.",
    },
    // regorus compiles concat() to a text join, so concat() of arrays is undefined; the generated
    // definitions pad a text with separators before split() instead (core/operators internetSourceCondition).
    explains: () => false,
    example: {
      policyRule: { if: { value: "[length(concat(createArray('a'), createArray('b', 'c')))]", equals: 3 }, then: { effect: "deny" } },
      resource: { type: "Microsoft.Network/networkInterfaces", name: "nic", properties: {} },
      azure: "fail",
      regorus: "not-fail",
    },
  },
];
