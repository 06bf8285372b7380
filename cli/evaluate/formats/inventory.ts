/**
 * What the inventory formats share (Resource Graph results, Azure CLI output, Pulumi Cloud's resource
 * search): an inventory holds the resource as its provider returns it on GET, so everything here is
 * derived from the targets' bindings — where each field lives — never from a list of property names.
 */
import { shapesOfType, type Shape } from "../../../core/targets";
import { UNKNOWN, type UnknownNote } from "../unknowns";
import { isObject, type Obj, type Origin } from "./contract";

/** The key of `obj` equal to `key` without regard to case (ARM reads property names so). */
export function keyOf(obj: Obj, key: string): string | undefined {
  if (Object.hasOwn(obj, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export const hasKey = (obj: Obj, key: string) => keyOf(obj, key) !== undefined;

/**
 * The parts of an Azure resource ID, `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/…`
 * ("ARM template functions - resource: resourceId", return value,
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#resourceid).
 * Segment names are matched without regard to case, as Resource Manager matches them.
 */
export function resourceIdParts(id: unknown): { subscription?: string; resourceGroup?: string } {
  if (typeof id !== "string") return {};
  const segments = id.split("/");
  const after = (name: string) => {
    const i = segments.findIndex((s) => s.toLowerCase() === name);
    return i >= 0 && segments[i + 1] ? segments[i + 1] : undefined;
  };
  return { subscription: after("subscriptions"), resourceGroup: after("resourcegroups") };
}

export const isResourceId = (id: unknown): id is string => typeof id === "string" && /^\/subscriptions\/[^/]+/i.test(id);

/** Where an ARM-shaped inventory row lives: its own columns first, else the parts of its resource ID. */
export function armOrigin(row: Obj): Origin {
  const text = (key: string) => {
    const v = Object.hasOwn(row, key) ? row[key] : row[keyOf(row, key) ?? key];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const origin: Origin = {};
  const id = text("id");
  if (id) origin.resourceId = id;
  let subscription = text("subscriptionId");
  let resourceGroup = text("resourceGroup");
  if (!subscription || !resourceGroup) ({ subscription = subscription, resourceGroup = resourceGroup } = resourceIdParts(id));
  if (subscription) origin.subscription = subscription;
  if (resourceGroup) origin.resourceGroup = resourceGroup;
  const location = text("location");
  if (location) origin.location = location;
  return origin;
}

/** The ARM shapes apiguard knows for a resource type (any casing): one per target that judges it (a managed cluster: the cluster's and its node pools'). */
export function armShapesOf(type: unknown): Shape[] {
  if (typeof type !== "string") return [];
  return shapesOfType(type).flatMap(({ shape }) => (shape.arm ? [shape] : []));
}

/**
 * Every place, from the ARM resource's root, that a field of the shape is read: `properties.<path>`,
 * or the envelope path (`sku.name`). A standalone child resource (a binding with an empty path) is
 * itself the element: its element fields live below its own `properties`.
 */
export function boundPaths(shape: Shape): string[][] {
  const known = boundPathsOf.get(shape);
  if (known) return known;
  const paths: string[][] = [];
  for (const binding of Object.values(shape.fields)) {
    if (binding.path.length === 0) {
      for (const element of Object.values(binding.elements ?? {})) paths.push(["properties", ...element.path]);
    } else paths.push(binding.envelope ? binding.path : ["properties", ...binding.path]);
  }
  boundPathsOf.set(shape, paths);
  return paths;
}

const boundPathsOf = new WeakMap<Shape, string[][]>();
/** The top-level columns (`properties`, `sku`) a shape's fields are read from. */
const rootsOf = new WeakMap<Shape, string[]>();
function roots(shape: Shape): string[] {
  let known = rootsOf.get(shape);
  if (!known) rootsOf.set(shape, (known = [...new Set(boundPaths(shape).map((p) => p[0]))]));
  return known;
}

/** Sets `value` at `path`, creating objects on the way (keys matched without regard to case). */
function place(root: Obj, path: string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const k = keyOf(node, key) ?? key;
    if (!isObject(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  node[keyOf(node, path[path.length - 1]) ?? path[path.length - 1]] = value;
}

/**
 * A Resource Graph row whose query projected columns (`| project …`) rather than whole resources: the
 * columns a projection names after a property path (`properties.a.b` becomes `properties_a_b`, as the
 * Resource Graph REST reference shows for `tostring(properties.storageProfile.osDisk.osType)`:
 * "Resources - Resources", https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources)
 * are put back at their path. Every bound property the projection left out is unknown — never the
 * cloud's default, which would judge a cluster by what the query did not ask for.
 */
export function restoreProjection(row: Obj, shapes: readonly Shape[], reason: string): { resource: Obj; unknowns: UnknownNote[] } {
  // A whole row (every column a field is read from): nothing to restore.
  if (shapes.every((shape) => roots(shape).every((root) => hasKey(row, root)))) return { resource: row, unknowns: [] };
  const resource: Obj = { ...row };
  const unknowns: UnknownNote[] = [];
  const rootColumns = new Set(shapes.flatMap((shape) => roots(shape)).map((p) => p.toLowerCase()));
  // Columns named after a path, by root column (`properties`, `sku`): the path below the root, lower-cased.
  const placed = new Map<string, string[][]>();
  for (const [column, value] of Object.entries(row)) {
    const m = /^([A-Za-z]+)_(.+)$/.exec(column);
    if (!m || !rootColumns.has(m[1].toLowerCase())) continue;
    const root = m[1].toLowerCase();
    const path = m[2].split("_");
    if (!placed.has(root)) placed.set(root, []);
    placed.get(root)!.push(path.map((p) => p.toLowerCase()));
    const rootKey = keyOf(resource, root) ?? root;
    if (!isObject(resource[rootKey])) resource[rootKey] = {};
    place(resource[rootKey] as Obj, path, value);
    delete resource[column];
  }
  const covered = new Set<string>();
  for (const path of shapes.flatMap((shape) => boundPaths(shape))) {
    const [root, ...below] = path;
    if (keyOf(row, root) !== undefined) continue; // the whole column is there
    const lower = below.map((p) => p.toLowerCase());
    const columns = placed.get(root.toLowerCase()) ?? [];
    // A column at this path or above it gives the value; one below it gives part of it (read as given).
    const prefixOf = (a: string[], b: string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);
    if (columns.some((c) => prefixOf(c, lower) || prefixOf(lower, c))) continue;
    // Unknown at the first segment the columns do not reach: everything below it is unknown too.
    let depth = 0;
    while (depth < below.length && columns.some((c) => prefixOf(lower.slice(0, depth + 1), c))) depth++;
    const at = [root, ...below.slice(0, depth + 1)];
    const key = at.join(".").toLowerCase();
    if (covered.has(key)) continue;
    covered.add(key);
    if (at.length === 1) resource[root] = UNKNOWN;
    else {
      const rootKey = keyOf(resource, root) ?? root;
      if (!isObject(resource[rootKey])) resource[rootKey] = {};
      place(resource[rootKey] as Obj, at.slice(1), UNKNOWN);
    }
    unknowns.push({ path: at.join("."), reason });
  }
  return { resource, unknowns };
}
