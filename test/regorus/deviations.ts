/**
 * Where Microsoft's regorus engine (pinned in tools/regorus-harness/Cargo.toml) judges differently
 * from Azure Policy as Microsoft documents it. Each entry names the document that decides the case and
 * carries a minimal policy rule and resource; the differential test re-runs it on every build, so an
 * entry goes red once regorus changes (then delete it).
 */
import type { AzureDefinition } from "../../src/engines/azure-policy";
import type { Rule } from "../../src/ir/types";
import type { ArmResource } from "../../src/resources/convert";

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
    // Get-AzPolicyAlias gives the legacy alias the path properties.apiServerAccessProfile.authorizedIPRanges[*];
    // regorus's normalizer also reads a top-level `apiServerAuthorizedIPRanges` (the alias's name) when one is sent.
    explains: (j) => has(j.resource.properties, "apiServerAuthorizedIPRanges") && JSON.stringify(j.definition.definition).includes(LEGACY_RANGES),
    example: {
      policyRule: { if: { count: { field: LEGACY_RANGES }, greater: 0 }, then: { effect: "deny" } },
      resource: { type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAuthorizedIPRanges: ["73.140.245.0/24"] } },
      azure: "not-fail",
      regorus: "fail",
    },
  },
];
