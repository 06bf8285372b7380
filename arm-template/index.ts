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
 * - Template limits, in ARM template best practices,
 *   https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits:
 *   "Limit the size of your template to 4 MB, and each resource definition to 1 MB. The limits apply
 *   to the final state of the template after it has been expanded with iterative resource
 *   definitions, and values for variables and parameters", "800 resources (including copy count)",
 *   "24,576 characters in a template expression". A template past a limit is an error here, as it is
 *   for Resource Manager.
 * Keys of the template envelope are matched case-insensitively, as ARM does.
 *
 * Partial evaluation: a value only the deployment knows stays where it is, and everything known
 * around it stays known. Object and array builders keep their known members (createObject(),
 * createArray(), union(), concat(), coalesce()); if() whose condition is unknown keeps what both
 * branches agree on; a string built from known and unknown parts (resourceId() of the deployment's
 * own resource group, format(), concat()) is a partly known string (../azure-policy-engine/partial.ts)
 * whose known text rules can still read. An expression that fails on known values fails the
 * deployment, as it does in Resource Manager: the resource is an error, not an unknown.
 *
 * A pure module beside the Azure Policy engine, whose template-function evaluator it shares through
 * the engine's public API: no files, no process, no apiguard. A value only known at deployment is
 * replaced by the caller's placeholder and noted with the expression it came from.
 */
import { compileExpression, FUNCTIONS, isExpression, isPartial, joinText, PartialString, partialString, PolicyError, Unresolved, UnknownValue, type Env, type Part, type Scope, type TemplateFunction } from "../azure-policy-engine";

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
  /** The resource as deployed; a string only partly known before deployment is a PartialString placed at its path. */
  resource: Obj;
  /** Where the resource's declaration starts in the file. */
  path: JsonPath;
  /** Stable identity within the file: declaration path plus copy indexes. */
  id: string;
  unknowns: UnknownNote[];
  /** Source text of the name when it is only known at deployment. */
  displayName?: string;
}

/** A resource the template declares but does not deploy, or a part of it that cannot be followed. */
export interface ArmNotJudged {
  path: JsonPath;
  message: string;
  /** The resource's type and name, when it is one resource. */
  type?: string;
  name?: string;
}

/** A resource Resource Manager would refuse: an expression that fails on known values, a template limit exceeded. */
export interface ArmError {
  path: JsonPath;
  message: string;
}

/** Whether a document is an ARM deployment template. */
export function isArmTemplate(data: Obj): boolean {
  const schema = get(data, "$schema");
  if (typeof schema === "string" && /deploymentTemplate\.json/i.test(schema)) return true;
  const resources = get(data, "resources");
  if (isObj(resources)) {
    const version = get(data, "languageVersion");
    return version !== undefined && version !== null && version !== "";
  }
  return Array.isArray(resources) && get(data, "contentVersion") !== undefined;
}

const BLUEPRINT_ARTIFACT = "microsoft.blueprint/blueprints/artifacts";

/**
 * Whether a document is an Azure Blueprints template artifact: `{type: Microsoft.Blueprint/blueprints/artifacts,
 * kind: template, properties: {template, parameters}}`, "Blueprint artifact that deploys a Resource
 * Manager template" (Blueprint Artifacts - Create Or Update, https://learn.microsoft.com/rest/api/blueprints/artifacts/create-or-update;
 * @pulumi/azure-native blueprint TemplateArtifact).
 */
