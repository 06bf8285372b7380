/**
 * The main journey for real: `pulumi preview --policy-pack ./policypack` (and `pulumi up`) of
 * TypeScript programs written with the typed provider SDKs, run by the real CLI against the cloud
 * stand-ins. Exit codes and the policies the CLI reports are what a pipeline sees.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import { harness, reported } from "./harness";
import { ByToken, COMPLIANT_SETTINGS, PRIVATE_PROFILE as privateProfile, RG as rg, zoneFromOutput as zoneProgram } from "./programs";

const h = harness();
afterAll(() => h.dispose());
jest.setTimeout(120_000);

const cluster = (name: string, apiServerAccessProfile: azure.types.input.containerservice.ManagedClusterAPIServerAccessProfileArgs) =>
  new azure.containerservice.ManagedCluster(name, { resourceGroupName: rg, dnsPrefix: name, ...COMPLIANT_SETTINGS, apiServerAccessProfile });

const levelsOf = (output: string, policy: string) =>
  reported(output)
    .filter((r) => r.policy === policy)
    .map((r) => r.level);

test("a public AKS cluster fails the preview, naming the mandatory rules", async () => {
  const run = await h.preview("public-aks", async () => {
    cluster("aks-public", { enablePrivateCluster: false, disableRunCommand: true });
  });
  expect(run.code).not.toBe(0);
  expect(reported(run.output)).toEqual(
    expect.arrayContaining([
      { level: "mandatory", policy: "aks-private-cluster", resource: "aks-public" },
      { level: "mandatory", policy: "aks-authorized-ip-ranges-restrictive", resource: "aks-public" },
    ]),
  );
  expect(run.output).toContain("❌ apiguard@v0.1.0");
});

test("a compliant private AKS cluster passes with exit code 0 and nothing reported", async () => {
  const run = await h.preview("private-aks", async () => {
    cluster("aks-private", privateProfile);
  });
  expect(reported(run.output)).toEqual([]);
  expect(run.output).toContain("✅ apiguard@v0.1.0");
  expect(run.code).toBe(0);
});

test("pulumi.secret(false) on the private flag still fails", async () => {
  const run = await h.preview("secret-flag", async () => {
    cluster("aks-secret", { ...privateProfile, enablePrivateCluster: pulumi.secret(false) });
  });
  expect(levelsOf(run.output, "aks-private-cluster")).toEqual(["mandatory"]);
  expect(run.code).not.toBe(0);
});

test("a versioned type token is judged like the default one", async () => {
  // azure-native 3.x ships no versioned modules; a program reaches an API version by token.
  const run = await h.preview("versioned", async () => {
    new ByToken("azure-native:containerservice/v20240801:ManagedCluster", "aks-versioned", {
      resourceGroupName: rg,
      apiServerAccessProfile: { enablePrivateCluster: false },
    });
  });
  expect(reported(run.output)).toContainEqual({ level: "mandatory", policy: "aks-private-cluster", resource: "aks-versioned" });
  expect(run.code).not.toBe(0);
});

test("--policy-pack-config raises an advisory rule to mandatory", async () => {
  const runCommandOn = async () => {
    cluster("aks-runcommand", { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false });
  };
  const advisory = await h.preview("raise-advisory", runCommandOn);
  expect(levelsOf(advisory.output, "aks-command-invoke-disabled")).toEqual(["advisory"]);
  expect(advisory.code).toBe(0);

  const raised = await h.preview("raise-advisory", runCommandOn, { config: { "aks-command-invoke-disabled": { enforcementLevel: "mandatory" } } });
  expect(levelsOf(raised.output, "aks-command-invoke-disabled")).toEqual(["mandatory"]);
  expect(raised.code).not.toBe(0);
});

test("an EKS cluster with the default (public) endpoint fails", async () => {
  const run = await h.preview("eks-public", async () => {
    new aws.eks.Cluster("eks-public", { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-0a1b2c3d"] } });
  });
  expect(reported(run.output)).toEqual(
    expect.arrayContaining([
      { level: "mandatory", policy: "eks-endpoint-private", resource: "eks-public" },
      { level: "mandatory", policy: "eks-public-access-cidrs-restrictive", resource: "eks-public" },
    ]),
  );
  expect(run.code).not.toBe(0);
});

test("the stack rule: a private cluster with a public registry is reported on the registry", async () => {
  const run = await h.preview("registry", async () => {
    cluster("aks-private", privateProfile);
    new azure.containerregistry.Registry("acrpublic", { resourceGroupName: rg, sku: { name: "Premium" } });
  });
  expect(reported(run.output)).toEqual([{ level: "advisory", policy: "private-cluster-registry-private-link", resource: "acrpublic" }]);
  expect(run.code).toBe(0);
});

const zoneFromOutput = (zoneName: string) => zoneProgram(zoneName, "aks-zone");

test("a value from another resource's output is 'can't run during preview', then judged at up", async () => {
  const bad = zoneFromOutput("contoso.com");
  const preview = await h.preview("unknown-zone", bad);
  expect(preview.output).toMatch(/\[advisory\].*aks-private-dns-zone-format[\s\S]*can't run policy 'aks-private-dns-zone-format'.*during preview/);
  expect(levelsOf(preview.output, "aks-private-dns-zone-format")).toEqual(["advisory"]);
  expect(preview.code).toBe(0);

  // At up the zone exists, its id is known and names a zone AKS cannot use: blocked before the cluster is created.
  const up = await h.up("unknown-zone", bad);
  expect(levelsOf(up.output, "aks-private-dns-zone-format")).toEqual(["mandatory"]);
  expect(up.code).not.toBe(0);
  const types = (await h.resources("unknown-zone")).map((r) => r.type);
  expect(types).toContain("azure-native:privatedns:PrivateZone");
  expect(types).not.toContain("azure-native:containerservice:ManagedCluster");

  // A documented zone: the format rule passes it at up and nothing blocks the cluster (an advisory
  // rule may still have its say about a custom zone).
  const good = await h.up("unknown-zone-ok", zoneFromOutput("privatelink.westeurope.azmk8s.io"));
  expect(levelsOf(good.output, "aks-private-dns-zone-format")).toEqual([]);
  expect(reported(good.output).filter((r) => r.level === "mandatory")).toEqual([]);
  expect(good.code).toBe(0);
});

test("remediation: enforcementLevel remediate fixes the resource instead of failing", async () => {
  // The compliant profile without the one setting the rule's fix writes.
  const { disableRunCommand: _fixed, ...withoutFix } = privateProfile;
  const run = await h.up(
    "remediate",
    async () => {
      cluster("aks-remediated", withoutFix);
    },
    { config: { "aks-command-invoke-disabled": { enforcementLevel: "remediate" } } },
  );
  expect(run.code).toBe(0);
  expect(levelsOf(run.output, "aks-command-invoke-disabled")).toEqual([]);
  const [created] = (await h.resources("remediate")).filter((r) => r.type === "azure-native:containerservice:ManagedCluster");
  expect(created.inputs.apiServerAccessProfile).toEqual({ ...privateProfile });
});
