/**
 * The governance program: declares apiguard's generated Azure Policy definitions (azure-policy/)
 * as custom definitions in the stack's subscription, groups them in the initiative and assigns it.
 * Everything it deploys comes from the generated JSON; nothing here restates a rule.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";

const AZURE_POLICY_DIR = path.join(__dirname, "..", "azure-policy");

interface PolicyDocument {
  name: string;
  properties: Record<string, unknown> & { policyDefinitions?: { policyDefinitionId: string }[] };
}

function readDocument(file: string): PolicyDocument {
  return JSON.parse(fs.readFileSync(path.join(AZURE_POLICY_DIR, file), "utf8"));
}

const config = new pulumi.Config();
const subscriptionId = config.require("subscriptionId");
const scope = `/subscriptions/${subscriptionId}`;
const enforcementMode = config.get("enforcementMode") ?? "DoNotEnforce";

const definitions = fs
  .readdirSync(path.join(AZURE_POLICY_DIR, "definitions"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const doc = readDocument(path.join("definitions", file));
    const p = doc.properties;
    return new authorization.PolicyDefinition(doc.name, {
      policyDefinitionName: doc.name,
      displayName: p.displayName as string,
      description: p.description as string,
      mode: p.mode as string,
      policyType: "Custom",
      metadata: p.metadata,
      parameters: p.parameters as authorization.PolicyDefinitionArgs["parameters"],
      policyRule: p.policyRule,
    });
  });

const initiativeDoc = readDocument("initiative.json");
const initiative = new authorization.PolicySetDefinition(
  initiativeDoc.name,
  {
    policySetDefinitionName: initiativeDoc.name,
    displayName: initiativeDoc.properties.displayName as string,
    description: initiativeDoc.properties.description as string,
    policyType: "Custom",
    metadata: initiativeDoc.properties.metadata,
    parameters: initiativeDoc.properties.parameters as authorization.PolicySetDefinitionArgs["parameters"],
    policyDefinitions: (initiativeDoc.properties.policyDefinitions ?? []).map((d) => ({
      ...d,
      policyDefinitionId: d.policyDefinitionId.replace("{definitionScope}", scope),
    })) as authorization.PolicySetDefinitionArgs["policyDefinitions"],
  },
  { dependsOn: definitions },
);

const assignmentDoc = readDocument("assignment.json");
export const assignment = new authorization.PolicyAssignment(assignmentDoc.name, {
  policyAssignmentName: assignmentDoc.name,
  scope,
  displayName: assignmentDoc.properties.displayName as string,
  description: assignmentDoc.properties.description as string,
  policyDefinitionId: initiative.id,
  enforcementMode,
  parameters: assignmentDoc.properties.parameters as authorization.PolicyAssignmentArgs["parameters"],
  nonComplianceMessages: assignmentDoc.properties.nonComplianceMessages as authorization.PolicyAssignmentArgs["nonComplianceMessages"],
}).id;
