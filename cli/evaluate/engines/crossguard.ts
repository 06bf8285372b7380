/**
 * The CrossGuard engine: runs the generated pack's policies (policypack/bin, the JavaScript that
 * ships) the way the @pulumi/policy server does — props behind the real unknown-checking proxy,
 * config through getConfig(), notApplicable() throwing, an UnknownValueError meaning "can't run
 * during preview". Used by `apiguard evaluate` and by the tests.
 */
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
// The proxy module alone: the same checks the policy server applies, without loading the Pulumi SDK.
import { unknownCheckingProxy, UnknownValueError } from "./pulumi-proxy";
import { PARTIAL_TEXT, type ShapeBinding, type Verdict } from "../../../core/semantics/semantics";

export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface PackResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  urn?: string;
}

export interface Judged {
  verdict: Verdict;
  violations: { message: string; urn?: string }[];
  reason?: string;
  /** An unknown verdict: the property path the policy read, as the unknown-checking proxy recorded it. */
  unknownPath?: string[];
}

class NotApplicable extends Error {}

export function loadPackPolicies(packDir: string): PackPolicy[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.resolve(packDir, "bin", "policies.js")) as { policies: PackPolicy[] }).policies;
}

/**
 * The pack's rules, which policies.js exports for its config check: each policy's name, the shapes
 * (type patterns) it judges, and those a stack rule reads to judge them (`related`). A pack without
 * the export yields none.
 */
export function loadPackRules(packDir: string): { name: string; shapes: ShapeBinding[]; related: ShapeBinding[] }[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rules = (require(path.resolve(packDir, "bin", "policies.js")) as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  type PackRule = { name: string; shapes: ShapeBinding[]; related?: unknown };
  return (rules as (Partial<Record<keyof PackRule, unknown>> | null | undefined)[])
    .filter((r): r is PackRule => typeof r?.name === "string" && Array.isArray(r?.shapes))
    .map((r) => ({ name: r.name, shapes: r.shapes, related: Object.values((r.related ?? {}) as Record<string, ShapeBinding[]>).flat() }));
}

/**
 * Whether the pack reads partly known texts (its semantics exports the marker key): a pack generated
 * by an older apiguard would read one as an object, so it is then given Pulumi's plain unknown instead.
 */
export function packReadsPartialText(packDir: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(path.resolve(packDir, "bin", "semantics.js")) as { PARTIAL_TEXT?: unknown }).PARTIAL_TEXT === PARTIAL_TEXT;
  } catch {
    return false;
  }
}

export function urnOf(r: Pick<PackResource, "type" | "name" | "urn">): string {
  return r.urn ?? `urn:pulumi:apiguard::apiguard::${r.type}::${r.name}`;
}

function common(config: Record<string, unknown>) {
  return {
    getConfig: <T>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

async function run(call: () => unknown, violations: Judged["violations"]): Promise<Judged> {
  try {
    await call();
  } catch (e) {
    if (e instanceof UnknownValueError) return { verdict: "unknown", violations, reason: e.message, unknownPath: (e as Error & { props?: string[] }).props };
    if (e instanceof NotApplicable) return { verdict: "not-applicable", violations, reason: e.message };
    throw e;
  }
  return { verdict: violations.length > 0 ? "fail" : "pass", violations };
}

export function isStackPolicy(policy: PackPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy && typeof policy.validateStack === "function";
}

/** Judges one resource with a resource policy, or a whole stack with a stack policy. */
export async function judgeWithPack(policy: PackPolicy, resources: PackResource[], config: Record<string, unknown> = {}): Promise<Judged> {
  const violations: Judged["violations"] = [];
  const report = (message: string, urn?: string) => violations.push({ message, urn });
  if (isStackPolicy(policy)) {
    const validate = policy.validateStack as (args: unknown, report: unknown) => unknown;
    const args = {
      ...common(config),
      resources: resources.map((r) => ({ ...r, urn: urnOf(r), props: unknownCheckingProxy(r.props), opts: {}, dependencies: [], propertyDependencies: {} })),
    };
    return run(() => validate(args, report), violations);
  }
  const validate = policy.validateResource as (args: unknown, report: unknown) => unknown;
  if (resources.length !== 1) throw new Error("a resource policy judges one resource at a time");
  const [r] = resources;
  const args = { ...common(config), type: r.type, name: r.name, urn: urnOf(r), props: unknownCheckingProxy(r.props), opts: {} };
  return run(() => validate(args, report), violations);
}
