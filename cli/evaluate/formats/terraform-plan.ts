/**
 * Terraform plans (`terraform show -json <plan>`): each `resource_changes[]` entry that will exist
 * after apply is judged by its `change.after`, with `change.after_unknown` marking values known only
 * after apply (Terraform "JSON Output Format", https://developer.hashicorp.com/terraform/internals/json-format).
 * Without `resource_changes` (a state: `terraform show -json`), the resources of `values.root_module`
 * and its `child_modules` are judged.
 *
 * Pulumi's classic providers are bridged from the Terraform providers, so a plan's attributes map
 * onto the bridged shape's inputs: snake_case becomes camelCase and a block with at most one item (a
 * list in the plan) becomes an object. Which Terraform type maps onto which shape, its single-item
 * blocks and its older spellings are the target's knowledge (core/targets, `terraform` of a shape).
 */
import { terraformMappings, terraformShape, type TerraformMapping } from "../../../core/targets";
import { UNKNOWN, type UnknownNote } from "../unknowns";
import { inputFormat, isObject, type Found, type Obj } from "./contract";

interface TerraformDocument extends Obj {
  format_version: string;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const code = (s: string) => `\`${s}\``;

/** The attribute names a plan may still use from older provider versions (the last segment of each older spelling). */
const olderSpellings = terraformMappings().flatMap((m) => Object.keys({ ...m.renamed, ...m.mergedInto }).map((path) => snake(path.slice(path.lastIndexOf(".") + 1))));

/** `after` with `after_unknown` applied: unknown leaves become the sentinel. */
function withUnknowns(after: unknown, unknown: unknown, at: string, notes: UnknownNote[]): unknown {
  if (unknown === true) {
    notes.push({ path: at, reason: "known after apply (Terraform plan)" });
    return UNKNOWN;
  }
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    return Array.from({ length: Math.max(list.length, unknown.length) }, (_, i) => withUnknowns(list[i], unknown[i], `${at}[${i}]`, notes));
  }
  if (isObject(unknown)) {
    const obj: Obj = isObject(after) ? { ...after } : {};
    for (const [k, u] of Object.entries(unknown)) obj[k] = withUnknowns(obj[k], u, at ? `${at}.${k}` : k, notes);
    return obj;
  }
  return after;
}

/** Attribute names in camelCase at every depth (nested blocks too); nulls are unset attributes. */
function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [camel(k), camelKeys(x)]));
}

/** The value at a dotted input path, through objects only. */
function valueAt(props: Obj, path: string): unknown {
  let node: unknown = props;
  for (const key of path.split(".")) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** `props` with `value` at a dotted input path, each object along it copied (never shared with the plan). */
function withValueAt(props: Obj, path: string, value: unknown): Obj {
  const [key, ...rest] = path.split(".");
  if (rest.length === 0) return { ...props, [key]: value };
  return { ...props, [key]: withValueAt(isObject(props[key]) ? props[key] : {}, rest.join("."), value) };
}

function toProps(attrs: Obj, mapping: TerraformMapping): Obj {
  let props: Obj = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null) continue;
    props[camel(k)] = camelKeys(mapping.singleBlocks.includes(k) && Array.isArray(v) ? v[0] : v);
  }
  // Older spellings the provider still honours are still judged: the current spelling wins, and an
  // older list joins the current one.
  for (const [old, current] of Object.entries(mapping.renamed ?? {})) {
    if (valueAt(props, old) !== undefined && valueAt(props, current) === undefined) props = withValueAt(props, current, valueAt(props, old));
  }
  for (const [old, current] of Object.entries(mapping.mergedInto ?? {})) {
    const legacy = valueAt(props, old);
    if (!Array.isArray(legacy) || legacy.length === 0) continue;
    const present = valueAt(props, current);
    props = withValueAt(props, current, [...new Set([...(Array.isArray(present) ? present : []), ...legacy])]);
  }
  return props;
}

/** A resource of the plan: a mapped type in the bridged shape's inputs, any other as the plan has it. */
function found(tfType: string, name: string, attrs: Obj, path: (string | number)[], unknowns: UnknownNote[]): Found {
  const shape = terraformShape(tfType);
  if (!shape) return { shape: "pulumi", type: tfType, name, props: attrs, path, unknowns };
  const { singleBlocks } = shape.terraform;
  // A note's path follows the inputs: camelCase, and no `[0]` inside a single-item block.
  const remapped = unknowns.map((n) => ({ ...n, path: n.path.split(".").map((seg) => camel(seg.replace(/\[0\]$/, (m) => (singleBlocks.includes(seg.replace(/\[0\]$/, "")) ? "" : m)))).join(".") }));
  return { shape: "pulumi", type: shape.pulumi.full, name, props: toProps(attrs, shape.terraform), path, unknowns: remapped };
}

/** A plan without `resource_changes`, or `terraform show -json` of a state: the module tree's resource `values`. */
function moduleResources(data: Obj): Found[] {
  const [key, tree] = isObject(data.planned_values) ? ["planned_values", data.planned_values] : ["values", data.values];
  const resources: Found[] = [];
  const walk = (module: unknown, path: (string | number)[]) => {
    if (!isObject(module)) return;
    (Array.isArray(module.resources) ? module.resources : []).forEach((r: unknown, i: number) => {
      if (!isObject(r) || r.mode === "data" || !isObject(r.values)) return;
      const name = typeof r.address === "string" ? r.address : `${String(r.type)}.${String(r.name)}`;
      resources.push(found(String(r.type), name, r.values, [...path, "resources", i], []));
    });
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((m: unknown, i: number) => walk(m, [...path, "child_modules", i]));
  };
  walk(isObject(tree) ? tree.root_module : undefined, [key, "root_module"]);
  return resources;
}

function terraformResources(data: Obj): Found[] {
  if (!Array.isArray(data.resource_changes)) return moduleResources(data);
  return data.resource_changes.flatMap((rc: unknown, i: number) => {
    if (!isObject(rc) || rc.mode === "data" || !isObject(rc.change)) return [];
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions : [];
    if (actions.length === 1 && (actions[0] === "delete" || actions[0] === "read" || actions[0] === "forget")) return [];
    const tfType = String(rc.type);
    const unknowns: UnknownNote[] = [];
    const after = withUnknowns(rc.change.after, rc.change.after_unknown, "", unknowns);
    if (!isObject(after)) return [];
    const name = typeof rc.address === "string" ? rc.address : `${tfType}.${String(rc.name)}`;
    return [found(tfType, name, after, ["resource_changes", i], unknowns)];
  });
}

export const terraformPlan = inputFormat({
  id: "terraform-plan",
  title: "Terraform plans",
  shape: "a Terraform plan (resource_changes[])",
  readme:
    "**`terraform show -json` plans** (and states): each resource that will exist after apply. The types a Pulumi provider " +
    `bridges from the same Terraform provider (${terraformMappings().map((m) => code(m.type)).join(", ")}) map onto that ` +
    "provider's inputs, so the same catalog judges them; older attribute spellings the provider still honours " +
    `(${olderSpellings.map(code).join(", ")}) are read too, and known-after-apply values are unknown ` +
    "([JSON Output Format](https://developer.hashicorp.com/terraform/internals/json-format)).",
  recognise: (data: unknown): data is TerraformDocument =>
    isObject(data) && typeof data.format_version === "string" && (Array.isArray(data.resource_changes) || isObject(data.planned_values) || isObject(data.values)),
  read: (data) => ({ resources: terraformResources(data), notJudged: [] }),
});
