/**
 * Remediation (enforcementLevel "remediate", opt-in through policy config) for the rules whose fix
 * is one property: every failing example is fixed so that the rule then passes, nothing else
 * changes, and passing resources are left alone — in-process and over the analyzer protocol.
 */
import * as path from "path";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { loadCatalog } from "../../../core/catalog/load";
import { judgeResource } from "../../../core/ir/judge";
import { targetById } from "../../../core/targets";
import { matchShape } from "../../../core/semantics/semantics";
import { analyzeRequest, configureRequest, startPack } from "../../helpers/analyzer";
import { loadPackPolicies } from "../../helpers/crossguard";
import { REPO } from "../../helpers/paths";

const catalog = loadCatalog(path.join(REPO, "catalog"));
const fixable = catalog.rules.filter((r) => r.fix);
const policies = loadPackPolicies() as ResourceValidationPolicy[];

test("the rules whose fix is a single safe property carry one", () => {
  expect(fixable.map((r) => r.id).sort()).toEqual(["aks-command-invoke-disabled", "aks-private-cluster-public-fqdn-disabled"]);
});

async function remediate(ruleId: string, resource: { type: string; name: string; props: Record<string, unknown> }) {
  const policy = policies.find((p) => p.name === ruleId)!;
  const args = { type: resource.type, name: resource.name, urn: `urn:pulumi:t::p::${resource.type}::${resource.name}`, props: unknownCheckingProxy(resource.props), opts: {}, getConfig: () => ({}), notApplicable: () => undefined as never };
  return (await policy.remediateResource!(args as never)) as Record<string, unknown> | undefined;
}

/** The props with one path removed, to compare everything but the fixed property (a null parent and an emptied one are alike). */
function without(props: Record<string, unknown>, pathToDrop: string[]): unknown {
  const copy = JSON.parse(JSON.stringify(props));
  let node = copy;
  for (const key of pathToDrop.slice(0, -1)) node = node?.[key];
  if (node) delete node[pathToDrop[pathToDrop.length - 1]];
  return JSON.parse(JSON.stringify(copy, (_k, v) => (v === null || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) ? undefined : v)) ?? "{}");
}

describe.each(fixable.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const examples = rule.examples.filter((e) => e.resources.every((r) => !r.arm));

  test.each(examples.filter((e) => e.expect === "fail").map((e) => [e.file, e] as const))("%s is fixed, and only the fixed property changes", async (_file, example) => {
    const [resource] = example.resources;
    const fixed = await remediate(id, resource);
    expect(fixed).toBeDefined();
    expect(judgeResource(rule, { ...resource, props: fixed! })).toBe("pass");
    const binding = matchShape(targetById(rule.target).shapes, resource.type)!.fields[rule.fix!.field];
    expect(without(fixed!, binding.path)).toEqual(without(resource.props, binding.path));
  });

  test.each(examples.filter((e) => e.expect !== "fail").map((e) => [e.file, e] as const))("%s is left alone", async (_file, example) => {
    expect(await remediate(id, example.resources[0])).toBeUndefined();
  });
});

test("over the protocol: Remediate fixes what the config says to remediate, and nothing else", async () => {
  const pack = await startPack(path.join(REPO, "policypack"));
  try {
    await pack.call("configure", configureRequest({ "aks-private-cluster-public-fqdn-disabled": { enforcementLevel: "remediate" } }));
    const request = analyzeRequest({ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { enablePrivateCluster: true } } });
    type Response = { getRemediationsList(): { getPolicyname(): string; getProperties(): { toJavaScript(): Record<string, unknown> } }[] };
    const response = await pack.call<Response>("remediate", request);
    const remediations = response.getRemediationsList().map((r) => ({ policy: r.getPolicyname(), props: r.getProperties().toJavaScript() }));
    expect(remediations).toEqual([{ policy: "aks-private-cluster-public-fqdn-disabled", props: { apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false } } }]);
    // Command invoke is also on here, but its policy is not set to remediate: the list above shows it was not changed.
  } finally {
    pack.stop();
  }
});
