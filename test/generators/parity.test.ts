/**
 * Parity: every example of every rule, and random AKS clusters, through both engines — the shipped
 * CrossGuard pack and the generated Azure Policy definitions under the local evaluator. The engines
 * must agree on fail vs not-fail, and both must match the example's stated verdict.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { loadCatalog } from "../../core/catalog/load";
import { judgeWithAzure } from "../../cli/evaluate/engines/azure-policy";
import { judgeWithPack } from "../../cli/evaluate/engines/crossguard";
import { compilePolicy } from "../../azure-policy-engine";
import type { Parameter, Rule } from "../../core/ir/types";
import { armToPulumi, exampleToArm, exampleToPulumi, type ArmResource, type PulumiResource } from "../../core/resources/convert";
import { REPO, sharedPath } from "../helpers/paths";
import { generatedDefinition, packPolicies } from "../helpers/bundled";

const catalog = loadCatalog(path.join(REPO, "catalog"));
const bothBackends = catalog.rules.filter((r) => r.backends.includes("azure-policy") && r.backends.includes("crossguard"));

const asPulumi = exampleToPulumi;
const asArm = exampleToArm;
const failOrNot = (v: string) => (v === "fail" ? "fail" : "not-fail");

async function crossguardVerdict(rule: Rule, resource: PulumiResource, config: Record<string, unknown> = {}) {
  return (
    await judgeWithPack(
      packPolicies().find((p) => p.name === rule.id)!,
      [resource],
      config,
    )
  ).verdict;
}

function azureVerdict(rule: Rule, resource: ArmResource, parameters: Record<string, unknown> = {}) {
  const judged = judgeWithAzure(generatedDefinition(rule), resource, parameters);
  if (judged.error) throw new Error(`${rule.id}: evaluation error: ${judged.error}`);
  return judged.verdict;
}

describe.each(bothBackends.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
  test.each(rule.examples.map((e) => [e.file, e] as const))("%s: both engines give the stated verdict", async (_file, example) => {
    const [resource] = example.resources;
    const arm = asArm(resource);
    expect(arm).toBeDefined();
    const verdicts = { crossguard: await crossguardVerdict(rule, asPulumi(resource)), azure: failOrNot(azureVerdict(rule, arm!)) };
    expect(verdicts).toEqual({ crossguard: example.expect, azure: failOrNot(example.expect) });
  });
});

// ---- random AKS clusters -------------------------------------------------------------------------

const cased = (word: string) => fc.constantFrom(word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1));
const boolish = fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "True", "FALSE"), fc.constant(null));
const octet = fc.integer({ min: 0, max: 255 });
const cidr = fc.oneof(
  fc.tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
  fc.constantFrom("0.0.0.0/0", "0.0.0.0/32", "0.0.0.0", "0.0.0.0/00", "::/0", "2001:db8::/120", "2001:db8::/64", "10.0.0.0/8", "73.140.245.0/24", "1.2.3.4", "10.0.0.0/33", "10.0.0.0/x"),
  // Blank elements, padding, every spelling of the all-zero address, values that are no text at all.
  fc.constantFrom("", " ", "\t", " 73.140.245.0/24 ", " 0.0.0.0/0", "::", "0::0", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0", "::FFFF:0:0", "::0.0.0.0", "000.000.000.000", "0.0.0.0/32 "),
  fc.constantFrom(0, 24, true, null, {}, ["10.0.0.0/8"]),
);
const ranges = fc.oneof(fc.constant([]), fc.array(cidr, { minLength: 1, maxLength: 4 }));
const SUFFIXES = ["azmk8s.io", "cx.aks.containerservice.azure.us", "cx.prod.service.azk8s.cn"];
const zoneName = fc.oneof(
  fc.constantFrom(
    "privatelink.eastus.azmk8s.io",
    "team1.privatelink.westeurope.azmk8s.io",
    "PrivateLink.EastUS2.AZMK8S.IO",
    "myprivatelink.eastus.azmk8s.io",
    "privatelink.eastus.azmk8s.io.evil.com",
    "privatelink.azmk8s.io",
    "privatelink.eastus.azmk8s.io.",
    "a.b.privatelink.eastus.azmk8s.io",
    "privatelink..azmk8s.io",
    ".privatelink.eastus.azmk8s.io",
  ),
  fc
    .tuple(fc.constantFrom("", "team1."), fc.constantFrom("private", "privatelink", "Private", "myprivate"), fc.constantFrom("usgovvirginia", "chinaeast2", "eastus"), fc.constantFrom(...SUFFIXES, "azmk8s.us"))
    .map(([sub, label, region, suffix]) => `${sub}${label}.${region}.${suffix}`),
);
const zoneId = fc
  .tuple(zoneName, fc.constantFrom("Microsoft.Network/privateDnsZones", "microsoft.network/privatednszones", "Microsoft.Network/dnszones"))
  .map(([zone, provider]) => `/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers/${provider}/${zone}`);
const privateDnsZone = fc.oneof(cased("system"), cased("none"), zoneId, fc.constantFrom("", " ", 0, null));

const accessProfile = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, {}) },
  {
    weight: 8,
    arbitrary: fc.record(
      {
        enablePrivateCluster: boolish,
        enablePrivateClusterPublicFQDN: boolish,
        authorizedIPRanges: ranges,
        privateDNSZone: privateDnsZone,
        disableRunCommand: boolish,
        enableVnetIntegration: boolish,
      },
      { requiredKeys: [] },
    ),
  },
);
/** What else an AKS cluster may carry: the 2019 API versions' top-level ranges property and the SKU (AKS Automatic). */
const extras = fc.record({ legacyRanges: ranges, sku: fc.constantFrom({ name: "Automatic", tier: "Standard" }, { name: "automatic" }, { name: "Base" }, {}, null) }, { requiredKeys: [] });
/** Random values of every AKS rule parameter, within what the catalog declares for it. */
function parameterValue(p: Parameter): fc.Arbitrary<unknown> {
  switch (p.type) {
    case "integer":
      return fc.integer({ min: p.minimum ?? 0, max: p.maximum ?? 128 });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.subarray([...new Set([...(p.default as string[]), ...SUFFIXES])]);
    default:
      return fc.constant(p.default);
  }
}
const parameters = fc.record(Object.fromEntries(catalog.rules.filter((r) => r.target === "aks").flatMap((r) => r.parameters.map((p) => [p.name, parameterValue(p)]))));

