/**
 * az CLI output: per rule the `--rules` and `--params` files `az policy definition create` takes,
 * the initiative's definitions and parameters, the assignment's parameters, and deploy.sh that runs
 * it all at a scope given on the command line.
 */
import type { AzurePolicyDocuments } from "./azure-policy-documents";
import { GENERATED_NOTICE, type OutputFiles } from "./common";
import { json, render } from "./render";

export function generateAzCli({ definitions: documents, initiative: set, assignment: assigned }: AzurePolicyDocuments): OutputFiles {
  const files: OutputFiles = new Map();
  const definitions = documents.map(({ rule, document: d }) => {
    files.set(`azure-policy/az/${rule.id}/rules.json`, json(d.properties.policyRule) + "\n");
    files.set(`azure-policy/az/${rule.id}/params.json`, json(d.properties.parameters) + "\n");
    const { version, category } = d.properties.metadata;
    return { id: rule.id, name: d.name, displayName: d.properties.displayName, description: d.properties.description, mode: d.properties.mode, metadata: [`version=${version}`, `category=${category}`] };
  });
  // The az inputs are bare policyRule/parameters JSON, which has no room for a notice: it lives here.
  files.set("azure-policy/az/README.md", `<!-- ${GENERATED_NOTICE} -->\n# az CLI inputs\n\nGenerated — do not edit. \`../deploy.sh\` passes these files to \`az policy\`: per rule \`rules.json\` (the policyRule) and \`params.json\` (its parameters), the initiative's definitions and parameters, and the assignment's parameters.\n`);
  files.set("azure-policy/az/initiative.definitions.json", json(set.properties.policyDefinitions) + "\n");
  files.set("azure-policy/az/initiative.params.json", json(set.properties.parameters) + "\n");
  files.set("azure-policy/az/assignment.params.json", json(assigned.properties.parameters) + "\n");
  files.set(
    "azure-policy/deploy.sh",
    render("az/deploy.sh.hbs", {
      notice: GENERATED_NOTICE,
      definitions,
      initiative: { name: set.name, displayName: set.properties.displayName, description: set.properties.description },
      assignment: {
        name: assigned.name,
        displayName: assigned.properties.displayName,
        messages: assigned.properties.nonComplianceMessages.map((m) => ({ id: m.policyDefinitionReferenceId, message: m.message })),
      },
    }),
  );
  return files;
}
