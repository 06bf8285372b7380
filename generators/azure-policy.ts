/**
 * Azure Policy backend: one definition per rule with an Azure side, an initiative exposing every
 * definition's parameters, and an example assignment.
 *
 * Absent properties: Azure Policy judges an absent (or null) property by its own rules — `equals` is
 * false, `notEquals` is true, `count` is 0 — while apiguard judges it as the cloud default. For each
 * comparison the generator computes both; where they differ it pins the absent case explicitly with
 * an `exists` guard, so the definition means exactly what the rule means.
 */
import type { Catalog } from "../core/catalog/load";
import { AZURE_LIMITS, RING_ASSIGNMENT_PREFIX } from "../core/catalog/estate";
import type { Condition, Enforcement, Leaf, Operand, Parameter, Rule } from "../core/ir/types";
import { AZURE_SELECTOR_KINDS, declaredLevel, type Exemption, type Ring, type Rollout, type Stage } from "../core/rollout/rollout";
import { operator as operatorNamed, type AzureCondition } from "../core/operators";
import { armAlias, armShape, armShapes, azurePolicyMode, targetById, type ArmShape, type FieldBinding } from "../core/targets";
import { camelCase, definitionName, fullMessage, GENERATED_NOTICE, pascalCase, remediation, type OutputFiles } from "./common";
import type { AzurePolicyDocuments, EffectOverride, PolicyAssignment, PolicyDefinition, PolicyExemption, PolicyParameter, PolicyParameters, PolicyRule, PolicySetDefinition, ResourceSelector } from "./azure-policy-documents";
import { json, render } from "./render";

/** The Azure Policy effect a rule's enforcement defaults to. */
export function azureEffect(enforcement: Enforcement): string {
  // Built per call, not once at module load, so the tests that judge it are credited with it (mutation testing).
  const effects: Record<Enforcement, string> = { mandatory: "Deny", advisory: "Audit", disabled: "Disabled" };
  return effects[enforcement];
}
export const INITIATIVE_NAME = "apiguard-kubernetes-api-server";
export const ASSIGNMENT_NAME = "apiguard-k8s-api";
/** Consumers replace this with the management group or subscription that holds the definitions. */
export const DEFINITION_SCOPE = "{definitionScope}";
/** Consumers replace this with the scope of the assignments an exemption exempts from. */
export const ASSIGNMENT_SCOPE = "{assignmentScope}";
const POLICY_VERSION = "1.0.0";
const ARM_TYPES: Record<Parameter["type"], PolicyParameter["type"]> = { boolean: "Boolean", integer: "Integer", string: "String", array: "Array" };

function parameterExpression(name: string): string {
  return `[parameters('${name}')]`;
}

function operandJson(operand: Operand): unknown {
  return typeof operand === "object" && !Array.isArray(operand) ? parameterExpression(operand.param) : operand;
}

/** Operand values a rule parameter can take, to prove the absent-property pin holds for all of them. */
function candidateValues(rule: Rule, operand: Operand): unknown[] {
  if (typeof operand !== "object" || Array.isArray(operand)) return [operand];
  // Only integer and list parameters reach an operand (rule.schema.json, and the loader checks the
  // operator's operand type): an integer's bounds and default, or a list's default and no list at all.
  // (The loader refuses an undeclared one; none would leave no candidate, which leafCondition refuses.)
  const declared = rule.parameters.filter((p) => p.name === operand.param);
  return declared.flatMap((p) => (p.type === "integer" ? [p.minimum ?? 0, p.default, p.maximum ?? 128] : [p.default, []]));
}

/** Where a condition's fields are: a shape's own fields, or the fields of the element being counted. */
interface FieldScope {
  alias(field: string): string;
  binding(field: string): FieldBinding;
}

function shapeScope(shape: ArmShape): FieldScope {
  return { alias: (field) => armAlias(shape, field), binding: (field) => shape.fields[field] };
}

/**
 * The elements of the array `field`: `<array alias>[*].<element alias>` inside a `count`, or for a
 * standalone child resource (empty path) the resource's own aliases, `<type>/<element alias>`.
 */
function elementScope(shape: ArmShape, scope: FieldScope, field: string): FieldScope {
  const array = scope.binding(field);
  const elements = array.elements ?? {};
  const prefix = array.path.length === 0 ? `${shape.arm.resourceType}/` : `${scope.alias(field)}[*].`;
  return { alias: (name) => prefix + (elements[name].aliasPath ?? elements[name].path).join("."), binding: (name) => elements[name] };
}

