/**
 * az CLI output: per rule the `--rules` and `--params` files `az policy definition create` takes,
 * the initiative's definitions and parameters, the assignment's parameters, and deploy.sh that runs
 * it all at a scope given on the command line. A roll-out adds each ring's assignment (its
 * `--resource-selectors` and `--overrides` files, which az reads from a path like `--params`) and
 * the exemptions (`az policy exemption create`, one per scope and assignment; its `--metadata` file).
 */
import type { AzurePolicyDocuments } from "./azure-policy-documents";
import { GENERATED_NOTICE, type OutputFiles } from "./common";
import { json, render } from "./render";

export function generateAzCli({ definitions: documents, initiative: set, assignment: assigned, rings, exemptions }: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  const definitions = documents.map(({ rule, document: d }) => {
    files.set(`azure-policy/az/${rule.id}/rules.json`, json(d.properties.policyRule) + "\n");
    files.set(`azure-policy/az/${rule.id}/params.json`, json(d.properties.parameters) + "\n");
    const { version, category } = d.properties.metadata;
    return { id: rule.id, name: d.name, displayName: d.properties.displayName, description: d.properties.description, mode: d.properties.mode, metadata: [`version=${version}`, `category=${category}`] };
  });
  // The az inputs are bare policyRule/parameters JSON, which has no room for a notice: it lives here.
  files.set(
    "azure-policy/az/README.md",
    `<!-- ${GENERATED_NOTICE} -->\n# az CLI inputs\n\nGenerated — do not edit. \`../deploy.sh\` passes these files to \`az policy\`: per rule \`rules.json\` (the policyRule) and \`params.json\` (its parameters), the initiative's definitions and parameters, and the assignment's parameters.\n`,
  );
  files.set("azure-policy/az/initiative.definitions.json", json(set.properties.policyDefinitions) + "\n");
  files.set("azure-policy/az/initiative.params.json", json(set.properties.parameters) + "\n");
  files.set("azure-policy/az/assignment.params.json", json(assigned.properties.parameters) + "\n");
  if (assigned.properties.overrides) files.set("azure-policy/az/assignment.overrides.json", json(assigned.properties.overrides) + "\n");
  for (const { ring, document } of rings) {
    files.set(`azure-policy/az/rings/${ring.name}.resource-selectors.json`, json(document.properties.resourceSelectors) + "\n");
    if (document.properties.overrides) files.set(`azure-policy/az/rings/${ring.name}.overrides.json`, json(document.properties.overrides) + "\n");
  }
  for (const { exemption, documents: exempted } of exemptions) {
    files.set(`azure-policy/az/exemptions/${exemption.name}.metadata.json`, json(exempted[0].properties.metadata) + "\n");
  }
  const messages = assigned.properties.nonComplianceMessages.map((m) => ({ id: m.policyDefinitionReferenceId, message: m.message }));
  files.set(
    "azure-policy/deploy.sh",
    render("az/deploy.sh.hbs", {
      notice: GENERATED_NOTICE,
      definitions,
      initiative: { name: set.name, displayName: set.properties.displayName, description: set.properties.description },
      assignment: {
        name: assigned.name,
        displayName: assigned.properties.displayName,
        enforcementMode: assigned.properties.enforcementMode,
        overrides: Boolean(assigned.properties.overrides),
        messages,
      },
      rings: rings.map(({ ring, document: d }) => ({
        ring: ring.name,
        name: d.name,
        displayName: d.properties.displayName,
        description: d.properties.description,
        enforcementMode: d.properties.enforcementMode,
        overrides: Boolean(d.properties.overrides),
      })),
      exemptions: exemptions.flatMap(({ exemption, documents: exempted }) =>
        exempted.map((d) => ({
          exemption: exemption.name,
          name: d.name,
          scope: d.scope,
          assignment: d.properties.policyAssignmentId.slice(d.properties.policyAssignmentId.lastIndexOf("/") + 1),
          category: d.properties.exemptionCategory,
          expiresOn: d.properties.expiresOn ?? "",
          ids: d.properties.policyDefinitionReferenceIds,
          displayName: d.properties.displayName,
          description: d.properties.description,
        })),
      ),
    }),
  );
  return files;
}
