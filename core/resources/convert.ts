/**
 * Resource shapes: Pulumi-shaped `{type, name, props}` and ARM-shaped `{type, name, properties}`.
 * Each is converted to the other so both engines judge the same resource: CrossGuard reads Pulumi
 * inputs, Azure Policy reads ARM. Only targets with an ARM shape convert; anything else keeps its shape.
 */
import { readField } from "../semantics/semantics";
import { shapeOfType, type ArmShape, type FieldBinding, type Shape, type Target } from "../targets";

export interface PulumiResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

export interface ArmResource {
  type: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

/** ARM envelope keys that azure-native flattens beside the properties. */
export const ARM_ENVELOPE = ["location", "tags", "sku", "identity", "kind", "extendedLocation", "zones"];
/** Every top-level key of an ARM resource apiguard reads, in its canonical casing. */
const ARM_KEYS = ["type", "name", "apiVersion", "properties", ...ARM_ENVELOPE];

export function isArmType(type: string): boolean {
  return /^[A-Za-z]+\.[A-Za-z.]+\/[A-Za-z]/.test(type) && !type.includes(":");
}

/** azure-native props are ARM properties flattened beside the envelope (the same property tree). */
const isAzureNative = (shape: Shape) => shape.provider === "azure-native";

/** The azure-native shape of the resource an ARM shape describes, when apiguard knows one. */
function azureNativePeer(target: Target, arm: Shape): Shape | undefined {
  const natives = target.shapes.filter(isAzureNative);
  return natives.find((s) => s.armPeer === arm.id) ?? natives.find((s) => s.armPeer === undefined);
}

/** The ARM shape that describes the same resource as a Pulumi shape. */
function armPeerOf(target: Target, shape: Shape): ArmShape | undefined {
  return target.shapes.find((s): s is ArmShape => s.arm !== undefined && (shape.armPeer === undefined || s.id === shape.armPeer));
}

/**
 * Re-encodes objectArray elements from one shape's element layout to another's (ARM wraps them in
 * `properties`). A value that is no list is kept as it is — Pulumi's sentinel for a list not known yet
 * must stay unknown in the other shape; any other such value reads as no elements in either.
 */
function convertElements(list: unknown, from: Record<string, FieldBinding>, to: Record<string, FieldBinding>): unknown {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return list;
  return list.map((element) => {
    const out: Record<string, unknown> = {};
    for (const [field, binding] of Object.entries(from)) setPath(out, to[field].path, readField(element, binding));
    return out;
  });
}

function getIgnoreCase(obj: Record<string, unknown>, key: string): [string, unknown] | undefined {
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : [found, obj[found]];
}

/**
 * A copy of one object or array, made of this realm's objects. structuredClone's objects come from
 * Node's own realm, and @pulumi/policy's unknown-checking proxy only wraps values that are `instanceof
 * Object` here: under a sandbox (jest's) it would let an unknown value nested in them through as text.
 */
function shallowCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value);
  if (value === null || typeof value !== "object") return value;
  return Object.assign({}, value);
}

/** The canonical casing of a top-level key (the key itself when apiguard does not read it); asked for every key of every resource judged, so remembered. */
const canonicalKeyOf = new Map<string, string>();
function canonicalOf(key: string): string {
  let canonical = canonicalKeyOf.get(key);
  if (canonical === undefined) {
    canonical = ARM_KEYS.find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
    // Keys are few (a resource's own names); a document of made-up keys must not grow the memory without end.
    if (canonicalKeyOf.size < 10_000) canonicalKeyOf.set(key, canonical);
  }
  return canonical;
}

/**
 * Azure Resource Manager reads the keys of a resource (`Type`, `Properties`, `SKU`, ...) without
 * regard to case, as it reads property names, and Azure Policy resolves `type`, `name` and aliases
 * the same way (azure-policy-engine/field-paths.ts). Returns the resource with its top-level keys in canonical
 * casing, so every reader can use plain property access; unknown keys are kept as they are.
 */
export function canonicalEnvelope<T extends Record<string, unknown>>(resource: T): T {
  const keys = Object.keys(resource);
  if (keys.every((k) => canonicalOf(k) === k)) return resource;
  // Values are read only when asked for: a resource behind Pulumi's unknown-checking proxy throws on
  // reading a value not known yet, and a key nobody reads must not decide the verdict.
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const canonical = canonicalOf(key);
    if (canonical in copy && canonical !== key) continue;
    Object.defineProperty(copy, canonical, { get: () => resource[key], enumerable: true, configurable: true });
  }
  return copy as T;
}

/**
 * ARM property names are case-insensitive; Pulumi's are not. Returns the properties with the keys along
 * every known path in their canonical casing, so CrossGuard sees what Azure Policy sees. Every object
 * and array on those paths is copied (the input is never changed, and what a rule reads is made of this
 * realm's objects); what no path reaches is shared with the input — an inventory's resource is large
 * and read once. `envelope` selects the bindings rooted at the resource (`sku.name`) instead of at its
 * `properties`.
 */
export function canonicalKeys(properties: Record<string, unknown>, shape: Shape, envelope = false): Record<string, unknown> {
  const copy = shallowCopy(properties) as Record<string, unknown>;
  const copies = new WeakSet<object>([copy]);
  for (const binding of Object.values(shape.fields)) if (Boolean(binding.envelope) === envelope) canonicalize(copy, binding, copies);
  return copy;
}