function leafCondition(rule: Rule, scope: FieldScope, leaf: Leaf): AzureCondition {
  const operator = operatorNamed(leaf.operator);
  const operand = operandJson(leaf.operand);
  if ("param" in leaf.subject) {
    const { field: _alias, ...comparison } = operator.azure("", operand);
    return { value: parameterExpression(leaf.subject.param), ...comparison };
  }
  const field = leaf.subject.field;
  const alias = scope.alias(field);
  if (scope.binding(field).present) return presenceCondition(rule, leaf, alias);
  const condition = operator.azure(alias, operand);
  const defaults = candidateValues(rule, leaf.operand).map((v) => operator.evaluate(scope.binding(field).default, v));
  const atDefault = defaults[0];
  if (typeof atDefault !== "boolean" || defaults.some((d) => d !== atDefault)) {
    throw new Error(`${rule.file}: cannot render '${leaf.operator}' on '${field}' for Azure Policy: its result at the default value depends on the parameter`);
  }
  const azureWhenAbsent = candidateValues(rule, leaf.operand).map((v) => operator.azureWhenAbsent(v));
  // A field whose empty string means the default is pinned for '' too, whatever Azure makes of it.
  if (!scope.binding(field).emptyIsDefault && azureWhenAbsent.every((a) => a === atDefault)) return condition;
  const absent: AzureCondition[] = [{ field: alias, exists: false }];
  const present: AzureCondition[] = [{ field: alias, exists: true }];
  if (scope.binding(field).emptyIsDefault) {
    absent.push({ field: alias, equals: "" });
    present.push({ field: alias, notEquals: "" });
  }
  return atDefault ? { anyOf: [...absent, condition] } : { allOf: [...present, condition] };
}

/**
 * A field whose value is whether a property is set (a presence binding): the comparison holds for
 * one of true and false, which Azure Policy asks as `exists` — false for an absent or null property,
 * as the reference semantics reads it.
 */
function presenceCondition(rule: Rule, leaf: Leaf, alias: string): AzureCondition {
  const operator = operatorNamed(leaf.operator);
  const holds = (value: boolean) => candidateValues(rule, leaf.operand).map((v) => operator.evaluate(value, v));
  const [whenSet, whenUnset] = [holds(true), holds(false)];
  const constant = (results: unknown[]) => results.every((r) => r === results[0]) && typeof results[0] === "boolean";
  if (!constant(whenSet) || !constant(whenUnset) || whenSet[0] === whenUnset[0]) {
    throw new Error(`${rule.file}: cannot render '${leaf.operator}' on '${"field" in leaf.subject ? leaf.subject.field : ""}' for Azure Policy: a presence field must be compared so that set and unset differ`);
  }
  return { field: alias, exists: whenSet[0] };
}

export function azureCondition(rule: Rule, shape: ArmShape, condition: Condition, scope: FieldScope = shapeScope(shape)): AzureCondition {
  switch (condition.kind) {
    case "allOf":
    case "anyOf":
      return { [condition.kind]: condition.conditions.map((c) => azureCondition(rule, shape, c, scope)) };
    case "not":
      return { not: azureCondition(rule, shape, condition.condition, scope) };
    case "anyElement": {
      const array = scope.binding(condition.field);
      const where = azureCondition(rule, shape, condition.where, elementScope(shape, scope, condition.field));
      // A standalone child resource is its one element; an absent array counts 0, which is its default ([]).
      return array.path.length === 0 ? where : { count: { field: `${scope.alias(condition.field)}[*]`, where }, greater: 0 };
    }
    case "noneRelated":
      throw new Error(`${rule.file}: noneRelated relates resources of a stack; Azure Policy judges one resource at a time`);
    case "leaf":
      return leafCondition(rule, scope, condition);
  }
}

function isOnlyAllOf(c: AzureCondition): c is { allOf: AzureCondition[] } {
  return Array.isArray(c.allOf) && Object.keys(c).length === 1;
}

function shapeCondition(rule: Rule, shape: ArmShape): AzureCondition {
  const conditions = [{ field: "type", equals: shape.arm.resourceType }, ...[rule.when, rule.failsWhen].filter((c): c is Condition => c !== undefined).map((c) => azureCondition(rule, shape, c))];
  // A top-level allOf reads better flat.
  const flat = conditions.flatMap((c) => (isOnlyAllOf(c) ? c.allOf : [c]));
  return { allOf: flat };
}

