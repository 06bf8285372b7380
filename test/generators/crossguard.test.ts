/**
 * Every example of every rule through the generated CrossGuard policies (the shipped JavaScript,
 * the real @pulumi/policy proxy), against the verdict its folder states and the reference interpreter.
 */
import { loadCatalog } from "../../core/catalog/load";
import { judgeStack, overallVerdict } from "../../core/ir/judge";
import type { ExampleResource } from "../../core/ir/types";
import { judgeWithPack } from "../helpers/crossguard";
import { packPolicies } from "../helpers/bundled";
import { CATALOG } from "../helpers/paths";
import { remediation } from "../../generators/common";
import { shapeOfType } from "../../core/targets";

const catalog = loadCatalog(CATALOG);
const crossguardRules = catalog.rules.filter((r) => r.backends.includes("crossguard"));

/** ARM-shaped examples are judged by Azure Policy; the pack sees Pulumi-shaped resources only. */
const pulumiShaped = (resources: ExampleResource[]) => resources.every((r) => !r.arm);

test("the pack holds exactly one policy per CrossGuard rule, in catalog order, then unknown-at-preview", () => {
  expect(packPolicies().map((p) => p.name)).toEqual([...crossguardRules.map((r) => r.id), "unknown-at-preview"]);
});

describe.each(crossguardRules.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const policy = () => packPolicies().find((p) => p.name === id)!;

  test("carries the catalog's metadata and configurable parameters", () => {
    expect(policy().enforcementLevel).toBe(rule.enforcement);
    expect(policy().severity).toBe(rule.severity);
    expect(policy().description).toBe(rule.description);
    expect(Object.keys(policy().configSchema?.properties ?? {}).sort()).toEqual(rule.parameters.map((p) => p.name).sort());
    for (const p of rule.parameters) expect(policy().configSchema!.properties[p.name]).toMatchObject({ type: p.type, default: p.default });
  });

  const examples = rule.examples.filter((e) => pulumiShaped(e.resources));
  test("has Pulumi-shaped examples to run", () => expect(examples.length).toBeGreaterThan(0));

  test.each(examples.map((e) => [e.file, e] as const))("%s", async (_file, example) => {
    const judged = await judgeWithPack(policy(), example.resources);
    expect(judged.verdict).toBe(example.expect);
    expect(judged.verdict).toBe(overallVerdict(judgeStack(rule, example.resources).map((v) => v.verdict)));
    if (judged.verdict === "fail") {
      // The message says what is wrong, why (the seed's words) and how to fix it, naming the
      // properties as the failing resource's own provider spells them.
      const failing = example.resources.find((r) => shapeOfType(r.type)?.target.id === rule.target);
      const shape = shapeOfType(failing?.type ?? "")?.shape;
      const message = judged.violations[0].message;
      expect(message).toContain(rule.message);
      expect(message).toContain(rule.rationale.quote);
      expect(message).toContain(remediation(rule, shape));
      expect(message).not.toContain("{{");
    }
  });
});

describe("policy config overrides the catalog's parameters", () => {
  const policy = () => packPolicies().find((p) => p.name === "aks-authorized-ip-ranges-restrictive")!;
  const cluster = (ranges: string[]) => [{ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { authorizedIPRanges: ranges } } }];

  test.each([
    [["10.20.0.0/16"], {}, "fail"],
    [["10.20.0.0/16"], { minPrefixLength: 16 }, "pass"],
    [["73.140.245.0/24"], { minPrefixLength: 28 }, "fail"],
    [["0.0.0.0/0"], { minPrefixLength: 1 }, "fail"],
  ] as const)("%j with config %j → %s", async (ranges, config, verdict) => {
    expect((await judgeWithPack(policy(), cluster([...ranges]), config)).verdict).toBe(verdict);
  });

  test("a VNet-integrated public cluster with ranges passes only when configured to", async () => {
    const privateCluster = packPolicies().find((p) => p.name === "aks-private-cluster")!;
    const vnet = [{ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { enableVnetIntegration: true, authorizedIPRanges: ["73.140.245.0/24"] } } }];
    expect((await judgeWithPack(privateCluster, vnet)).verdict).toBe("fail");
    expect((await judgeWithPack(privateCluster, vnet, { allowVnetIntegratedPublicWithRanges: true })).verdict).toBe("pass");
  });
});

