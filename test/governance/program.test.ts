/**
 * The governance program under the real Pulumi SDK with mocks: what it declares, wired how, and
 * which stack configs it refuses before declaring anything.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../helpers/paths";

// Each test loads a fresh copy of the Pulumi SDK, and each copy adds a process exit listener.
process.setMaxListeners(50);

type Registered = { type: string; name: string; inputs: Record<string, any> };

const definitionFiles = fs.readdirSync(path.join(REPO, "azure-policy/definitions")).sort();
const generated = (ruleId: string) => JSON.parse(fs.readFileSync(path.join(REPO, "azure-policy/definitions", `${ruleId}.json`), "utf8"));

/** Loads the program fresh with this stack config; returns what it registered (and its exports). */
async function run(config: Record<string, string>) {
  jest.resetModules();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const registered: Registered[] = [];
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`apiguard-governance:${k}`, v])));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const scope = args.inputs.managementGroupId ? `/providers/Microsoft.Management/managementGroups/${args.inputs.managementGroupId}` : (args.inputs.scope ?? "/subscriptions/sub-1");
        return { id: `${scope}/providers/${args.type}/${args.name}`, state: args.inputs };
      },
      call: () => ({}),
    },
    "apiguard-governance",
    "test",
    false,
  );
  let program: Record<string, any> | undefined;
  let error: Error | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program = require("../../governance");
  } catch (e) {
    error = e as Error;
  }
  const value = <T>(o: { apply: (f: (v: T) => void) => unknown }) => new Promise<T>((resolve) => o.apply(resolve));
  return { registered, program, error, value };
}

test("at a management group: a definition per rule, the initiative over their ids, the assignment over the initiative", async () => {
  const { registered, program, value } = await run({
    scope: "managementGroup:contoso-platform",
    enforcementMode: "Default",
    effects: JSON.stringify({ "aks-command-invoke-disabled": "Deny" }),
    parameters: JSON.stringify({ "aks-authorized-ip-ranges-restrictive": { minPrefixLength: 28 } }),
    notScopes: JSON.stringify(["/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590"]),
    nonComplianceMessages: JSON.stringify({ "aks-private-cluster": "Use the private cluster module: go/private-aks" }),
  });
  const assignmentId = await value<string>(program!.assignmentId);
  expect(assignmentId).toContain("apiguard-k8s-api");

  const definitions = registered.filter((r) => r.type === "azure-native:authorization:PolicyDefinitionAtManagementGroup");
  expect(definitions.map((d) => d.inputs.policyDefinitionName).sort()).toEqual(definitionFiles.map((f) => `apiguard-${f.replace(/\.json$/, "")}`).sort());
  for (const d of definitions) {
    const doc = generated(d.inputs.policyDefinitionName.replace(/^apiguard-/, ""));
    expect(d.inputs.managementGroupId).toBe("contoso-platform");
    expect(d.inputs.policyRule).toEqual(doc.properties.policyRule);
    expect(d.inputs.parameters).toEqual(doc.properties.parameters);
  }

  // Registration order follows the dependencies: definitions, then the initiative, then the assignment.
  const types = registered.map((r) => r.type);
  const initiativeAt = types.indexOf("azure-native:authorization:PolicySetDefinitionAtManagementGroup");
  const assignmentAt = types.indexOf("azure-native:authorization:PolicyAssignment");
  expect(Math.max(...definitions.map((d) => registered.indexOf(d)))).toBeLessThan(initiativeAt);
  expect(initiativeAt).toBeLessThan(assignmentAt);

  const initiative = registered[initiativeAt].inputs;
  expect(initiative.policyDefinitions.map((p: { policyDefinitionId: string }) => p.policyDefinitionId).sort()).toEqual(
    definitions.map((d) => `/providers/Microsoft.Management/managementGroups/contoso-platform/providers/azure-native:authorization:PolicyDefinitionAtManagementGroup/${d.name}`).sort(),
  );

  const assignment = registered[assignmentAt].inputs;
  expect(assignment.scope).toBe("/providers/Microsoft.Management/managementGroups/contoso-platform");
  expect(assignment.policyDefinitionId).toContain("PolicySetDefinitionAtManagementGroup/apiguard-kubernetes-api-server");
  expect(assignment.enforcementMode).toBe("Default");
  expect(assignment.notScopes).toEqual(["/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590"]);
  expect(assignment.parameters.aksCommandInvokeDisabledEffect).toEqual({ value: "Deny" });
  expect(assignment.parameters.aksAuthorizedIpRangesRestrictiveMinPrefixLength).toEqual({ value: 28 });
  expect(assignment.parameters.aksPrivateClusterEffect).toEqual({ value: "Deny" });
  const messages = Object.fromEntries(assignment.nonComplianceMessages.map((m: { policyDefinitionReferenceId: string; message: string }) => [m.policyDefinitionReferenceId, m.message]));
  expect(messages["aks-private-cluster"]).toBe("Use the private cluster module: go/private-aks");
  expect(messages["aks-command-invoke-disabled"]).toContain("Command invoke is enabled");
});

