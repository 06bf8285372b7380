/**
 * Policy-pack config through a real preview: mistakes fail up front in one line naming the policy
 * and the key, whatever the stack holds; the unknown-at-preview policy makes mandatory rules that
 * cannot decide at preview fail it; the stack rule's "can't run during preview" names the resource.
 */
import * as azure from "@pulumi/azure-native";
import { harness, reported } from "./harness";
import { COMPLIANT_SETTINGS, PRIVATE_PROFILE as privateProfile, RG as rg, zoneFromOutput as zoneProgram } from "./programs";

const h = harness();
afterAll(() => h.dispose());
jest.setTimeout(120_000);

const programs = {
  "an empty stack": async () => {},
  "a public cluster": async () => {
    new azure.containerservice.ManagedCluster("aks-public", { resourceGroupName: rg, ...COMPLIANT_SETTINGS, apiServerAccessProfile: { enablePrivateCluster: false } });
  },
};

const mistakes: [string, object, string, string][] = [
  ["a misspelt policy", { "aks-private-clustr": { enforcementLevel: "advisory" } }, "aks-private-clustr", "did you mean 'aks-private-cluster'"],
  ["an unknown key", { "aks-private-cluster": { allowVnetIntegrated: true } }, "aks-private-cluster", "allowVnetIntegrated"],
  ["a value out of range", { "aks-authorized-ip-ranges-restrictive": { minPrefixLength: 99 } }, "aks-authorized-ip-ranges-restrictive", "minPrefixLength"],
  ["a value of the wrong type", { "aks-authorized-ip-ranges-restrictive": { minPrefixLength: "28" } }, "aks-authorized-ip-ranges-restrictive", "minPrefixLength"],
  ["'all' with a parameter", { all: { enforcementLevel: "advisory", minPrefixLength: 28 } }, "all", "minPrefixLength"],
  ["a parameter on unknown-at-preview", { "unknown-at-preview": { enforcementLevel: "mandatory", strict: true } }, "unknown-at-preview", "strict"],
];

let n = 0;
describe.each(Object.entries(programs))("%s", (_what, program) => {
  test.each(mistakes)("%s fails the preview up front in one line", async (_name, config, policy, key) => {
    const run = await h.preview(`config-${++n}`, program, { config });
    expect(run.code).not.toBe(0);
    // The CLI may show one error both as progress and under Diagnostics: one message, one line each.
    const errors = run.output.split("\n").filter((l) => /error: /.test(l) && l.includes(policy) && l.includes(key));
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((l) => l.slice(l.indexOf("error: ")))).size).toBe(1);
    expect(run.output).not.toContain("✅");
    expect(reported(run.output)).toEqual([]);
  });
});

const zoneFromOutput = zoneProgram("contoso.com", "aks-zone");

test("unknown-at-preview: off by default; as mandatory it fails the preview on a mandatory rule that can't decide", async () => {
  const lenient = await h.preview("strict-off", zoneFromOutput);
  expect(reported(lenient.output)).toContainEqual({ level: "advisory", policy: "aks-private-dns-zone-format", resource: "aks-zone" });
  expect(reported(lenient.output).filter((r) => r.level !== "advisory")).toEqual([]);
  expect(lenient.code).toBe(0);

  const strict = await h.preview("strict-on", zoneFromOutput, { config: { "unknown-at-preview": "mandatory" } });
  expect(reported(strict.output)).toEqual(
    expect.arrayContaining([
      { level: "advisory", policy: "aks-private-dns-zone-format", resource: "aks-zone" },
      { level: "mandatory", policy: "unknown-at-preview", resource: "aks-zone" },
    ]),
  );
  expect(strict.output).toContain("'aks-private-dns-zone-format' can't decide during preview: string value at .apiServerAccessProfile.privateDNSZone");
  expect(strict.code).not.toBe(0);

  // Only rules that are mandatory in this run count: lowered to advisory, the unknown no longer fails.
  const lowered = await h.preview("strict-lowered", zoneFromOutput, {
    config: { "unknown-at-preview": "mandatory", "aks-private-dns-zone-format": "advisory", "aks-private-dns-zone-resolvable": "advisory" },
  });
  expect(reported(lowered.output).filter((r) => r.policy === "unknown-at-preview")).toEqual([]);
  expect(lowered.code).toBe(0);
});

test("the stack rule's 'can't run during preview' names the resource whose value is unknown", async () => {
  const run = await h.preview("stack-unknown", async () => {
    new azure.containerservice.ManagedCluster("aks-private", { resourceGroupName: rg, ...COMPLIANT_SETTINGS, apiServerAccessProfile: privateProfile });
    // The id of a registry being created is unknown at preview, and so is anything derived from it.
    const other = new azure.containerregistry.Registry("acrbase", { resourceGroupName: rg, sku: { name: "Premium" }, publicNetworkAccess: "Disabled" });
    new azure.containerregistry.Registry("acrapps", { resourceGroupName: rg, sku: { name: "Premium" }, publicNetworkAccess: other.id.apply(() => "Enabled") });
  });
  expect(run.output).toMatch(/can't run policy 'private-cluster-registry-private-link' from policy pack 'apiguard@v0\.1\.0' during preview: azure-native:containerregistry:Registry 'acrapps': \w+ value at \.publicNetworkAccess/);
  expect(run.code).toBe(0);
});
