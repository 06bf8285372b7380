// Microsoft's built-in AKS policy definitions (read from ../shared, never copied) evaluated on
// hand-written managed clusters.

import * as fs from "fs";
import * as path from "path";
import { SHARED } from "../helpers/paths";
import { compilePolicy, type CompiledPolicy } from "../../azure-policy-engine";

const BUILTINS = path.join(SHARED, "azure", "builtins");

function builtin(file: string): CompiledPolicy {
  const policy = compilePolicy(JSON.parse(fs.readFileSync(path.join(BUILTINS, file), "utf8")));
  expect(policy.error).toBeUndefined();
  return policy;
}

const cluster = (apiServerAccessProfile?: object) => ({
  type: "Microsoft.ContainerService/managedClusters",
  name: "aks-prod",
  location: "westeurope",
  properties: { kubernetesVersion: "1.30.3", ...(apiServerAccessProfile && { apiServerAccessProfile }) },
});
const storage = { type: "Microsoft.Storage/storageAccounts", name: "st", properties: {} };

type Row = [name: string, resource: object, parameters: Record<string, unknown> | undefined, effect: string | undefined];

function expectEffect(policy: CompiledPolicy, resource: object, parameters: Row[2], effect: string | undefined): void {
  const result = policy(resource, { parameters });
  expect(result.error).toBeUndefined();
  expect(result.effect).toBe(effect);
}

describe("Azure Kubernetes Service Private Clusters should be enabled (040732e8)", () => {
  const policy = builtin("AKS_PrivateCluster_Deny.json");
  test.each<Row>([
    ["private cluster: no effect", cluster({ enablePrivateCluster: true }), undefined, undefined],
    ["private cluster, effect Deny: no effect", cluster({ enablePrivateCluster: true }), { effect: "Deny" }, undefined],
    ["no apiServerAccessProfile: audit (the default effect)", cluster(), undefined, "audit"],
    ["no apiServerAccessProfile, effect Deny: deny", cluster(), { effect: "Deny" }, "deny"],
    ["public cluster, effect Disabled: no effect", cluster({ enablePrivateCluster: false }), { effect: "Disabled" }, undefined],
    ["enablePrivateCluster false: audit", cluster({ enablePrivateCluster: false }), undefined, "audit"],
    ["not a managed cluster: no effect", storage, { effect: "Deny" }, undefined],
  ])("%s", (_name, resource, parameters, effect) => expectEffect(policy, resource, parameters, effect));
});

describe("Authorized IP ranges should be defined on Kubernetes Services (0e246bcf)", () => {
  const policy = builtin("ASC_EnableIpRanges_KubernetesService_Audit.json");
  test.each<Row>([
    ["public, no authorized ranges: audit", cluster(), undefined, "audit"],
    ["enablePrivateCluster false, no ranges: audit", cluster({ enablePrivateCluster: false }), undefined, "audit"],
    ["authorized ranges defined: no effect", cluster({ authorizedIPRanges: ["203.0.113.0/24"] }), undefined, undefined],
    ["private cluster without ranges: no effect", cluster({ enablePrivateCluster: true }), undefined, undefined],
    ["effect Disabled: no effect", cluster(), { effect: "Disabled" }, undefined],
  ])("%s", (_name, resource, parameters, effect) => expectEffect(policy, resource, parameters, effect));
});

describe("Azure Kubernetes Service Clusters should disable Command Invoke (89f2d532)", () => {
  const policy = builtin("AKS_DisableRunCommand_Audit.json");
  test.each<Row>([
    ["run command disabled: no effect", cluster({ disableRunCommand: true }), undefined, undefined],
    ["run command enabled: audit", cluster({ disableRunCommand: false }), undefined, "audit"],
    ["disableRunCommand absent: audit", cluster({ enablePrivateCluster: true }), undefined, "audit"],
    ["no apiServerAccessProfile: audit", cluster(), undefined, "audit"],
    ["effect Disabled: no effect", cluster(), { effect: "Disabled" }, undefined],
  ])("%s", (_name, resource, parameters, effect) => expectEffect(policy, resource, parameters, effect));
});
