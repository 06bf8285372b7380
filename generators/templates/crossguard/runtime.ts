import type { ResourceRemediation, ResourceValidation, StackValidation } from "@pulumi/policy";
import * as path from "path";
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
    /** The catalog's default enforcement level. */
    enforcement: string;
    defaults: Config;
    when?: Condition<Config>;
    failsWhen: Condition<Config>;
    message: string;
    /** The message for a shape (by id) whose provider spells the fix's properties its own way. */
    messages?: Record<string, string>;
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

/** What Configure told the pack: each policy's effective enforcement level and parameters. */
const configured = new Map<string, Record<string, unknown>>();

/** Problems in a whole policy-pack config (policy name → enforcementLevel and parameters), one per mistake. */
export function packConfigProblems(rules: readonly { name: string; parameters: Record<string, ParameterSpec> }[], config: Record<string, Record<string, unknown>>): string[] {
    const problems: string[] = [];
    const names = rules.map((r) => r.name);
    for (const [policy, entry] of Object.entries(config)) {
        const { enforcementLevel: _level, ...given } = entry;
        const rule = rules.find((r) => r.name === policy);
        if (rule) {
            for (const [key, value] of Object.entries(given)) {
                const problem = invalid(rule, key, value);
                if (problem) problems.push(`invalid policy config for '${policy}': ${problem}`);
            }
        } else if (policy === "all") {
            // The CLI's own key: an enforcement level for every policy, nothing else.
            if (Object.keys(given).length > 0) problems.push(`invalid policy config for 'all': it takes only enforcementLevel (got ${Object.keys(given).join(", ")})`);
        } else {
            const near = names.find((n) => editDistance(n, policy) <= 3);
            problems.push(`invalid policy config: '${policy}' is not a policy of this pack${near ? ` (did you mean '${near}'?)` : ""}`);
        }
    }
    return problems;
}

function editDistance(a: string, b: string): number {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        row = next;
    }
    return row[b.length];
}

/**
 * Checks the policy-pack config when the CLI hands it over (the analyzer's Configure call), so a
 * mistake fails the preview up front, in one line, whatever resources the stack holds. The CLI
 * checks values against each policy's configSchema, but it ignores unknown policy names and unknown
 * keys (it drops `additionalProperties`), and @pulumi/policy stores any config; without this a typo
 * silently leaves a rule at its default. Must run before the PolicyPack is constructed: it wraps the
 * Configure handler that @pulumi/policy registers with its gRPC server.
 */
export function checkConfigOnConfigure(rules: readonly { name: string; parameters: Record<string, ParameterSpec> }[]): void {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
    const { convertEnforcementLevel } = require(path.join(policyDir, "protoutil"));
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, Function>) {
        grpc.Server.prototype.addService = addService;
        const configure = impl.configure;
        const guarded = (call: any, callback: (err: unknown, value?: unknown) => void) => {
            const config: Record<string, Record<string, unknown>> = {};
            for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
                config[name] = { ...(entry.getProperties()?.toJavaScript() ?? {}), enforcementLevel: convertEnforcementLevel(entry.getEnforcementlevel()) };
            }
            const problems = packConfigProblems(rules, config);
            if (problems.length > 0) return callback({ code: grpc.status.INVALID_ARGUMENT, details: problems.join("; ") });
            configured.clear();
            for (const [name, entry] of Object.entries(config)) configured.set(name, entry);
            return configure.call(impl, call, callback);
        };
        return addService.call(this, service, typeof configure === "function" ? { ...impl, configure: guarded } : impl);
    };
}

/**
 * The `unknown-at-preview` policy (disabled by default): on each resource, runs the resource rules
 * that are mandatory in this run and reports every one whose inputs are unknown during preview. The rules
 * themselves keep CrossGuard's convention (an advisory "can't run during preview", decided at `up`);
 * enabling this policy as mandatory makes such a preview fail, for pipelines that gate on preview.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rules of every config type
export function validateDecidable(rules: readonly ResourceRule<any>[]): ResourceValidation {
    return (args, reportViolation) => {
        // Stack rules judge the stack as a whole; their unknowns stay advisory.
        for (const rule of rules.filter((r) => !("trigger" in r))) {
            const level = configured.get(rule.name)?.enforcementLevel ?? rule.enforcement;
            const shape = matchShape(rule.shapes, args.type);
            if (level !== "mandatory" || !shape) continue;
            const { enforcementLevel: _level, ...given } = configured.get(rule.name) ?? {};
            const { verdict, cause } = verdictOf(rule, shape, args.props, { ...rule.defaults, ...given });
            if (verdict === "unknown") reportViolation(`'${rule.name}' can't decide during preview: ${cause?.message ?? "a value is unknown"}.`);
        }
    };
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
        if (verdict === "fail") reportViolation(rule.messages?.[shape.id] ?? rule.message);
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
        let undecided: Error | undefined;
        for (const resource of args.resources) {
            const shape = matchShape(rule.trigger.shapes, resource.type);
            if (!shape) continue;
            const trigger = rule.trigger.condition(reader(shape, resource.props), config, NO_RELATED);
            triggers.push(trigger);
            undecided ??= naming(resource, unknownCause(trigger));
        }
        const triggered = triggers.includes(true) ? true : (undecided ?? false);
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
            if (verdict === "fail" && triggered === true) reportViolation(rule.messages?.[shape.id] ?? rule.message, resource.urn);
            else throw naming(resource, cause) ?? triggered;
        }
        if (judged === 0) return notApplicable(args, `the stack holds no ${rule.appliesTo} resource`);
    };
}

/**
 * The unknown-value error of a stack policy, naming the resource: a stack policy's "can't run during
 * preview" line names no resource by itself. The runtime recognises the error by its class, so the
 * message is changed in place.
 */
function naming(resource: { type: string; name: string }, cause: Error | undefined): Error | undefined {
    const prefix = `${resource.type} '${resource.name}': `;
    if (cause && !cause.message.startsWith(prefix)) cause.message = prefix + cause.message;
    return cause;
}
