/**
 * The AKS configurations issue #11 lists, table-driven through all three judges: the reference
 * semantics, the shipped CrossGuard pack and the generated Azure Policy definitions under the local
 * evaluator. Expected verdicts are written from the AKS documentation (cited in each rule's
 * `accepts`), not from the code under test.
 */
import * as path from "path";
import { loadCatalog } from "../../core/catalog/load";
import { judgeWithAzure } from "../../cli/evaluate/engines/azure-policy";
import { judgeResource, parameterValues } from "../../core/ir/judge";
import type { ExampleResource } from "../../core/ir/types";
import { armToPulumi, type ArmResource } from "../../core/resources/convert";
import { judgeWithPack } from "../helpers/crossguard";
import { REPO } from "../helpers/paths";
import { generatedDefinition, packPolicies } from "../helpers/bundled";

const catalog = loadCatalog(path.join(REPO, "catalog"));

type Verdict = "fail" | "not-fail";
const failOrNot = (v: string): Verdict => (v === "fail" ? "fail" : "not-fail");

/** The verdict of every judge, for one ARM cluster and one rule. */
async function verdicts(ruleId: string, arm: ArmResource, params: Record<string, unknown> = {}) {
  const rule = catalog.rules.find((r) => r.id === ruleId)!;
  const { type, name, properties, ...envelope } = arm;
  const example: ExampleResource = { type, name, props: properties, arm: true, envelope };
  const azure = judgeWithAzure(generatedDefinition(rule), arm, params);
  return {
    reference: failOrNot(judgeResource(rule, example, parameterValues(rule, params as never))),
    crossguard: failOrNot(
      (
        await judgeWithPack(
          packPolicies().find((p) => p.name === ruleId)!,
          [armToPulumi(arm)],
          params,
        )
      ).verdict,
    ),
    azure: azure.error ? `error: ${azure.error}` : failOrNot(azure.verdict),
  };
}

const all = (v: Verdict) => ({ reference: v, crossguard: v, azure: v });

// ---- item 4: range text as AKS reads it ---------------------------------------------------------

/** What a range means to AKS. `blank` restricts nothing; `unverifiable` is no text at all. */
type Meaning = "anywhere" | "broad" | "narrow" | "blank" | "unverifiable";
const SPELLINGS: [unknown, Meaning][] = [
  ["0.0.0.0", "anywhere"],
  ["0.0.0.0/0", "anywhere"],
  ["000.000.000.000", "anywhere"],
  ["::", "anywhere"],
  ["::/0", "anywhere"],
  ["::0", "anywhere"],
  ["0::0", "anywhere"],
  ["0:0:0:0:0:0:0:0", "anywhere"],
  ["0000:0000:0000:0000:0000:0000:0000:0000", "anywhere"],
  ["::0.0.0.0", "anywhere"], // IPv4-compatible (mixed) form
  ["0:0:0:0:0:0:0.0.0.0", "anywhere"],
  ["::ffff:0.0.0.0", "anywhere"], // IPv4-mapped
  ["::FFFF:0.0.0.0", "anywhere"],
  ["0:0:0:0:0:ffff:0.0.0.0", "anywhere"],
  ["::ffff:0:0", "anywhere"],
  [" 0.0.0.0 ", "anywhere"],
  ["\t::\n", "anywhere"],
  [" 0.0.0.0/0 ", "anywhere"],
  ["0.0.0.0/00", "broad"], // a prefix that is no plain decimal cannot be verified
  ["10.0.0.0/8", "broad"],
  ["2001:db8::/64", "broad"],
  ["10.0.0.0/33", "broad"],
  ["10.0.0.0/x", "broad"],
  ["0.0.0.0/32", "narrow"], // AKS: only the cluster's own outbound IP
  [" 0.0.0.0/32 ", "narrow"],
  ["73.140.245.0/24", "narrow"],
  [" 73.140.245.0/24\t", "narrow"],
  ["52.174.10.17", "narrow"],
  ["::1", "narrow"],
  ["::ffff:10.0.0.1", "narrow"],
  ["2001:db8::/120", "narrow"],
  ["", "blank"],
  [" ", "blank"],
  ["\t\n", "blank"],
  [24, "unverifiable"],
  [true, "unverifiable"],
  [null, "unverifiable"],
  [{}, "unverifiable"],
  [["10.0.0.0/8"], "unverifiable"],
];

/** The places AKS has kept the ranges in: the current profile and the top level of the 2019 API versions. */
const PLACES = {
  current: (ranges: unknown[], profile: Record<string, unknown> = {}) => ({ apiServerAccessProfile: { ...profile, authorizedIPRanges: ranges } }),
  legacy: (ranges: unknown[], profile: Record<string, unknown> = {}) => ({ apiServerAccessProfile: profile, apiServerAuthorizedIPRanges: ranges }),
};

