/**
 * The governance program: deploys apiguard's generated Azure Policy (azure-policy/) — one custom
 * definition per rule, the initiative, and its assignment — at the management group or
 * subscription the stack config names. Everything it declares comes from the generated JSON;
 * nothing here restates a rule. See Pulumi.example.yaml for every setting.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { parseConfig, type DefinitionInfo } from "./config";

const AZURE_POLICY_DIR = path.join(__dirname, "..", "azure-policy");

interface PolicyDocument {
  name: string;
  properties: {
    displayName: string;
    description: string;
    mode?: string;
    metadata: object;
    parameters: Record<string, { type: string; allowedValues?: unknown[] }>;
    policyRule?: object;
    policyDefinitions?: { policyDefinitionReferenceId: string; policyDefinitionId: string; parameters: object }[];
    nonComplianceMessages?: { policyDefinitionReferenceId: string; message: string }[];
  };
}

const read = (file: string): PolicyDocument => JSON.parse(fs.readFileSync(path.join(AZURE_POLICY_DIR, file), "utf8"));

const definitionDocs = fs
  .readdirSync(path.join(AZURE_POLICY_DIR, "definitions"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ ruleId: f.replace(/\.json$/, ""), doc: read(path.join("definitions", f)) }));
const initiativeDoc = read("initiative.json");
const assignmentDoc = read("assignment.json");

const stackConfig = new pulumi.Config();
const config = parseConfig(
  {
    scope: stackConfig.get("scope"),
    assignmentName: stackConfig.get("assignmentName"),
    enforcementMode: stackConfig.get("enforcementMode"),
    effects: stackConfig.getObject("effects"),
    parameters: stackConfig.getObject("parameters"),
    notScopes: stackConfig.getObject("notScopes"),
    nonComplianceMessages: stackConfig.getObject("nonComplianceMessages"),
  },
  definitionDocs.map(({ ruleId, doc }): DefinitionInfo => ({ ruleId, parameters: doc.properties.parameters })),
  assignmentDoc.name,
);
const atManagementGroup = config.scope.kind === "managementGroup";

const definitions = new Map(
  definitionDocs.map(({ ruleId, doc }) => {
    const args = {
      policyDefinitionName: doc.name,
      displayName: doc.properties.displayName,
      description: doc.properties.description,
      mode: doc.properties.mode,
      policyType: "Custom",
      metadata: doc.properties.metadata,
      parameters: doc.properties.parameters as authorization.PolicyDefinitionArgs["parameters"],
      policyRule: doc.properties.policyRule,
    };
    const resource = atManagementGroup
      ? new authorization.PolicyDefinitionAtManagementGroup(doc.name, { ...args, managementGroupId: config.scope.id })
      : new authorization.PolicyDefinition(doc.name, args);
    return [ruleId, resource] as const;
  }),
);

const setArgs = {
  policySetDefinitionName: initiativeDoc.name,
  displayName: initiativeDoc.properties.displayName,
  description: initiativeDoc.properties.description,
  policyType: "Custom",
  metadata: initiativeDoc.properties.metadata,
  parameters: initiativeDoc.properties.parameters as authorization.PolicySetDefinitionArgs["parameters"],
  // Reference each definition by its deployed id, which also orders the initiative after them.
  policyDefinitions: initiativeDoc.properties.policyDefinitions!.map((ref) => ({
    policyDefinitionReferenceId: ref.policyDefinitionReferenceId,
    policyDefinitionId: definitions.get(ref.policyDefinitionReferenceId)!.id,
    parameters: ref.parameters as Record<string, { value: unknown }>,
  })),
};
const dependsOn = { dependsOn: [...definitions.values()] };
export const initiative = atManagementGroup
  ? new authorization.PolicySetDefinitionAtManagementGroup(initiativeDoc.name, { ...setArgs, managementGroupId: config.scope.id }, dependsOn)
  : new authorization.PolicySetDefinition(initiativeDoc.name, setArgs, dependsOn);

/** Initiative parameter values: the generated assignment's effects, overridden by stack config. */
const initiativeRefs = new Map(initiativeDoc.properties.policyDefinitions!.map((ref) => [ref.policyDefinitionReferenceId, ref.parameters as Record<string, { value: string }>]));
const assignmentParameters: Record<string, { value: unknown }> = { ...(assignmentDoc.properties as unknown as { parameters: Record<string, { value: unknown }> }).parameters };
for (const [ruleId, values] of Object.entries(config.parameters)) {
  for (const [name, value] of Object.entries(values)) {
    const exposed = /^\[parameters\('([^']+)'\)\]$/.exec(initiativeRefs.get(ruleId)![name].value)![1];
    assignmentParameters[exposed] = { value };
  }
}

export const assignment = new authorization.PolicyAssignment(
  config.assignmentName,
  {
    policyAssignmentName: config.assignmentName,
    scope: config.scope.resourceId,
    displayName: assignmentDoc.properties.displayName,
    description: assignmentDoc.properties.description,
    policyDefinitionId: initiative.id,
    enforcementMode: config.enforcementMode,
    notScopes: config.notScopes,
    parameters: assignmentParameters,
    nonComplianceMessages: assignmentDoc.properties.nonComplianceMessages!.map((m) => ({
      policyDefinitionReferenceId: m.policyDefinitionReferenceId,
      message: config.nonComplianceMessages[m.policyDefinitionReferenceId] ?? m.message,
    })),
  },
  { dependsOn: [initiative] },
);

export const assignmentId = assignment.id;
