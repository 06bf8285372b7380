import type { ResourceRemediation, ResourceValidation, StackValidation } from "@pulumi/policy";
import * as path from "path";
import { judge, matchShape, readField, unknownCause, type ShapeBinding, type Tri, type Verdict } from "./semantics";
import { EXEMPTIONS_POLICY, REST, RING_POLICY, exemptMessage, expiredNote, parseUrn, pulumiExemption, ringOfStack, type Exemption, type ExemptionMatch, type Rollout } from "./rollout";

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
    /** The values a string parameter takes. */
    enum?: string[];
}

/** What the config check knows of a policy: its parameters, and the one level it runs at if it takes no other. */
export interface ConfigurablePolicy {
    name: string;
    parameters: Record<string, ParameterSpec>;
    onlyLevel?: string;
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
    /** The exemptions that name this rule (catalog/exemptions.yaml). */
    exemptions?: readonly Exemption[];
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
    if (spec.enum && !spec.enum.includes(value as string)) return `'${key}' must be one of ${spec.enum.join(", ")} (got ${JSON.stringify(value)})`;
    if (typeof value === "number" && ((spec.minimum !== undefined && value < spec.minimum) || (spec.maximum !== undefined && value > spec.maximum))) {
        return `'${key}' must be between ${spec.minimum ?? "-∞"} and ${spec.maximum ?? "∞"} (got ${value})`;
    }
    return undefined;
}

/** What Configure told the pack: each policy's effective enforcement level and parameters. */
const configured = new Map<string, Record<string, unknown>>();

