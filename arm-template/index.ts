/**
 * ARM templates resolved the way Resource Manager resolves them before it deploys, so rules judge
 * the values Azure would see, never an expression's text. Sources (Microsoft Learn):
 * - Template syntax, https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
 *   (parameters, variables, resources; languageVersion 2.0 declares `resources` as an object keyed
 *   by symbolic name, and `existing: true` resources are references, not deployments)
 * - Template functions, https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions
 *   (reference(), list*(), uniqueString(), guid(), newGuid(), utcNow(), deployment(), environment(),
 *   resourceGroup() and subscription() depend on the deployment: unresolved here)
 * - Resource iteration, https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources
 *   and Property iteration, https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-properties
 * - Conditional deployment, https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment
 * - Linked and nested templates, https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates
 *   (`expressionEvaluationOptions.scope`: "inner" evaluates the nested template with its own
 *   parameters and variables; the default is "outer" — DeploymentProperties.ExpressionEvaluationOptions,
 *   "If not specified, default value is outer.")
 * - Parameter files, https://learn.microsoft.com/azure/azure-resource-manager/templates/parameter-files
 * Keys of the template envelope are matched case-insensitively, as ARM does.
 *
 * A pure module beside the Azure Policy engine, whose template-function evaluator it shares through
 * the engine's public API: no files, no process, no apiguard. A value only known at deployment is
 * replaced by the caller's placeholder and noted with the expression it came from.
 */
import { compileExpression, FUNCTIONS, isExpression, PolicyError, Unresolved, type Env, type Scope, type TemplateFunction } from "../azure-policy-engine";

type Obj = Record<string, unknown>;

/** A path into the template document: object keys as written, array indexes. */
export type JsonPath = (string | number)[];

