/** Virtual network links of private DNS zones, read through the zone they belong to, in azure-native and the classic azure provider. */
import { defineTarget, pulumiShape } from "./define";

export const dnsZoneLink = defineTarget({
  id: "dnsZoneLink",
  title: "Virtual network link of a private DNS zone",
  fields: {
    zoneName: { type: "string", description: "The name of the private DNS zone the link belongs to." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:privatedns:VirtualNetworkLink", versioned: "azure-native:privatedns/v20240601:VirtualNetworkLink" },
      declaredBy: { "": { file: "azure-native/privatedns/virtualNetworkLink.d.ts", name: "VirtualNetworkLinkArgs" } },
      // The parent zone's name addresses the link, and is also what the `zoneName` field reads.
      addressing: ["resourceGroupName", "privateZoneName", "virtualNetworkLinkName"],
      fields: {
        zoneName: { path: ["privateZoneName"], default: "", defaultSource: "@pulumi/azure-native VirtualNetworkLinkArgs.privateZoneName (required)" },
      },
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink", short: "azure:privatedns:ZoneVirtualNetworkLink" },
      declaredBy: { "": { file: "azure/privatedns/zoneVirtualNetworkLink.d.ts", name: "ZoneVirtualNetworkLinkArgs" } },
      fields: {
        zoneName: { path: ["privateDnsZoneName"], default: "", defaultSource: "@pulumi/azure ZoneVirtualNetworkLinkArgs.privateDnsZoneName (required)" },
      },
    }),
  ],
});
