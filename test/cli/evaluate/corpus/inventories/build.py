"""
Builds the inventory fixtures that no public source has whole (see ../README.md, "Inventories"): Resource
Graph pages and a Pulumi Cloud search page around the verbatim provider responses in arm-get/. Each
response's `properties`, `sku` and `identity` are kept as the provider returned them; the row's other
columns follow the documented formats. Run from this folder: python3 build.py
"""
import json

def load(name):
    return json.load(open(f"arm-get/{name}"))

# Three real responses of the AKS resource provider; two share a name, so each gets its own identity here.
CLUSTERS = [
    ("private-public-fqdn.GET.2021-10-01.json", "00000000-0000-0000-0000-000000000000", "clitest000001", "cliakstest000001"),
    ("authorized-ip-ranges.PUT-201.json", "00000000-0000-0000-0000-000000000000", "clitest000002", "cliakstest000002"),
    ("managed-aad-azure-rbac.PUT-201.json", "11111111-1111-1111-1111-111111111111", "clitest000003", "cliakstest000003"),
]
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"

def cluster(name, subscription, group, cluster_name):
    body = load(name)
    return body, f"/subscriptions/{subscription}/resourcegroups/{group}/providers/Microsoft.ContainerService/managedClusters/{cluster_name}"

def graph_row(name, subscription, group, cluster_name):
    """A row of Resource Graph's `resources` table: its columns, `type` lower-cased as Resource Graph returns it."""
    body, rid = cluster(name, subscription, group, cluster_name)
    return {
        "id": rid,
        "name": cluster_name,
        "type": body["type"].lower(),
        "tenantId": TENANT,
        "kind": "",
        "location": body["location"],
        "resourceGroup": group,
        "subscriptionId": subscription,
        "managedBy": "",
        "sku": body["sku"],
        "plan": None,
        "properties": body["properties"],
        "tags": None,
        "identity": body["identity"],
        "zones": None,
        "extendedLocation": None,
    }

def nsg_row():
    """The network security group `az network nsg show` printed (az-cli/network-nsg-show.json), nested back in its GET shape."""
    shown = json.load(open("az-cli/network-nsg-show.json"))
    def rule(r):
        own = {k: r[k] for k in ("name", "id", "etag")}
        return {**own, "properties": {k: v for k, v in r.items() if k not in ("name", "id", "etag", "resourceGroup")}}
    return {
        "id": shown["id"],
        "name": shown["name"],
        "type": shown["type"].lower(),
        "tenantId": TENANT,
        "kind": "",
        "location": shown["location"],
        "resourceGroup": shown["resourceGroup"].lower(),
        "subscriptionId": "guid",
        "managedBy": "",
        "sku": None,
        "plan": None,
        "properties": {
            "provisioningState": shown["provisioningState"],
            "resourceGuid": shown["resourceGuid"],
            "securityRules": [rule(r) for r in shown["securityRules"]],
            "defaultSecurityRules": [rule(r) for r in shown["defaultSecurityRules"]],
        },
        "tags": None,
        "identity": None,
        "zones": None,
        "extendedLocation": None,
    }

def write(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")

rows = [graph_row(*c) for c in CLUSTERS] + [nsg_row()]
# `az graph query -q "resources | where type =~ 'microsoft.containerservice/managedclusters' or type =~ 'microsoft.network/networksecuritygroups'" --first 2`, then `--skip-token`.
write("resource-graph/page-1.json", {"count": 2, "data": rows[:2], "skip_token": "eyJub3RlIjoiYnVpbHQgZml4dHVyZSJ9", "total_records": 4})
write("resource-graph/page-2.json", {"count": 2, "data": rows[2:], "skip_token": None, "total_records": 4})
# The same query with `--query data` (extension 1.x printed this bare array too).
write("resource-graph/rows.json", rows[:2])
# `… | project id, name, type, location, resourceGroup, subscriptionId, properties.apiServerAccessProfile`
projected = [{k: r[k] for k in ("id", "name", "type", "location", "resourceGroup", "subscriptionId")} | {"properties_apiServerAccessProfile": r["properties"].get("apiServerAccessProfile")} for r in rows[:3]]
write("resource-graph/projected.json", {"count": 3, "data": projected, "skip_token": None, "total_records": 3})

def search_result(name, subscription, group, cluster_name, stack):
    """A ResourceResult of Pulumi Cloud's resource search with properties=true: azure-native's state, the ARM properties flattened beside the envelope."""
    body, rid = cluster(name, subscription, group, cluster_name)
    project = "platform"
    properties = {"location": body["location"], "sku": body["sku"], "identity": body["identity"], "resourceGroupName": group, "resourceName": cluster_name, **body["properties"]}
    return {
        "created": "2025-02-10T19:33:09.6611691Z",
        "custom": True,
        "delete": False,
        "dependencies": [f"urn:pulumi:{stack}::{project}::azure-native:resources:ResourceGroup::{group}"],
        "id": rid,
        "modified": "2025-02-10T19:33:09.6611691Z",
        "module": "containerservice",
        "name": cluster_name,
        "package": "azure-native",
        "parent_urn": f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}",
        "project": project,
        "protected": False,
        "provider_urn": f"urn:pulumi:{stack}::{project}::pulumi:providers:azure-native::default_3_28_0::d3c5b1a2",
        "stack": stack,
        "type": "azure-native:containerservice:ManagedCluster",
        "urn": f"urn:pulumi:{stack}::{project}::azure-native:containerservice:ManagedCluster::{cluster_name}",
        "properties": properties,
        "metadata": {},
        "managed": "Pulumi",
    }

results = [search_result(*c, stack) for c, stack in zip(CLUSTERS, ["prod", "prod", "dev"])]
group = {
    "created": "2025-02-10T19:30:00.0000000Z", "custom": True, "delete": False, "dependencies": [],
    "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest000001", "modified": "2025-02-10T19:30:00.0000000Z",
    "module": "resources", "name": "clitest000001", "package": "azure-native", "parent_urn": "urn:pulumi:prod::platform::pulumi:pulumi:Stack::platform-prod",
    "project": "platform", "protected": False, "stack": "prod", "type": "azure-native:resources:ResourceGroup",
    "urn": "urn:pulumi:prod::platform::azure-native:resources:ResourceGroup::clitest000001", "properties": {"location": "westus2", "resourceGroupName": "clitest000001"},
    "metadata": {}, "managed": "Pulumi",
}
# A cluster being replaced: the old one is pending deletion.
replaced = dict(results[0], delete=True, urn=results[0]["urn"] + "-old", name="cliakstest000001-old")
write("pulumi-cloud/search-page.json", {"total": 5, "resources": results + [group, replaced], "pagination": {"next": None}})
# The same search without properties=true: nothing a rule reads is there.
write("pulumi-cloud/search-page-without-properties.json", {"total": 3, "resources": [{k: v for k, v in r.items() if k != "properties"} for r in results], "pagination": {"next": None}})