const cluster = (properties: Record<string, unknown>, envelope: Record<string, unknown> = {}): ArmResource => ({
  type: "Microsoft.ContainerService/managedClusters",
  name: "aks",
  location: "eastus",
  ...envelope,
  properties,
});

describe.each(Object.entries(PLACES))("authorized ranges in the %s property", (_place, place) => {
  test.each(SPELLINGS)("public cluster with only %j (%s)", async (range, meaning) => {
    const expected = meaning === "narrow" ? "not-fail" : "fail";
    expect(await verdicts("aks-authorized-ip-ranges-restrictive", cluster(place([range])))).toEqual(all(expected));
  });

  test.each(SPELLINGS)("public cluster with %j (%s) beside a narrow range", async (range, meaning) => {
    const expected = meaning === "narrow" || meaning === "blank" ? "not-fail" : "fail";
    expect(await verdicts("aks-authorized-ip-ranges-restrictive", cluster(place(["73.140.245.0/24", range])))).toEqual(all(expected));
  });

  test.each(SPELLINGS)("private cluster with only %j (%s)", async (range, meaning) => {
    const expected = meaning === "blank" ? "not-fail" : "fail";
    expect(await verdicts("aks-private-cluster-no-authorized-ip-ranges", cluster(place([range], { enablePrivateCluster: true })))).toEqual(all(expected));
  });
});

test("ranges in either place count as set, and a broad one in either place fails", async () => {
  const both = (current: unknown[], legacy: unknown[]) => cluster({ apiServerAccessProfile: { authorizedIPRanges: current }, apiServerAuthorizedIPRanges: legacy });
  expect(await verdicts("aks-authorized-ip-ranges-restrictive", both([], ["73.140.245.0/24"]))).toEqual(all("not-fail"));
  expect(await verdicts("aks-authorized-ip-ranges-restrictive", both(["73.140.245.0/24"], []))).toEqual(all("not-fail"));
  expect(await verdicts("aks-authorized-ip-ranges-restrictive", both(["73.140.245.0/24"], ["0.0.0.0/0"]))).toEqual(all("fail"));
  expect(await verdicts("aks-authorized-ip-ranges-restrictive", both(["::/0"], ["73.140.245.0/24"]))).toEqual(all("fail"));
  expect(await verdicts("aks-authorized-ip-ranges-restrictive", both([" "], [""]))).toEqual(all("fail"));
});

// ---- items 1, 2, 7: zone names by cluster mode and cloud ----------------------------------------

const zoneId = (zone: string) => `/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${zone}`;
const GOV = "cx.aks.containerservice.azure.us";
const CHINA = "cx.prod.service.azk8s.cn";

/** Cluster modes: how a cluster says it uses API Server VNet Integration (or doesn't). */
const MODES = {
  privateLink: { profile: {}, envelope: {} },
  vnetIntegrated: { profile: { enableVnetIntegration: true }, envelope: {} },
  vnetIntegratedString: { profile: { enableVnetIntegration: "True" }, envelope: {} },
  automatic: { profile: {}, envelope: { sku: { name: "Automatic", tier: "Standard" } } },
  automaticLowerCase: { profile: {}, envelope: { sku: { name: "automatic" } } },
  base: { profile: {}, envelope: { sku: { name: "Base" } } },
};
type Mode = keyof typeof MODES;
const VNET: Mode[] = ["vnetIntegrated", "vnetIntegratedString", "automatic", "automaticLowerCase"];
const PRIVATE_LINK: Mode[] = ["privateLink", "base"];

const ZONES: [string, "privatelink" | "private" | "invalid"][] = [
  ["privatelink.eastus.azmk8s.io", "privatelink"],
  ["team1.privatelink.eastus.azmk8s.io", "privatelink"],
  ["PrivateLink.EastUS.AZMK8S.IO", "privatelink"],
  [`privatelink.usgovvirginia.${GOV}`, "privatelink"],
  [`privatelink.chinaeast2.${CHINA}`, "privatelink"],
  ["private.eastus.azmk8s.io", "private"],
  ["team1.private.westeurope.azmk8s.io", "private"],
  [`private.usgovvirginia.${GOV}`, "private"],
  [`hub.private.chinaeast2.${CHINA}`, "private"],
  ["myprivate.eastus.azmk8s.io", "invalid"],
  ["myprivatelink.eastus.azmk8s.io", "invalid"],
  ["private.azmk8s.io", "invalid"],
  ["a.b.private.eastus.azmk8s.io", "invalid"],
  ["privatelink.eastus.azmk8s.io.evil.com", "invalid"],
  ["privatelink.usgovvirginia.azure.us", "invalid"],
  ["private.eastus.azmk8s.io.", "invalid"],
];

