/**
 * Runs the generated pack's policies (policypack/bin, the JavaScript that ships) the way the
 * @pulumi/policy server does: props behind the real unknown-checking proxy, config through
 * getConfig(), notApplicable() throwing, an UnknownValueError meaning "can't run during preview".
 */
import * as path from "path";
import { unknownCheckingProxy, UnknownValueError, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import type { Verdict } from "../../src/semantics/semantics";
import { REPO } from "./paths";

export const PACK_DIR = path.join(REPO, "policypack");

export interface Judged {
  verdict: Verdict;
  violations: { message: string; urn?: string }[];
}

export interface PackResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

class NotApplicable extends Error {}

export function loadPackPolicies(): (ResourceValidationPolicy | StackValidationPolicy)[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(PACK_DIR, "bin", "policies.js")).policies;
}

const urnOf = (r: PackResource) => `urn:pulumi:test::apiguard::${r.type}::${r.name}`;

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
    if (e instanceof UnknownValueError) return { verdict: "unknown", violations };
    if (e instanceof NotApplicable) return { verdict: "not-applicable", violations };
    throw e;
  }
  return { verdict: violations.length > 0 ? "fail" : "pass", violations };
}

export async function judgeWithPack(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: PackResource[],
  config: Record<string, unknown> = {},
): Promise<Judged> {
  const violations: Judged["violations"] = [];
  const report = (message: string, urn?: string) => violations.push({ message, urn });
  if ("validateStack" in policy && policy.validateStack) {
    const validate = policy.validateStack as (args: unknown, report: unknown) => unknown;
    const args = {
      ...common(config),
      resources: resources.map((r) => ({ ...r, urn: urnOf(r), props: unknownCheckingProxy(r.props), opts: {}, dependencies: [], propertyDependencies: {} })),
    };
    return run(() => validate(args, report), violations);
  }
  const validate = (policy as ResourceValidationPolicy).validateResource as (args: unknown, report: unknown) => unknown;
  if (resources.length !== 1) throw new Error("a resource policy judges one resource at a time");
  const [r] = resources;
  const args = { ...common(config), type: r.type, name: r.name, urn: urnOf(r), props: unknownCheckingProxy(r.props), opts: {} };
  return run(() => validate(args, report), violations);
}
