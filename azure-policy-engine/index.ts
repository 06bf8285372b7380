/**
 * Offline Azure Policy evaluator: which effect does a policy definition have on an ARM resource?
 *
 *   const check = compilePolicy(definition, { aliases });   // parse and compile once
 *   check(resource, { parameters: { effect: "Deny" } });    // → { effect: "deny", matched: true }
 *   evaluatePolicy(definition, resource, options);         // one-off compile + evaluate
 *
 * `definition` is a policy definition (`{ properties: { policyRule, parameters, mode } }`, with or
 * without the `properties` envelope) or a bare `{ if, then }` rule. The policy language is
 * implemented as Microsoft documents it: allOf/anyOf/not; field, value and count conditions (nested
 * counts, current()); the 19 operators with their casing and type-coercion rules; aliases (from the
 * caller's catalog, per resource type and API version, else `properties.` + the part after the
 * type); ARM template expressions, with lazy if().
 *
 * Nothing throws: a malformed definition or a failing template function comes back as `error`.
 *
 * Not covered: effect `details` are not evaluated (append/modify operations, deployIfNotExists
 * deployments), only the effect is reported; the auditIfNotExists/deployIfNotExists existence check
 * runs only when the caller passes `relatedResources`. Resource provider modes
 * (`Microsoft.Kubernetes.Data`, ...) are rejected: their data plane evaluates them; so is any mode
 * other than the Resource Manager modes `All` and `Indexed` (case-insensitive). `Indexed`
 * "only evaluates resource types that support tags and location" (Azure Policy definition structure
 * basics, https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-basics#mode):
 * which types those are is the caller's knowledge (`supportsTagsAndLocation`); without it, `Indexed`
 * evaluates like `All`.
 */

import { compileCondition, lowerKeys, type Condition } from "./conditions";
import { compileValue } from "./expressions";
import type { Env } from "./functions";
import { FieldResolver, getKey, type AliasCatalog } from "./field-paths";
import { PolicyError, type EvaluationContext, type Evaluator, type Scope } from "./scope";

export type { AliasCatalog, AliasDefinition, ProviderAliases } from "./field-paths";
export type { EvaluationContext } from "./scope";

/**
 * ARM template expressions, which Azure Policy shares with Resource Manager's templates: the
 * evaluator, the template functions, and the value a function returns when only the deployment can
 * know its result. An ARM template resolver (arm-template/) builds on these and adds the
 * template-only functions (parameters(), variables(), copyIndex(), resourceId() ...).
 */
export { compileExpression, isExpression } from "./expressions";
export { FUNCTIONS, Unresolved, type Env, type TemplateFunction } from "./functions";
export { PolicyError, type Scope } from "./scope";
/**
 * Strings only partly known before deployment (known text around holes): a template resolver builds
 * them, and an evaluation given `partial: true` decides on them only when every completion agrees,
 * throwing UnknownValue (the result's `thrown`) otherwise.
 */
export { PartialString, UnknownValue, containsPartial, firstPartial, isPartial, joinText, mapText, partialString, type Hole, type Part } from "./partial";

export interface EvaluationResult {
  /** The lower-cased effect (`"deny"`, `"audit"`, ...) when the policy applies to the resource, else undefined. */
  readonly effect: string | undefined;
  /** Whether the `if` condition held. False for a `disabled` effect, whose rule is not evaluated. */
  readonly matched: boolean;
  /** Why evaluation failed: `invalid policy definition: ...` or `evaluation error: ...`. */
  readonly error?: string;
  /** What an evaluation error threw, for callers whose resources throw on purpose (values unknown yet). */
  readonly thrown?: unknown;
}

export interface CompileOptions {
  /** Alias catalog; aliases it lacks resolve to `properties.` + the part after the resource type. */
  aliases?: AliasCatalog;
  /**
   * Whether a resource type (lower-cased) supports tags and location. A definition in `Indexed` mode
   * skips types for which this returns false, as Azure does (child resources such as
   * `Microsoft.Network/networkSecurityGroups/securityRules`).
   */
  supportsTagsAndLocation?: (resourceType: string) => boolean;
}