/** One ARM type: `allOf [type, …]`. Several (a resource and its child type): `anyOf` of one such per type. */
export function policyRule(rule: Rule): PolicyRule {
  const shapes = armShapes(targetById(rule.target));
  const condition = shapes.length === 1 ? shapeCondition(rule, shapes[0]) : { anyOf: shapes.map((s) => shapeCondition(rule, s)) };
  return { if: condition, then: { effect: parameterExpression("effect") } };
}

function effectParameter(rule: Rule): PolicyParameter {
  return {
    type: "String",
    metadata: { displayName: "Effect", description: "Deny blocks non-compliant requests, Audit reports them, Disabled turns the policy off." },
    allowedValues: ["Audit", "Deny", "Disabled"],
    defaultValue: azureEffect(rule.enforcement),
  };
}

function ruleParameter(p: Parameter): PolicyParameter {
  const { minimum, maximum } = p;
  const range = p.type === "integer" && minimum !== undefined && maximum !== undefined && maximum - minimum <= 128;
  return {
    type: ARM_TYPES[p.type],
    metadata: { displayName: p.name, description: p.description },
    ...(range ? { allowedValues: Array.from({ length: maximum - minimum + 1 }, (_, i) => minimum + i) } : {}),
    defaultValue: p.default,
  };
}

/** A definition's parameters: its effect, then the rule's own. Part of the logic versions.ts hashes. */
export function definitionParameters(rule: Rule): PolicyParameters {
  return {
    effect: effectParameter(rule),
    ...Object.fromEntries(rule.parameters.map((p) => [p.name, ruleParameter(p)])),
  };
}

export function definition(rule: Rule): PolicyDefinition {
  return {
    name: definitionName(rule),
    properties: {
      displayName: rule.title,
      policyType: "Custom",
      mode: azurePolicyMode(targetById(rule.target)),
      description: rule.description,
      metadata: {
        version: rule.version,
        category: rule.category,
        severity: rule.severity,
        ...(rule.controls.length > 0 ? { controls: rule.controls } : {}),
        // The public page the rule rests on, not a catalog file name: readers outside this repository follow it.
        apiguard: { ruleId: rule.id, rationale: { title: rule.rationale.source.title, url: rule.rationale.source.url }, notice: GENERATED_NOTICE },
      },
      parameters: definitionParameters(rule),
      policyRule: policyRule(rule),
    },
  };
}

/** Initiative parameter names: `<ruleIdInCamelCase><ParameterName>`, unique across rules. */
export function initiativeParameterName(rule: Rule, parameter: string): string {
  return `${camelCase(rule.id)}${pascalCase(parameter)}`;
}

function definitionId(kind: "policyDefinitions" | "policySetDefinitions", name: string): string {
  return `${DEFINITION_SCOPE}/providers/Microsoft.Authorization/${kind}/${name}`;
}

export function initiative(rules: readonly Rule[]): PolicySetDefinition {
  const parameters: PolicyParameters = {};
  const policyDefinitions = rules.map((rule) => {
    const refs: Record<string, { value: string }> = {};
    for (const name of ["effect", ...rule.parameters.map((p) => p.name)]) {
      const exposed = initiativeParameterName(rule, name);
      const p = rule.parameters.find((x) => x.name === name);
      const param = p ? ruleParameter(p) : effectParameter(rule);
      parameters[exposed] = { ...param, metadata: { ...param.metadata, displayName: `${rule.id}: ${param.metadata.displayName}` } };
      refs[name] = { value: parameterExpression(exposed) };
    }
    return { policyDefinitionReferenceId: rule.id, policyDefinitionId: definitionId("policyDefinitions", definitionName(rule)), parameters: refs };
  });
  return {
    name: INITIATIVE_NAME,
    properties: {
      displayName: "apiguard: Kubernetes API server network exposure",
      policyType: "Custom",
      description:
        "Every apiguard rule with an Azure Policy side: private AKS API servers, public FQDN, authorized IP ranges, private DNS zones, command invoke, who may reach the API server (local accounts, Microsoft Entra ID, Azure and Kubernetes RBAC), SSH to AKS nodes, private Fleet Manager hubs, and jump boxes without SSH/RDP open to the internet or a public IP.",
      metadata: { version: POLICY_VERSION, category: "Kubernetes", apiguard: { notice: GENERATED_NOTICE } },
      parameters,
      policyDefinitions,
    },
  };
}

/** Azure caps a non-compliance message at 1024 characters. */
const MAX_NON_COMPLIANCE_MESSAGE = 1024;

