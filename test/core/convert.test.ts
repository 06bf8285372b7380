/**
 * Converting between the Pulumi and ARM shapes keeps what is unknown unknown, tells which keys the
 * two engines could read differently, and maps a property read in the ARM shape back to the
 * resource's own spelling.
 */
import { caseProblems, pulumiPathOf, pulumiToArm, armToPulumi } from "../../core/resources/convert";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";

describe("an element list that is not a list stays what it is in the other shape", () => {
  test("an unknown list of rules is not no rules", () => {
    expect(pulumiToArm({ type: NSG, name: "g", props: { securityRules: UNKNOWN } })?.properties.securityRules).toBe(UNKNOWN);
    expect(armToPulumi({ type: "Microsoft.Network/networkSecurityGroups", name: "g", properties: { securityRules: UNKNOWN } }).props.securityRules).toBe(UNKNOWN);
  });

  test("an unknown rule is not a rule with every default", () => {
    const arm = pulumiToArm({ type: NSG, name: "g", props: { securityRules: [UNKNOWN, { access: "Deny" }] } });
    expect(arm?.properties.securityRules).toEqual([UNKNOWN, expect.objectContaining({ properties: expect.objectContaining({ access: "Deny" }) })]);
  });

  test("no list is no rules", () => {
    expect(pulumiToArm({ type: NSG, name: "g", props: {} })?.properties.securityRules).toEqual([]);
    expect(pulumiToArm({ type: NSG, name: "g", props: { securityRules: null } })?.properties.securityRules).toEqual([]);
  });
});

describe("keys the two engines could read differently", () => {
  const AKS = "Microsoft.ContainerService/managedClusters";
  test.each([
    ["ARM: two spellings of a property a rule reads", { type: AKS, name: "a", properties: { apiServerAccessProfile: { enablePrivateCluster: true, EnablePrivateCluster: false } } }, true, ["properties.apiServerAccessProfile.enablePrivateCluster: keys 'enablePrivateCluster' and 'EnablePrivateCluster' differ only in case, and which one Azure uses is not documented"]],
    ["ARM: two spellings on the way to one", { type: AKS, name: "a", properties: { apiServerAccessProfile: {}, ApiServerAccessProfile: {} } }, true, ["properties.apiServerAccessProfile: keys 'apiServerAccessProfile' and 'ApiServerAccessProfile' differ only in case, and which one Azure uses is not documented"]],
    ["ARM: two spellings of an envelope key", { type: AKS, name: "a", properties: {}, Properties: {} }, true, ["keys 'properties' and 'Properties' differ only in case, and which one Azure uses is not documented"]],
    ["ARM: one spelling in another case is ARM's to read", { type: AKS, name: "a", PROPERTIES: { APISERVERACCESSPROFILE: { ENABLEPRIVATECLUSTER: true } } }, true, []],
    ["ARM: keys no rule reads", { type: AKS, name: "a", properties: { networkProfile: { x: 1, X: 2 } }, tags: { a: 1, A: 2 } }, true, []],
    ["ARM: an element's properties", { type: "Microsoft.Network/networkSecurityGroups", name: "g", properties: { securityRules: [{ properties: { access: "Allow", Access: "Deny" } }] } }, true, ["properties.securityRules[0].properties.access: keys 'access' and 'Access' differ only in case, and which one Azure uses is not documented"]],
    ["Pulumi: an input in another case than the provider's", { type: "azure-native:containerservice:ManagedCluster", name: "a", props: { apiServerAccessProfile: { EnablePrivateCluster: true } } }, false, ["apiServerAccessProfile.enablePrivateCluster: 'EnablePrivateCluster' is not the input 'enablePrivateCluster' (Pulumi input names are case-sensitive)"]],
    ["Pulumi: exact inputs", { type: "azure-native:containerservice:ManagedCluster", name: "a", props: { apiServerAccessProfile: { enablePrivateCluster: true } } }, false, []],
    ["a type no target knows", { type: "aws:s3/bucket:Bucket", name: "b", props: { X: 1, x: 2 } }, false, []],
  ])("%s", (_name, resource, arm, problems) => {
    expect(caseProblems(resource as Record<string, unknown>, arm)).toEqual(problems);
  });
});

describe("a property read in the ARM shape, as the resource's own provider spells it", () => {
  test.each([
    ["azure:containerservice/kubernetesCluster:KubernetesCluster", ["properties", "apiServerAccessProfile", "authorizedIPRanges", "0"], ["apiServerAccessProfile", "authorizedIpRanges", "0"]],
    ["azure:containerservice/kubernetesCluster:KubernetesCluster", ["properties", "apiServerAccessProfile", "disableRunCommand"], ["runCommandEnabled"]],
    ["azure-native:containerservice:ManagedCluster", ["properties", "apiServerAccessProfile", "enablePrivateCluster"], ["apiServerAccessProfile", "enablePrivateCluster"]],
    ["azure-native:containerservice:ManagedCluster", ["sku", "name"], ["sku", "name"]],
    ["azure:containerservice/kubernetesCluster:KubernetesCluster", ["properties", "networkProfile"], undefined],
    ["aws:eks/cluster:Cluster", ["properties", "x"], undefined],
  ])("%s: %j", (type, read, own) => {
    expect(pulumiPathOf(type, read)).toEqual(own);
  });
});