export interface EvaluateOptions {
  /** Assignment parameter values; the definition's `defaultValue`s fill in the absent ones. */
  parameters?: Readonly<Record<string, unknown>>;
  /** What resourceGroup(), subscription(), requestContext(), policy() and utcNow() return. */
  context?: EvaluationContext;
  /** Selects versioned alias paths; defaults to the resource's `apiVersion`. */
  apiVersion?: string;
  /**
   * auditIfNotExists/deployIfNotExists: the related resources of `details.type` (the caller looks
   * them up). The effect is withheld when one satisfies `details.existenceCondition`.
   */
  relatedResources?: readonly unknown[];
  /** The resource holds partly known strings (PartialString): decide on them for every completion, else throw UnknownValue. */
  partial?: boolean;
}

export type CompiledPolicy = ((resource: unknown, options?: EvaluateOptions) => EvaluationResult) & {
  /** Set when the definition is malformed; every evaluation then returns this error. */
  readonly error?: string;
};

const NO_MATCH: EvaluationResult = Object.freeze({ effect: undefined, matched: false });
const COMPLIANT: EvaluationResult = Object.freeze({ effect: undefined, matched: true });
const EXISTENCE_EFFECTS = new Set(["auditifnotexists", "deployifnotexists"]);

export function compilePolicy(definition: unknown, options: CompileOptions = {}): CompiledPolicy {
  try {
    return build(definition, { resolver: new FieldResolver(options.aliases) }, options.supportsTagsAndLocation);
  } catch (e) {
    const error = `invalid policy definition: ${message(e)}`;
    const result: EvaluationResult = Object.freeze({ effect: undefined, matched: false, error });
    return Object.assign(() => result, { error });
  }
}