export function isBlueprintTemplateArtifact(data: unknown): boolean {
  return isObj(data) && String(get(data, "type")).toLowerCase() === BLUEPRINT_ARTIFACT && String(get(data, "kind")).toLowerCase() === "template" && isObj(get(get(data, "properties"), "template"));
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

// Template limits (best practices, "Template limits"; Resource iteration: "The count can't exceed 800.").
const MAX_COPIES = 800;
const MAX_RESOURCES = 800;
const MAX_EXPRESSION_LENGTH = 24_576;
/** "each resource definition to 1 MB", "the size of your template to 4 MB": a value of JSON takes at least one byte. */
const MAX_RESOURCE_SIZE = 1024 * 1024;
const MAX_TEMPLATE_SIZE = 4 * 1024 * 1024;
const LIMITS = "ARM template best practices, Template limits";

// Policy-only functions that ARM templates do not have.
const POLICY_ONLY = new Set(["field", "current", "requestcontext", "policy", "adddays", "iprangecontains"]);

/** How a hole reads in messages: the expression it stands for (`deployment().location`), from an Unresolved's reason. */
function holeLabel(u: Unresolved): string {
  return /^\[(.+?)\]: /.exec(u.reason)?.[1] ?? /^([\w.]+\(\)(?:\.\w+)*) is only known/.exec(u.reason)?.[1] ?? "a value only known at deployment";
}

/** A run of text the deployment fills in: a name or an ID segment never holds a `/` (see partial.ts). */
const hole = (label: string, segment = true): PartialString => new PartialString([{ label, segment }], `${label} is only known at deployment`);

/**
 * What the deployment functions return: unknown as a whole, but with the members that are known or
 * partly known ("resourceGroup", "subscription", "deployment" in Template functions — scope and
 * deployment; names and IDs are segments, https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-scope).
 */
function deploymentValues(): Record<string, () => Unresolved> {
  const subscriptionId = () => hole("subscription().subscriptionId");
  return {
    subscription: () =>
      new Unresolved("subscription() is only known at deployment", {
        subscriptionId: subscriptionId(),
        id: joinText(["/subscriptions/", subscriptionId()]),
        tenantId: hole("subscription().tenantId"),
      }),
    resourcegroup: () =>
      new Unresolved("resourceGroup() is only known at deployment", {
        name: hole("resourceGroup().name"),
        id: joinText(["/subscriptions/", subscriptionId(), "/resourceGroups/", hole("resourceGroup().name")]),
        location: hole("resourceGroup().location"),
        type: "Microsoft.Resources/resourceGroups",
      }),
    deployment: () => new Unresolved("deployment() is only known at deployment", { name: hole("deployment().name") }),
    tenant: () => new Unresolved("tenant() is only known at deployment", { tenantId: hole("tenant().tenantId") }),
  };
}

/** Segments of a resource ID: `/providers/ns/type/name[/childType/childName…]`. */
function providerPath(type: string, names: readonly (string | PartialString)[]): string | PartialString {
  const [ns, ...types] = type.split("/");
  if (types.length !== names.length) throw new PolicyError(`resource type '${type}' needs ${types.length} name segment(s), got ${names.length}`);
  return joinText([`/providers/${ns}`, ...types.flatMap((t, i) => [`/${t}/`, names[i]])]);
}

type Text = string | PartialString;

function resourceIdParts(args: readonly unknown[], fn: string): { before: Text[]; type: string; names: Text[] } {
  const texts = args.map((a) =>
    typeof a === "string" || isPartial(a)
      ? a
      : (() => {
          throw new PolicyError(`${fn}(): expected strings`);
        })(),
  );
  // The type is the first known argument with a `/`: a partly known argument is a name or a scope.
  const at = texts.findIndex((s) => typeof s === "string" && s.includes("/"));
  if (at < 0) throw new PolicyError(`${fn}(): no resource type argument`);
  return { before: texts.slice(0, at), type: texts[at] as string, names: texts.slice(at + 1) };
}

interface CopyFrame {
  name?: string;
  index: number | Unresolved;
}

/** Either value, when both branches of an unknown if() give it; what they disagree on is unknown for the condition's reason. */
function agree(a: unknown, b: unknown, reason: string): unknown {
  if (a instanceof Unresolved) return a;
  if (b instanceof Unresolved) return b;
  if (a === b) return a;
  if (isObj(a) && isObj(b) && !(a instanceof PartialString) && !(b instanceof PartialString)) {
    const out: Obj = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      // A key only one branch sets may be there or not.
      out[k] = k in a && k in b ? agree(a[k], b[k], reason) : new Unresolved(reason);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.map((x, i) => agree(x, b[i], reason));
  return new Unresolved(reason);
}

/** The first value only the deployment knows in a value (Unresolved first, then a partly known string), remembered per object. */
class Scanner {
  private readonly memo = new WeakMap<object, Unresolved | PartialString | null>();

  find(v: unknown, depth = 0): Unresolved | PartialString | undefined {
    if (v instanceof Unresolved || v instanceof PartialString) return v;
    if (v === null || typeof v !== "object") return undefined;
    const seen = this.memo.get(v);
    if (seen !== undefined) return seen ?? undefined;
    if (depth > 256) throw new PolicyError("a value nests more than 256 levels deep");
    let unresolved: Unresolved | undefined;
    let partial: PartialString | undefined;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      const found = this.find(x, depth + 1);
      if (found instanceof Unresolved) {
        unresolved = found;
        break;
      }
      partial ??= found;
    }
    const result = unresolved ?? partial;
    this.memo.set(v, result ?? null);
    return result;
  }
}

/**
 * The size of a value as Resource Manager would serialise it, at least one byte per node and per
 * character, remembered per object so values built by repeating one another are measured without
 * being walked again.
 */
class Sizer {
  private readonly memo = new WeakMap<object, number>();

  size(v: unknown): number {
    if (typeof v === "string") return v.length + 2;
    if (v instanceof PartialString) return v.parts.reduce((n, p) => n + (typeof p === "string" ? p.length : 1), 2);
    if (v === null || typeof v !== "object") return 1;
    const seen = this.memo.get(v);
    if (seen !== undefined) return seen;
    let n = 2;
    if (Array.isArray(v)) for (const x of v) n += this.size(x) + 1;
    else for (const [k, x] of Object.entries(v)) n += k.length + 3 + this.size(x);
    this.memo.set(v, n);
    return n;
  }
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
    private readonly scanner: Scanner,
    private readonly sizer: Sizer,
  ) {
    const own = this.functions();
    const lookup = (name: string) => own[name] ?? (POLICY_ONLY.has(name) ? undefined : FUNCTIONS[name] && this.limited(FUNCTIONS[name]));
    this.env = {
      resolver: undefined as never,
      template: {
        lookup,
        incomplete: (args, fn) => this.incomplete(args, fn),
        either: (condition, whenTrue, whenFalse) => this.either(condition, whenTrue, whenFalse),
      },
    };
  }

  /** A function whose result must stay within the template size limit (so values cannot grow without bound). */
  private limited(fn: TemplateFunction): TemplateFunction {
    return {
      ...fn,
      call: (args, scope, env) => {
        const value = fn.call(args, scope, env);
        if (this.sizer.size(value) > MAX_TEMPLATE_SIZE) throw new PolicyError(`a value larger than the 4 MB a template may hold (${LIMITS})`);
        return value;
      },
    };
  }

  /** Arguments holding values only the deployment knows: Unresolved anywhere makes the call unknown; a partly known string is decided on, if the function can. */
  private incomplete(args: readonly unknown[], fn: TemplateFunction): { value: unknown } | undefined {
    if (fn.holdsUnresolved) return undefined;
    let partial: PartialString | undefined;
    for (const a of args) {
      const found = this.scanner.find(a);
      if (found instanceof Unresolved) return { value: found };
      partial ??= found;
    }
    if (!partial) return undefined;
    if (!fn.partial) return { value: new Unresolved(partial.reason) };
    try {
      return { value: fn.partial(args, DUMMY_SCOPE, this.env) };
    } catch (e) {
      // Some completions give one answer and some another: only the deployment knows.
      if (e instanceof UnknownValue) return { value: new Unresolved(e.value.reason) };
      throw e;
    }
  }

  /** if() with a condition only the deployment knows: what both branches agree on (a branch that fails may not be taken). */
  private either(condition: Unresolved, whenTrue: () => unknown, whenFalse: () => unknown): unknown {
    const reason = `it depends on an if() condition: ${condition.reason}`;
    const branch = (evaluate: () => unknown) => {
      try {
        return evaluate();
      } catch (e) {
        if (e instanceof PolicyError) return new Unresolved(reason);
        throw e;
      }
    };
    return agree(branch(whenTrue), branch(whenFalse), reason);
  }

  private functions(): Record<string, TemplateFunction> {
    const f = (min: number, max: number, call: (args: readonly unknown[]) => unknown, partial?: (args: readonly unknown[]) => unknown): TemplateFunction => ({ arity: [min, max], call, contextual: true, ...(partial ? { partial } : {}) });
    const name = (v: unknown, fn: string): string => {
      if (typeof v !== "string") throw new PolicyError(`${fn}(): expected a name`);
      return v;
    };
    const deploymentValue = deploymentValues();
    const holding = (fn: TemplateFunction, call: TemplateFunction["call"]): TemplateFunction => this.limited({ ...fn, holdsUnresolved: true, call });
    const resourceId = (args: readonly unknown[]) => {
      const { before, type, names } = resourceIdParts(args, "resourceId");
      // Without an explicit subscription and resource group, they are the deployment's.
      const subscription = before.length >= 2 ? before[0] : hole("subscription().subscriptionId");
      const group = before.length >= 1 ? before[before.length - 1] : hole("resourceGroup().name");
      return joinText(["/subscriptions/", subscription, "/resourceGroups/", group, providerPath(type, names)]);
    };
    const subscriptionResourceId = (args: readonly unknown[]) => {
      const { before, type, names } = resourceIdParts(args, "subscriptionResourceId");
      return joinText(["/subscriptions/", before.length >= 1 ? before[0] : hole("subscription().subscriptionId"), providerPath(type, names)]);
    };
    const tenantResourceId = (args: readonly unknown[]) => {
      const { type, names } = resourceIdParts(args, "tenantResourceId");
      return providerPath(type, names);
    };
    const extensionResourceId = ([scope, ...rest]: readonly unknown[]) => {
      const { type, names } = resourceIdParts(rest, "extensionResourceId");
      if (typeof scope !== "string" && !isPartial(scope)) throw new PolicyError("extensionResourceId(): expected a name");
      return joinText([scope, providerPath(type, names)]);
    };
    return {
      // Builders keep an unknown member in place, so one unknown value does not hide its siblings.
      createobject: holding(FUNCTIONS.createobject, (args, scope, env) => {
        // An unknown key may be any key: then nothing about the object is known.
        for (let i = 0; i < args.length; i += 2) if (args[i] instanceof Unresolved || isPartial(args[i])) return args[i] instanceof Unresolved ? args[i] : new Unresolved((args[i] as PartialString).reason);
        return FUNCTIONS.createobject.call(args, scope, env);
      }),
      createarray: holding(FUNCTIONS.createarray, (args) => [...args]),
      // Whether an object has a key does not depend on its members' values; an array's or a string's
      // unknown elements or text may hold the item.
      contains: holding(FUNCTIONS.contains, (args, scope, env) => {
        const [container, item] = args;
        const keyed = isObj(container) && !isPartial(container) && !(container instanceof Unresolved);
        const unknown = keyed ? this.scanner.find(item) : (this.scanner.find(container) ?? this.scanner.find(item));
        if (!unknown) return FUNCTIONS.contains.call(args, scope, env);
        if (unknown instanceof Unresolved) return unknown;
        try {
          return FUNCTIONS.contains.partial!(args, scope, env);
        } catch (e) {
          if (e instanceof UnknownValue) return new Unresolved(unknown.reason);
          throw e;
        }
      }),
      // A member's value is all tryGet() reads: only unknown keys, or an unknown on the way, leave it open.
      tryget: holding(FUNCTIONS.tryget, (args, scope, env) => {
        const [target, ...keys] = args;
        const unknownKey = keys.map((k) => this.scanner.find(k)).find((k) => k !== undefined);
        if (unknownKey) return unknownKey instanceof Unresolved ? unknownKey : new Unresolved(unknownKey.reason);
        let v = target;
        for (const k of keys) {
          if (v instanceof Unresolved) return v;
          if (isPartial(v)) return new Unresolved(v.reason);
          v = FUNCTIONS.tryget.call([v, k], scope, env);
        }
        return v;
      }),
      // array(x) is x when x is an array, else [x]: only a wholly unknown x leaves that open.
      array: holding(FUNCTIONS.array, (args, scope, env) => (args[0] instanceof Unresolved ? args[0] : FUNCTIONS.array.call(args, scope, env))),
      union: holding(FUNCTIONS.union, (args, scope, env) => {
        // An unknown argument may hold any member (or element): the union is unknown.
        const whole = args.find((a) => a instanceof Unresolved || isPartial(a));
        if (whole) return whole instanceof Unresolved ? whole : new Unresolved(whole.reason);
        return FUNCTIONS.union.call(args, scope, env);
      }),
      concat: holding(FUNCTIONS.concat, (args, scope, env) => {
        const unknown = args.find((a) => a instanceof Unresolved);
        if (!unknown && !args.some(isPartial)) return FUNCTIONS.concat.call(args, scope, env);
        // Strings with unknown parts: each unknown part is a run of any text. Arrays: how many elements is unknown.
        if (args.some((a) => Array.isArray(a) || (isObj(a) && !isPartial(a) && !(a instanceof Unresolved)))) return unknown ?? new Unresolved((args.find(isPartial) as PartialString).reason);
        // Only unknowns: strings or arrays, the deployment decides which.
        if (unknown && !args.some((a) => typeof a === "string" || isPartial(a))) return unknown;
        return joinText(args.map((a) => (a instanceof Unresolved ? new PartialString([{ label: holeLabel(a), segment: false }], a.reason) : isPartial(a) ? a : a === null ? "" : String(a as string | number | boolean))));
      }),
      format: holding(FUNCTIONS.format, ([fmt, ...args], scope, env) => {
        if (fmt instanceof Unresolved) return fmt;
        if (typeof fmt !== "string" || !args.some((a) => this.scanner.find(a))) return FUNCTIONS.format.call([fmt, ...args], scope, env);
        const parts: Part[] = [];
        let last = 0;
        let reason = "";
        for (const m of fmt.matchAll(/\{\{|\}\}|\{(\d+)(?::[^}]*)?\}/g)) {
          parts.push(fmt.slice(last, m.index));
          last = (m.index ?? 0) + m[0].length;
          if (m[1] === undefined) {
            parts.push(m[0][0]);
            continue;
          }
          const i = Number(m[1]);
          if (i >= args.length) throw new PolicyError(`format(): no argument {${i}}`);
          const arg = args[i];
          const found = this.scanner.find(arg);
          if (isPartial(arg) && m[0].includes(":") === false) parts.push(...arg.parts);
          else if (found) parts.push({ label: found instanceof Unresolved ? holeLabel(found) : found.toString(), segment: false });
          else parts.push(typeof arg === "string" ? arg : JSON.stringify(arg));
          reason ||= found?.reason ?? "";
        }
        parts.push(fmt.slice(last));
        return partialString(parts, reason);
      }),
      // The first argument known not to be null; an unknown one before it may be null or not.
      coalesce: holding(FUNCTIONS.coalesce, (args) => {
        for (const a of args) {
          if (a instanceof Unresolved) return a;
          if (a !== null) return a;
        }
        return null;
      }),
      // How many members an object or array has does not depend on what they are.
      length: holding(FUNCTIONS.length, (args, scope, env) => (args[0] instanceof Unresolved ? args[0] : isPartial(args[0]) ? new Unresolved(args[0].reason) : FUNCTIONS.length.call(args, scope, env))),
      empty: holding(FUNCTIONS.empty, (args, scope, env) => {
        const [v] = args;
        if (v instanceof Unresolved) return v;
        if (!isPartial(v)) return FUNCTIONS.empty.call(args, scope, env);
        try {
          return FUNCTIONS.empty.partial!(args, scope, env);
        } catch (e) {
          if (e instanceof UnknownValue) return new Unresolved(v.reason);
          throw e;
        }
      }),
      parameters: f(1, 1, ([n]) => this.parameter(name(n, "parameters"))),
      variables: f(1, 1, ([n]) => this.variable(name(n, "variables"))),
      copyindex: f(0, 2, (args) => this.copyIndex(args)),
      resourcegroup: f(0, 0, deploymentValue.resourcegroup),
      subscription: f(0, 0, deploymentValue.subscription),
      tenant: f(0, 0, deploymentValue.tenant),
      deployment: f(0, 0, deploymentValue.deployment),
      managementgroup: f(0, 1, () => new Unresolved("managementGroup() is only known at deployment")),
      environment: f(0, 0, () => new Unresolved("environment() is only known at deployment")),
      utcnow: f(0, 1, () => new Unresolved("utcNow() is only known at deployment")),
      // Seeded by the deployment's IDs in practice; the hash is Azure's, not reproduced here. Both are
      // names: uniqueString() "is 13 characters long", guid() a GUID (Template functions - string).
      // Whatever their arguments, known or not, the result is a name.
      newguid: f(0, 0, () => hole("newGuid()")),
      uniquestring: { ...f(1, Infinity, () => hole("uniqueString()")), holdsUnresolved: true },
      guid: { ...f(1, Infinity, () => hole("guid()")), holdsUnresolved: true },
      resourceid: f(2, Infinity, resourceId, resourceId),
      subscriptionresourceid: f(2, Infinity, subscriptionResourceId, subscriptionResourceId),
      tenantresourceid: f(2, Infinity, tenantResourceId, tenantResourceId),
      extensionresourceid: f(3, Infinity, extensionResourceId, extensionResourceId),
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
    if (this.paramCache.has(key)) return rethrown(this.paramCache.get(key));
    const decl = get(this.paramDecls, name);
    let value: unknown;
    // A parameter given null takes its default: Bicep modules pass `tryGet(…)` (null when unset) to
    // parameters with defaults, as the Azure Verified Modules do throughout.
    const given = this.given.get(key);
    if (!isObj(decl)) value = new Unresolved(`parameter '${name}' is not declared`);
    else if (this.given.has(key) && !(given === null && entry(decl, "defaultValue"))) value = coerce(given, get(decl, "type"));
    else if (entry(decl, "defaultValue")) value = this.guard(`parameters('${name}')`, () => this.evaluate(get(decl, "defaultValue")));
    // languageVersion 2.0 / Bicep `param x string?`: a nullable parameter without a value is null.
    else if (get(decl, "nullable") === true) value = null;
    else value = new Unresolved(`parameter '${name}' has no value (pass it with --parameters)`);
    this.paramCache.set(key, value);
    return rethrown(value);
  }

  variable(name: string): unknown {
    const key = name.toLowerCase();
    if (this.varCache.has(key)) return rethrown(this.varCache.get(key));
    const value = this.guard(`variables('${name}')`, () => {
      const decl = entry(this.varDecls, name);
      if (!decl) throw new PolicyError(`variable '${name}' is not declared`);
      return this.evaluate(decl[1]);
    });
    this.varCache.set(key, value);
    return rethrown(value);
  }

  /** A variable copy loop (`variables.copy[]`) defines variables too. */
  declareVariableCopies(): void {
    const loops = get(this.varDecls, "copy");
    if (!Array.isArray(loops)) return;
    for (const loop of loops) {
      const name = get(loop, "name");
      if (typeof name === "string")
        this.varCache.set(
          name.toLowerCase(),
          this.guard(`variables('${name}')`, () => this.iterate(loop)),
        );
    }
  }

  /** Computes a parameter or variable once; a failure is kept and thrown again wherever the value is used. */
  private guard(what: string, compute: () => unknown): unknown {
    if (this.resolving.has(what)) return new Unresolved(`${what} refers to itself`);
    this.resolving.add(what);
    try {
      return compute();
    } catch (e) {
      if (e instanceof PolicyError) return new Failed(e);
      throw e;
    } finally {
      this.resolving.delete(what);
    }
  }

  /** A template value: expressions evaluated, `[[` unescaped, property copy loops expanded. Throws PolicyError where Resource Manager fails. */
  evaluate(json: unknown): unknown {
    if (typeof json === "string") {
      if (!isExpression(json)) return json.startsWith("[[") ? json.slice(1) : json;
      if (json.length > MAX_EXPRESSION_LENGTH) throw new PolicyError(`an expression of ${json.length} characters, more than the ${MAX_EXPRESSION_LENGTH} Resource Manager allows (${LIMITS})`);
      const value = compileExpression(json, this.env).fn(DUMMY_SCOPE);
      return value instanceof Unresolved && !value.reason.startsWith(json) ? new Unresolved(`${json}: ${value.reason}`, value.members) : value;
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

  /** A copy count: an integer from 0 to 800, or unknown ("The count can't exceed 800. The count can't be a negative number."). */
  copyCount(spec: unknown): number | Unresolved {
    const count = this.evaluate(spec);
    if (count instanceof Unresolved) return count;
    if (isPartial(count)) return new Unresolved(count.reason);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_COPIES) {
      throw new PolicyError(`copy count ${JSON.stringify(count)} is not an integer from 0 to ${MAX_COPIES} (Resource iteration in ARM templates)`);
    }
    return count;
  }

  /** One `{name, count, input}` loop of a property or variable copy. */
  private iterate(loop: unknown): unknown {
    const count = this.copyCount(get(loop, "count"));
    if (count instanceof Unresolved) return count;
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

/** A parameter or variable whose expression fails: it fails wherever it is used. */
class Failed {
  constructor(readonly error: PolicyError) {}
}

function rethrown(value: unknown): unknown {
  if (value instanceof Failed) throw value.error;
  return value;
}

/**
 * Replaces Unresolved values by the caller's placeholder for unknown values and places partly known
 * strings at their path, noting where and why; counts the size against the 1 MB resource limit.
 */
function settle(value: unknown, at: string, notes: UnknownNote[], unknown: unknown, budget: { left: number }): unknown {
  const spend = (size: number) => {
    budget.left -= size;
    if (budget.left < 0) throw new PolicyError(`a resource larger than the 1 MB a resource definition may be (${LIMITS})`);
  };
  spend(1);
  if (value instanceof Unresolved) {
    notes.push({ path: at || "(resource)", reason: value.reason });
    return unknown;
  }
  if (value instanceof PartialString) {
    spend(value.parts.length);
    notes.push({ path: at, reason: `only partly known before deployment: ${value.toString()}` });
    return value.at(at);
  }
  if (typeof value === "string") spend(value.length);
  if (Array.isArray(value)) return value.map((v, i) => settle(v, `${at}[${i}]`, notes, unknown, budget));
  if (isObj(value)) {
    spend(Object.keys(value).length);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settle(v, at ? `${at}.${k}` : k, notes, unknown, budget)]));
  }
  return value;
}