function cluster(access: unknown, more: { legacyRanges?: unknown; sku?: unknown } = {}): ArmResource {
  const properties: Record<string, unknown> = access === undefined ? {} : { apiServerAccessProfile: access };
  if (more.legacyRanges !== undefined) properties.apiServerAuthorizedIPRanges = more.legacyRanges;
  return { type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", ...(more.sku !== undefined ? { sku: more.sku } : {}), properties };
}

test("the engines never disagree on random AKS clusters", async () => {
  await fc.assert(
    fc.asyncProperty(accessProfile, extras, parameters, async (access, more, params) => {
      const arm = cluster(access, more);
      for (const rule of bothBackends) {
        const own = Object.fromEntries(rule.parameters.map((p) => [p.name, params[p.name as keyof typeof params]]));
        const cg = failOrNot(await crossguardVerdict(rule, armToPulumi(arm), own));
        const az = failOrNot(azureVerdict(rule, arm, own));
        if (cg !== az) throw new Error(`${rule.id}: crossguard ${cg}, azure-policy ${az} for ${JSON.stringify(arm.properties)} with ${JSON.stringify(own)}`);
      }
    }),
    { seed: 20261123, numRuns: 1500 },
  );
});

// ---- random network security rules ---------------------------------------------------------------

const portSpec = fc.constantFrom("22", "3389", "*", "20-25", "3300-3400", "80", "443", "2222", "1-65535", "22-22", "23-3388", "0-21");
const source = fc.constantFrom(
  "*",
  "Internet",
  "internet",
  "Any",
  "ANY",
  "0.0.0.0/0",
  "::/0",
  "0.0.0.0/1",
  "128.0.0.0/1",
  "8.0.0.0/6",
  "10.0.0.0/8",
  "10.0.0.0/7",
  "172.16.0.0/12",
  "2000::/3",
  "fc00::/7",
  "VirtualNetwork",
  "203.0.113.7/32",
  "0.0.0.0",
);
const protocol = fc.oneof(cased("tcp"), cased("udp"), cased("icmp"), fc.constantFrom("*", "Esp", "Ah", "Any"));
const securityRule = fc.record(
  {
    access: fc.oneof(cased("allow"), cased("deny")),
    direction: fc.oneof(cased("inbound"), cased("outbound")),
    protocol,
    destinationPortRange: portSpec,
    destinationPortRanges: fc.array(portSpec, { maxLength: 3 }),
    sourceAddressPrefix: source,
    sourceAddressPrefixes: fc.array(source, { maxLength: 3 }),
  },
  { requiredKeys: ["access", "direction"] },
);
const standaloneRule = securityRule.map((p): ArmResource => ({ type: "Microsoft.Network/networkSecurityGroups/securityRules", name: "nsg/r", properties: p }));
const securityGroup = fc
  .array(securityRule, { maxLength: 4 })
  .map((rules): ArmResource => ({ type: "Microsoft.Network/networkSecurityGroups", name: "nsg", location: "westeurope", properties: { securityRules: rules.map((p, i) => ({ name: `r${i}`, properties: p })) } }));

test("the engines never disagree on random network security rules, inline or standalone", async () => {
  const rules = bothBackends.filter((r) => r.target === "nsg");
  expect(rules.length).toBeGreaterThan(0);
  await fc.assert(
    fc.asyncProperty(fc.oneof(standaloneRule, securityGroup), async (arm) => {
      for (const rule of rules) {
        const cg = failOrNot(await crossguardVerdict(rule, armToPulumi(arm)));
        const az = failOrNot(azureVerdict(rule, arm));
        if (cg !== az) throw new Error(`${rule.id}: crossguard ${cg}, azure-policy ${az} for ${JSON.stringify(arm)}`);
      }
    }),
    { seed: 20261124, numRuns: 400 },
  );
});

// ---- Microsoft's built-ins as a floor --------------------------------------------------------------

/** Built-ins committed as test data (test/fixtures/azure-builtins/README.md: source and MIT licence). */
const FIXTURE_BUILTINS = path.join(REPO, "test", "fixtures", "azure-builtins");
const identityProfile = fc.record(
  {
    disableLocalAccounts: boolish,
    aadProfile: fc.oneof(fc.constantFrom(undefined, null, {}), fc.record({ managed: boolish, enableAzureRBAC: boolish }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
// `sku` sits beside `properties` (AKS Automatic preconfigures identity settings).
const sku = fc.option(fc.record({ name: fc.oneof(cased("automatic"), cased("base")) }), { nil: undefined });
const identityCluster = fc.tuple(identityProfile, sku).map(([p, s]): ArmResource => ({ type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", ...(s ? { sku: s } : {}), properties: p }));

test("the engines never disagree on random identity settings, with and without AKS Automatic", async () => {
  const rules = bothBackends.filter((r) => r.target === "aks");
  await fc.assert(
    fc.asyncProperty(identityCluster, async (arm) => {
      for (const rule of rules) {
        const cg = failOrNot(await crossguardVerdict(rule, armToPulumi(arm)));
        const az = failOrNot(azureVerdict(rule, arm));
        if (cg !== az) throw new Error(`${rule.id}: crossguard ${cg}, azure-policy ${az} for ${JSON.stringify(arm)}`);
      }
    }),
    { seed: 20261125, numRuns: 300 },
  );
});

const sshAccess = fc.oneof(cased("localuser"), cased("disabled"), fc.constantFrom("EntraID", "", null));
const agentPool = fc.record({ name: fc.constant("pool"), securityProfile: fc.oneof(fc.constantFrom(undefined, null, {}), fc.record({ sshAccess }, { requiredKeys: [] })) }, { requiredKeys: ["name"] });
const nodePoolCluster = fc
  .option(fc.array(agentPool, { maxLength: 3 }), { nil: undefined })
  .map((pools): ArmResource => ({ type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", properties: pools === undefined ? {} : { agentPoolProfiles: pools } }));
const rbacCluster = fc.record({ enableRBAC: boolish }, { requiredKeys: [] }).map((p): ArmResource => ({ type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", properties: p }));
const PIP = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-hub/providers/Microsoft.Network/publicIPAddresses/pip";
const ipConfiguration = fc.record({ name: fc.constant("ipconfig"), properties: fc.record({ publicIPAddress: fc.constantFrom(undefined, null, {}, { id: PIP }, { id: "" }) }, { requiredKeys: [] }) });
const networkInterface = fc
  .tuple(fc.array(ipConfiguration, { maxLength: 3 }), fc.constantFrom<Record<string, string> | undefined>(undefined, { role: "jumpbox" }, { Role: "JumpBox" }, { role: "web" }))
  .map(([configs, tags]): ArmResource => ({ type: "Microsoft.Network/networkInterfaces", name: "nic", location: "westeurope", ...(tags ? { tags } : {}), properties: { ipConfigurations: configs } }));

const BUILTIN_FLOOR = [
  { file: sharedPath("azure", "builtins", "AKS_PrivateCluster_Deny.json"), rule: "aks-private-cluster", parameters: { effect: "Deny" }, random: accessProfile.map(cluster) },
  { file: sharedPath("azure", "builtins", "ASC_EnableIpRanges_KubernetesService_Audit.json"), rule: "aks-authorized-ip-ranges-restrictive", parameters: { effect: "Audit" }, random: accessProfile.map(cluster) },
  { file: sharedPath("azure", "builtins", "AKS_DisableRunCommand_Audit.json"), rule: "aks-command-invoke-disabled", parameters: { effect: "Audit" }, random: accessProfile.map(cluster) },
  { file: path.join(FIXTURE_BUILTINS, "AKS_DisableLocalAccounts_Deny.json"), rule: "aks-local-accounts-disabled", parameters: { effect: "Deny" }, random: identityCluster },
  { file: path.join(FIXTURE_BUILTINS, "AKS_AAD_Integration_Audit.json"), rule: "aks-entra-id-integration", parameters: { effect: "Audit" }, random: identityCluster },
  { file: path.join(FIXTURE_BUILTINS, "NetworkSecurityGroup_RDPAccess_Audit.json"), rule: "jump-box-management-ports-closed", parameters: { effect: "Audit" }, random: standaloneRule },
  { file: path.join(FIXTURE_BUILTINS, "NetworkSecurityGroup_SSHAccess_Audit.json"), rule: "jump-box-management-ports-closed", parameters: { effect: "Audit" }, random: standaloneRule },
  { file: path.join(FIXTURE_BUILTINS, "AKS_DisableSSH_Audit.json"), rule: "aks-node-ssh-disabled", parameters: { effect: "Audit" }, random: nodePoolCluster },
  { file: path.join(FIXTURE_BUILTINS, "ASC_EnableRBAC_KubernetesService_Audit.json"), rule: "aks-kubernetes-rbac-enabled", parameters: { effect: "Audit" }, random: rbacCluster },
  // Its alias wraps each IP configuration in `properties`: read it with the published alias list.
  { file: path.join(FIXTURE_BUILTINS, "NetworkPublicIPNic_Deny.json"), rule: "jump-box-no-public-ip", parameters: {}, random: networkInterface, aliases: "networkInterfaces.aliases.json" },
];

/**
 * What a built-in flags that the apiguard rule deliberately leaves alone, each with the document that
 * decides it:
 * - the deprecated NSG built-ins ignore `protocol`; ICMP, ESP and AH carry no ports ("Protocol: TCP,
 *   UDP, ICMP, ESP, AH, or Any", Azure network security groups overview), and SSH runs over TCP only
 *   (RFC 4253, section 4.1), so the SSH built-in's UDP rules are not SSH;
 * - 83a86a26 denies a public IP on every network interface; jump-box-no-public-ip judges jump boxes only
 *   (tagged `role=jumpbox` by default).
 */
function deliberatelyPassed(file: string, arm: ArmResource): boolean {
  const protocol = String((arm.properties.protocol as string | undefined) ?? "*").toLowerCase();
  if (file.includes("NetworkSecurityGroup_") && ["icmp", "esp", "ah"].includes(protocol)) return true;
  if (file.includes("NetworkSecurityGroup_SSHAccess") && protocol === "udp") return true;
  if (file.includes("NetworkPublicIPNic_Deny")) {
    const tags = (arm.tags ?? {}) as Record<string, unknown>;
    return !Object.entries(tags).some(([k, v]) => k.toLowerCase() === "role" && String(v).toLowerCase() === "jumpbox");
  }
  return false;
}

/** A cluster whose only authorized ranges sit in the legacy top-level property. */
function legacyRangesOnly(arm: ArmResource): boolean {
  const profile = arm.properties.apiServerAccessProfile as { authorizedIPRanges?: unknown } | undefined;
  const legacy = arm.properties.apiServerAuthorizedIPRanges;
  return Array.isArray(legacy) && legacy.length > 0 && !(Array.isArray(profile?.authorizedIPRanges) && profile.authorizedIPRanges.length > 0);
}

/** An AKS Automatic cluster whose request leaves aadProfile out (or null). */
function automaticWithoutAadProfile(arm: ArmResource): boolean {
  // ARM reads keys without regard to case (`SKU.Name`).
  const get = (o: unknown, key: string) => (o && typeof o === "object" ? Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] : undefined);
  const name = get(get(arm, "sku"), "name");
  const aadProfile = get(get(arm, "properties"), "aadProfile");
  return typeof name === "string" && name.toLowerCase() === "automatic" && (aadProfile === undefined || aadProfile === null);
}

describe.each(BUILTIN_FLOOR.map((b) => ({ aliases: undefined as string | undefined, ...b, name: path.basename(b.file) })))("built-in $name", ({ file, rule: ruleId, parameters: builtinParams, random, aliases }) => {
  const builtin = compilePolicy(JSON.parse(fs.readFileSync(file, "utf8")), aliases ? { aliases: JSON.parse(fs.readFileSync(path.join(REPO, "test", "e2e", "regorus", "data", aliases), "utf8")) } : {});
  const rule = catalog.rules.find((r) => r.id === ruleId)!;

  test(`everything it flags, ${ruleId} flags too (examples and random clusters)`, async () => {
    const flaggedExamples = catalog.rules
      .flatMap((r) => r.examples.flatMap((e) => e.resources))
      .map(asArm)
      .filter((r): r is ArmResource => r !== undefined);
    let flagged = 0;
    const check = async (arm: ArmResource) => {
      const result = builtin(arm, { parameters: builtinParams });
      expect(result.error).toBeUndefined();
      if (!result.effect) return;
      // The built-in reads only apiServerAccessProfile.authorizedIPRanges; ranges in the top-level
      // property of the 2019 API versions restrict the endpoint too, so ours passes them.
      if (ruleId === "aks-authorized-ip-ranges-restrictive" && legacyRangesOnly(arm)) return;
      // The built-in flags every cluster without aadProfile; AKS Automatic preconfigures managed
      // Microsoft Entra ID ("AKS Automatic clusters are configured with Microsoft Entra ID for
      // Kubernetes role-based access control", its quickstart), so ours passes an Automatic cluster that leaves it out.
      if (ruleId === "aks-entra-id-integration" && automaticWithoutAadProfile(arm)) return;
      if (deliberatelyPassed(file, arm)) return;
      flagged++;
      expect({ resource: arm.properties, verdict: azureVerdict(rule, arm) }).toEqual({ resource: arm.properties, verdict: "fail" });
      expect(await crossguardVerdict(rule, armToPulumi(arm))).toBe("fail");
    };
    for (const arm of flaggedExamples) await check(arm);
    await fc.assert(fc.asyncProperty(random, check), { seed: 7, numRuns: 200 });
    expect(flagged).toBeGreaterThan(0);
  });
});
