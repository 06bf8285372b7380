/**
 * Terraform plans (`terraform show -json <plan>`): each `resource_changes[]` entry that will exist
 * after apply is judged by its `change.after`, with `change.after_unknown` marking values known only
 * after apply (Terraform "JSON Output Format", https://developer.hashicorp.com/terraform/internals/json-format).
 * Without `resource_changes` (a state: `terraform show -json`), the resources of `values.root_module`
 * and its `child_modules` are judged.
 *
 * "Known after apply" means two things the plan's `after` cannot tell apart: a value computed from
 * other resources, and an Optional+Computed attribute the configuration never sets, whose value the
 * cloud chooses — its documented default (an EKS cluster's public access CIDRs: "EKS defaults this to a
 * list with `0.0.0.0/0`", the aws provider's docs). The plan's `configuration` tells them apart: an
 * attribute absent from the resource's `expressions` (or set to a constant null) is not configured,
 * so the target's documented default applies, as it does to a Pulumi program that leaves the input
 * out; one written with references stays unknown. A block absent from `expressions` stays unknown:
 * the configuration does not show `dynamic` blocks ("will effectively ignore "dynamic" blocks",
 * hashicorp/terraform internal/command/jsonconfig/expression.go), so a block the provider computes
 * cannot be told from one a dynamic block writes.
 *
 * Pulumi's classic providers are bridged from the Terraform providers, so a plan's attributes map
 * onto the bridged shape's inputs: snake_case becomes camelCase, a block with at most one item (a
 * list in the plan) becomes an object, and a repeated block takes its plural name. Which Terraform
 * type maps onto which shape, its blocks and its older spellings are the target's knowledge
 * (core/targets, `terraform` of a shape).
 */
import { terraformMappings, terraformShape, type TerraformMapping } from "../../../core/targets";
import { UNKNOWN, everyFieldUnknown, type UnknownNote } from "../unknowns";
import { inputFormat, isObject, type Found, type NotJudged, type Obj } from "./contract";

interface TerraformDocument extends Obj {
  format_version: string;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const code = (s: string) => `\`${s}\``;

/** The attribute names a plan may still use from older provider versions (the last segment of each older spelling). */
const olderSpellings = terraformMappings().flatMap((m) => Object.keys({ ...m.renamed, ...m.mergedInto }).map((path) => snake(path.slice(path.lastIndexOf(".") + 1))));

/** The block names of a mapping: what a `dynamic` block may write, so their absence from the configuration says nothing. */
const blocksOf = (mapping: TerraformMapping | undefined) => new Set([...(mapping?.singleBlocks ?? []), ...Object.keys(mapping?.repeatedBlocks ?? {})]);

/**
 * What the configuration says about a value: the expressions of the (statically written) block that
 * holds it, `configured` inside an attribute written in the configuration, or `unseen` where the
 * configuration cannot be followed (no configuration, a block it does not show).
 */
type Config = Obj | "configured" | "unseen";

const KNOWN_AFTER_APPLY = "known after apply (Terraform plan)";
const BLOCK_UNSEEN = "known after apply (Terraform plan); the block is not written in the configuration the plan shows, which leaves out `dynamic` blocks";

/** Whether an attribute expression leaves the attribute unset: absent, or a constant null. */
function unset(expression: unknown): boolean {
  return expression === undefined || (isObject(expression) && "constant_value" in expression && expression.constant_value === null && !Array.isArray(expression.references));
}

/** The configuration node for `key` inside `config`, for the value's children. */
function childConfig(config: Config, key: string, blocks: Set<string>): Config {
  if (config === "configured" || config === "unseen") return config;
  if (!blocks.has(key)) return config[key] === undefined ? "unseen" : "configured";
  return "unseen";
}

/**
 * `after` with `after_unknown` applied: unknown leaves become the sentinel, except attributes the
 * configuration does not set, which are left out so the documented default applies.
 */
function withUnknowns(after: unknown, unknown: unknown, at: string, notes: UnknownNote[], config: Config, key: string | undefined, blocks: Set<string>): unknown {
  if (unknown === true) {
    if (isObject(config) && key !== undefined && !blocks.has(key) && unset(config[key])) return undefined;
    notes.push({ path: at || "(resource)", reason: isObject(config) && key !== undefined && blocks.has(key) && config[key] === undefined ? BLOCK_UNSEEN : KNOWN_AFTER_APPLY });
    return UNKNOWN;
  }
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    // A statically written block's instances: the configuration's list of block expressions, item by item.
    const blockConfigs = isObject(config) && key !== undefined && blocks.has(key) && Array.isArray(config[key]) ? (config[key] as unknown[]) : undefined;
    const itemConfig = (i: number): Config => {
      if (blockConfigs) return isObject(blockConfigs[i]) ? blockConfigs[i] : "unseen";
      return isObject(config) && key !== undefined ? childConfig(config, key, blocks) : config === "configured" ? "configured" : "unseen";
    };
    return Array.from({ length: Math.max(list.length, unknown.length) }, (_, i) => withUnknowns(list[i], unknown[i], `${at}[${i}]`, notes, itemConfig(i), undefined, blocks));
  }
  if (isObject(unknown)) {
    const obj: Obj = isObject(after) ? { ...after } : {};
    // Inside a block instance, its own expressions; inside an attribute's value, the attribute's.
    const inner: Config = key === undefined ? config : isObject(config) ? (blocks.has(key) ? (isObject(config[key]) ? config[key] : "unseen") : childConfig(config, key, blocks)) : config;
    for (const [k, u] of Object.entries(unknown)) {
      const value = withUnknowns(obj[k], u, at ? `${at}.${k}` : k, notes, inner, k, blocks);
      if (value === undefined) delete obj[k];
      else obj[k] = value;
    }
    return obj;
  }
  return after;
}