// Keys of a resource declaration that steer deployment rather than describe the resource.
const CONTROL_KEYS = new Set(["resources", "copy", "condition", "dependson", "comments", "metadata", "existing"]);

/** Keys of an object that differ only in case: Resource Manager documents no rule for which one wins. */
export function caseCollisions(obj: Obj): string[][] {
  const byLower = new Map<string, string[]>();
  for (const k of Object.keys(obj)) {
    const lower = k.toLowerCase();
    const list = byLower.get(lower);
    if (list) list.push(k);
    else byLower.set(lower, [k]);
  }
  return [...byLower.values()].filter((keys) => keys.length > 1);
}

class Resolver {
  readonly found: ArmFound[] = [];
  readonly notJudged: ArmNotJudged[] = [];
  readonly errors: ArmError[] = [];
  private readonly scanner = new Scanner();
  private readonly sizer = new Sizer();
  /** What is left of the 4 MB the expanded template may hold. */
  private readonly templateBudget = { left: MAX_TEMPLATE_SIZE };

  /** `unknown`: what a value only known at deployment becomes. */
  constructor(private readonly unknown: unknown) {}

  template(tpl: unknown, path: JsonPath, given: ParameterValues, outer?: Template): void {
    const declared = (key: string): Obj => {
      const value = get(tpl, key);
      return isObj(value) ? value : {};
    };
    const ctx = outer ?? new Template(declared("parameters"), given, declared("variables"), this.scanner, this.sizer);
    if (!outer) ctx.declareVariableCopies();
    const resources = entry(tpl, "resources");
    if (!resources) return;
    const [key, list] = resources;
    // Each template, nested ones included, may deploy 800 resources.
    const count = { deployed: 0 };
    if (Array.isArray(list)) list.forEach((r, i) => this.declaration(r, [...path, key, i], ctx, count));
    else if (isObj(list)) for (const [symbol, r] of Object.entries(list)) this.declaration(r, [...path, key, symbol], ctx, count);
  }

