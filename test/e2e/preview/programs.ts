/** Programs the preview tests, the README transcripts and the bench share. */
import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure-native";
import { compliantAksProps } from "../../helpers/compliant";

export const RG = "rg-aks";
const { apiServerAccessProfile, resourceGroupName: _rg, location: _location, ...rest } = compliantAksProps();
/** The API server access profile of the catalog's compliant cluster: every AKS rule passes it. */
export const PRIVATE_PROFILE = apiServerAccessProfile as { enablePrivateCluster: boolean } & Record<string, unknown>;
/** The compliant cluster's other settings (identity: no local accounts, managed Entra ID, Azure RBAC). */
export const COMPLIANT_SETTINGS = rest;

/** A resource created by its type token, as SDK-less programs (and the catalog's examples) do. */
export class ByToken extends pulumi.CustomResource {
  constructor(type: string, name: string, props: Record<string, unknown>) {
    super(type, name, props);
  }
}

/**
 * A private cluster whose private DNS zone is the id of a zone created in the same update: unknown
 * during preview, known at `up`.
 */
export function zoneFromOutput(zoneName: string, clusterName: string): () => Promise<void> {
  return async () => {
    const zone = new azure.privatedns.PrivateZone("zone", { resourceGroupName: RG, privateZoneName: zoneName, location: "global" });
    const cluster = new azure.containerservice.ManagedCluster(clusterName, { resourceGroupName: RG, dnsPrefix: clusterName, ...COMPLIANT_SETTINGS, apiServerAccessProfile: { ...PRIVATE_PROFILE, privateDNSZone: zone.id } });
    // Linked to the hub network, so a jump box there resolves the API server (private-dns-zone-linked);
    // created after the cluster so the steps print in one order.
    const hub = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub";
    new azure.privatedns.VirtualNetworkLink("zone-hub", { resourceGroupName: RG, privateZoneName: zoneName, location: "global", registrationEnabled: false, virtualNetwork: { id: hub } }, { dependsOn: [cluster] });
  };
}
