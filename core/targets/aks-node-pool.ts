/**
 * The node pools of Azure Kubernetes Service clusters, inline in a cluster (`agentPoolProfiles`) or
 * standalone (`Microsoft.ContainerService/managedClusters/agentPools`), in ARM, azure-native and the
 * classic azure provider: how each pool lets people onto its nodes. A cluster is judged here for its
 * inline pools and by the `aks` target for everything else.
 *
 * Paths checked against the installed provider type definitions (test/core/targets.test.ts):
 *   azure-native  containerservice/managedCluster.d.ts ManagedClusterArgs, types/input.d.ts
 *                 ManagedClusterAgentPoolProfileArgs, AgentPoolSecurityProfileArgs;
 *                 containerservice/agentPool.d.ts AgentPoolArgs
 *   azure classic containerservice/kubernetesCluster.d.ts, containerservice/kubernetesClusterNodePool.d.ts
 * Aliases (Get-AzPolicyAlias): `Microsoft.ContainerService/managedClusters/agentPoolProfiles[*].securityProfile.sshAccess`
 * (read by Microsoft's built-in 28257686) and `Microsoft.ContainerService/managedClusters/agentPools/securityProfile.sshAccess`.
 */
import { armTypeShape, defineTarget, pulumiShape, type Declaration, type FieldBinding } from "./define";

const SSH_DOC = "https://learn.microsoft.com/azure/aks/manage-ssh-node-access";
/** "Local user SSH access uses traditional SSH key-based authentication. This is the default SSH access method for AKS clusters." */
const SSH_DEFAULT = `${SSH_DOC} ("Local user SSH access uses traditional SSH key-based authentication. This is the default SSH access method for AKS clusters.")`;

/** The pools of a shape: `path` to the list, or [] for a standalone pool, which is its own one element. */
function pools(path: string[], sshAccess: FieldBinding): FieldBinding {
  return { path, default: [], defaultSource: path.length > 0 ? "no inline node pools when absent" : "a standalone node pool is its own one element", elements: { sshAccess } };
}

const SSH_ACCESS: FieldBinding = { path: ["securityProfile", "sshAccess"], default: "LocalUser", defaultSource: SSH_DEFAULT };
/**
 * azurerm (and so @pulumi/azure) has no SSH access setting for node pools: every pool it creates has
 * the default, local-user SSH. A classic cluster is judged for its default node pool, which the
 * resource itself declares (`defaultNodePool`).
 */
const CLASSIC_SSH_ACCESS: FieldBinding = {
  path: [],
  default: "LocalUser",
  defaultSource: `cannot be expressed: @pulumi/azure (azurerm) KubernetesClusterDefaultNodePool and KubernetesClusterNodePoolArgs have no name for SSH access, so every pool keeps the default, ${SSH_DEFAULT}`,
};

const NATIVE_POOL: Record<string, Declaration> = {
  "nodePools[]": { file: "azure-native/types/input.d.ts", name: "ManagedClusterAgentPoolProfileArgs" },
  "nodePools[].securityProfile": { file: "azure-native/types/input.d.ts", name: "AgentPoolSecurityProfileArgs" },
};

export const aksNodePool = defineTarget({
  id: "aksNodePool",
  title: "AKS node pools (inline in a cluster, or standalone)",
  fields: {
    nodePools: {
      type: "objectArray",
      description: "The node pools: a cluster's inline `agentPoolProfiles`, or a standalone agent pool itself.",
      elements: {
        sshAccess: { type: "string", description: "`LocalUser` (the default), `Disabled`, or `EntraID` (preview API versions)." },
      },
    },
  },
  shapes: [
    pulumiShape({
      id: "azure-native-cluster",
      provider: "azure-native",
      pulumi: { full: "azure-native:containerservice:ManagedCluster", versioned: "azure-native:containerservice/v20240801:ManagedCluster" },
      armPeer: "arm-cluster",
      declaredBy: { "": { file: "azure-native/containerservice/managedCluster.d.ts", name: "ManagedClusterArgs" }, ...NATIVE_POOL },
      addressing: ["resourceGroupName", "resourceName"],
      fields: { nodePools: pools(["agentPoolProfiles"], SSH_ACCESS) },
    }),
    pulumiShape({
      id: "azure-native-pool",
      provider: "azure-native",
      pulumi: { full: "azure-native:containerservice:AgentPool", versioned: "azure-native:containerservice/v20240801:AgentPool" },
      armPeer: "arm-pool",
      declaredBy: {
        "nodePools[]": { file: "azure-native/containerservice/agentPool.d.ts", name: "AgentPoolArgs" },
        "nodePools[].securityProfile": { file: "azure-native/types/input.d.ts", name: "AgentPoolSecurityProfileArgs" },
      },
      addressing: ["resourceGroupName", "resourceName", "agentPoolName"],
      fields: { nodePools: pools([], SSH_ACCESS) },
    }),
    pulumiShape({
      id: "azure-classic-cluster",
      provider: "azure",
      pulumi: { full: "azure:containerservice/kubernetesCluster:KubernetesCluster", short: "azure:containerservice:KubernetesCluster" },
      armPeer: "arm-cluster",
      declaredBy: { "": { file: "azure/containerservice/kubernetesCluster.d.ts", name: "KubernetesClusterArgs" } },
      fields: { nodePools: pools([], CLASSIC_SSH_ACCESS) },
    }),
    pulumiShape({
      id: "azure-classic-pool",
      provider: "azure",
      pulumi: { full: "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", short: "azure:containerservice:KubernetesClusterNodePool" },
      armPeer: "arm-pool",
      declaredBy: { "": { file: "azure/containerservice/kubernetesClusterNodePool.d.ts", name: "KubernetesClusterNodePoolArgs" } },
      fields: { nodePools: pools([], CLASSIC_SSH_ACCESS) },
    }),
    armTypeShape({
      id: "arm-cluster",
      declaredBy: { "": { file: "azure-native/containerservice/managedCluster.d.ts", name: "ManagedClusterArgs" }, ...NATIVE_POOL },
      arm: { resourceType: "Microsoft.ContainerService/managedClusters" },
      // ARM does not wrap an inline pool's settings in `properties`: they read as azure-native's.
      fields: { nodePools: pools(["agentPoolProfiles"], SSH_ACCESS) },
    }),
    armTypeShape({
      id: "arm-pool",
      declaredBy: {
        "nodePools[]": { file: "azure-native/containerservice/agentPool.d.ts", name: "AgentPoolArgs" },
        "nodePools[].securityProfile": { file: "azure-native/types/input.d.ts", name: "AgentPoolSecurityProfileArgs" },
      },
      arm: { resourceType: "Microsoft.ContainerService/managedClusters/agentPools", tagsAndLocation: false },
      fields: { nodePools: pools([], SSH_ACCESS) },
    }),
  ],
});
