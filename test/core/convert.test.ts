/**
 * Converting resources between the Pulumi and ARM shapes carries every target's fields: a type several
 * targets judge (a managed cluster: `aks` and `aksNodePool`), presence fields, fields a provider cannot
 * express, and lists only the deployment knows. It tells which keys the two engines could read
 * differently, and maps a property read in the ARM shape back to the resource's own spelling.
 */
import { armToPulumi, caseProblems, pulumiPathOf, pulumiToArm } from "../../core/resources/convert";

const CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster";

describe("Pulumi → ARM", () => {
  test("a classic cluster: its own settings, and its default node pool, which keeps local-user SSH (azurerm cannot turn it off)", () => {
    expect(pulumiToArm({ type: CLASSIC_CLUSTER, name: "aks", props: { privateClusterEnabled: true, defaultNodePool: { name: "system" } } })).toEqual({
      type: "Microsoft.ContainerService/managedClusters",
      name: "aks",
      // Left-out settings whose defaults agree stay left out; the public FQDN default differs (the
      // provider sends false, ARM's default is on), so it is written.
      properties: {
        apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false },
        agentPoolProfiles: [{ securityProfile: { sshAccess: "LocalUser" } }],
      },
    });
  });

  test("the classic provider's Entra ID block: v6's block is the managed integration, v5's legacy one stays legacy", () => {
    const aad = (block: Record<string, unknown>) => pulumiToArm({ type: CLASSIC_CLUSTER, name: "aks", props: { azureActiveDirectoryRoleBasedAccessControl: block } })!.properties.aadProfile;
    expect(aad({})).toEqual({ managed: true });
    expect(aad({ managed: false, clientAppId: "c", serverAppId: "s" })).toEqual({ managed: false, clientAppID: "c", serverAppID: "s" });
    expect(aad({ azureRbacEnabled: true })).toEqual({ managed: true, enableAzureRBAC: true });
    expect(pulumiToArm({ type: CLASSIC_CLUSTER, name: "aks", props: {} })!.properties.aadProfile).toBeUndefined();
  });

  test("an azure-native cluster without inline pools keeps none; one with pools keeps each pool's SSH setting, the default written out", () => {
    const native = (props: Record<string, unknown>) => pulumiToArm({ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { resourceGroupName: "rg", resourceName: "aks", ...props } })!;
    expect(native({ dnsPrefix: "aks" }).properties).toEqual({ dnsPrefix: "aks" });
    expect(native({ agentPoolProfiles: [{ name: "a" }, { name: "b", securityProfile: { sshAccess: "Disabled" } }] }).properties.agentPoolProfiles).toEqual([
      { securityProfile: { sshAccess: "LocalUser" } },
      { securityProfile: { sshAccess: "Disabled" } },
    ]);
  });

  test("a standalone pool becomes the agent pool resource's own properties; addressing inputs are dropped", () => {
    expect(pulumiToArm({ type: "azure-native:containerservice:AgentPool", name: "p", props: { resourceGroupName: "rg", resourceName: "aks", agentPoolName: "p", count: 2 } })).toEqual({
      type: "Microsoft.ContainerService/managedClusters/agentPools",
      name: "p",
      properties: { count: 2, securityProfile: { sshAccess: "LocalUser" } },
    });
  });

  test("a classic fleet: the deprecated hubProfile reads as a hub, and the private setting it cannot express is not written", () => {
    const fleet = (props: Record<string, unknown>) => pulumiToArm({ type: "azure:containerservice/kubernetesFleetManager:KubernetesFleetManager", name: "f", props })!.properties;
    expect(fleet({ hubProfile: { dnsPrefix: "f" } })).toEqual({ hubProfile: {} });
    expect(fleet({})).toEqual({});
  });

  test("a classic network interface: a public IP id carries over, an empty one is none; tags arrive with the envelope", () => {
    const nic = pulumiToArm({
      type: "azure:network/networkInterface:NetworkInterface",
      name: "nic",
      props: {
        tags: { role: "jumpbox" },
        ipConfigurations: [
          { name: "a", publicIpAddressId: "/pip", subnetId: "/subnet" },
          { name: "b", publicIpAddressId: "" },
        ],
      },
    })!;
    expect(nic.tags).toEqual({ role: "jumpbox" });
    expect(nic.properties.ipConfigurations).toEqual([{ properties: { publicIpAddress: { id: "/pip" }, subnet: { id: "/subnet" } } }, { properties: { subnet: { id: "" } } }]);
  });
});