/** Why a value is only known at deployment: its dotted path in the resource and the expression it came from. */
export interface UnknownNote {
  path: string;
  reason: string;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** `obj[key]` with the key matched case-insensitively, as Resource Manager matches them; returns the key as written too. */
export function entry(obj: unknown, key: string): [string, unknown] | undefined {
  if (!isObj(obj)) return undefined;
  if (key in obj) return [key, obj[key]];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : [found, obj[found]];
}

const get = (obj: unknown, key: string): unknown => entry(obj, key)?.[1];

/** A parameter value given from outside (parameters file, override), by lower-cased name. */
export type ParameterValues = ReadonlyMap<string, unknown>;

export interface ArmFound {
  resource: Obj;
  /** Where the resource's declaration starts in the file. */
  path: JsonPath;
  /** Stable identity within the file: declaration path plus copy indexes. */
  id: string;
  unknowns: UnknownNote[];
  /** Source text of the name when it is only known at deployment. */
  displayName?: string;
}

export interface ArmWarning {
  path: JsonPath;
  message: string;
}

/** Whether a document is an ARM deployment template. */
export function isArmTemplate(data: Obj): boolean {
  const schema = get(data, "$schema");
  if (typeof schema === "string" && /deploymentTemplate\.json/i.test(schema)) return true;
  const resources = get(data, "resources");
  if (isObj(resources)) return String(get(data, "languageVersion") ?? "").length > 0;
  return Array.isArray(resources) && get(data, "contentVersion") !== undefined;
}

/** A parameters file that is not one. */
export class ParameterFileError extends Error {}

/** Reads a deploymentParameters file (or a bare parameters object) into values by lower-cased name. */
export function parameterFileValues(data: unknown, file: string): Map<string, unknown> {
  const params = get(data, "parameters") ?? data;
  if (!isObj(params)) throw new ParameterFileError(`${file}: expected a deploymentParameters file ({"parameters": {"name": {"value": …}}})`);
  const values = new Map<string, unknown>();
  for (const [name, spec] of Object.entries(params)) {
    if (name.startsWith("$")) continue;
    if (entry(spec, "value")) values.set(name.toLowerCase(), get(spec, "value"));
    else if (entry(spec, "reference")) values.set(name.toLowerCase(), new Unresolved(`parameter '${name}' is a Key Vault reference`));
    else throw new ParameterFileError(`${file}: parameter '${name}' has neither 'value' nor 'reference'`);
  }
  return values;
}

/** A `name=value` override typed by the template's declaration, as `az deployment` does. */
function coerce(value: unknown, type: unknown): unknown {
  if (typeof value !== "string" || typeof type !== "string") return value;
  switch (type.toLowerCase()) {
    case "bool":
      return /^true$/i.test(value) ? true : /^false$/i.test(value) ? false : value;
    case "int":
      return /^-?\d+$/.test(value) ? Number(value) : value;
    case "array":
    case "object":
    case "secureobject":
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

const DUMMY_SCOPE = {} as Scope;
const MAX_COPIES = 800; // ARM's limit on a copy loop's count

// Policy-only functions that ARM templates do not have.
const POLICY_ONLY = new Set(["field", "current", "requestcontext", "policy", "adddays", "iprangecontains"]);

const atDeployment = (what: string) => () => new Unresolved(`${what} is only known at deployment`);

/** Segments of a resource ID: `/providers/ns/type/name[/childType/childName…]`. */
function providerPath(type: string, names: string[]): string {
  const [ns, ...types] = type.split("/");
  if (types.length !== names.length) throw new PolicyError(`resource type '${type}' needs ${types.length} name segment(s), got ${names.length}`);
  return `/providers/${ns}` + types.map((t, i) => `/${t}/${names[i]}`).join("");
}

function resourceIdParts(args: readonly unknown[], fn: string): { before: string[]; type: string; names: string[] } {
  const strings = args.map((a) => (typeof a === "string" ? a : (() => { throw new PolicyError(`${fn}(): expected strings`); })()));
  const at = strings.findIndex((s) => s.includes("/"));
  if (at < 0) throw new PolicyError(`${fn}(): no resource type argument`);
  return { before: strings.slice(0, at), type: strings[at], names: strings.slice(at + 1) };
}

interface CopyFrame {
  name?: string;
  index: number | Unresolved;
}

class Template {
  private readonly paramCache = new Map<string, unknown>();
  private readonly varCache = new Map<string, unknown>();
  private readonly resolving = new Set<string>();
  readonly copies: CopyFrame[] = [];
  private readonly env: Env;

  constructor(
    private readonly paramDecls: Obj,
    private readonly given: ParameterValues,
    private readonly varDecls: Obj,
  ) {
    const own = this.functions();
    this.env = {
      resolver: undefined as never,
      template: { lookup: (name) => own[name] ?? (POLICY_ONLY.has(name) ? undefined : FUNCTIONS[name]) },
    };
  }

  private functions(): Record<string, TemplateFunction> {
    const f = (min: number, max: number, call: (args: readonly unknown[]) => unknown): TemplateFunction => ({ arity: [min, max], call, contextual: true });
    const name = (v: unknown, fn: string): string => {
      if (typeof v !== "string") throw new PolicyError(`${fn}(): expected a name`);
      return v;
    };
    return {
      // Constructors keep an unknown member in place, so one unknown value does not hide its siblings.
      createobject: { ...FUNCTIONS.createobject, holdsUnresolved: true },
      createarray: { ...FUNCTIONS.createarray, holdsUnresolved: true },
      parameters: f(1, 1, ([n]) => this.parameter(name(n, "parameters"))),
      variables: f(1, 1, ([n]) => this.variable(name(n, "variables"))),
      copyindex: f(0, 2, (args) => this.copyIndex(args)),
      resourcegroup: f(0, 0, atDeployment("resourceGroup()")),
      subscription: f(0, 0, atDeployment("subscription()")),
      tenant: f(0, 0, atDeployment("tenant()")),
      managementgroup: f(0, 1, atDeployment("managementGroup()")),
      deployment: f(0, 0, atDeployment("deployment()")),
      environment: f(0, 0, atDeployment("environment()")),
      utcnow: f(0, 1, atDeployment("utcNow()")),
      newguid: f(0, 0, atDeployment("newGuid()")),
      // Seeded by the deployment's IDs in practice; the hash is Azure's, not reproduced here.
      uniquestring: f(1, Infinity, atDeployment("uniqueString()")),
      guid: f(1, Infinity, atDeployment("guid()")),
      resourceid: f(2, Infinity, (args) => {
        const { before, type, names } = resourceIdParts(args, "resourceId");
        // Without an explicit subscription and resource group, they are the deployment's.
        if (before.length < 2) return new Unresolved("resourceId() of the deployment's resource group is only known at deployment");
        return `/subscriptions/${before[0]}/resourceGroups/${before[1]}${providerPath(type, names)}`;
      }),
      subscriptionresourceid: f(2, Infinity, (args) => {
        const { before, type, names } = resourceIdParts(args, "subscriptionResourceId");
        if (before.length < 1) return new Unresolved("subscriptionResourceId() of the deployment's subscription is only known at deployment");
        return `/subscriptions/${before[0]}${providerPath(type, names)}`;
      }),
      tenantresourceid: f(2, Infinity, (args) => {
        const { type, names } = resourceIdParts(args, "tenantResourceId");
        return providerPath(type, names);
      }),
      extensionresourceid: f(3, Infinity, ([scope, ...rest]) => {
        const { type, names } = resourceIdParts(rest, "extensionResourceId");
        return `${name(scope, "extensionResourceId")}${providerPath(type, names)}`;
      }),
    };
  }

  private copyIndex(args: readonly unknown[]): unknown {
    let loop: string | undefined;
    let offset = 0;
    for (const a of args) {
      if (typeof a === "string") loop = a.toLowerCase();
      else if (typeof a === "number") offset = a;
      else throw new PolicyError("copyIndex(): expected a loop name or an offset");
    }
    const frame = loop ? [...this.copies].reverse().find((c) => c.name === loop) : this.copies[this.copies.length - 1];
    if (!frame) throw new PolicyError(`copyIndex(${loop ? `'${loop}'` : ""}) outside a copy loop`);
    return frame.index instanceof Unresolved ? frame.index : frame.index + offset;
  }

  parameter(name: string): unknown {
    const key = name.toLowerCase();
    if (this.paramCache.has(key)) return this.paramCache.get(key);
    const decl = get(this.paramDecls, name);
    let value: unknown;
    if (!isObj(decl)) value = new Unresolved(`parameter '${name}' is not declared`);
    else if (this.given.has(key)) value = coerce(this.given.get(key), get(decl, "type"));
    else if (entry(decl, "defaultValue")) value = this.guard(`parameters('${name}')`, () => this.evaluate(get(decl, "defaultValue")));
    // languageVersion 2.0 / Bicep `param x string?`: a nullable parameter without a value is null.
    else if (get(decl, "nullable") === true) value = null;
    else value = new Unresolved(`parameter '${name}' has no value (pass it with --parameters)`);
    this.paramCache.set(key, value);
    return value;
  }

  variable(name: string): unknown {
    const key = name.toLowerCase();
    if (this.varCache.has(key)) return this.varCache.get(key);
    const value = this.guard(`variables('${name}')`, () => {
      const decl = entry(this.varDecls, name);
      if (!decl) throw new PolicyError(`variable '${name}' is not declared`);
      return this.evaluate(decl[1]);
    });
    this.varCache.set(key, value);
    return value;
  }

  /** A variable copy loop (`variables.copy[]`) defines variables too. */
  declareVariableCopies(): void {
    const loops = get(this.varDecls, "copy");
    if (!Array.isArray(loops)) return;
    for (const loop of loops) {
      const name = get(loop, "name");
      if (typeof name === "string") this.varCache.set(name.toLowerCase(), this.guard(`variables('${name}')`, () => this.iterate(loop)));
    }
  }

  private guard(what: string, compute: () => unknown): unknown {
    if (this.resolving.has(what)) return new Unresolved(`${what} refers to itself`);
    this.resolving.add(what);
    try {
      return compute();
    } finally {
      this.resolving.delete(what);
    }
  }

  /** A template value: expressions evaluated, `[[` unescaped, property copy loops expanded. */
  evaluate(json: unknown): unknown {
    if (typeof json === "string") {
      if (!isExpression(json)) return json.startsWith("[[") ? json.slice(1) : json;
      let value: unknown;
      try {
        value = compileExpression(json, this.env).fn(DUMMY_SCOPE);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        value = new Unresolved(e.message);
      }
      return value instanceof Unresolved && !value.reason.startsWith(json) ? new Unresolved(`${json}: ${value.reason}`) : value;
    }
    if (Array.isArray(json)) return json.map((x) => this.evaluate(x));
    if (!isObj(json)) return json;
    const out: Obj = {};
    for (const [k, v] of Object.entries(json)) {
      if (k.toLowerCase() === "copy" && Array.isArray(v) && v.every((l) => isObj(l) && entry(l, "input"))) {
        for (const loop of v) out[String(get(loop, "name"))] = this.iterate(loop);
      } else out[k] = this.evaluate(v);
    }
    return out;
  }

  /** One `{name, count, input}` loop of a property or variable copy. */
  private iterate(loop: unknown): unknown {
    const count = this.evaluate(get(loop, "count"));
    if (count instanceof Unresolved) return count;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_COPIES) return new Unresolved(`copy count ${JSON.stringify(count)} is not an integer from 0 to ${MAX_COPIES}`);
    const name = String(get(loop, "name")).toLowerCase();
    const items: unknown[] = [];
    for (let i = 0; i < count; i++) {
      this.copies.push({ name, index: i });
      try {
        items.push(this.evaluate(get(loop, "input")));
      } finally {
        this.copies.pop();
      }
    }
    return items;
  }
}

/** Replaces Unresolved values by the caller's placeholder for unknown values and notes where and why. */
function settle(value: unknown, at: string, notes: UnknownNote[], unknown: unknown): unknown {
  if (value instanceof Unresolved) {
    notes.push({ path: at || "(resource)", reason: value.reason });
    return unknown;
  }
  if (Array.isArray(value)) return value.map((v, i) => settle(v, `${at}[${i}]`, notes, unknown));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settle(v, at ? `${at}.${k}` : k, notes, unknown)]));
  return value;
}

