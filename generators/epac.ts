/**
 * Enterprise Policy as Code (EPAC) layout: Definitions/policyDefinitions, policySetDefinitions and
 * an example policyAssignments file, with the $schema references EPAC's tooling validates against.
 * EPAC keys definitions on `name` and resolves set members by `policyDefinitionName`, so nothing
 * here depends on the scope the definitions are deployed to.
 *
 * A roll-out makes the assignment file a tree ("Policy Assignments", children nodes,
 * https://azure.github.io/enterprise-azure-policy-as-code/policy-assignments/): the shared parts at
 * the root, one child per assignment (the rest, and each ring with its resource selectors and
 * overrides). With `enroll`, one assignment in Enroll mode and one file per ring under
 * policyEnrollments/ ("Policy Enrollments", preview,
 * https://azure.github.io/enterprise-azure-policy-as-code/policy-enrollments/). Exemptions go to
 * policyExemptions/ by policy set name and reference ids, so EPAC creates one per assignment of the
 * initiative ("Policy Exemptions", option C,
 * https://azure.github.io/enterprise-azure-policy-as-code/policy-exemptions/).
 */
import type { Exemption } from "../core/rollout/rollout";
import { ASSIGNMENT_NAME, azureEffect, definitionNameFromId, initiativeParameterName, INITIATIVE_NAME } from "./azure-policy";
import type { AzurePolicyDocuments, PolicyAssignment } from "./azure-policy-documents";
import { GENERATED_NOTICE, type OutputFiles } from "./common";
import { json } from "./render";

const SCHEMAS = "https://raw.githubusercontent.com/Azure/enterprise-azure-policy-as-code/main/Schemas";
const ROOT = "azure-policy/epac/Definitions";
const FOLDER = "apiguard";
/** The example PAC environment; EPAC reads exemptions and enrollments from a folder named after it. */
export const PAC_SELECTOR = "epac-dev";
const PAC_SCOPE = `/providers/Microsoft.Management/managementGroups/${PAC_SELECTOR}`;

/** An assignment's own parts, as an EPAC node sets them. */
function assignmentNode(a: PolicyAssignment, enforcementMode: string): object {
  return {
    assignment: { name: a.name, displayName: a.properties.displayName, description: a.properties.description },
    // EPAC unites the metadata of a branch; each assignment carries its own.
    metadata: a.properties.metadata,
    enforcementMode,
    ...(a.properties.resourceSelectors ? { resourceSelectors: a.properties.resourceSelectors } : {}),
    ...(a.properties.overrides ? { overrides: a.properties.overrides } : {}),
  };
}

function exemptionEntry(e: Exemption, referenceIds: string[]): object {
  return {
    name: e.name,
    displayName: `apiguard exemption ${e.name} (${e.reference})`,
    description: e.reason,
    exemptionCategory: e.category,
    ...(e.expiresOn ? { expiresOn: e.expiresOn } : {}),
    scopes: e.azureScopes,
    policySetDefinitionName: INITIATIVE_NAME,
    policyDefinitionReferenceIds: referenceIds,
    assignmentScopeValidation: "Default",
    metadata: { reason: e.reason, ticketRef: e.reference, apiguard: { notice: GENERATED_NOTICE, exemption: e.name } },
  };
}

export function generateEpac({ rules, definitions, initiative: set, assignment: assigned, rollout, rings, exemptions }: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  for (const { rule, document } of definitions) {
    files.set(`${ROOT}/policyDefinitions/${FOLDER}/${rule.id}.json`, json({ $schema: `${SCHEMAS}/policy-definition-schema.json`, ...document }) + "\n");
  }
  const policyDefinitions = set.properties.policyDefinitions.map(({ policyDefinitionId, ...entry }) => ({
    policyDefinitionName: definitionNameFromId(policyDefinitionId),
    ...entry,
  }));
  files.set(`${ROOT}/policySetDefinitions/${FOLDER}/${INITIATIVE_NAME}.json`, json({ $schema: `${SCHEMAS}/policy-set-definition-schema.json`, name: set.name, properties: { ...set.properties, policyDefinitions } }) + "\n");
  const shared = {
    definitionEntry: { policySetName: INITIATIVE_NAME, displayName: set.properties.displayName },
    // EPAC takes plain values; these are the catalog's default enforcement, ready to change per scope.
    parameters: Object.fromEntries(rules.map((r) => [initiativeParameterName(r, "effect"), azureEffect(r.enforcement)])),
    nonComplianceMessages: assigned.properties.nonComplianceMessages,
    scope: { [PAC_SELECTOR]: [PAC_SCOPE] },
  };
  const file = `${ROOT}/policyAssignments/${FOLDER}/${ASSIGNMENT_NAME}.json`;
  if (!rollout) {
    const { definitionEntry, ...rest } = shared;
    const assignment = { name: ASSIGNMENT_NAME, displayName: assigned.properties.displayName, description: assigned.properties.description };
    files.set(file, json({ $schema: `${SCHEMAS}/policy-assignment-schema.json`, nodeName: "/apiguard/", definitionEntry, assignment, metadata: assigned.properties.metadata, enforcementMode: "Default", ...rest }) + "\n");
  } else if (rollout.enroll) {
    // Enroll mode: the one assignment evaluates everything and enforces what is enrolled.
    files.set(file, json({ $schema: `${SCHEMAS}/policy-assignment-schema.json`, nodeName: "/apiguard/", ...shared, ...assignmentNode(assigned, "Enroll") }) + "\n");
    for (const { ring, document } of rings.filter((r) => r.ring.enforcementMode === "Default")) {
      files.set(
        `${ROOT}/policyEnrollments/${PAC_SELECTOR}/${document.name}.json`,
        json({
          $schema: `${SCHEMAS}/policy-enrollment-schema.json`,
          name: document.name,
          scope: PAC_SCOPE,
          displayName: document.properties.displayName,
          description: document.properties.description,
          policyAssignmentId: `${PAC_SCOPE}/providers/Microsoft.Authorization/policyAssignments/${ASSIGNMENT_NAME}`,
          assignmentScopeValidation: "Default",
          resourceSelectors: document.properties.resourceSelectors,
          metadata: { apiguard: { notice: GENERATED_NOTICE, rollout: ring.name } },
        }) + "\n",
      );
    }
  } else {
    const children = [assigned, ...rings.map((r) => r.document)].map((a) => ({ nodeName: `${a.properties.metadata.apiguard.rollout}/`, ...assignmentNode(a, a.properties.enforcementMode) }));
    files.set(file, json({ $schema: `${SCHEMAS}/policy-assignment-schema.json`, nodeName: "/apiguard/", ...shared, children }) + "\n");
  }
  if (exemptions.length > 0) {
    const entries = exemptions.map(({ exemption, documents }) => exemptionEntry(exemption, documents[0].properties.policyDefinitionReferenceIds));
    files.set(`${ROOT}/policyExemptions/${PAC_SELECTOR}/apiguard.json`, json({ $schema: `${SCHEMAS}/policy-exemption-schema.json`, exemptions: entries }) + "\n");
  }
  return files;
}