  /** Runs one part of the template; where Resource Manager would fail, the resource is an error, and the rest is still read. */
  private attempt(path: JsonPath, what: () => void): void {
    try {
      what();
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      this.errors.push({ path, message: `Resource Manager would reject this resource: ${e.message}` });
    }
  }

  private declaration(raw: unknown, path: JsonPath, ctx: Template, count: { deployed: number }, parent?: { type: string; name: unknown }): void {
    if (!isObj(raw)) return;
    this.attempt(path, () => {
      const collisions = caseCollisions(raw);
      if (collisions.length > 0) throw new PolicyError(`keys ${collisions.map((c) => c.map((k) => `'${k}'`).join(" and ")).join(", ")} differ only in case, and which one Resource Manager uses is not documented`);
      const copy = get(raw, "copy");
      if (!isObj(copy) || get(raw, "existing") === true) return this.instance(raw, path, path.join("/"), ctx, count, parent);
      const copies = ctx.copyCount(get(copy, "count"));
      // A loop's name is a string (copyIndex('name') finds it without regard to case).
      const loop = get(copy, "name");
      const name = typeof loop === "string" ? loop.toLowerCase() : "";
      if (copies instanceof Unresolved) {
        // An unknown count: judge one instance whose copyIndex() is unknown.
        ctx.copies.push({ name, index: new Unresolved(`copyIndex() of a loop whose count is unknown: ${copies.reason}`) });
        try {
          this.instance(raw, path, `${path.join("/")}#?`, ctx, count, parent);
        } finally {
          ctx.copies.pop();
        }
        return;
      }
      for (let i = 0; i < copies; i++) {
        ctx.copies.push({ name, index: i });
        try {
          this.instance(raw, path, `${path.join("/")}#${i}`, ctx, count, parent);
        } finally {
          ctx.copies.pop();
        }
      }
    });
  }

