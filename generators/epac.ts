/**
 * Enterprise Policy as Code (EPAC) layout: Definitions/policyDefinitions, policySetDefinitions and
 * an example policyAssignments file, with the $schema references EPAC's tooling validates against.
 * EPAC keys definitions on `name` and resolves set members by `policyDefinitionName`, so nothing
 * here depends on the scope the definitions are deployed to.
 */
import { ASSIGNMENT_NAME, azureEffect, definitionNameFromId, initiativeParameterName, INITIATIVE_NAME } from "./azure-policy";
import type { AzurePolicyDocuments } from "./azure-policy-documents";
import type { OutputFiles } from "./common";
import { json } from "./render";

const SCHEMAS = "https://raw.githubusercontent.com/Azure/enterprise-azure-policy-as-code/main/Schemas";
const ROOT = "azure-policy/epac/Definitions";
const FOLDER = "apiguard";

export function generateEpac({ rules, definitions, initiative: set, assignment: assigned }: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  for (const { rule, document } of definitions) {
    files.set(`${ROOT}/policyDefinitions/${FOLDER}/${rule.id}.json`, json({ $schema: `${SCHEMAS}/policy-definition-schema.json`, ...document }) + "\n");
  }
  const policyDefinitions = set.properties.policyDefinitions.map(({ policyDefinitionId, ...entry }) => ({
    policyDefinitionName: definitionNameFromId(policyDefinitionId),
    ...entry,
  }));
  files.set(
    `${ROOT}/policySetDefinitions/${FOLDER}/${INITIATIVE_NAME}.json`,
    json({ $schema: `${SCHEMAS}/policy-set-definition-schema.json`, name: set.name, properties: { ...set.properties, policyDefinitions } }) + "\n",
  );
  files.set(
    `${ROOT}/policyAssignments/${FOLDER}/${ASSIGNMENT_NAME}.json`,
    json({
      $schema: `${SCHEMAS}/policy-assignment-schema.json`,
      nodeName: "/apiguard/",
      definitionEntry: { policySetName: INITIATIVE_NAME, displayName: set.properties.displayName },
      assignment: { name: ASSIGNMENT_NAME, displayName: assigned.properties.displayName, description: assigned.properties.description },
      metadata: assigned.properties.metadata,
      enforcementMode: "Default",
      // EPAC takes plain values; these are the catalog's default enforcement, ready to change per scope.
      parameters: Object.fromEntries(rules.map((r) => [initiativeParameterName(r, "effect"), azureEffect(r.enforcement)])),
      nonComplianceMessages: assigned.properties.nonComplianceMessages,
      scope: { "epac-dev": ["/providers/Microsoft.Management/managementGroups/epac-dev"] },
    }) + "\n",
  );
  return files;
}