/** Attribute names in camelCase at every depth (nested blocks too); nulls are unset attributes. */
function camelKeys(v: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => camelKeys(x, names));
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [names[k] ?? camel(k), camelKeys(x, names)]),
  );
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
  const names = mapping.repeatedBlocks ?? {};
  let props: Obj = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null) continue;
    props[names[k] ?? camel(k)] = camelKeys(mapping.singleBlocks.includes(k) && Array.isArray(v) ? v[0] : v, names);
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
    const merged = Array.isArray(present) ? present.slice() : [];
    for (const item of legacy) if (!merged.includes(item)) merged.push(item);
    props = withValueAt(props, current, merged);
  }
  return props;
}

/** A note's path in the bridged inputs: camelCase, plural repeated blocks, and no `[0]` inside a single-item block. */
function inputPath(path: string, mapping: TerraformMapping): string {
  const names = mapping.repeatedBlocks ?? {};
  return path
    .split(".")
    .map((seg) => {
      const [, name, index = ""] = /^([^[]*)(.*)$/.exec(seg) ?? [seg, seg, ""];
      const single = mapping.singleBlocks.includes(name) && index.startsWith("[0]");
      return (names[name] ?? camel(name)) + (single ? index.slice(3) : index);
    })
    .join(".");
}

/** A resource of the plan: a mapped type in the bridged shape's inputs, any other as the plan has it. */
function found(tfType: string, name: string, attrs: Obj, path: (string | number)[], unknowns: UnknownNote[]): Found {
  const shape = terraformShape(tfType);
  if (!shape) return { shape: "pulumi", type: tfType, name, props: attrs, path, unknowns };
  const remapped = unknowns.map((n) => ({ ...n, path: inputPath(n.path, shape.terraform) }));
  return { shape: "pulumi", type: shape.pulumi.full, name, props: toProps(attrs, shape.terraform), path, unknowns: remapped };
}

/** A resource whose whole `after` is known only after apply: every field a rule reads is unknown. */
function whollyUnknown(tfType: string, name: string, path: (string | number)[]): Found {
  const type = terraformShape(tfType)?.pulumi.full ?? tfType;
  return { shape: "pulumi", type, name, path, ...everyFieldUnknown(type, "known after apply (Terraform plan): the whole resource is") };
}

/** A plan without `resource_changes`, or `terraform show -json` of a state: the module tree's resource `values`. */
function moduleResources(data: Obj, notJudged: NotJudged[]): Found[] {
  const [key, tree] = isObject(data.planned_values) ? ["planned_values", data.planned_values] : ["values", data.values];
  const resources: Found[] = [];
  const walk = (module: unknown, path: (string | number)[]) => {
    if (!isObject(module)) return;
    (Array.isArray(module.resources) ? module.resources : []).forEach((r: unknown, i: number) => {
      if (!isObject(r)) return;
      const name = typeof r.address === "string" ? r.address : `${String(r.type)}.${String(r.name)}`;
      const at = [...path, "resources", i];
      if (r.mode === "data") notJudged.push({ path: at, type: String(r.type), name, message: "a data source: read, not deployed" });
      else if (!isObject(r.values)) notJudged.push({ path: at, type: String(r.type), name, message: "no `values` to judge" });
      else resources.push(found(String(r.type), name, r.values, at, []));
    });
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((m: unknown, i: number) => walk(m, [...path, "child_modules", i]));
  };
  walk(isObject(tree) ? tree.root_module : undefined, [key, "root_module"]);
  return resources;
}

/**
 * The steps of a resource address (`module.net["a"].azurerm_x.y[0]`) without instance keys: the
 * module calls, then `type.name` — how the configuration names the resource's declaration.
 */
function declarationOf(address: string): { modules: string[]; resource: string } | undefined {
  const steps: string[] = [];
  let current = "";
  for (let i = 0; i < address.length; i++) {
    const c = address[i];
    if (c === "[") {
      // An instance key: a number or a quoted string, which may hold dots and brackets.
      const close = address[i + 1] === '"' ? address.indexOf('"]', i + 2) + 1 : address.indexOf("]", i);
      if (close <= 0) return undefined;
      i = close;
    } else if (c === ".") {
      steps.push(current);
      current = "";
    } else current += c;
  }
  steps.push(current);
  const modules: string[] = [];
  while (steps[0] === "module" && steps.length > 2) modules.push(steps.splice(0, 2)[1]);
  if (steps.length !== 2) return undefined;
  return { modules, resource: steps.join(".") };
}

/** The `expressions` of a resource's declaration in the plan's configuration, if the plan has it. */
function expressionsOf(data: Obj, address: string): Obj | undefined {
  const declaration = declarationOf(address);
  if (!declaration || !isObject(data.configuration)) return undefined;
  let module: unknown = data.configuration.root_module;
  for (const call of declaration.modules) {
    const calls = isObject(module) ? module.module_calls : undefined;
    module = isObject(calls) && isObject(calls[call]) ? calls[call].module : undefined;
  }
  if (!isObject(module) || !Array.isArray(module.resources)) return undefined;
  const resource: unknown = module.resources.find((r: unknown) => isObject(r) && r.address === declaration.resource && r.mode !== "data");
  return isObject(resource) && isObject(resource.expressions) ? resource.expressions : undefined;
}

/** Why a change leaves nothing to judge, if it does. */
function gone(rc: Obj, actions: unknown[]): string | undefined {
  if (rc.mode === "data") return "a data source: read, not deployed";
  if (actions.length !== 1) return undefined;
  if (actions[0] === "delete") return "deleted by this plan";
  if (actions[0] === "forget") return "removed from the state by this plan, not deployed";
  if (actions[0] === "read") return "read by this plan, not deployed";
  return undefined;
}

function terraformResources(data: Obj, notJudged: NotJudged[]): Found[] {
  if (!Array.isArray(data.resource_changes)) return moduleResources(data, notJudged);
  return data.resource_changes.flatMap((rc: unknown, i: number) => {
    if (!isObject(rc)) return [];
    const tfType = String(rc.type);
    const name = typeof rc.address === "string" ? rc.address : `${tfType}.${String(rc.name)}`;
    const path = ["resource_changes", i];
    if (!isObject(rc.change)) {
      notJudged.push({ path, type: tfType, name, message: "no `change` to judge" });
      return [];
    }
    const why = gone(rc, Array.isArray(rc.change.actions) ? rc.change.actions : []);
    if (why) {
      notJudged.push({ path, type: tfType, name, message: why });
      return [];
    }
    const mapping = terraformShape(tfType)?.terraform;
    const expressions = typeof rc.address === "string" ? expressionsOf(data, rc.address) : undefined;
    const unknowns: UnknownNote[] = [];
    const after = withUnknowns(rc.change.after, rc.change.after_unknown, "", unknowns, expressions ?? "unseen", undefined, blocksOf(mapping));
    if (after === UNKNOWN) return [whollyUnknown(tfType, name, path)];
    if (!isObject(after)) {
      notJudged.push({ path, type: tfType, name, message: "the plan has no `after` for it" });
      return [];
    }
    return [found(tfType, name, after, path, unknowns)];
  });
}

export const terraformPlan = inputFormat({
  id: "terraform-plan",
  title: "Terraform plans",
  shape: "a Terraform plan (resource_changes[])",
  readme:
    "**`terraform show -json` plans** (and states): each resource that will exist after apply. The types a Pulumi provider " +
    `bridges from the same Terraform provider (${terraformMappings()
      .map((m) => code(m.type))
      .join(", ")}) map onto that ` +
    "provider's inputs, so the same catalog judges them; older attribute spellings the provider still honours " +
    `(${olderSpellings.map(code).join(", ")}) are read too. A value known after apply is unknown, unless the plan's ` +
    "`configuration` shows the attribute is not set at all: then the provider's documented default applies, as for a " +
    "Pulumi program that leaves it out. Deleted resources and data sources are reported as not judged " +
    "([JSON Output Format](https://developer.hashicorp.com/terraform/internals/json-format)).",
  recognise: (data: unknown): data is TerraformDocument => isObject(data) && typeof data.format_version === "string" && (Array.isArray(data.resource_changes) || isObject(data.planned_values) || isObject(data.values)),
  read: (data) => {
    const notJudged: NotJudged[] = [];
    return { resources: terraformResources(data, notJudged), notJudged };
  },
});
