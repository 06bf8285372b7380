/**
 * The governance program: deploys apiguard's generated Azure Policy (azure-policy/) — one custom
 * definition per rule, the initiative, and its assignment — at the management group or
 * subscription the stack config names. With a roll-out it also deploys each ring's assignment
 * (azure-policy/rings/) and the exemptions (azure-policy/exemptions.json). Everything it declares
 * comes from the generated JSON; nothing here restates a rule. See Pulumi.example.yaml for every
 * setting.
 *
 * Enroll mode is not deployed here: the azure-native provider apiguard pins (3.28.0) has no
 * policyEnrollments resource, so a roll-out renders as one assignment per ring, as in EPAC without
 * `enroll`.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { parseConfig, type DefinitionInfo } from "./config";

const stackConfig = new pulumi.Config();
/** The generated azure-policy/ folder: this repository's, or another (a team's policy repository), relative to the program. */
const AZURE_POLICY_DIR = path.resolve(__dirname, "..", stackConfig.get("azurePolicyDir") ?? "azure-policy");

interface PolicyDocument {
  name: string;
  properties: {
    displayName: string;
    description: string;
    mode?: string;
    metadata: { apiguard?: { rollout?: string } };
    enforcementMode?: "Default" | "DoNotEnforce";
    parameters: Record<string, { type: string; allowedValues?: unknown[] }>;
    policyRule?: object;
    policyDefinitions?: { policyDefinitionReferenceId: string; policyDefinitionId: string; parameters: object }[];
    resourceSelectors?: authorization.PolicyAssignmentArgs["resourceSelectors"];
    overrides?: authorization.PolicyAssignmentArgs["overrides"];
    nonComplianceMessages?: { policyDefinitionReferenceId: string; message: string }[];
  };
}

interface ExemptionDocument {
  name: string;
  scope: string;
  properties: {
    displayName: string;
    description: string;
    policyAssignmentId: string;
    policyDefinitionReferenceIds: string[];
    exemptionCategory: string;
    expiresOn?: string;
    assignmentScopeValidation: string;
    metadata: object;
  };
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(AZURE_POLICY_DIR, file), "utf8")) as T;
const read = (file: string): PolicyDocument => readJson<PolicyDocument>(file);
const jsonFiles = (dir: string) =>
  fs.existsSync(path.join(AZURE_POLICY_DIR, dir))
    ? fs
        .readdirSync(path.join(AZURE_POLICY_DIR, dir))
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];

const definitionDocs = jsonFiles("definitions").map((f) => ({ ruleId: f.replace(/\.json$/, ""), doc: read(path.join("definitions", f)) }));
const initiativeDoc = read("initiative.json");
const assignmentDoc = read("assignment.json");
const ringDocs = jsonFiles("rings").map((f) => read(path.join("rings", f)));
const exemptionDocs = fs.existsSync(path.join(AZURE_POLICY_DIR, "exemptions.json")) ? readJson<{ exemptions: ExemptionDocument[] }>("exemptions.json").exemptions : [];

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
  // A roll-out states the rest's mode itself; without one, a first deployment only reports.
  assignmentDoc.properties.metadata.apiguard?.rollout && assignmentDoc.properties.enforcementMode ? assignmentDoc.properties.enforcementMode : "DoNotEnforce",
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
    const resource = atManagementGroup ? new authorization.PolicyDefinitionAtManagementGroup(doc.name, { ...args, managementGroupId: config.scope.id }) : new authorization.PolicyDefinition(doc.name, args);
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

/** One assignment of the initiative: the main one, or a ring's (narrowed by its resource selectors). */
function assign(name: string, doc: PolicyDocument, enforcementMode: string): authorization.PolicyAssignment {
  return new authorization.PolicyAssignment(
    name,
    {
      policyAssignmentName: name,
      scope: config.scope.resourceId,
      displayName: doc.properties.displayName,
      description: doc.properties.description,
      policyDefinitionId: initiative.id,
      enforcementMode,
      notScopes: config.notScopes,
      parameters: assignmentParameters,
      ...(doc.properties.resourceSelectors ? { resourceSelectors: doc.properties.resourceSelectors } : {}),
      ...(doc.properties.overrides ? { overrides: doc.properties.overrides } : {}),
      nonComplianceMessages: doc.properties.nonComplianceMessages!.map((m) => ({
        policyDefinitionReferenceId: m.policyDefinitionReferenceId,
        message: config.nonComplianceMessages[m.policyDefinitionReferenceId] ?? m.message,
      })),
    },
    { dependsOn: [initiative] },
  );
}

export const assignment = assign(config.assignmentName, assignmentDoc, config.enforcementMode);
export const assignmentId = assignment.id;

/** Each ring's assignment, by the name the generated documents use (the main one under its generated name too). */
const assignments = new Map<string, authorization.PolicyAssignment>([[assignmentDoc.name, assignment]]);
for (const doc of ringDocs) assignments.set(doc.name, assign(doc.name, doc, doc.properties.enforcementMode ?? "Default"));
export const ringAssignmentIds = Object.fromEntries(ringDocs.map((doc) => [doc.name, assignments.get(doc.name)!.id]));

/** The exemptions: one per scope and assignment, as generated. */
export const exemptions = exemptionDocs.map((doc) => {
  const exempted = assignments.get(doc.properties.policyAssignmentId.slice(doc.properties.policyAssignmentId.lastIndexOf("/") + 1));
  if (!exempted) throw new Error(`azure-policy/exemptions.json: exemption ${doc.name} names an assignment this program does not declare (${doc.properties.policyAssignmentId})`);
  return new authorization.PolicyExemption(
    `${doc.name}@${doc.scope}`,
    {
      policyExemptionName: doc.name,
      scope: doc.scope,
      policyAssignmentId: exempted.id,
      displayName: doc.properties.displayName,
      description: doc.properties.description,
      exemptionCategory: doc.properties.exemptionCategory,
      ...(doc.properties.expiresOn ? { expiresOn: doc.properties.expiresOn } : {}),
      policyDefinitionReferenceIds: doc.properties.policyDefinitionReferenceIds,
      assignmentScopeValidation: doc.properties.assignmentScopeValidation,
      metadata: doc.properties.metadata,
    },
    { dependsOn: [exempted] },
  );
});