describe("type tokens", () => {
  const policy = () => packPolicies().find((p) => p.name === "aks-private-cluster")!;
  test.each(["azure-native:containerservice:ManagedCluster", "azure-native:containerservice/v20240801:ManagedCluster", "azure-native:containerservice/v20250102preview:ManagedCluster", "Azure-Native:ContainerService:managedcluster"])(
    "%s is judged",
    async (type) => {
      expect((await judgeWithPack(policy(), [{ type, name: "aks", props: {} }])).verdict).toBe("fail");
    },
  );
  test.each(["azure-native:containerservice:AgentPool", "azure-native:containerservice:ManagedClusterSnapshot", "aws:eks/cluster:Cluster"])("%s is not applicable", async (type) => {
    expect((await judgeWithPack(policy(), [{ type, name: "x", props: {} }])).verdict).toBe("not-applicable");
  });
});

describe("values unknown during preview", () => {
  // The sentinels the Pulumi engine sends for unknown values; the real proxy turns them into UnknownValueError.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { unknownBooleanValue, unknownStringValue, unknownArrayValue } = require("@pulumi/policy/proxy");
  const aks = (access: object) => [{ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: access } }];
  const policy = (name: string) => packPolicies().find((p) => p.name === name)!;

  test("an unknown deciding value gives 'can't run during preview', never a pass", async () => {
    expect((await judgeWithPack(policy("aks-private-cluster"), aks({ enablePrivateCluster: unknownBooleanValue }))).verdict).toBe("unknown");
    expect((await judgeWithPack(policy("aks-private-cluster-public-fqdn-disabled"), aks({ enablePrivateCluster: true, enablePrivateClusterPublicFQDN: unknownBooleanValue }))).verdict).toBe("unknown");
    // The zone setting is judged on private clusters only (AKS ignores it on public ones).
    expect((await judgeWithPack(policy("aks-private-dns-zone-format"), aks({ enablePrivateCluster: true, privateDNSZone: unknownStringValue }))).verdict).toBe("unknown");
    // The cluster's mode decides which zone form is valid: an unknown SKU leaves a privatelink zone undecided.
    const zone = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io";
    const automaticUnknown = [{ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { sku: { name: unknownStringValue }, apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: zone } } }];
    expect((await judgeWithPack(policy("aks-private-dns-zone-format"), automaticUnknown)).verdict).toBe("unknown");
    const legacyUnknown = [{ type: "azure-native:containerservice/v20190601:ManagedCluster", name: "aks", props: { apiServerAuthorizedIPRanges: unknownArrayValue } }];
    expect((await judgeWithPack(policy("aks-authorized-ip-ranges-restrictive"), legacyUnknown)).verdict).toBe("unknown");
    expect((await judgeWithPack(policy("aks-authorized-ip-ranges-restrictive"), aks({ authorizedIPRanges: unknownArrayValue }))).verdict).toBe("unknown");
  });

  test("a known value that decides alone is enough", async () => {
    // Public cluster: the private-only rule does not apply, whatever the unknown ranges are.
    expect((await judgeWithPack(policy("aks-private-cluster-no-authorized-ip-ranges"), aks({ enablePrivateCluster: false, authorizedIPRanges: unknownArrayValue }))).verdict).toBe("not-applicable");
    // One known 0.0.0.0/0 fails the list, whatever the unknown element is.
    expect((await judgeWithPack(policy("aks-authorized-ip-ranges-restrictive"), aks({ authorizedIPRanges: ["0.0.0.0/0", unknownStringValue] }))).verdict).toBe("fail");
    expect((await judgeWithPack(policy("aks-authorized-ip-ranges-restrictive"), aks({ authorizedIPRanges: ["73.140.245.0/24", unknownStringValue] }))).verdict).toBe("unknown");
  });
});
