/** Azure Container Registries: ARM and azure-native (the same property tree), the classic azure provider, and azurerm plans. */
import { armTypeShape, defineTarget, pulumiShape, type FieldBinding } from "./define";

/** ARM (and azure-native) store registry public access as an "Enabled"/"Disabled" string. */
const ACR_PUBLIC_NETWORK_ACCESS: FieldBinding = {
  path: ["publicNetworkAccess"],
  valueMap: { enabled: true, disabled: false },
  default: true,
  defaultSource: "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks (Enabled by default)",
};

export const acr = defineTarget({
  id: "acr",
  title: "Azure Container Registry",
  fields: {
    publicNetworkAccess: { type: "boolean", description: "The registry accepts traffic from public networks." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:containerregistry:Registry", versioned: "azure-native:containerregistry/v20230701:Registry" },
      declaredBy: { "": { file: "azure-native/containerregistry/registry.d.ts", name: "RegistryArgs" } },
      addressing: ["resourceGroupName", "registryName"],
      fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
    }),
    armTypeShape({
      id: "arm",
      declaredBy: { "": { file: "azure-native/containerregistry/registry.d.ts", name: "RegistryArgs" } },
      arm: { resourceType: "Microsoft.ContainerRegistry/registries" },
      fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:containerservice/registry:Registry", short: "azure:containerservice:Registry" },
      declaredBy: { "": { file: "azure/containerservice/registry.d.ts", name: "RegistryArgs" } },
      // azurerm_container_registry (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/container_registry):
      // public_network_access_enabled.
      terraform: { type: "azurerm_container_registry", singleBlocks: [] },
      fields: {
        publicNetworkAccess: { path: ["publicNetworkAccessEnabled"], default: true, defaultSource: '@pulumi/azure RegistryArgs.publicNetworkAccessEnabled: "Defaults to `true`"' },
      },
    }),
  ],
});