describe.each(Object.keys(MODES) as Mode[])("private cluster in mode %s", (mode) => {
  test.each(ZONES)("zone %s (%s form)", async (zone, form) => {
    const { profile, envelope } = MODES[mode];
    const arm = cluster({ apiServerAccessProfile: { enablePrivateCluster: true, ...profile, privateDNSZone: zoneId(zone) } }, envelope);
    const documented = (form === "private" && VNET.includes(mode)) || (form === "privatelink" && PRIVATE_LINK.includes(mode));
    expect(await verdicts("aks-private-dns-zone-format", arm)).toEqual(all(documented ? "not-fail" : "fail"));
  });
});

test.each([
  ["Azure only", ["azmk8s.io"], { public: "not-fail", gov: "fail", china: "fail" }],
  ["Azure Government only", [GOV], { public: "fail", gov: "not-fail", china: "fail" }],
  ["Azure China only", [CHINA], { public: "fail", gov: "fail", china: "not-fail" }],
  ["no cloud at all", [], { public: "fail", gov: "fail", china: "fail" }],
])("zoneSuffixes narrowed to %s", async (_name, zoneSuffixes, expected) => {
  const zones = { public: "privatelink.eastus.azmk8s.io", gov: `privatelink.usgovvirginia.${GOV}`, china: `privatelink.chinaeast2.${CHINA}` };
  for (const [cloud, zone] of Object.entries(zones)) {
    const arm = cluster({ apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: zoneId(zone) } });
    expect({ cloud, ...(await verdicts("aks-private-dns-zone-format", arm, { zoneSuffixes })) }).toEqual({ cloud, ...all(expected[cloud as keyof typeof expected] as Verdict) });
  }
});

test.each([
  ["a public cluster with '' (AKS-Construction)", { enablePrivateCluster: false, privateDNSZone: "" }, "not-fail"],
  ["a public cluster with any zone text (AKS ignores it)", { privateDNSZone: "privatelink.eastus.azmk8s.io" }, "not-fail"],
  ["a private cluster with '' (the default, System)", { enablePrivateCluster: true, privateDNSZone: "" }, "not-fail"],
  ["a private cluster with only whitespace", { enablePrivateCluster: true, privateDNSZone: "  " }, "fail"],
  ["a private cluster with a number", { enablePrivateCluster: true, privateDNSZone: 0 }, "fail"],
])("zone format: %s", async (_name, profile, expected) => {
  expect(await verdicts("aks-private-dns-zone-format", cluster({ apiServerAccessProfile: profile }))).toEqual(all(expected as Verdict));
});

test("an empty zone is System to the resolvable rule too, not none", async () => {
  const arm = cluster({ apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, privateDNSZone: "" } });
  expect(await verdicts("aks-private-dns-zone-resolvable", arm)).toEqual(all("not-fail"));
});

test.each([
  ["enableVnetIntegration", { enableVnetIntegration: true }, {}],
  ["AKS Automatic (always VNet-integrated)", {}, { sku: { name: "Automatic" } }],
])("the VNet-integrated public-cluster allowance accepts %s with ranges", async (_name, profile, envelope) => {
  const params = { allowVnetIntegratedPublicWithRanges: true };
  const withRanges = cluster({ apiServerAccessProfile: { ...profile, authorizedIPRanges: ["73.140.245.0/24"] } }, envelope);
  const blankRanges = cluster({ apiServerAccessProfile: { ...profile, authorizedIPRanges: [" "] } }, envelope);
  expect(await verdicts("aks-private-cluster", withRanges, params)).toEqual(all("not-fail"));
  expect(await verdicts("aks-private-cluster", blankRanges, params)).toEqual(all("fail"));
  expect(await verdicts("aks-private-cluster", withRanges)).toEqual(all("fail"));
});

// ---- item 8: ARM envelope keys in any casing -----------------------------------------------------

test("ARM envelope keys are read whatever their casing", async () => {
  const arm = {
    Type: "microsoft.containerservice/MANAGEDCLUSTERS",
    Name: "aks",
    SKU: { NAME: "Automatic" },
    Properties: { apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: zoneId("privatelink.eastus.azmk8s.io") } },
  } as unknown as ArmResource;
  const pulumi = armToPulumi(arm);
  expect(pulumi.type).toBe("azure-native:containerservice:ManagedCluster");
  expect(pulumi.props).toMatchObject({ sku: { name: "Automatic" }, apiServerAccessProfile: { enablePrivateCluster: true } });
  const azure = judgeWithAzure(generatedDefinition(catalog.rules.find((r) => r.id === "aks-private-dns-zone-format")!), arm);
  expect(azure).toMatchObject({ verdict: "fail" });
  expect(
    (
      await judgeWithPack(
        packPolicies().find((p) => p.name === "aks-private-dns-zone-format")!,
        [pulumi],
      )
    ).verdict,
  ).toBe("fail");
});