  private instance(raw: Obj, path: JsonPath, id: string, ctx: Template, count: { deployed: number }, parent?: { type: string; name: unknown }): void {
    const declared = ctx.evaluate(get(raw, "type"));
    if (typeof declared !== "string") {
      this.notJudged.push({ path, message: "resource type is not a literal string; not judged" });
      return;
    }
    let type: string = declared;
    let name = ctx.evaluate(get(raw, "name"));
    if (name !== undefined && typeof name !== "string" && !(name instanceof Unresolved) && !isPartial(name)) throw new PolicyError(`the name is ${JSON.stringify(name)}, not a string`);
    if (parent && !type.includes("/")) {
      type = `${parent.type}/${type}`;
      const parentName = parent.name;
      if (name instanceof Unresolved || parentName instanceof Unresolved) name = name instanceof Unresolved ? name : parentName;
      else if ((typeof parentName === "string" || isPartial(parentName)) && (typeof name === "string" || isPartial(name))) name = joinText([parentName, "/", name]);
    }
    const shown = typeof name === "string" ? name : typeof get(raw, "name") === "string" ? String(get(raw, "name")) : undefined;
    const children = () => {
      const list = entry(raw, "resources");
      if (list && Array.isArray(list[1])) list[1].forEach((c, i) => this.declaration(c, [...path, list[0], i], ctx, count, { type, name }));
    };
    // Neither skips the children: "Conditional deployment doesn't cascade to child resources"
    // (Conditional deployment in ARM templates), and a new child of an existing resource is deployed.
    if (get(raw, "existing") === true) {
      this.notJudged.push({ path, type, name: shown, message: "an `existing` resource: a reference to one deployed elsewhere, not deployed here" });
      return children();
    }
    // Only a condition known to be false skips the resource; an unknown one is judged as deployed.
    if (entry(raw, "condition") && ctx.evaluate(get(raw, "condition")) === false) {
      this.notJudged.push({ path, type, name: shown, message: "its `condition` is false: not deployed" });
      return children();
    }
    if (++count.deployed > MAX_RESOURCES) throw new PolicyError(`more than ${MAX_RESOURCES} resources in one template, copies included (${LIMITS})`);
    if (type.toLowerCase() === "microsoft.resources/deployments") return this.deployment(raw, path, ctx);
    if (type.toLowerCase() === BLUEPRINT_ARTIFACT && String(ctx.evaluate(get(raw, "kind"))).toLowerCase() === "template") return this.artifact(raw, path, ctx);

    const resource: Obj = {};
    for (const [k, v] of Object.entries(raw)) if (!CONTROL_KEYS.has(k.toLowerCase())) resource[k] = ctx.evaluate(v);
    // The type and name as resolved (a child's joined to its parent's), under the keys as written.
    for (const [key, value] of [
      ["type", type],
      ["name", name],
    ] as const) {
      const written = entry(raw, key);
      if (written) resource[written[0]] = value;
    }
    const unknowns: UnknownNote[] = [];
    const budget = { left: MAX_RESOURCE_SIZE };
    const settled = settle(resource, "", unknowns, this.unknown, budget) as Obj;
    this.templateBudget.left -= MAX_RESOURCE_SIZE - budget.left;
    if (this.templateBudget.left < 0) throw new PolicyError(`resources larger than the 4 MB a template may hold (${LIMITS})`);
    const rawName = get(raw, "name");
    // A name the deployment completes shows its known text (`aks-{uniqueString()}`), else its expression.
    const displayName = isPartial(name) ? name.toString() : name instanceof Unresolved && typeof rawName === "string" ? rawName : undefined;
    this.found.push({ resource: settled, path, id, unknowns, displayName });
    children();
  }

