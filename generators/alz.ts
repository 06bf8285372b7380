/**
 * Azure Landing Zones library layout (azure-policy/alz/): a library member the ALZ Terraform
 * provider reads as a local library (its `library_references` `custom_url`), documented at
 * https://azure.github.io/Azure-Landing-Zones-Library/ ("Library Assets"):
 *   - assets are found by file name pattern (`*.alz_policy_definition.json`,
 *     `*.alz_policy_set_definition.json`, `*.alz_policy_assignment.json`,
 *     `*.alz_archetype_override.yaml`), never by folder; the folders follow its recommended names
 *     (`archetype_overrides/` as in the ALZ accelerator's starter library);
 *   - an asset is "the resource definition as per the schema" and is keyed by its `.name`, which
 *     we also use as the file name; references between assets are resolved by name, so the
 *     management group in resource ids is a placeholder the client rewrites (the library's own
 *     files use `/providers/Microsoft.Management/managementGroups/contoso/…` and `…/placeholder`);
 *   - an archetype override adds the assets to a base archetype without changing it.
 * Everything is derived from the same definitions, initiative and assignment as azure-policy/. A
 * roll-out adds each ring's assignment (resource selectors and overrides are part of the resource
 * JSON an assignment asset is); the library has no exemption asset, so exemptions are deployed with
 * the other outputs, and the ALZ provider's enforcement modes are Default and DoNotEnforce (no Enroll).
 */
import { ASSIGNMENT_NAME, INITIATIVE_NAME, definitionNameFromId } from "./azure-policy";
import type { AzurePolicyDocuments } from "./azure-policy-documents";
import { definitionName, GENERATED_NOTICE, type OutputFiles } from "./common";
import { stringify } from "yaml";
import { json } from "./render";

export const ALZ_ROOT = "azure-policy/alz";
const SCHEMAS = "https://raw.githubusercontent.com/Azure/Azure-Landing-Zones-Library/main/schemas";
/** Placeholder scope; ALZ clients replace it with the management group the archetype is assigned to. */
const PLACEHOLDER_SCOPE = "/providers/Microsoft.Management/managementGroups/placeholder";
/** The archetype of the management group that holds application landing zones (AKS clusters live there), in platform/alz. */
export const BASE_ARCHETYPE = "landing_zones";
export const OVERRIDE_NAME = `${BASE_ARCHETYPE}_apiguard`;

const authorization = (kind: string, name: string) => `${PLACEHOLDER_SCOPE}/providers/Microsoft.Authorization/${kind}/${name}`;
const file = (folder: string, name: string, kind: string, content: object): [string, string] => [`${ALZ_ROOT}/${folder}/${name}.alz_${kind}.json`, json(content) + "\n"];

export function generateAlz({ rules, definitions, initiative: set, assignment: assigned, rings }: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  files.set(
    `${ALZ_ROOT}/alz_library_metadata.json`,
    json({
      $schema: `${SCHEMAS}/library_metadata.json`,
      name: "apiguard",
      display_name: "apiguard: Kubernetes API server network exposure",
      description: `${GENERATED_NOTICE} Builds on the ALZ library (platform/alz): its archetype override extends '${BASE_ARCHETYPE}'.`,
    }) + "\n",
  );
  for (const { document } of definitions) {
    files.set(...file("policy_definitions", document.name, "policy_definition", { type: "Microsoft.Authorization/policyDefinitions", ...document }));
  }
  const policyDefinitions = set.properties.policyDefinitions.map((d) => ({ ...d, policyDefinitionId: authorization("policyDefinitions", definitionNameFromId(d.policyDefinitionId)) }));
  files.set(...file("policy_set_definitions", INITIATIVE_NAME, "policy_set_definition", { type: "Microsoft.Authorization/policySetDefinitions", name: set.name, properties: { ...set.properties, policyDefinitions } }));
  for (const a of [assigned, ...rings.map((r) => r.document)]) {
    files.set(
      ...file("policy_assignments", a.name, "policy_assignment", {
        type: "Microsoft.Authorization/policyAssignments",
        name: a.name,
        properties: { ...a.properties, policyDefinitionId: authorization("policySetDefinitions", INITIATIVE_NAME), scope: PLACEHOLDER_SCOPE, notScopes: [] },
      }),
    );
  }
  // YAML (a documented pattern for overrides) so the file can say it is generated: the override schema has no place for a notice.
  const override = {
    name: OVERRIDE_NAME,
    base_archetype: BASE_ARCHETYPE,
    policy_assignments_to_add: [ASSIGNMENT_NAME, ...rings.map((r) => r.document.name)],
    policy_assignments_to_remove: [],
    policy_definitions_to_add: rules.map(definitionName),
    policy_definitions_to_remove: [],
    policy_set_definitions_to_add: [INITIATIVE_NAME],
    policy_set_definitions_to_remove: [],
    role_definitions_to_add: [],
    role_definitions_to_remove: [],
  };
  files.set(`${ALZ_ROOT}/archetype_overrides/${OVERRIDE_NAME}.alz_archetype_override.yaml`, `# ${GENERATED_NOTICE}\n# yaml-language-server: $schema=${SCHEMAS}/archetype_override.json\n${stringify(override, { lineWidth: 0 })}`);
  return files;
}