/** The value at `key` of a copied object, copied in turn (once) and stored under the canonical key. */
function step(node: Record<string, unknown>, key: string, copies: WeakSet<object>): unknown {
  const hit = getIgnoreCase(node, key);
  if (!hit) return undefined;
  const [actual, value] = hit;
  if (actual !== key) delete node[actual];
  const copied = value !== null && typeof value === "object" && !copies.has(value) ? shallowCopy(value) : value;
  if (copied !== null && typeof copied === "object") copies.add(copied);
  node[key] = copied;
  return copied;
}

/** Renames (and copies) the keys along one binding's path and its elements' paths, in the copied tree. */
function canonicalize(root: Record<string, unknown>, binding: FieldBinding, copies: WeakSet<object>): void {
  let node: unknown = root;
  for (const key of binding.path) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    node = step(node as Record<string, unknown>, key, copies);
  }
  if (!binding.elements) return;
  if (binding.path.length === 0) {
    for (const e of Object.values(binding.elements)) canonicalize(root, e, copies);
    return;
  }
  if (!Array.isArray(node)) return;
  for (let i = 0; i < node.length; i++) {
    const element = node[i];
    if (typeof element !== "object" || element === null || Array.isArray(element)) continue;
    const copy = copies.has(element) ? element : (shallowCopy(element) as Record<string, unknown>);
    copies.add(copy);
    node[i] = copy;
    for (const e of Object.values(binding.elements)) canonicalize(copy as Record<string, unknown>, e, copies);
  }
}

/** ARM → Pulumi (azure-native). Unknown ARM types keep their type, with properties as props. */
export function armToPulumi(given: ArmResource): PulumiResource {
  const resource = canonicalEnvelope(given);
  const known = shapeOfType(resource.type);
  const native = known && azureNativePeer(known.target, known.shape);
  const properties = known ? canonicalKeys(resource.properties ?? {}, known.shape) : (resource.properties ?? {});
  for (const [field, binding] of Object.entries(known?.shape.fields ?? {})) {
    const to = native?.fields[field];
    if (binding.elements && binding.path.length > 0 && to?.elements) setPath(properties, to.path, convertElements(readField(properties, { ...binding, elements: undefined }), binding.elements, to.elements));
  }
  let envelope: Record<string, unknown> = Object.fromEntries(ARM_ENVELOPE.filter((k) => resource[k] !== undefined).map((k) => [k, resource[k]]));
  if (known) envelope = canonicalKeys(envelope, known.shape, true);
  return { type: native?.pulumi?.full ?? resource.type, name: resource.name, props: { ...envelope, ...properties } };
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Pulumi → ARM, for targets with an ARM shape. azure-native props are ARM properties flattened at
 * the top level; other providers (the classic azure provider) are mapped field by field with their
 * own defaults applied, because they send those defaults explicitly (the classic provider's public
 * FQDN default is false where ARM's is true).
 */
export function pulumiToArm(resource: PulumiResource): ArmResource | undefined {
  const known = shapeOfType(resource.type);
  const arm = known && armPeerOf(known.target, known.shape);
  if (!known || !arm) return undefined;
  const envelope: Record<string, unknown> = Object.fromEntries(ARM_ENVELOPE.filter((k) => resource.props[k] !== undefined).map((k) => [k, resource.props[k]]));
  let properties: Record<string, unknown>;
  if (isAzureNative(known.shape)) {
    const addressing = known.shape.addressing ?? [];
    properties = Object.fromEntries(Object.entries(resource.props).filter(([k]) => !ARM_ENVELOPE.includes(k) && !addressing.includes(k)));
  } else {
    properties = {};
  }
  for (const [field, binding] of Object.entries(known.shape.fields)) {
    const to = arm.fields[field];
    if (binding.elements && to.elements && binding.path.length === 0) {
      // A standalone child resource: its element fields are its own properties.
      Object.assign(properties, (convertElements([resource.props], binding.elements, to.elements) as Record<string, unknown>[])[0]);
    } else if (binding.elements && to.elements) {
      setPath(properties, to.path, convertElements(readField(resource.props, { ...binding, elements: undefined }), binding.elements, to.elements));
    } else if (!isAzureNative(known.shape)) {
      const value = readField(resource.props, binding);
      // Unwritten values stay unwritten (another field may write the same property with its default).
      if (value === null || value === undefined) continue;
      // The classic provider has no envelope field apiguard reads (its skuTier is not the ARM sku.name).
      if (!to.envelope) setPath(properties, to.path, value);
    }
  }
  return { type: arm.arm.resourceType, name: resource.name, ...envelope, properties };
}

/** A catalog example resource (core/ir/types ExampleResource) in both shapes. */
interface ShapedResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  arm: boolean;
  envelope?: Record<string, unknown>;
}

/** The ARM resource of an example: its own for ARM examples, converted otherwise (undefined without an ARM shape). */
export function exampleToArm(r: ShapedResource): ArmResource | undefined {
  return r.arm ? { type: r.type, name: r.name, ...r.envelope, properties: r.props } : pulumiToArm({ type: r.type, name: r.name, props: r.props });
}

/** The Pulumi resource of an example: its own for Pulumi examples, converted from ARM otherwise. */
export function exampleToPulumi(r: ShapedResource): PulumiResource {
  return r.arm ? armToPulumi({ type: r.type, name: r.name, ...r.envelope, properties: r.props }) : { type: r.type, name: r.name, props: r.props };
}
