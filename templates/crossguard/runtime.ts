import type { ResourceRemediation, ResourceValidation, StackValidation } from "@pulumi/policy";
import { judge, matchShape, readField, unknownCause, type ShapeBinding, type Tri, type Verdict } from "./semantics";

/** Reads one logical field of the resource being judged, with the cloud default for absent values. */
export type FieldReader = (field: string) => unknown;
/** Stack rules: the field readers of the stack's resources of a target (for `noneRelated`). */
export type Related = (target: string) => FieldReader[];
export type Condition<Config> = (field: FieldReader, config: Config, related: Related) => Tri;
const NO_RELATED: Related = () => [];

/** A rule parameter as declared in the policy's configSchema. */
export interface ParameterSpec {
    type: "boolean" | "integer" | "string" | "array";
    minimum?: number;
    maximum?: number;
}

export interface ResourceRule<Config> {
    /** The policy name, for error messages. */
    name: string;
    parameters: Record<string, ParameterSpec>;
    shapes: readonly ShapeBinding[];
    /** The resource types the rule judges, for the not-applicable reason. */
    appliesTo: string;
    defaults: Config;
    when?: Condition<Config>;
    failsWhen: Condition<Config>;
    message: string;
}

export interface StackRule<Config> extends ResourceRule<Config> {
    trigger: { shapes: readonly ShapeBinding[]; condition: Condition<Config> };
    /** The shapes of each target the rule's conditions relate resources to. */
    related: Record<string, readonly ShapeBinding[]>;
}

function invalid(rule: { name: string; parameters: Record<string, ParameterSpec> }, key: string, value: unknown): string | undefined {
    const spec = rule.parameters[key];
    if (!spec) return `unknown parameter '${key}' (expected: ${Object.keys(rule.parameters).join(", ") || "none"})`;
    const ok =
        spec.type === "integer" ? Number.isInteger(value)
        : spec.type === "array" ? Array.isArray(value) && value.every((v) => typeof v === "string")
        : typeof value === spec.type;
    const expected = { integer: "an integer", array: "a list of strings", boolean: "a boolean", string: "a string" }[spec.type];
    if (!ok) return `'${key}' must be ${expected} (got ${JSON.stringify(value)})`;
    if (typeof value === "number" && ((spec.minimum !== undefined && value < spec.minimum) || (spec.maximum !== undefined && value > spec.maximum))) {
        return `'${key}' must be between ${spec.minimum ?? "-∞"} and ${spec.maximum ?? "∞"} (got ${value})`;
    }
    return undefined;
}

/**
 * Policy config (`--policy-pack-config`) overrides the catalog defaults key by key. It is checked
 * here too: the runtime accepts any config, and a typo must not silently leave a rule at its default.
 */
function configOf<Config>(args: { getConfig<T extends object>(): T }, rule: ResourceRule<Config>): Config {
    const given = args.getConfig<Record<string, unknown>>();
    const problems = Object.entries(given).map(([k, v]) => invalid(rule, k, v)).filter((p) => p !== undefined);
    if (problems.length > 0) throw new Error(`invalid policy config for '${rule.name}': ${problems.join("; ")}`);
    return { ...rule.defaults, ...(given as Partial<Config>) };
}

function reader(shape: ShapeBinding, props: unknown): FieldReader {
    return (field) => readField(props, shape.fields[field]);
}

function verdictOf<Config>(rule: ResourceRule<Config>, shape: ShapeBinding, props: unknown, config: Config, related: Related = NO_RELATED): { verdict: Verdict; cause?: Error } {
    const field = reader(shape, props);
    const applies = rule.when ? rule.when(field, config, related) : true;
    const fails = rule.failsWhen(field, config, related);
    return { verdict: judge(applies, fails), cause: unknownCause(applies, fails) };
}

function notApplicable(args: { notApplicable?: (reason?: string) => never }, reason: string): void {
    // Older policy runtimes have no notApplicable(); returning quietly means the same to them.
    if (typeof args.notApplicable === "function") args.notApplicable(reason);
}

/**
 * A resource policy: resources of other types are ignored; a value unknown during preview rethrows
 * the runtime's UnknownValueError, which it reports as an advisory "can't run during preview".
 */
export function validateResource<Config>(rule: ResourceRule<Config>): ResourceValidation {
    return (args, reportViolation) => {
        const shape = matchShape(rule.shapes, args.type);
        if (!shape) return notApplicable(args, `Policy only applies to ${rule.appliesTo}`);
        const { verdict, cause } = verdictOf(rule, shape, args.props, configOf(args, rule));
        if (verdict === "fail") reportViolation(rule.message);
        else if (verdict === "unknown" && cause) throw cause;
        else if (verdict === "not-applicable") notApplicable(args, "the rule's precondition does not hold for this resource");
    };
}

/**
 * Remediation for rules whose fix is one boolean property: on a failing resource, returns its
 * properties with that property set (stored as the provider stores it). Passing resources and
 * other types are left alone. Runs only when the policy's enforcement level is `remediate`.
 */
export function remediateResource<Config>(rule: ResourceRule<Config> & { fix: { field: string; value: boolean } }): ResourceRemediation {
    return (args) => {
        const shape = matchShape(rule.shapes, args.type);
        if (!shape) return undefined;
        const { verdict, cause } = verdictOf(rule, shape, args.props, configOf(args, rule));
        if (verdict === "unknown" && cause) throw cause;
        if (verdict !== "fail") return undefined;
        const binding = shape.fields[rule.fix.field];
        const logical = binding.inverted ? !rule.fix.value : rule.fix.value;
        const stored = binding.valueMap ? Object.keys(binding.valueMap).find((k) => binding.valueMap![k] === logical) : logical;
        const props = JSON.parse(JSON.stringify(args.props)) as Record<string, unknown>;
        let node = props;
        for (const key of binding.path.slice(0, -1)) {
            if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
            node = node[key] as Record<string, unknown>;
        }
        node[binding.path[binding.path.length - 1]] = stored;
        return props;
    };
}

/** A stack policy: judges `shapes` resources only when some resource of the stack matches the trigger. */
export function validateStack<Config>(rule: StackRule<Config>): StackValidation {
    return (args, reportViolation) => {
        const config = configOf(args, rule);
        const triggers: Tri[] = [];
        for (const resource of args.resources) {
            const shape = matchShape(rule.trigger.shapes, resource.type);
            if (shape) triggers.push(rule.trigger.condition(reader(shape, resource.props), config, NO_RELATED));
        }
        const triggered = triggers.includes(true) ? true : (unknownCause(...triggers) ?? false);
        if (triggered === false) return notApplicable(args, "no resource in this stack matches the rule's trigger");
        const related: Related = (target) =>
            args.resources.flatMap((r) => {
                const shape = matchShape(rule.related[target] ?? [], r.type);
                return shape ? [reader(shape, r.props)] : [];
            });
        let judged = 0;
        for (const resource of args.resources) {
            const shape = matchShape(rule.shapes, resource.type);
            if (!shape) continue;
            const { verdict, cause } = verdictOf(rule, shape, resource.props, config, related);
            if (verdict === "not-applicable") continue;
            judged++;
            if (verdict === "pass") continue;
            if (verdict === "fail" && triggered === true) reportViolation(rule.message, resource.urn);
            else throw cause ?? triggered;
        }
        if (judged === 0) return notApplicable(args, `the stack holds no ${rule.appliesTo} resource`);
    };
}
