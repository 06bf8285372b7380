/** Private DNS zones, read through their name, in azure-native and the classic azure provider. */
import { defineTarget, pulumiShape } from "./define";

export const dnsZone = defineTarget({
  id: "dnsZone",
  title: "Private DNS zone",
  fields: {
    name: { type: "string", description: "The zone's name, e.g. `privatelink.westeurope.azmk8s.io`." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:privatedns:PrivateZone", versioned: "azure-native:privatedns/v20240601:PrivateZone" },
      declaredBy: { "": { file: "azure-native/privatedns/privateZone.d.ts", name: "PrivateZoneArgs" } },
      // The zone's name addresses it, and is also what the `name` field reads.
      addressing: ["resourceGroupName", "privateZoneName"],
      fields: {
        name: { path: ["privateZoneName"], default: "", defaultSource: "@pulumi/azure-native PrivateZoneArgs.privateZoneName (optional: Pulumi auto-names it, which is never an AKS zone name)" },
      },
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:privatedns/zone:Zone", short: "azure:privatedns:Zone" },
      declaredBy: { "": { file: "azure/privatedns/zone.d.ts", name: "ZoneArgs" } },
      fields: {
        name: { path: ["name"], default: "", defaultSource: "@pulumi/azure ZoneArgs.name (optional: Pulumi auto-names it, which is never an AKS zone name)" },
      },
    }),
  ],
});
