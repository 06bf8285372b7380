/**
 * Resource shapes: Pulumi-shaped `{type, name, props}` and ARM-shaped `{type, name, properties}`.
 * Each is converted to the other so both engines judge the same resource: CrossGuard reads Pulumi
 * inputs, Azure Policy reads ARM. Only targets with an ARM shape convert; anything else keeps its shape.
 */
import { readField } from "../semantics/semantics";
import { shapesOfType, type ArmShape, type FieldBinding, type Shape, type Target } from "../targets";

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
 * `properties`). A list or an element that is not one (a value unknown before deployment) is carried
 * over as it is, so it stays unknown in the other shape rather than becoming no rules or a default one.
 */
function convertElements(list: unknown, from: Record<string, FieldBinding>, to: Record<string, FieldBinding>): unknown {
  if (!Array.isArray(list)) return list;
  return (list as unknown[]).map((element) => {
    if (typeof element !== "object" || element === null || Array.isArray(element)) return element;
    const out: Record<string, unknown> = {};
    for (const [field, binding] of Object.entries(from)) {
      if (to[field].path.length === 0) continue;
      // A presence carries the value it is the presence of (a public IP address's id), or nothing.
      if (binding.present) {
        if (readField(element, binding) === true) setPath(out, to[field].path, valueAt(element, binding.path));
      } else setPath(out, to[field].path, readField(element, binding));
    }
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
    const element: unknown = node[i];
    if (typeof element !== "object" || element === null || Array.isArray(element)) continue;
    const copy = copies.has(element) ? element : (shallowCopy(element) as Record<string, unknown>);
    copies.add(copy);
    node[i] = copy;
    for (const e of Object.values(binding.elements)) canonicalize(copy as Record<string, unknown>, e, copies);
  }
}

/**
 * ARM → Pulumi (azure-native). Unknown ARM types keep their type, with properties as props. A type
 * several targets judge (a managed cluster: `aks`, and `aksNodePool` for its inline pools) is
 * converted for each of them.
 */
export function armToPulumi(given: ArmResource): PulumiResource {
  const resource = canonicalEnvelope(given);
  const known = shapesOfType(resource.type);
  let properties = resource.properties ?? {};
  let envelope: Record<string, unknown> = Object.fromEntries(ARM_ENVELOPE.filter((k) => resource[k] !== undefined).map((k) => [k, resource[k]]));
  let type = resource.type;
  for (const [i, { target, shape }] of known.entries()) {
    const native = azureNativePeer(target, shape);
    if (i === 0 && native?.pulumi) type = native.pulumi.full;
    properties = canonicalKeys(properties, shape);
    envelope = canonicalKeys(envelope, shape, true);
    for (const [field, binding] of Object.entries(shape.fields)) {
      const to = native?.fields[field];
      if (binding.elements && binding.path.length > 0 && to?.elements && isWritten(properties, binding.path)) {
        setPath(properties, to.path, convertElements(readField(properties, { ...binding, elements: undefined }), binding.elements, to.elements));
      }
    }
  }
  return { type, name: resource.name, props: { ...envelope, ...properties } };
}

/** The value at `path`, as written (undefined where the path ends early). */
function valueAt(obj: unknown, path: string[]): unknown {
  let node = obj;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Whether the resource writes something (not null) at `path`: a list left out stays left out in the other shape. */
function isWritten(obj: unknown, path: string[]): boolean {
  const value = valueAt(obj, path);
  return value !== undefined && value !== null;
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
 * FQDN default is false where ARM's is true). A type several targets judge is converted for each.
 */
export function pulumiToArm(resource: PulumiResource): ArmResource | undefined {
  const known = shapesOfType(resource.type).flatMap(({ target, shape }) => {
    const arm = armPeerOf(target, shape);
    return arm ? [{ shape, arm }] : [];
  });
  if (known.length === 0) return undefined;
  const native = isAzureNative(known[0].shape);
  const envelope: Record<string, unknown> = Object.fromEntries(ARM_ENVELOPE.filter((k) => resource.props[k] !== undefined).map((k) => [k, resource.props[k]]));
  const addressing = known.flatMap(({ shape }) => shape.addressing ?? []);
  const properties: Record<string, unknown> = native ? Object.fromEntries(Object.entries(resource.props).filter(([k]) => !ARM_ENVELOPE.includes(k) && !addressing.includes(k))) : {};
  for (const { shape, arm } of known) {
    // Presence bindings first: a value the resource writes explicitly at the same ARM path (the classic
    // provider's `managed` inside the block whose presence means managed) then overrides them.
    const fields = Object.entries(shape.fields).sort(([, a], [, b]) => Number(Boolean(b.present)) - Number(Boolean(a.present)));
    for (const [field, binding] of fields) {
      const to = arm.fields[field];
      if (binding.elements && to.elements) {
        // A resource that is its own one element (a standalone rule or pool, or a classic cluster's
        // default node pool) becomes the ARM resource's own properties, or the one member of its list.
        if (binding.path.length > 0 && !isWritten(resource.props, binding.path)) continue;
        if (binding.path.length === 0) {
          const [own] = convertElements([resource.props], binding.elements, to.elements) as Record<string, unknown>[];
          if (to.path.length === 0) Object.assign(properties, own);
          else setPath(properties, to.path, [own]);
        } else setPath(properties, to.path, convertElements(readField(resource.props, { ...binding, elements: undefined }), binding.elements, to.elements));
      } else if (!isAzureNative(shape)) {
        // A field the provider cannot express reads as its default, which the ARM side's default is too.
        if (binding.path.length === 0) continue;
        // A property the resource leaves out is written only where the provider's default differs from
        // ARM's (the provider sends its own default); otherwise ARM's default says the same.
        if (!isWritten(resource.props, binding.path) && JSON.stringify(binding.default) === JSON.stringify(to.default)) continue;
        const value = readField(resource.props, binding);
        // Unwritten values stay unwritten (another field may write the same property with its default).
        if (value === null || value === undefined || (binding.present && value === false)) continue;
        // The classic provider has no envelope field apiguard reads (its skuTier is not the ARM sku.name;
        // its tags arrive with the envelope above).
        if (to.envelope) continue;
        setPath(properties, to.path, to.present ? {} : value);
      }
    }
  }
  return { type: known[0].arm.arm.resourceType, name: resource.name, ...envelope, properties };
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

/** The shapes judging `type` and every field of theirs, in one list; asked for every resource read, so remembered (for a bounded number of types). */
const fieldsByType = new Map<string, { known: boolean; fields: FieldBinding[] }>();
function fieldsOfType(type: string): { known: boolean; fields: FieldBinding[] } {
  let found = fieldsByType.get(type);
  if (found === undefined) {
    const known = shapesOfType(type);
    found = { known: known.length > 0, fields: known.flatMap(({ shape }) => Object.values(shape.fields)) };
    if (fieldsByType.size < 10_000) fieldsByType.set(type, found);
  }
  return found;
}

/** A key's lower case, and whether it is ASCII; keys are the targets' field paths, few, so remembered. */
const lowerKeys = new Map<string, { lower: string; ascii: boolean }>();
function lowerKey(key: string): { lower: string; ascii: boolean } {
  let known = lowerKeys.get(key);
  if (known === undefined) {
    known = { lower: key.toLowerCase(), ascii: /^[\x00-\x7f]*$/.test(key) };
    if (lowerKeys.size < 10_000) lowerKeys.set(key, known);
  }
  return known;
}

/** What keysLike answers for the common case: `key` itself is the only match. */
const ONLY_ITSELF: readonly string[] = [];

/** Keys of `obj` that match `key` without regard to case, in the object's order; ONLY_ITSELF when the one match is `key` as spelled. */
function keysLike(obj: Record<string, unknown>, key: string): readonly string[] {
  const { lower, ascii } = lowerKey(key);
  const keys: string[] = [];
  // Only a key of the same length can match an ASCII key: toLowerCase lengthens just U+0130, whose lower case is not ASCII.
  for (const k of Object.keys(obj)) if ((!ascii || k.length === key.length) && (k === key || k.toLowerCase() === lower)) keys.push(k);
  return keys.length === 1 && keys[0] === key ? ONLY_ITSELF : keys;
}

/** One resource's walk: the problems found, and the path walked so far (spelled only for a problem: `a.b[0].c`). */
interface CaseWalk {
  arm: boolean;
  problems: string[];
  trail: (string | number)[];
}

/** A path kept as segments, spelled as messages show it (`a.b[0].c`), after `prefix` if given. */
export function spelledPath(trail: readonly (string | number)[], prefix = ""): string {
  let where = prefix;
  for (const seg of trail) where = typeof seg === "number" ? `${where}[${seg}]` : where ? `${where}.${seg}` : seg;
  return where;
}

/** The value at `key` of `obj` as the engines read it, noting a problem when they could read different keys. */
function checkKey(w: CaseWalk, obj: unknown, key: string): unknown {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  const keys = keysLike(o, key);
  if (keys === ONLY_ITSELF) return o[key];
  const where = spelledPath(w.trail);
  const at = where ? `${where}: ` : "";
  if (w.arm && keys.length > 1) w.problems.push(`${at}keys ${keys.map((k) => `'${k}'`).join(" and ")} differ only in case, and which one Azure uses is not documented`);
  if (!w.arm && keys.some((k) => k !== key)) w.problems.push(`${at}'${keys.find((k) => k !== key)}' is not the input '${key}' (Pulumi input names are case-sensitive)`);
  return o[keys.includes(key) ? key : (keys[0] ?? key)];
}

function walkBinding(w: CaseWalk, root: unknown, binding: FieldBinding): void {
  const depth = w.trail.length;
  let node = root;
  for (const key of binding.path) {
    w.trail.push(key);
    node = checkKey(w, node, key);
  }
  if (binding.elements) {
    const elements = binding.path.length === 0 ? [node] : Array.isArray(node) ? (node as unknown[]) : [];
    for (let i = 0; i < elements.length; i++) {
      if (binding.path.length > 0) w.trail.push(i);
      for (const e of Object.values(binding.elements)) walkBinding(w, elements[i], e);
      if (binding.path.length > 0) w.trail.pop();
    }
  }
  // Popped rather than truncated (setting an array's length is slow): every resource read is walked.
  while (w.trail.length > depth) w.trail.pop();
}

/**
 * Keys a rule reads that the two engines could read differently, so the resource cannot be judged:
 * in an ARM resource, two keys that differ only in case on a path a rule reads (Resource Manager
 * reads property names without regard to case and documents no rule for which of two such keys
 * applies; RFC 8259 §4: "When the names within an object are not unique, the behavior of software
 * that receives such an object is unpredictable"); in Pulumi inputs, whose names are exact, a key
 * spelled in another case than the provider's (Pulumi would not read it; Azure Policy would).
 */
export function caseProblems(resource: Record<string, unknown>, arm: boolean): string[] {
  const w: CaseWalk = { arm, problems: [], trail: [] };
  const { known, fields } = fieldsOfType(typeof resource.type === "string" ? resource.type : "");
  if (arm) for (const key of ARM_KEYS) checkKey(w, resource, key);
  if (!known) return w.problems;
  const props = arm ? checkKey(w, resource, "properties") : resource.props;
  // A type several targets judge (a managed cluster: the cluster and its node pools) is read by each.
  for (const binding of fields) {
    const envelope = arm && binding.envelope === true;
    if (arm && !envelope) w.trail.push("properties");
    walkBinding(w, envelope ? resource : props, binding);
    w.trail.pop();
  }
  return w.problems.length > 1 ? [...new Set(w.problems)] : w.problems;
}

/**
 * The Pulumi input path of a property read in the ARM shape of the same resource (`properties.apiServerAccessProfile.authorizedIPRanges.0`
 * is the classic provider's `apiServerAccessProfile.authorizedIpRanges.0`), so a message names the
 * property as the resource's own provider spells it. Undefined when no field of the shapes reaches it.
 */
export function pulumiPathOf(pulumiType: string, armPath: readonly string[]): string[] | undefined {
  for (const { target, shape } of shapesOfType(pulumiType)) {
    const arm = armPeerOf(target, shape);
    if (!arm) continue;
    for (const [field, binding] of Object.entries(arm.fields)) {
      const own = shape.fields[field];
      if (!own || binding.path.length === 0 || own.path.length === 0) continue;
      const prefix = binding.envelope ? binding.path : ["properties", ...binding.path];
      if (prefix.every((seg, i) => armPath[i]?.toLowerCase() === seg.toLowerCase())) return [...own.path, ...armPath.slice(prefix.length)];
    }
  }
  return undefined;
}
