/**
 * Azure Kubernetes Fleet Manager fleets (`Microsoft.ContainerService/fleets`): whether the fleet has
 * a hub cluster, whose Kubernetes API server it exposes, and whether that hub is private. In ARM,
 * azure-native and the classic azure provider.
 *
 * "Without a hub cluster, Fleet Manager acts solely as a grouping entity in Azure Resource Manager
 * (ARM)"; "Public hub clusters expose the hub cluster to the internet"; "Whether you choose a public
 * or private hub, the type can't be changed after creation" (Choosing an Azure Kubernetes Fleet
 * Manager option, https://learn.microsoft.com/azure/kubernetes-fleet/concepts-choosing-fleet).
 * Aliases (Get-AzPolicyAlias): `Microsoft.ContainerService/fleets/hubProfile`,
 * `Microsoft.ContainerService/fleets/hubProfile.apiServerAccessProfile.enablePrivateCluster`.
 */
import { armTypeShape, defineTarget, pulumiShape, type Declaration, type FieldBinding } from "./define";

const CHOOSING = "https://learn.microsoft.com/azure/kubernetes-fleet/concepts-choosing-fleet";
const QUICKSTART = "https://learn.microsoft.com/azure/kubernetes-fleet/quickstart-create-fleet-and-members";

function armFleetFields(): Record<string, FieldBinding> {
  return {
    hub: { path: ["hubProfile"], present: true, default: false, defaultSource: `${CHOOSING} (no hubProfile = a fleet without a hub cluster, "solely a grouping entity")` },
    hubPrivate: {
      path: ["hubProfile", "apiServerAccessProfile", "enablePrivateCluster"],
      default: false,
      defaultSource: `${QUICKSTART} ("By default, Fleet Manager hub clusters are public.")`,
    },
  };
}

const NATIVE_DECLARATIONS: Record<string, Declaration> = {
  "": { file: "azure-native/containerservice/fleet.d.ts", name: "FleetArgs" },
  hubProfile: { file: "azure-native/types/input.d.ts", name: "FleetHubProfileArgs" },
  "hubProfile.apiServerAccessProfile": { file: "azure-native/types/input.d.ts", name: "APIServerAccessProfileArgs" },
};

export const fleet = defineTarget({
  id: "fleet",
  title: "Azure Kubernetes Fleet Manager fleet",
  fields: {
    hub: { type: "boolean", description: "The fleet has a hub cluster (`hubProfile`), with a Kubernetes API server of its own." },
    hubPrivate: { type: "boolean", description: "The hub cluster's API server is private (`hubProfile.apiServerAccessProfile.enablePrivateCluster`)." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:containerservice:Fleet", versioned: "azure-native:containerservice/v20250301:Fleet" },
      declaredBy: NATIVE_DECLARATIONS,
      addressing: ["resourceGroupName", "fleetName"],
      fields: armFleetFields(),
    }),
    armTypeShape({
      id: "arm",
      declaredBy: NATIVE_DECLARATIONS,
      arm: { resourceType: "Microsoft.ContainerService/fleets" },
      fields: armFleetFields(),
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:containerservice/kubernetesFleetManager:KubernetesFleetManager", short: "azure:containerservice:KubernetesFleetManager" },
      declaredBy: { "": { file: "azure/containerservice/kubernetesFleetManager.d.ts", name: "KubernetesFleetManagerArgs" } },
      fields: {
        // @pulumi/azure v6 marks hubProfile "@deprecated ... no longer sending it to the API"; v5
        // (azurerm 3.x hub_profile { dns_prefix }) sent it and created a public hub. Both read as a hub,
        // so the deprecated block can never hide a public hub; removing it is the fix on v6.
        hub: { path: ["hubProfile"], present: true, default: false, defaultSource: "@pulumi/azure KubernetesFleetManagerArgs.hubProfile (absent = no hub cluster)" },
        hubPrivate: {
          path: [],
          default: false,
          defaultSource: `cannot be expressed: @pulumi/azure KubernetesFleetManagerHubProfile has no name for a private hub (dnsPrefix, fqdn, kubernetesVersion only), so a hub it creates is public, ${QUICKSTART} ("By default, Fleet Manager hub clusters are public.")`,
        },
      },
    }),
  ],
});