function nonComplianceMessage(rule: Rule): string {
  // Azure Policy judges the ARM resource: its properties are spelled as ARM spells them.
  const arm = armShape(targetById(rule.target));
  const full = fullMessage(rule, arm);
  if (full.length <= MAX_NON_COMPLIANCE_MESSAGE) return full;
  const short = `${rule.message} Fix: ${remediation(rule, arm)}`;
  return short.length <= MAX_NON_COMPLIANCE_MESSAGE ? short : rule.message.slice(0, MAX_NON_COMPLIANCE_MESSAGE);
}

/** The Azure effects a stage of a roll-out states, as the fewest overrides: none when it states nothing. */
export function effectOverrides(rules: readonly Rule[], stage: Stage): EffectOverride[] | undefined {
  if (Object.keys(stage.enforcement).length === 0) return undefined;
  const effects = rules.map((r) => azureEffect(declaredLevel(stage, r.id, r.enforcement)));
  // One effect for every rule: the override Microsoft's safe-deployment how-to shows, without selectors.
  if (new Set(effects).size === 1) return [{ kind: "policyEffect", value: effects[0] }];
  const overrides: EffectOverride[] = [];
  for (const value of ["Deny", "Audit", "Disabled"]) {
    const ids = rules.filter((_, i) => effects[i] === value).map((r) => r.id);
    for (let i = 0; i < ids.length; i += AZURE_LIMITS.overrideReferenceIds) {
      overrides.push({ kind: "policyEffect", value, selectors: [{ kind: "policyDefinitionReferenceId", in: ids.slice(i, i + AZURE_LIMITS.overrideReferenceIds) }] });
    }
  }
  return overrides;
}

/** A ring's Azure alternatives as resource selectors, named after the ring. */
export function resourceSelectors(ring: Ring): ResourceSelector[] {
  const alternatives = ring.azure ?? [];
  return alternatives.map((alternative, i) => ({
    name: alternatives.length === 1 ? ring.name : `${ring.name}-${i + 1}`,
    selectors: AZURE_SELECTOR_KINDS.flatMap((kind) => {
      const values = alternative[kind];
      return values ? [{ kind, in: values }] : [];
    }),
  }));
}

export function ringAssignmentName(ring: Ring): string {
  return RING_ASSIGNMENT_PREFIX + ring.name;
}

const DISPLAY_NAME = "apiguard: Kubernetes API server network exposure";

function baseAssignment(rules: readonly Rule[], name: string, displayName: string, description: string, stage: Stage, rollout: string | undefined): PolicyAssignment {
  const overrides = effectOverrides(rules, stage);
  return {
    name,
    properties: {
      displayName,
      description,
      policyDefinitionId: definitionId("policySetDefinitions", INITIATIVE_NAME),
      enforcementMode: stage.enforcementMode,
      parameters: Object.fromEntries(rules.map((r) => [initiativeParameterName(r, "effect"), { value: azureEffect(r.enforcement) }])),
      ...(overrides ? { overrides } : {}),
      nonComplianceMessages: rules.map((r) => ({ policyDefinitionReferenceId: r.id, message: nonComplianceMessage(r) })),
      metadata: { apiguard: { notice: GENERATED_NOTICE, ...(rollout ? { rollout } : {}) } },
    },
  };
}

/** The main assignment: the whole estate, or with a roll-out the rest of it (no resource selectors, the rest's effects). */
export function assignment(rules: readonly Rule[], rollout?: Rollout): PolicyAssignment {
  if (!rollout) {
    const description = "Example assignment of the apiguard initiative. Start with enforcementMode DoNotEnforce to see what would be denied, then switch to Default.";
    return baseAssignment(rules, ASSIGNMENT_NAME, DISPLAY_NAME, description, { enforcementMode: "Default", enforcement: {} }, undefined);
  }
  const rings = rollout.rings.filter((r) => r.azure).map(ringAssignmentName);
  const description = `The apiguard initiative for the rest of the estate${rings.length > 0 ? `; the roll-out's rings have assignments of their own (${rings.join(", ")}), which evaluate their resources in addition to this one` : ""}.`;
  return baseAssignment(rules, ASSIGNMENT_NAME, DISPLAY_NAME, description, rollout.rest, "rest");
}

/**
 * A ring's assignment, as Microsoft's "Safe deployment of Azure Policy assignments" shows it
 * (https://learn.microsoft.com/azure/governance/policy/how-to/policy-safe-deployment-practices):
 * the initiative assigned at the same scope, narrowed to the ring by resource selectors, with the
 * ring's effects set by `policyEffect` overrides and its own enforcement mode.
 */