// Keys of a resource declaration that steer deployment rather than describe the resource.
const CONTROL_KEYS = new Set(["resources", "copy", "condition", "dependson", "comments", "metadata", "existing"]);

class Resolver {
  readonly found: ArmFound[] = [];

  /** `unknown`: what a value only known at deployment becomes. */
  constructor(private readonly unknown: unknown) {}

  readonly warnings: ArmWarning[] = [];

  template(tpl: unknown, path: JsonPath, given: ParameterValues, outer?: Template): void {
    const declared = (key: string): Obj => {
      const value = get(tpl, key);
      return isObj(value) ? value : {};
    };
    const ctx = outer ?? new Template(declared("parameters"), given, declared("variables"));
    if (!outer) ctx.declareVariableCopies();
    const resources = entry(tpl, "resources");
    if (!resources) return;
    const [key, list] = resources;
    if (Array.isArray(list)) list.forEach((r, i) => this.declaration(r, [...path, key, i], ctx));
    else if (isObj(list)) for (const [symbol, r] of Object.entries(list)) this.declaration(r, [...path, key, symbol], ctx);
  }

  private declaration(raw: unknown, path: JsonPath, ctx: Template, parent?: { type: string; name: unknown }): void {
    if (!isObj(raw) || get(raw, "existing") === true) return;
    const copy = get(raw, "copy");
    if (!isObj(copy)) return this.instance(raw, path, path.join("/"), ctx, parent);
    const count = ctx.evaluate(get(copy, "count"));
    const name = String(get(copy, "name") ?? "").toLowerCase();
    if (typeof count === "number" && Number.isInteger(count) && count >= 0 && count <= MAX_COPIES) {
      for (let i = 0; i < count; i++) {
        ctx.copies.push({ name, index: i });
        try {
          this.instance(raw, path, `${path.join("/")}#${i}`, ctx, parent);
        } finally {
          ctx.copies.pop();
        }
      }
      return;
    }
    // An unknown count: judge one instance whose copyIndex() is unknown.
    const reason = count instanceof Unresolved ? count.reason : `copy count ${JSON.stringify(count)} is not an integer from 0 to ${MAX_COPIES}`;
    ctx.copies.push({ name, index: new Unresolved(`copyIndex() of a loop whose count is unknown: ${reason}`) });
    try {
      this.instance(raw, path, `${path.join("/")}#?`, ctx, parent);
    } finally {
      ctx.copies.pop();
    }
  }