export function evaluatePolicy(definition: unknown, resource: unknown, options: CompileOptions & EvaluateOptions = {}): EvaluationResult {
  return compilePolicy(definition, options)(resource, options);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function build(definition: unknown, env: Env, supportsTagsAndLocation?: CompileOptions["supportsTagsAndLocation"]): CompiledPolicy {
  const { rule, parameters, mode } = unwrap(definition);
  const indexed = typeof mode === "string" && mode.toLowerCase() === "indexed";
  if (mode !== undefined) {
    if (typeof mode !== "string") throw new PolicyError("'mode' must be a string");
    if (/^microsoft\./i.test(mode)) {
      throw new PolicyError(`resource provider mode '${mode}' is evaluated by its data plane, not here`);
    }
    // Besides the resource provider modes above, the only modes are Resource Manager's: `all` and `indexed`.
    if (!indexed && mode.toLowerCase() !== "all") throw new PolicyError(`mode '${mode}' is not All, Indexed or a resource provider mode`);
  }
  const defaults = parameterDefaults(parameters);

  // Unknown keys outside conditions are ignored, as the service does.
  const ruleKeys = lowerKeys(rule, "'policyRule'");
  if (!ruleKeys.has("if")) throw new PolicyError("the policy rule has no 'if'");
  if (!ruleKeys.has("then")) throw new PolicyError("the policy rule has no 'then'");
  const condition = compileCondition(ruleKeys.get("if"), env);
  const then = lowerKeys(ruleKeys.get("then"), "'then'");
  const effectName = then.get("effect");
  if (typeof effectName !== "string") throw new PolicyError("'then.effect' must be a string");
  const effect = compileValue(effectName, env).fn;
  const { existence, relatedType } = compileDetails(then.get("details"), env);

  return (resource, options = {}) => {
    try {
      if (resource === null || typeof resource !== "object" || Array.isArray(resource)) {
        throw new PolicyError("the resource must be an object");
      }
      const scope: Scope = {
        resource,
        subject: resource,
        params: resolveParameters(defaults, options.parameters),
        context: options.context ?? {},
        resourceType: lowerString(resource, "type"),
        apiVersion: options.apiVersion?.toLowerCase() ?? lowerString(resource, "apiVersion"),
        frames: [],
        partial: options.partial === true,
      };
      if (indexed && scope.resourceType !== undefined && supportsTagsAndLocation?.(scope.resourceType) === false) return NO_MATCH;
      const name = effect(scope);
      if (typeof name !== "string") throw new PolicyError(`the effect must be a string, got ${JSON.stringify(name)}`);
      const lower = name.toLowerCase();
      if (lower === "disabled" || !condition(scope)) return NO_MATCH;
      const related = options.relatedResources;
      if (related && EXISTENCE_EFFECTS.has(lower) && related.some((r) => satisfies(r, scope))) return COMPLIANT;
      return { effect: lower, matched: true };
    } catch (e) {
      // Non-enumerable: the cause is for callers that need it, not part of the verdict.
      return Object.defineProperty({ effect: undefined, matched: false, error: `evaluation error: ${message(e)}` }, "thrown", { value: e });
    }
  };

  // Whether a related resource satisfies the existence condition (any does when there is none).
  // `field` conditions read it; field() still reads the evaluated resource. It is of `details.type`
  // whether or not it says so.
  function satisfies(related: unknown, scope: Scope): boolean {
    if (!existence) return true;
    const type = relatedType(scope);
    return existence({
      ...scope,
      resource: related,
      resourceType: lowerString(related, "type") ?? (typeof type === "string" ? type.toLowerCase() : undefined),
      apiVersion: lowerString(related, "apiVersion"),
      frames: [],
    });
  }
}

/** Accepts `{ properties: { policyRule, ... } }`, `{ policyRule, ... }` or a bare `{ if, then }`. */
function unwrap(definition: unknown): { rule: unknown; parameters: unknown; mode: unknown } {
  const outer = lowerKeys(definition, "a policy definition");
  let props = outer;
  if (outer.has("properties")) {
    props = lowerKeys(outer.get("properties"), "'properties'");
    for (const key of props.keys()) {
      if (outer.has(key)) throw new PolicyError(`'${key}' appears both inside and outside the definition's 'properties'`);
    }
  } else if (!outer.has("policyrule")) {
    return { rule: definition, parameters: undefined, mode: undefined };
  }
  if (!props.has("policyrule")) throw new PolicyError("the definition has no 'policyRule'");
  return { rule: props.get("policyrule"), parameters: props.get("parameters"), mode: props.get("mode") };
}

/** Parameter `defaultValue`s by lower-cased name (parameter names are case-insensitive). */
function parameterDefaults(parameters: unknown): ReadonlyMap<string, unknown> {
  const defaults = new Map<string, unknown>();
  if (parameters === undefined) return defaults;
  for (const [name, spec] of lowerKeys(parameters, "'parameters'")) {
    const value = lowerKeys(spec, `parameter '${name}'`).get("defaultvalue");
    if (value !== undefined) defaults.set(name, value);
  }
  return defaults;
}

function resolveParameters(defaults: ReadonlyMap<string, unknown>, given: Readonly<Record<string, unknown>> | undefined): ReadonlyMap<string, unknown> {
  if (!given) return defaults;
  let params: Map<string, unknown> | undefined;
  for (const name of Object.keys(given)) {
    params ??= new Map(defaults);
    params.set(name.toLowerCase(), given[name]);
  }
  return params ?? defaults;
}

/**
 * Compiles `details.existenceCondition` and `details.type` (auditIfNotExists/deployIfNotExists),
 * and rejects modify operations on aliases the catalog doesn't mark Modifiable, as the service does.
 */
function compileDetails(details: unknown, env: Env): { existence?: Condition; relatedType: Evaluator } {
  const isObject = details !== null && typeof details === "object" && !Array.isArray(details);
  const keys = isObject ? lowerKeys(details, "'details'") : new Map<string, unknown>();
  const operations = keys.get("operations");
  for (const operation of Array.isArray(operations) ? operations : []) {
    const field = lowerKeys(operation, "a modify operation").get("field");
    if (typeof field === "string" && env.resolver.modifiable(field) === false) {
      throw new PolicyError(`alias '${field}' is not modifiable`);
    }
  }
  const condition = keys.get("existencecondition");
  return {
    existence: condition === undefined ? undefined : compileCondition(condition, env),
    relatedType: compileValue(keys.get("type"), env).fn,
  };
}

/** A lower-cased string property of a resource (`type`, `apiVersion`). */
function lowerString(resource: unknown, key: string): string | undefined {
  if (resource === null || typeof resource !== "object" || Array.isArray(resource)) return undefined;
  const value = getKey(resource as Record<string, unknown>, key);
  return typeof value === "string" ? value.toLowerCase() : undefined;
}
