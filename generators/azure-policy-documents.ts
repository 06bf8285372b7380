/**
 * The Azure Policy documents apiguard generates, declared once. azure-policy.ts builds them once per
 * generation and every output (definitions, initiative, assignment, az, EPAC, ALZ, docs, versions)
 * renders these same objects. Only the properties apiguard writes are declared, in the order it
 * writes them (the outputs serialize them as is). Structures as Microsoft documents them:
 *   - "Azure Policy definition structure basics",
 *     https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-basics
 *   - "Azure Policy definition structure parameters",
 *     https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-parameters
 *   - "Azure Policy initiative definition structure",
 *     https://learn.microsoft.com/azure/governance/policy/concepts/initiative-definition-structure
 *   - "Azure Policy assignment structure",
 *     https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure
 */
import type { Parameter, Rule, Severity } from "../core/ir/types";
import type { AzureCondition } from "../core/operators";
import type { Exemption, ExemptionCategory, Ring, Rollout } from "../core/rollout/rollout";

/** A definition or initiative parameter. */
export interface PolicyParameter {
  type: "String" | "Integer" | "Boolean" | "Array";
  metadata: { displayName: string; description: string };
  allowedValues?: (string | number)[];
  defaultValue: Parameter["default"];
}

export type PolicyParameters = Record<string, PolicyParameter>;

export interface PolicyRule {
  if: AzureCondition;
  then: { effect: string };
}

/** What every generated document's metadata carries under `apiguard`. */
export interface GeneratedNotice {
  notice: string;
}

export interface PolicyDefinitionMetadata {
  /** The resolved version (see versions.ts), not necessarily the catalog's. */
  version: string;
  category: string;
  severity: Severity;
  controls?: string[];
  apiguard: GeneratedNotice & { ruleId: string; rationale: { title: string; url: string } };
}

export interface PolicyDefinition {
  name: string;
  properties: {
    displayName: string;
    policyType: "Custom";
    mode: "All" | "Indexed";
    description: string;
    metadata: PolicyDefinitionMetadata;
    parameters: PolicyParameters;
    policyRule: PolicyRule;
  };
}

/** An initiative member: the definition and the initiative parameters passed to it. */
export interface PolicyDefinitionReference {
  policyDefinitionReferenceId: string;
  policyDefinitionId: string;
  parameters: Record<string, { value: string }>;
}

export interface PolicySetDefinition {
  name: string;
  properties: {
    displayName: string;
    policyType: "Custom";
    description: string;
    metadata: { version: string; category: string; apiguard: GeneratedNotice };
    parameters: PolicyParameters;
    policyDefinitions: PolicyDefinitionReference[];
  };
}

export interface NonComplianceMessage {
  policyDefinitionReferenceId: string;
  message: string;
}

/** A selector of a resource selector or an override: which kind of value, and the values it takes. */
export interface Selector {
  kind: "resourceLocation" | "resourceType" | "resourceWithoutLocation" | "policyDefinitionReferenceId";
  in: string[];
}

/** A resource selector narrows an assignment to resources every selector matches. */
export interface ResourceSelector {
  name: string;
  selectors: Selector[];
}

/** An effect override: every definition the selectors name (all, without selectors) takes `value`. */
export interface EffectOverride {
  kind: "policyEffect";
  value: string;
  selectors?: Selector[];
}

export interface PolicyAssignment {
  name: string;
  properties: {
    displayName: string;
    description: string;
    policyDefinitionId: string;
    enforcementMode: "Default" | "DoNotEnforce";
    parameters: Record<string, { value: string }>;
    resourceSelectors?: ResourceSelector[];
    overrides?: EffectOverride[];
    nonComplianceMessages: NonComplianceMessage[];
    /** `rollout`: the ring the assignment enforces, or `rest` for the main assignment of a roll-out. */
    metadata: { apiguard: GeneratedNotice & { rollout?: string } };
  };
}

/**
 * A policy exemption of one scope from one assignment ("Azure Policy exemption structure",
 * https://learn.microsoft.com/azure/governance/policy/concepts/exemption-structure). An exemption of
 * the catalog becomes one per scope and assignment; its assignment id starts with ASSIGNMENT_SCOPE.
 */
export interface PolicyExemption {
  name: string;
  scope: string;
  properties: {
    displayName: string;
    description: string;
    policyAssignmentId: string;
    policyDefinitionReferenceIds: string[];
    exemptionCategory: ExemptionCategory;
    expiresOn?: string;
    assignmentScopeValidation: "Default";
    metadata: { reason: string; ticketRef: string; apiguard: GeneratedNotice & { exemption: string } };
  };
}

/** Every Azure Policy document of one generation, built once from the catalog with resolved versions. */
export interface AzurePolicyDocuments {
  /** The rules with an Azure Policy side, in catalog order. */
  rules: Rule[];
  /** One definition per rule, in the same order. */
  definitions: { rule: Rule; document: PolicyDefinition }[];
  initiative: PolicySetDefinition;
  /** The main assignment: the whole estate, or with a roll-out the rest of it. */
  assignment: PolicyAssignment;
  rollout?: Rollout;
  /** One assignment per ring that selects Azure resources, in ring order. */
  rings: { ring: Ring; document: PolicyAssignment }[];
  /** The catalog's exemptions with an Azure side, each with its policy exemptions (one per scope and assignment). */
  exemptions: { exemption: Exemption; documents: PolicyExemption[] }[];
}