export function ringAssignment(rules: readonly Rule[], rollout: Rollout, ring: Ring): PolicyAssignment {
  const position = rollout.rings.indexOf(ring) + 1;
  const about = ring.description ? ` ${ring.description.replace(/\.?$/, ".")}` : "";
  const description = `Ring ${position} of ${rollout.rings.length} of the apiguard roll-out, '${ring.name}'.${about} Resource selectors narrow the initiative to the ring; its resources are also evaluated by ${ASSIGNMENT_NAME}.`;
  const document = baseAssignment(rules, ringAssignmentName(ring), `${DISPLAY_NAME} (ring ${ring.name})`, description, ring, ring.name);
  const { nonComplianceMessages, metadata, overrides, ...head } = document.properties;
  // resourceSelectors before overrides, as in Microsoft's examples.
  return { name: document.name, properties: { ...head, resourceSelectors: resourceSelectors(ring), ...(overrides ? { overrides } : {}), nonComplianceMessages, metadata } };
}

/** The policy exemptions of one catalog exemption: one per Azure scope and assignment, for the rules with an Azure side. */
export function exemptionDocuments(rules: readonly Rule[], exemption: Exemption, assignments: readonly string[]): PolicyExemption[] {
  // The loader refuses Azure scopes on an exemption none of whose rules has an Azure side.
  const ids = exemption.rules.filter((id) => rules.some((r) => r.id === id));
  return exemption.azureScopes.flatMap((scope) =>
    assignments.map((assigned) => ({
      name: `${exemption.name}-${assigned}`,
      scope,
      properties: {
        displayName: `apiguard exemption ${exemption.name} (${exemption.reference})`,
        description: exemption.reason,
        policyAssignmentId: `${ASSIGNMENT_SCOPE}/providers/Microsoft.Authorization/policyAssignments/${assigned}`,
        policyDefinitionReferenceIds: ids,
        exemptionCategory: exemption.category,
        ...(exemption.expiresOn ? { expiresOn: exemption.expiresOn } : {}),
        assignmentScopeValidation: "Default" as const,
        metadata: { reason: exemption.reason, ticketRef: exemption.reference, apiguard: { notice: GENERATED_NOTICE, exemption: exemption.name } },
      },
    })),
  );
}

export function azureRules(catalog: Catalog): Rule[] {
  return catalog.rules.filter((r) => r.backends.includes("azure-policy"));
}

/** Every Azure Policy document, built once per generation from the catalog with resolved versions. */
export function azurePolicyDocuments(catalog: Catalog): AzurePolicyDocuments {
  const rules = azureRules(catalog);
  const { rollout } = catalog;
  const rings = (rollout?.rings ?? []).filter((ring) => ring.azure).map((ring) => ({ ring, document: ringAssignment(rules, rollout as Rollout, ring) }));
  const main = assignment(rules, rollout);
  const assignments = [main.name, ...rings.map((r) => r.document.name)];
  return {
    rules,
    definitions: rules.map((rule) => ({ rule, document: definition(rule) })),
    initiative: initiative(rules),
    assignment: main,
    ...(rollout ? { rollout } : {}),
    rings,
    exemptions: (catalog.exemptions ?? []).map((e) => ({ exemption: e, documents: exemptionDocuments(rules, e, assignments) })).filter((e) => e.documents.length > 0),
  };
}

/** A definition's name from its id: the last segment (EPAC and ALZ resolve initiative members by name). */
export function definitionNameFromId(policyDefinitionId: string): string {
  return policyDefinitionId.slice(policyDefinitionId.lastIndexOf("/") + 1);
}

export function generateAzurePolicy(documents: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  for (const { rule, document } of documents.definitions) files.set(`azure-policy/definitions/${rule.id}.json`, render("azure-policy/definition.json.hbs", document));
  files.set("azure-policy/initiative.json", render("azure-policy/initiative.json.hbs", documents.initiative));
  files.set("azure-policy/assignment.json", render("azure-policy/assignment.json.hbs", documents.assignment));
  for (const { ring, document } of documents.rings) files.set(`azure-policy/rings/${ring.name}.json`, render("azure-policy/assignment.json.hbs", document));
  if (documents.exemptions.length > 0) files.set("azure-policy/exemptions.json", json({ "//": GENERATED_NOTICE, exemptions: documents.exemptions.flatMap((e) => e.documents) }) + "\n");
  return files;
}
