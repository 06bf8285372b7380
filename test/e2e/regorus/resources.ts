/**
 * Seeded random ARM resources for the differential test, built from the target table and the catalog:
 * every property a target's ARM shape binds gets the values of its type and of the operators the
 * catalog's rules compare it with (values.ts), so a new field or rule is exercised with no edit here.
 * Both kinds spell keys below `properties` in any casing (ARM property names are case-insensitive),
 * leave any property out, and may carry a legacy property (then at an API version that has it, see
 * atRequestApiVersion):
 * - typed: every value has the JSON type the API declares (booleans also as "true"/"false" text,
 *   which Azure Policy coerces), with documented values and their lookalikes;
 * - odd: any JSON value anywhere apiguard reads — numbers, objects, mixed arrays — as a careless
 *   template or a type confusion sends them.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import type { Catalog } from "../../../core/catalog/load";
import { walkRule } from "../../../core/ir/walk";
import type { ArmResource } from "../../../core/resources/convert";
import { armAlias, shapeOfType, type ArmShape, type FieldBinding, type LogicalField, type Target } from "../../../core/targets";
import { anyJson, keySpellings, spellings, someText, typedFlag, VALUES_BY_OPERATOR } from "./values";

/** Alias name → the API versions of its versioned paths (data/versioned-paths.json: aliases whose path changed). */
const VERSIONED: ReadonlyMap<string, string[]> = new Map(
  (JSON.parse(fs.readFileSync(path.join(__dirname, "data", "versioned-paths.json"), "utf8")) as { aliases: { name: string; paths: { apiVersions: string[] }[] }[] }).aliases.map((a) => [
    a.name.toLowerCase(),
    a.paths.flatMap((p) => p.apiVersions),
  ]),
);

/** The API versions at which Azure Policy reads an alias at a versioned path. */
export function versionsOfAlias(alias: string): string[] {
  return VERSIONED.get(alias.toLowerCase()) ?? [];
}

/** The legacy properties of an ARM shape that only some API versions have: top-level property → those versions. */
function legacyProperties(shape: ArmShape): Map<string, string[]> {
  const legacy = new Map<string, string[]>();
  for (const [field, binding] of Object.entries(shape.fields)) {
    if (!binding.legacy || binding.envelope || binding.path.length === 0) continue;
    const versions = [...new Set([armAlias(shape, field), `${armAlias(shape, field)}[*]`].flatMap(versionsOfAlias))];
    if (versions.length > 0) legacy.set(binding.path[0].toLowerCase(), versions);
  }
  return legacy;
}

/**
 * The request as Azure receives it: a resource that carries a property only older API versions have
 * (AKS's top-level `apiServerAuthorizedIPRanges`, 2019-02-01 to 2019-06-01) was written for one of
 * them, and Azure Policy resolves aliases at the request's API version. Other resources keep their own
 * `apiVersion` (none: the alias's default path, as for current versions).
 */
export function atRequestApiVersion(resource: ArmResource, pick: (versions: string[]) => string = (v) => v[v.length - 1]): ArmResource {
  const known = shapeOfType(String(resource.type));
  const shape = known?.shape.arm ? (known.shape as ArmShape) : undefined;
  if (!shape || Object.keys(resource).some((k) => k.toLowerCase() === "apiversion")) return resource;
  const legacy = legacyProperties(shape);
  const carried = Object.keys(resource.properties ?? {})
    .map((k) => legacy.get(k.toLowerCase()))
    .find((v) => v !== undefined);
  return carried ? { ...resource, apiVersion: pick(carried) } : resource;
}

/** What a rule compares a field with: operator → operand values (literals, and parameter defaults). */
type Comparisons = Map<string, Map<keyof typeof VALUES_BY_OPERATOR, unknown[]>>;

/** Per field (`field`, or `array[*].element` inside anyElement), the operators and operands the catalog's rules of `target` use on it. */
function comparisons(catalog: Catalog, target: Target): Comparisons {
  const found: Comparisons = new Map();
  for (const rule of catalog.rules) {
    walkRule(rule, (c, scope) => {
      if (c.kind !== "leaf" || !("field" in c.subject) || scope.target !== target.id) return;
      const key = scope.element ? `${scope.element}[*].${c.subject.field}` : c.subject.field;
      const given = c.operand;
      const operand = typeof given === "object" && !Array.isArray(given) ? rule.parameters.find((p) => p.name === given.param)?.default : given;
      const byOperator = found.get(key) ?? found.set(key, new Map()).get(key)!;
      byOperator.set(c.operator, [...(byOperator.get(c.operator) ?? []), operand]);
    });
  }
  return found;
}

/** `typed` values, or (odd) any JSON value in a quarter of the places. */
const maybeOdd = (typed: fc.Arbitrary<unknown>, odd: boolean): fc.Arbitrary<unknown> => (odd ? fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: anyJson }) : typed);