  private instance(raw: Obj, path: JsonPath, id: string, ctx: Template, parent?: { type: string; name: unknown }): void {
    const condition = entry(raw, "condition") ? ctx.evaluate(get(raw, "condition")) : true;
    // Only a condition known to be false skips the resource; an unknown one is judged as deployed.
    if (condition === false) return;
    const declared = ctx.evaluate(get(raw, "type"));
    if (typeof declared !== "string") {
      this.warnings.push({ path, message: "resource type is not a literal string; not judged" });
      return;
    }
    let type: string = declared;
    let name = ctx.evaluate(get(raw, "name"));
    if (parent && !type.includes("/")) {
      type = `${parent.type}/${type}`;
      name = typeof parent.name === "string" && typeof name === "string" ? `${parent.name}/${name}` : name instanceof Unresolved ? name : parent.name instanceof Unresolved ? parent.name : name;
    }
    if (type.toLowerCase() === "microsoft.resources/deployments") return this.deployment(raw, path, ctx);

    const resource: Obj = {};
    for (const [k, v] of Object.entries(raw)) if (!CONTROL_KEYS.has(k.toLowerCase())) resource[k] = ctx.evaluate(v);
    // The type and name as resolved (a child's joined to its parent's), under the keys as written.
    for (const [key, value] of [["type", type], ["name", name]] as const) {
      const written = entry(raw, key);
      if (written) resource[written[0]] = value;
    }
    const unknowns: UnknownNote[] = [];
    const settled = settle(resource, "", unknowns, this.unknown) as Obj;
    const rawName = get(raw, "name");
    this.found.push({ resource: settled, path, id, unknowns, displayName: name instanceof Unresolved && typeof rawName === "string" ? rawName : undefined });

    const children = entry(raw, "resources");
    if (children && Array.isArray(children[1])) children[1].forEach((c, i) => this.declaration(c, [...path, children[0], i], ctx, { type, name }));
  }

