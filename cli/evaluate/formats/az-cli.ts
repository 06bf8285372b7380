/**
 * Azure CLI `show` and `list` output of resources (clusters, network security groups, their rules).
 * The CLI prints the SDK model of the provider's GET response, not the REST body:
 * - `properties` is flattened into the resource: what REST nests as `properties.enableRBAC` is printed
 *   beside `id`, `name`, `type` and `location` (the SDK models flatten `properties`: azure-mgmt
 *   `_attribute_map` keys such as `properties.enableRBAC`, and the AAZ commands deserialize with
 *   `client_flatten`; the network security group commands in Azure/azure-cli `command_modules/network/aaz/latest/network`),
 * - each key is the SDK attribute camel-cased by knack's `to_camel_case` (microsoft/knack `knack/util.py`),
 *   so acronyms lose their capitals: `enableRbac`, `authorizedIpRanges`, `enablePrivateClusterPublicFqdn`,
 *   `privateDnsZone`, `enableAzureRbac`. Resource Manager reads property names without regard to case,
 *   so they are the REST names; test/cli/evaluate/corpus/az-cli checks every property the targets read
 *   against the SDK's attribute names,
 * - every attribute is printed, `null` when the provider did not return it, and the CLI adds `resourceGroup`.
 * So a printed resource is put back in the ARM GET shape: its envelope keys stay, every other key goes
 * below `properties`, and so do the keys of array elements that ARM nests in `properties` of their own
 * (a security rule's `access`), as the targets' bindings say where each field lives.
 */
import { ARM_ENVELOPE, isArmType } from "../../../core/resources/convert";
import type { JsonPath } from "../parse";
import { inputFormat, isObject, type Found, type Obj } from "./contract";
import { armOrigin, armShapesOf, hasKey, isResourceId, keyOf, restoreProjection } from "./inventory";

/** Keys Resource Manager keeps beside `properties`, and the one the CLI adds (`resourceGroup`). */
const ENVELOPE = new Set([...ARM_ENVELOPE, "id", "name", "type", "plan", "managedBy", "etag", "systemData", "resourceGroup"].map((k) => k.toLowerCase()));
/** An ARM sub-resource's own keys beside its `properties` (a security rule's `name`, `id`, `etag`, `type`). */
const SUB_RESOURCE = new Set(["id", "name", "type", "etag"]);

/**
 * `az resource list` prints generic resources: `properties` is `null`, because the list operation does
 * not return them ("Resources - List", https://learn.microsoft.com/rest/api/resources/resources/list,
 * GenericResourceExpanded: `$expand` adds only createdTime, changedTime and provisioningState).
 */
const isGenericListing = (o: Obj) => {
  const key = keyOf(o, "properties");
  return key !== undefined && o[key] === null;
};

function isPrinted(o: unknown): o is Obj {
  if (!isObject(o) || (hasKey(o, "properties") && !isGenericListing(o))) return false;
  const type = o[keyOf(o, "type") ?? "type"];
  return isResourceId(o[keyOf(o, "id") ?? "id"]) && typeof type === "string" && isArmType(type) && Object.keys(o).some((k) => !ENVELOPE.has(k.toLowerCase()));
}

/** Splits an object into the keys it keeps and the keys that belong below `properties`. */
function nest(o: Obj, keep: Set<string>): Obj {
  const out: Obj = {};
  const properties: Obj = {};
  for (const [k, v] of Object.entries(o)) (keep.has(k.toLowerCase()) ? out : properties)[k] = v;
  return { ...out, properties };
}

/** The resource in its ARM GET shape. */
function unflatten(printed: Obj): Obj {
  const resource = nest(printed, ENVELOPE);
  const properties = resource.properties as Obj;
  for (const binding of armShapesOf(resource[keyOf(resource, "type") ?? "type"]).flatMap((shape) => Object.values(shape.fields))) {
    const nested = Object.values(binding.elements ?? {}).some((e) => e.path[0] === "properties");
    if (!nested || binding.path.length === 0) continue;
    let parent: unknown = properties;
    for (const segment of binding.path.slice(0, -1)) parent = isObject(parent) ? parent[keyOf(parent, segment) ?? segment] : undefined;
    if (!isObject(parent)) continue;
    const key = keyOf(parent, binding.path[binding.path.length - 1]);
    const list = key === undefined ? undefined : parent[key];
    if (!Array.isArray(list)) continue;
    parent[key!] = list.map((e: unknown) => (isObject(e) && !hasKey(e, "properties") ? nest(e, SUB_RESOURCE) : e));
  }
  return resource;
}

const NOT_LISTED = "not returned by `az resource list` (list the resources with their own `az … list` command, or `az graph query`)";

function read(printed: Obj, path: JsonPath): Found {
  if (isGenericListing(printed)) {
    // Nothing a rule reads was returned: every bound property is unknown, never the cloud's default.
    const { [keyOf(printed, "properties")!]: _none, ...rest } = printed;
    const shapes = armShapesOf(rest[keyOf(rest, "type") ?? "type"]);
    const { resource, unknowns } = shapes.length > 0 ? restoreProjection(rest, shapes, NOT_LISTED) : { resource: rest, unknowns: [] };
    return { shape: "arm", resource, path, unknowns, origin: armOrigin(printed) };
  }
  return { shape: "arm", resource: unflatten(printed), path, unknowns: [], origin: armOrigin(printed) };
}

export const azCli = inputFormat({
  id: "az-cli",
  title: "Azure CLI show/list output",
  shape: "Azure CLI output (a resource with `id` and its properties at the top level, or an array of them)",
  readme:
    "**Azure CLI `show` and `list` output** (clusters, network security groups and their rules): the CLI prints a resource's " +
    "properties at the top level, in the SDK's camel case (`enableRbac`, `authorizedIpRanges`, `privateDnsZone`), with `null` " +
    "for what the provider did not return; each resource is put back in the ARM GET shape (properties below `properties`, names " +
    "matched without regard to case, as Resource Manager matches them) and judged as Azure Policy's compliance scan judges it. " +
    '`az resource list` returns no properties (`"properties": null`): everything a rule reads is unknown.',
  inventory: true,
  recognise: (data: unknown): data is Obj | Obj[] => isPrinted(data) || (Array.isArray(data) && data.length > 0 && data.every(isPrinted)),
  read: (data) => ({ resources: Array.isArray(data) ? data.map((o, i) => read(o, [i])) : [read(data, [])], notJudged: [] }),
});
