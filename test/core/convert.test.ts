/**
 * Converting resources between the Pulumi and ARM shapes carries every target's fields: a type several
 * targets judge (a managed cluster: `aks` and `aksNodePool`), presence fields, fields a provider cannot
 * express, and lists only the deployment knows.
 */
import { armToPulumi, pulumiToArm } from "../../core/resources/convert";

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
      props: { tags: { role: "jumpbox" }, ipConfigurations: [{ name: "a", publicIpAddressId: "/pip", subnetId: "/subnet" }, { name: "b", publicIpAddressId: "" }] },
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
