/** Programs the preview tests, the README transcripts and the bench share. */
import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure-native";

export const RG = "rg-aks";
/** An API server access profile every AKS rule passes. */
export const PRIVATE_PROFILE = { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, disableRunCommand: true };

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
    new azure.containerservice.ManagedCluster(clusterName, { resourceGroupName: RG, dnsPrefix: clusterName, apiServerAccessProfile: { ...PRIVATE_PROFILE, privateDNSZone: zone.id } });
  };
}