  private deployment(raw: Obj, path: JsonPath, ctx: Template): void {
    const [propsKey, props] = entry(raw, "properties") ?? ["properties", undefined];
    let template = entry(props, "template");
    // Bicep's loadJsonContent() gives the template as an expression: `"template": "[variables('$fxv#0')]"`.
    if (template && typeof template[1] === "string") template = [template[0], ctx.evaluate(template[1])];
    if (!template || template[1] instanceof Unresolved || !isObj(template[1]) || isPartial(template[1])) {
      const link = get(get(props, "templateLink"), "uri") ?? get(get(props, "templateLink"), "id");
      const why = template?.[1] instanceof Unresolved ? `its template is only known at deployment (${template[1].reason})` : `links its template${typeof link === "string" ? ` (${link})` : ""}`;
      this.notJudged.push({ path, message: `nested deployment ${why}; resources inside it are not judged` });
      return;
    }
    const scope = ctx.evaluate(get(get(props, "expressionEvaluationOptions"), "scope"));
    const innerPath = [...path, propsKey, template[0]];
    if (typeof scope === "string" && scope.toLowerCase() === "inner") {
      // Inner scope: the nested template's own parameters, given by the parent (evaluated in its scope).
      this.template(template[1], innerPath, this.givenParameters(get(props, "parameters"), ctx, "of the nested deployment"));
    } else {
      this.template(template[1], innerPath, new Map(), ctx);
    }
  }

