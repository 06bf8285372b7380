/**
 * Resources written out as such, in either shape — Pulumi's `{type, name, props}` (or `inputs`) or
 * ARM's `{type, name, properties}` — and judged as written: one resource, an array of them, a
 * `resources` list of Pulumi-shaped ones (a catalog stack example), or a catalog example's `resource`.
 */
import { canonicalEnvelope, isArmType } from "../../../core/resources/convert";
import type { JsonPath } from "../parse";
import { DocumentError, inputFormat, isObject, type Found, type Obj } from "./contract";

/** One resource object, in either shape. */
function resource(given: unknown, path: JsonPath, where: string): Found {
  // ARM reads a resource's own keys (`Type`, `Properties`, …) whatever their casing; Pulumi's are exact.
  const raw = isObject(given) ? canonicalEnvelope(given) : given;
  if (!isObject(raw) || typeof raw.type !== "string") throw new DocumentError(path, `${where} is not a resource (expected an object with a string \`type\`)`);
  // As written: the registry reads its keys in any casing, and refuses keys that differ only in case.
  if (isArmType(raw.type)) return { shape: "arm", resource: given as Obj, path, unknowns: [] };
  const props = raw.props ?? raw.inputs ?? {};
  if (!isObject(props)) throw new DocumentError(path, `${where}: \`props\` must be an object`);
  return { shape: "pulumi", type: raw.type, name: typeof raw.name === "string" ? raw.name : "(unnamed)", props, path, unknowns: [] };
}

/** Where the resources of a document are: the document itself (an array), `resources`, `resource`, or the document as one resource. */
function layout(data: unknown): { list: unknown[]; path: (i: number) => JsonPath; where: (i: number) => string } | undefined {
  if (Array.isArray(data)) return { list: data, path: (i) => [i], where: (i) => `item ${i}` };
  if (!isObject(data)) return undefined;
  if (Array.isArray(data.resources)) return { list: data.resources, path: (i) => ["resources", i], where: (i) => `resources[${i}]` };
  // A catalog example.
  if (isObject(data.resource)) return { list: [data.resource], path: () => ["resource"], where: () => "resource" };
  if (typeof canonicalEnvelope(data).type === "string") return { list: [data], path: () => [], where: () => "the document" };
  return undefined;
}

export const resources = inputFormat({
  id: "resources",
  title: "JSON/YAML resources",
  shape: "a resource ({type, name, props|properties}) or an array of them",
  readme: "**Resources** as JSON or YAML — one resource, an array, or a `resources` list — Pulumi-shaped " + "(`{type, name, props}`) or ARM-shaped (`{type, name, properties}`), judged as written.",
  recognise: (data: unknown): data is Obj | unknown[] => layout(data) !== undefined,
  read: (data) => {
    const found = layout(data);
    return { resources: found ? found.list.map((r, i) => resource(r, found.path(i), found.where(i))) : [], notJudged: [] };
  },
});
