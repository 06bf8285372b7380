/**
 * Stack rules that relate resources (noneRelated): a value unknown at preview never passes and never
 * fails a zone; a known match decides even beside unknowns. Judged by the shipped pack.
 */
import { judgeWithPack, type PackResource } from "../../../cli/evaluate/engines/crossguard";
import { loadPackPolicies } from "../../helpers/crossguard";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy");
const U = proxy.unknownStringValue;
const policy = loadPackPolicies().find((p) => p.name === "private-dns-zone-linked")!;
const cluster: PackResource = { type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { enablePrivateCluster: true } } };
const zone = (name: unknown): PackResource => ({ type: "azure-native:privatedns:PrivateZone", name: "zone", props: { privateZoneName: name } });
const link = (zoneName: unknown, name = "link"): PackResource => ({ type: "azure-native:privatedns:VirtualNetworkLink", name, props: { privateZoneName: zoneName } });
const ZONE = "privatelink.westeurope.azmk8s.io";

test.each<[string, PackResource[], string]>([
  ["the link's zone name unknown (zone.name output at preview): unknown", [cluster, zone(ZONE), link(U)], "unknown"],
  ["a known matching link beside an unknown one: pass", [cluster, zone(ZONE), link(U, "a"), link(ZONE, "b")], "pass"],
  ["a known non-matching link beside an unknown one: unknown, not fail", [cluster, zone(ZONE), link(U, "a"), link("privatelink.northeurope.azmk8s.io", "b")], "unknown"],
  ["the zone's own name unknown: unknown", [cluster, zone(U), link(ZONE)], "unknown"],
  ["no link at all: fail", [cluster, zone(ZONE)], "fail"],
  ["the trigger unknown and no link: unknown, not fail", [{ ...cluster, props: { apiServerAccessProfile: { enablePrivateCluster: proxy.unknownBooleanValue } } }, zone(ZONE)], "unknown"],
])("%s", async (_name, resources, verdict) => {
  expect((await judgeWithPack(policy, resources)).verdict).toBe(verdict);
});
