/**
 * Network interfaces (`Microsoft.Network/networkInterfaces`): the public IP address and subnet of each
 * IP configuration, and the interface's tags, in ARM, azure-native and the classic azure provider.
 * A jump box reaches the internet through a public IP address on its network interface: "Usually
 * there's a public IP address that's associated with the VM's network interface card (NIC)" (Access an
 * Azure Kubernetes Service (AKS) API server,
 * https://learn.microsoft.com/azure/architecture/guide/security/access-azure-kubernetes-service-cluster-api-server).
 *
 * Paths checked against the installed provider type definitions (test/core/targets.test.ts):
 *   azure-native  network/networkInterface.d.ts NetworkInterfaceArgs, types/input.d.ts (network)
 *                 NetworkInterfaceIPConfigurationArgs, PublicIPAddressArgs, SubnetArgs
 *   azure classic network/networkInterface.d.ts NetworkInterfaceArgs, types/input.d.ts NetworkInterfaceIpConfiguration
 * Aliases (Get-AzPolicyAlias): `Microsoft.Network/networkInterfaces/ipConfigurations[*]`,
 * `…/ipconfigurations[*].publicIpAddress.id` (read by Microsoft's built-in 83a86a26) and
 * `…/ipconfigurations[*].subnet.id`; tags are Azure Policy's built-in `tags` field.
 */
import { armTypeShape, defineTarget, pulumiShape, type Declaration, type FieldBinding } from "./define";

const NIC_REF = "https://learn.microsoft.com/azure/templates/microsoft.network/networkinterfaces";

/**
 * `publicIpAddress` is whether the IP configuration names a public IP address (its id is set, as
 * Microsoft's built-in 83a86a26 asks: `ipconfigurations[*].publicIpAddress.id` like `*`). The classic
 * provider sends no `publicIpAddressId` for '' (an optional attribute left empty).
 */
function configurations(path: string[], publicIpAddress: string[], subnetId: string[], wrapped: boolean, emptyIsDefault = false): FieldBinding {
  // ARM: the published alias reads `properties.publicIpAddress.id` (property names are case-insensitive,
  // so `publicIPAddress` is the same property); its name keeps the API's casing.
  const armPath = (at: string[]) => ["properties", ...at.map((p) => (p === "publicIPAddress" ? "publicIpAddress" : p))];
  const element = (at: string[], binding: Omit<FieldBinding, "path">): FieldBinding => ({ path: wrapped ? armPath(at) : at, ...binding, ...(wrapped ? { aliasPath: at } : {}) });
  return {
    path,
    default: [],
    defaultSource: "no IP configurations when absent",
    elements: {
      publicIpAddress: element(publicIpAddress, {
        present: true,
        default: false,
        defaultSource: `${NIC_REF} (publicIPAddress is optional: absent = no public IP address)`,
        ...(emptyIsDefault ? { emptyIsDefault: true } : {}),
      }),
      subnetId: element(subnetId, { default: "", defaultSource: `${NIC_REF} (absent = no subnet named)` }),
    },
  };
}

const TAGS = "absent = no tags";

const NATIVE_DECLARATIONS: Record<string, Declaration> = {
  "": { file: "azure-native/network/networkInterface.d.ts", name: "NetworkInterfaceArgs" },
  "ipConfigurations[]": { file: "azure-native/types/input.d.ts", name: "NetworkInterfaceIPConfigurationArgs", namespace: "network" },
  "ipConfigurations[].publicIPAddress": { file: "azure-native/types/input.d.ts", name: "PublicIPAddressArgs", namespace: "network" },
  "ipConfigurations[].subnet": { file: "azure-native/types/input.d.ts", name: "SubnetArgs", namespace: "network" },
};

export const nic = defineTarget({
  id: "nic",
  title: "Network interface",
  fields: {
    ipConfigurations: {
      type: "objectArray",
      description: "The interface's IP configurations.",
      elements: {
        publicIpAddress: { type: "boolean", description: "The IP configuration names a public IP address." },
        subnetId: { type: "string", description: "The resource ID of the subnet." },
      },
    },
    tags: { type: "stringMap", description: "The interface's tags." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:network:NetworkInterface", versioned: "azure-native:network/v20240501:NetworkInterface" },
      declaredBy: NATIVE_DECLARATIONS,
      addressing: ["resourceGroupName", "networkInterfaceName"],
      fields: {
        ipConfigurations: configurations(["ipConfigurations"], ["publicIPAddress", "id"], ["subnet", "id"], false),
        tags: { path: ["tags"], default: null, defaultSource: TAGS },
      },
    }),
    armTypeShape({
      id: "arm",
      declaredBy: NATIVE_DECLARATIONS,
      arm: { resourceType: "Microsoft.Network/networkInterfaces" },
      fields: {
        // ARM wraps each IP configuration's settings in `properties`; the aliases do not.
        ipConfigurations: configurations(["ipConfigurations"], ["publicIPAddress", "id"], ["subnet", "id"], true),
        tags: { path: ["tags"], envelope: true, policyField: "tags", default: null, defaultSource: TAGS },
      },
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:network/networkInterface:NetworkInterface", short: "azure:network:NetworkInterface" },
      declaredBy: {
        "": { file: "azure/network/networkInterface.d.ts", name: "NetworkInterfaceArgs" },
        "ipConfigurations[]": { file: "azure/types/input.d.ts", name: "NetworkInterfaceIpConfiguration", namespace: "network" },
      },
      fields: {
        ipConfigurations: configurations(["ipConfigurations"], ["publicIpAddressId"], ["subnetId"], false, true),
        tags: { path: ["tags"], default: null, defaultSource: TAGS },
      },
    }),
  ],
});