  /**
   * A Blueprint template artifact declared in a template: its template is deployed when the blueprint
   * is assigned, with the artifact's parameter values; a value that is itself an expression refers to
   * the blueprint's own parameters, only known at assignment.
   */
  private artifact(raw: Obj, path: JsonPath, ctx: Template): void {
    const [propsKey, props] = entry(raw, "properties") ?? ["properties", undefined];
    let template = entry(props, "template");
    if (template && typeof template[1] === "string") template = [template[0], ctx.evaluate(template[1])];
    if (!template || template[1] instanceof Unresolved || !isObj(template[1]) || isPartial(template[1])) {
      this.notJudged.push({ path, message: "Blueprint template artifact whose template is not given inline; resources inside it are not judged" });
      return;
    }
    this.template(template[1], [...path, propsKey, template[0]], this.givenParameters(get(props, "parameters"), ctx, "of the Blueprint artifact", true));
  }

  /** The parameter values a parent gives an inner template (`{name: {value}}`, or one expression each). */
  private givenParameters(params: unknown, ctx: Template, of: string, blueprint = false): Map<string, unknown> {
    const given = new Map<string, unknown>();
    if (!isObj(params)) return given;
    for (const [n, spec] of Object.entries(params)) {
      // Bicep may give a whole `{value: …}` as one expression (`[if(c, createObject('value', x), …)]`):
      // its result is already evaluated.
      const evaluated = typeof spec === "string" ? ctx.evaluate(spec) : undefined;
      let value: unknown;
      if (evaluated instanceof Unresolved) value = evaluated;
      else if (evaluated !== undefined) value = entry(evaluated, "value") ? get(evaluated, "value") : new Unresolved(`parameter '${n}' ${of} has no value`);
      else if (entry(spec, "value")) value = ctx.evaluate(get(spec, "value"));
      else value = new Unresolved(`parameter '${n}' ${of} is a Key Vault reference`);
      if (blueprint && typeof value === "string" && isExpression(value)) value = new Unresolved(`parameter '${n}' ${of} is ${value}, set when the blueprint is assigned`);
      given.set(n.toLowerCase(), value);
    }
    return given;
  }