describe("ARM → Pulumi", () => {
  test("a managed cluster's keys are canonical for every target that reads it", () => {
    expect(armToPulumi({ type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { EnableRBAC: false, AgentPoolProfiles: [{ SecurityProfile: { SSHAccess: "Disabled" } }] } })).toEqual({
      type: "azure-native:containerservice:ManagedCluster",
      name: "aks",
      props: { enableRBAC: false, agentPoolProfiles: [{ securityProfile: { sshAccess: "Disabled" } }] },
    });
  });

  test("a list left out stays left out, and a list only the deployment knows stays unknown", () => {
    expect(armToPulumi({ type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: {} }).props).toEqual({});
    const sentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(armToPulumi({ type: "Microsoft.Network/networkInterfaces", name: "nic", properties: { ipConfigurations: sentinel } }).props).toEqual({ ipConfigurations: sentinel });
  });

  test("a network interface's IP configurations lose ARM's properties wrapper", () => {
    expect(armToPulumi({ type: "Microsoft.Network/networkInterfaces", name: "nic", tags: { role: "jumpbox" }, properties: { ipConfigurations: [{ name: "a", properties: { publicIPAddress: { id: "/pip" } } }] } })).toEqual({
      type: "azure-native:network:NetworkInterface",
      name: "nic",
      props: { tags: { role: "jumpbox" }, ipConfigurations: [{ publicIPAddress: { id: "/pip" }, subnet: { id: "" } }] },
    });
  });
});

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

  test("no list stays no list (Azure Policy counts no rules in either)", () => {
    expect(pulumiToArm({ type: NSG, name: "g", props: {} })?.properties.securityRules).toBeUndefined();
    expect(pulumiToArm({ type: NSG, name: "g", props: { securityRules: null } })?.properties.securityRules).toBeUndefined();
  });
});

describe("keys the two engines could read differently", () => {
  const AKS = "Microsoft.ContainerService/managedClusters";
  test.each([
    [
      "ARM: two spellings of a property a rule reads",
      { type: AKS, name: "a", properties: { apiServerAccessProfile: { enablePrivateCluster: true, EnablePrivateCluster: false } } },
      true,
      ["properties.apiServerAccessProfile.enablePrivateCluster: keys 'enablePrivateCluster' and 'EnablePrivateCluster' differ only in case, and which one Azure uses is not documented"],
    ],
    [
      "ARM: two spellings on the way to one",
      { type: AKS, name: "a", properties: { apiServerAccessProfile: {}, ApiServerAccessProfile: {} } },
      true,
      ["properties.apiServerAccessProfile: keys 'apiServerAccessProfile' and 'ApiServerAccessProfile' differ only in case, and which one Azure uses is not documented"],
    ],
    ["ARM: two spellings of an envelope key", { type: AKS, name: "a", properties: {}, Properties: {} }, true, ["keys 'properties' and 'Properties' differ only in case, and which one Azure uses is not documented"]],
    ["ARM: one spelling in another case is ARM's to read", { type: AKS, name: "a", PROPERTIES: { APISERVERACCESSPROFILE: { ENABLEPRIVATECLUSTER: true } } }, true, []],
    ["ARM: keys no rule reads", { type: AKS, name: "a", properties: { networkProfile: { x: 1, X: 2 } }, tags: { a: 1, A: 2 } }, true, []],
    [
      "ARM: an element's properties",
      { type: "Microsoft.Network/networkSecurityGroups", name: "g", properties: { securityRules: [{ properties: { access: "Allow", Access: "Deny" } }] } },
      true,
      ["properties.securityRules[0].properties.access: keys 'access' and 'Access' differ only in case, and which one Azure uses is not documented"],
    ],
    [
      "Pulumi: an input in another case than the provider's",
      { type: "azure-native:containerservice:ManagedCluster", name: "a", props: { apiServerAccessProfile: { EnablePrivateCluster: true } } },
      false,
      ["apiServerAccessProfile.enablePrivateCluster: 'EnablePrivateCluster' is not the input 'enablePrivateCluster' (Pulumi input names are case-sensitive)"],
    ],
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