  private deployment(raw: Obj, path: JsonPath, ctx: Template): void {
    const [propsKey, props] = entry(raw, "properties") ?? ["properties", undefined];
    let template = entry(props, "template");
    // Bicep's loadJsonContent() gives the template as an expression: `"template": "[variables('$fxv#0')]"`.
    if (template && typeof template[1] === "string") template = [template[0], ctx.evaluate(template[1])];
    if (!template || !isObj(template[1])) {
      const link = get(get(props, "templateLink"), "uri") ?? get(get(props, "templateLink"), "id");
      const why = template?.[1] instanceof Unresolved ? `its template is only known at deployment (${template[1].reason})` : `links its template${typeof link === "string" ? ` (${link})` : ""}`;
      this.warnings.push({ path, message: `nested deployment ${why}; resources inside it are not judged` });
      return;
    }
    const scope = ctx.evaluate(get(get(props, "expressionEvaluationOptions"), "scope"));
    const innerPath = [...path, propsKey, template[0]];
    if (typeof scope === "string" && scope.toLowerCase() === "inner") {
      // Inner scope: the nested template's own parameters, given by the parent (evaluated in its scope).
      const given = new Map<string, unknown>();
      const params = get(props, "parameters");
      if (isObj(params)) {
        for (const [n, spec] of Object.entries(params)) {
          // Bicep may give a whole `{value: …}` as one expression (`[if(c, createObject('value', x), …)]`):
          // its result is already evaluated.
          const evaluated = typeof spec === "string" ? ctx.evaluate(spec) : undefined;
          if (evaluated instanceof Unresolved) given.set(n.toLowerCase(), evaluated);
          else if (evaluated !== undefined) given.set(n.toLowerCase(), entry(evaluated, "value") ? get(evaluated, "value") : new Unresolved(`parameter '${n}' of the nested deployment has no value`));
          else if (entry(spec, "value")) given.set(n.toLowerCase(), ctx.evaluate(get(spec, "value")));
          else given.set(n.toLowerCase(), new Unresolved(`parameter '${n}' of the nested deployment is a Key Vault reference`));
        }
      }
      this.template(template[1], innerPath, given);
    } else {
      this.template(template[1], innerPath, new Map(), ctx);
    }
  }
}

/**
 * Every resource an ARM template deploys, with its values resolved, or replaced by `unknown` (the
 * caller's placeholder) and noted where only the deployment knows them.
 */
export function resolveTemplate(template: Obj, parameters: ParameterValues, unknown: unknown): { resources: ArmFound[]; warnings: ArmWarning[] } {
  const resolver = new Resolver(unknown);
  resolver.template(template, [], parameters);
  return { resources: resolver.found, warnings: resolver.warnings };
}