/** Problems in a whole policy-pack config (policy name → enforcementLevel and parameters), one per mistake. */
export function packConfigProblems(rules: readonly ConfigurablePolicy[], config: Record<string, Record<string, unknown>>): string[] {
    const problems: string[] = [];
    const names = rules.map((r) => r.name);
    for (const [policy, entry] of Object.entries(config)) {
        const { enforcementLevel: level, ...given } = entry;
        const rule = rules.find((r) => r.name === policy);
        if (rule?.onlyLevel && level !== undefined && level !== rule.onlyLevel) {
            problems.push(`invalid policy config for '${policy}': it is always ${rule.onlyLevel} (got ${JSON.stringify(level)}), so exempt violations are reported and never block`);
        }
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
export function checkConfigOnConfigure(rules: readonly ConfigurablePolicy[]): void {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
    const { convertEnforcementLevel, mapEnforcementLevel } = require(path.join(policyDir, "protoutil"));
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, Function>) {
        grpc.Server.prototype.addService = addService;
        const configure = impl.configure;
        const guarded = (call: any, callback: (err: unknown, value?: unknown) => void) => {
            const config: Record<string, Record<string, unknown>> = {};
            const entries = call.request.getPolicyconfigMap();
            for (const [name, entry] of entries.entries()) {
                config[name] = { ...(entry.getProperties()?.toJavaScript() ?? {}), enforcementLevel: convertEnforcementLevel(entry.getEnforcementlevel()) };
            }
            // The CLI hands `all`'s level to every policy; a policy that runs at one level only (the
            // exemptions policy) keeps it: `all` is about the rules. Another level given by name is refused.
            const all = config.all?.enforcementLevel;
            for (const rule of rules.filter((r) => r.onlyLevel && config[r.name] && config[r.name].enforcementLevel === all && all !== r.onlyLevel)) {
                entries.get(rule.name).setEnforcementlevel(mapEnforcementLevel(rule.onlyLevel));
                config[rule.name].enforcementLevel = rule.onlyLevel;
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
            // An exempt resource's unknown is reported by the exemptions policy, and does not block.
            if (verdict === "unknown" && exemptionOf(rule, args)?.status !== "active") reportViolation(`'${rule.name}' can't decide during preview: ${cause?.message ?? "a value is unknown"}.`);
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

/** The exemption of `rule` that covers a resource, honoured or expired, judged now. */
function exemptionOf(rule: { name: string; exemptions?: readonly Exemption[] }, resource: { urn: string; name: string }): ExemptionMatch | undefined {
    return rule.exemptions && rule.exemptions.length > 0 ? pulumiExemption(rule.exemptions, rule.name, resource, new Date()) : undefined;
}

/** A violation's message; after its exemption expired, with what expired. */
function violation(message: string, match: ExemptionMatch | undefined): string {
    return match ? `${message}\n${expiredNote(match.exemption)}` : message;
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
        const exempt = verdict === "fail" || verdict === "unknown" ? exemptionOf(rule, args) : undefined;
        // Exempt: the exemptions policy reports it (advisory); here the resource is not judged.
        if (exempt?.status === "active") return notApplicable(args, exemptMessage(rule.name, exempt.exemption, verdict === "fail" ? "fail" : "unknown"));
        if (verdict === "fail") reportViolation(violation(rule.messages?.[shape.id] ?? rule.message, exempt));
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
        // An exempt resource is left as it is.
        if ((verdict === "fail" || verdict === "unknown") && exemptionOf(rule, args)?.status === "active") return undefined;
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

/** A stack rule's verdicts: whether some resource triggers it, and each judged resource's verdict. */
interface StackJudgement {
    triggered: true | false | Error;
    judged: { resource: PolicyResourceLike; shape: ShapeBinding; verdict: Verdict; cause?: Error }[];
}

type PolicyResourceLike = { type: string; name: string; urn: string; props: Record<string, unknown> };

function judgeStack<Config>(rule: StackRule<Config>, resources: readonly PolicyResourceLike[], config: Config): StackJudgement {
    const triggers: Tri[] = [];
    let undecided: Error | undefined;
    for (const resource of resources) {
        const shape = matchShape(rule.trigger.shapes, resource.type);
        if (!shape) continue;
        const trigger = rule.trigger.condition(reader(shape, resource.props), config, NO_RELATED);
        triggers.push(trigger);
        undecided ??= naming(resource, unknownCause(trigger));
    }
    const triggered = triggers.includes(true) ? true : (undecided ?? false);
    if (triggered === false) return { triggered, judged: [] };
    const related: Related = (target) =>
        resources.flatMap((r) => {
            const shape = matchShape(rule.related[target] ?? [], r.type);
            return shape ? [reader(shape, r.props)] : [];
        });
    const judged: StackJudgement["judged"] = [];
    for (const resource of resources) {
        const shape = matchShape(rule.shapes, resource.type);
        if (!shape) continue;
        const { verdict, cause } = verdictOf(rule, shape, resource.props, config, related);
        if (verdict !== "not-applicable") judged.push({ resource, shape, verdict, cause });
    }
    return { triggered, judged };
}

/** A stack policy: judges `shapes` resources only when some resource of the stack matches the trigger. */
export function validateStack<Config>(rule: StackRule<Config>): StackValidation {
    return (args, reportViolation) => {
        const { triggered, judged } = judgeStack(rule, args.resources, configOf(args, rule));
        if (triggered === false) return notApplicable(args, "no resource in this stack matches the rule's trigger");
        for (const { resource, shape, verdict, cause } of judged) {
            if (verdict === "pass") continue;
            const exempt = exemptionOf(rule, resource);
            if (exempt?.status === "active") continue; // reported by the exemptions policy
            if (verdict === "fail" && triggered === true) reportViolation(violation(rule.messages?.[shape.id] ?? rule.message, exempt), resource.urn);
            else throw naming(resource, cause) ?? triggered;
        }
        if (judged.length === 0) return notApplicable(args, `the stack holds no ${rule.appliesTo} resource`);
    };
}

/**
 * The `exemptions` policy: reports, as advisory, every violation an exemption keeps from blocking —
 * which rule, which resource, the exemption's reason, ticket and expiry — so an exempt resource is
 * never dropped in silence. Each rule runs with the enforcement level and parameters this run gave
 * it; a rule disabled in this run has nothing to exempt.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rules of every config type
export function reportExemptions(rules: readonly ResourceRule<any>[]): StackValidation {
    return (args, reportViolation) => {
        const now = new Date();
        let reported = 0;
        for (const rule of rules.filter((r) => r.exemptions && r.exemptions.length > 0)) {
            const { enforcementLevel: level = rule.enforcement, ...given } = configured.get(rule.name) ?? {};
            if (level === "disabled") continue;
            const config = { ...rule.defaults, ...given };
            const verdicts =
                "trigger" in rule
                    ? judgeStack(rule as StackRule<unknown>, args.resources, config).judged
                    : args.resources.flatMap((resource) => {
                          const shape = matchShape(rule.shapes, resource.type);
                          return shape ? [{ resource, ...verdictOf(rule, shape, resource.props, config) }] : [];
                      });
            for (const { resource, verdict } of verdicts) {
                if (verdict !== "fail" && verdict !== "unknown") continue;
                const match = pulumiExemption(rule.exemptions ?? [], rule.name, resource, now);
                if (match?.status !== "active") continue;
                reportViolation(exemptMessage(rule.name, match.exemption, verdict), resource.urn);
                reported++;
            }
        }
        if (reported === 0) return notApplicable(args, "no violation in this stack is exempt");
    };
}

/**
 * The `rollout-ring` policy: the stack must run with its own ring's policy-pack config
 * (policypack/rings/<ring>.json), which names the ring in this policy's `ring` key. The stack's ring
 * follows from its name (in every URN) and its tags, as catalog/rollout.yaml defines the rings.
 */
export function checkRing(rollout: Rollout): StackValidation {
    return (args, reportViolation) => {
        const stack = args.resources.map((r) => parseUrn(r.urn)?.stack).find((s) => s !== undefined);
        if (stack === undefined) return notApplicable(args, "the stack holds no resource");
        const tags: Record<string, string> = {};
        args.stackTags?.forEach((value, key) => (tags[key] = value));
        const ring = ringOfStack(rollout, { name: stack, tags });
        const given = args.getConfig<{ ring?: string }>().ring;
        const use = `run with --policy-pack-config policypack/rings/${ring}.json`;
        if (given === undefined) reportViolation(`stack '${stack}' is in ring '${ring}' of the roll-out, but this run has no ring config: ${use}`);
        else if (given !== ring) reportViolation(`stack '${stack}' is in ring '${ring}' of the roll-out, but this run uses ring '${given}''s config: ${use}`);
    };
}

/** The policies the config check knows besides the rules, by name. */
export function rolloutPolicies(rollout: Rollout | undefined, exemptions: boolean): ConfigurablePolicy[] {
    return [
        ...(exemptions ? [{ name: EXEMPTIONS_POLICY, parameters: {}, onlyLevel: "advisory" }] : []),
        ...(rollout ? [{ name: RING_POLICY, parameters: { ring: { type: "string" as const, enum: [REST, ...rollout.rings.map((r) => r.name)] } } }] : []),
    ];
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