test("at a subscription, and safe by default: DoNotEnforce", async () => {
  const { registered, program, value } = await run({ scope: "subscription:0b1f6471-1bf0-4dda-aec3-cb9272f09590" });
  await value(program!.assignmentId);
  expect(registered.filter((r) => r.type === "azure-native:authorization:PolicyDefinition")).toHaveLength(definitionFiles.length);
  expect(registered.some((r) => r.type === "azure-native:authorization:PolicySetDefinition")).toBe(true);
  const assignment = registered.find((r) => r.type === "azure-native:authorization:PolicyAssignment")!.inputs;
  expect(assignment.scope).toBe("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  expect(assignment.enforcementMode).toBe("DoNotEnforce");
});

test.each([
  ["no scope", {}, /scope must be "managementGroup:<id>" or "subscription:<id>"/],
  ["an unknown rule", { scope: "subscription:s", effects: JSON.stringify({ "aks-privat-cluster": "Deny" }) }, /effects: unknown rule 'aks-privat-cluster'/],
  ["an effect the definition does not allow", { scope: "subscription:s", effects: JSON.stringify({ "aks-private-cluster": "Modify" }) }, /'aks-private-cluster.effect' must be one of Audit, Deny, Disabled/],
  ["a parameter of the wrong type", { scope: "subscription:s", parameters: JSON.stringify({ "aks-authorized-ip-ranges-restrictive": { minPrefixLength: "wide" } }) }, /minPrefixLength' must be integer/],
  ["an undeclared parameter", { scope: "subscription:s", parameters: JSON.stringify({ "aks-private-cluster": { minPrefixLength: 24 } }) }, /rule 'aks-private-cluster' has no parameter 'minPrefixLength'/],
  ["a bad enforcement mode", { scope: "subscription:s", enforcementMode: "Enforce" }, /enforcementMode must be Default or DoNotEnforce/],
  ["a too-long management-group assignment name", { scope: "managementGroup:mg", assignmentName: "apiguard-kubernetes-api-server-prod" }, /assignmentName must be 1–24 characters/],
  ["a notScope that is not a resource ID", { scope: "subscription:s", notScopes: JSON.stringify(["rg-dev"]) }, /notScopes must be a list of resource IDs/],
])("refuses %s before declaring anything", async (_name, config, message) => {
  const { registered, error } = await run(config);
  expect(error?.message).toMatch(message);
  expect(registered).toEqual([]);
});

test("Pulumi.example.yaml documents every setting, and the program accepts it", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require("yaml");
  const example = parse(fs.readFileSync(path.join(REPO, "Pulumi.example.yaml"), "utf8")).config as Record<string, unknown>;
  const settings = Object.keys(example)
    .map((k) => k.replace("apiguard-governance:", ""))
    .sort();
  expect(settings).toEqual(["assignmentName", "azurePolicyDir", "effects", "enforcementMode", "nonComplianceMessages", "notScopes", "parameters", "scope"]);
  const config = Object.fromEntries(Object.entries(example).map(([k, v]) => [k.replace("apiguard-governance:", ""), typeof v === "string" ? v : JSON.stringify(v)]));
  const { error, registered, program, value } = await run(config);
  expect(error).toBeUndefined();
  await value(program!.assignmentId);
  expect(registered.map((r) => r.type)).toContain("azure-native:authorization:PolicyAssignment");
});