  /** A Blueprint template artifact document: its template with the artifact's parameter values (given values win). */
  artifactDocument(doc: Obj, given: ParameterValues): void {
    const [propsKey, props] = entry(doc, "properties") ?? ["properties", undefined];
    const template = entry(props, "template");
    if (!template || !isObj(template[1])) return;
    const values = new Map<string, unknown>();
    const params = get(props, "parameters");
    for (const [n, spec] of Object.entries(isObj(params) ? params : {})) {
      const value = get(spec, "value");
      values.set(n.toLowerCase(), typeof value === "string" && isExpression(value) ? new Unresolved(`parameter '${n}' of the Blueprint artifact is ${value}, set when the blueprint is assigned`) : value);
    }
    for (const [n, v] of given) values.set(n, v);
    this.template(template[1], [propsKey, template[0]], values);
  }
}

export interface Resolved {
  resources: ArmFound[];
  /** Resources declared but not deployed (condition false, `existing`) and parts that cannot be followed (linked templates). */
  notJudged: ArmNotJudged[];
  /** Resources Resource Manager would refuse, at their declaration. */
  errors: ArmError[];
}

/**
 * Every resource an ARM template deploys, with its values resolved, or replaced by `unknown` (the
 * caller's placeholder) and noted where only the deployment knows them; strings only partly known
 * stay PartialStrings, placed at their path. A Blueprint template artifact is resolved as its template.
 */
export function resolveTemplate(template: Obj, parameters: ParameterValues, unknown: unknown): Resolved {
  const resolver = new Resolver(unknown);
  if (isBlueprintTemplateArtifact(template)) resolver.artifactDocument(template, parameters);
  else resolver.template(template, [], parameters);
  return { resources: resolver.found, notJudged: resolver.notJudged, errors: resolver.errors };
}