/** The values of one scalar or list field: its type's, its provider encoding's, and those of every operator compared with it. */
function values(logical: LogicalField, binding: FieldBinding, compared: Map<keyof typeof VALUES_BY_OPERATOR, unknown[]> | undefined, odd: boolean): fc.Arbitrary<unknown> {
  const byOperators = [...(compared ?? [])].map(([operator, operands]) => VALUES_BY_OPERATOR[operator](operands));
  const encoded = binding.valueMap ? [fc.oneof(...Object.keys(binding.valueMap).map(spellings))] : [];
  const own: fc.Arbitrary<unknown>[] = logical.type === "boolean" ? [typedFlag] : [someText, fc.constant(null)];
  if (logical.type === "stringArray") {
    const element = fc.oneof(someText, ...byOperators);
    return maybeOdd(fc.oneof(fc.array(element, { maxLength: 4 }), fc.constant(null)), odd);
  }
  return maybeOdd(fc.oneof(...own, ...encoded, ...byOperators), odd);
}

/** The property tree an ARM shape binds: objects by key, values at the leaves, arrays of element objects. */
type Node = { kind: "object"; children: Map<string, Node> } | { kind: "value"; values: fc.Arbitrary<unknown> } | { kind: "array"; element: Node };

const objectNode = (): Node & { kind: "object" } => ({ kind: "object", children: new Map() });

function insert(root: Node & { kind: "object" }, at: string[], leaf: Node): void {
  let node = root;
  for (const [i, key] of at.entries()) {
    const last = i === at.length - 1;
    const existing = node.children.get(key);
    // Two fields at one path (azureRbac and azureRbacAsWritten) read one property: it is generated once.
    if (last) {
      if (!existing) node.children.set(key, leaf);
      return;
    }
    if (existing?.kind === "object") node = existing;
    else node.children.set(key, (node = objectNode()));
  }
}

/** The tree of one set of bindings (a shape's fields, or an array's element fields). */
function tree(fields: Record<string, LogicalField>, bindings: Record<string, FieldBinding>, compared: Comparisons, prefix: string, odd: boolean): { properties: Node & { kind: "object" }; envelope: Node & { kind: "object" } } {
  const properties = objectNode();
  const envelope = objectNode();
  for (const [name, binding] of Object.entries(bindings)) {
    const logical = fields[name];
    if (binding.elements && logical.elements) {
      const element = tree(logical.elements, binding.elements, compared, `${prefix}${name}[*].`, odd).properties;
      // A standalone child resource is its own one element: the element's properties are its properties.
      if (binding.path.length === 0) for (const [key, child] of element.children) properties.children.set(key, child);
      else insert(properties, binding.path, { kind: "array", element });
    } else if (binding.path.length > 0) {
      insert(binding.envelope ? envelope : properties, binding.path, { kind: "value", values: values(logical, binding, compared.get(`${prefix}${name}`), odd) });
    }
  }
  return { properties, envelope };
}

/** Each key spelled as a template author might (`spell`), each entry possibly left out; below the root, odd objects too. */
function arbitrary(node: Node, odd: boolean, spell: boolean, root = false): fc.Arbitrary<unknown> {
  if (node.kind === "value") return node.values;
  if (node.kind === "array") return maybeOdd(fc.oneof(fc.array(arbitrary(node.element, odd, spell), { maxLength: 4 }), fc.constant(null)), odd);
  const entries = [...node.children].map(([key, child]) => fc.option(fc.tuple(spell ? keySpellings(key) : fc.constant(key), arbitrary(child, odd, spell)), { nil: undefined, freq: 3 }));
  const object = fc.tuple(...entries).map((kv) => Object.fromEntries(kv.filter((e): e is [string, unknown] => e !== undefined)));
  return root ? object : maybeOdd(object, odd);
}

/** Random resources of one ARM shape of `target`, from its bindings and the catalog's comparisons. */
export function randomResources(catalog: Catalog, target: Target, shape: ArmShape, odd: boolean): fc.Arbitrary<ArmResource> {
  const { properties, envelope } = tree(target.fields, shape.fields, comparisons(catalog, target), "", odd);
  const located = shape.arm.tagsAndLocation === false ? {} : { location: "westeurope" };
  const legacyVersions = [...legacyProperties(shape).values()].flat();
  return (
    fc
      // The envelope (`sku`) as the API writes it; `properties` is always an object, its members any shape.
      .tuple(arbitrary(properties, odd, true, true), arbitrary(envelope, false, false, true), fc.constantFrom(...(legacyVersions.length ? legacyVersions : ["-"])))
      .map(([props, env, version]) => atRequestApiVersion({ type: shape.arm.resourceType, name: "r", ...located, ...(env as object), properties: props as Record<string, unknown> }, () => version))
  );
}
