/**
 * The real Pulumi CLI (built from Go modules by scripts/install-pulumi.sh, run by `npm test`'s
 * pretest) analyzes stack states with the generated pack: `pulumi policy analyze`, a local file
 * backend, no cloud. Mandatory violations fail the command and name the rule; advisory ones print
 * without failing; a policy-pack config file changes the outcome as configured.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compliantAksProps } from "../helpers/compliant";
import { REPO } from "../helpers/paths";

const PULUMI_BIN = execFileSync("bash", [path.join(REPO, "scripts/install-pulumi.sh")], { encoding: "utf8" })
  .trim()
  .split("\n")
  .pop()!;
const PLUGINS = path.join(REPO, "scripts/plugins");
const PACK = path.join(REPO, "policypack");

const work = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-pulumi-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const env = {
  ...process.env,
  PATH: `${PLUGINS}:${PULUMI_BIN}:${process.env.PATH}`,
  PULUMI_HOME: path.join(work, "home"),
  PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
  PULUMI_CONFIG_PASSPHRASE: "apiguard-test",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  NO_COLOR: "1",
};

function pulumi(cwd: string, ...args: string[]) {
  const run = spawnSync(path.join(PULUMI_BIN, "pulumi"), [...args, "--color", "never"], { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

type Resource = { type: string; name: string; inputs: Record<string, unknown> };

/** A stack in the local backend whose state holds exactly these resources. */
function stack(name: string, resources: Resource[]): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(work, "state"), { recursive: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: yaml\n`);
  expect(pulumi(dir, "stack", "init", "dev").status).toBe(0);
  const exported = JSON.parse(pulumi(dir, "stack", "export").output);
  const root = `urn:pulumi:dev::${name}::pulumi:pulumi:Stack::${name}-dev`;
  const packages = [...new Set(resources.map((r) => r.type.split(":")[0]))];
  const providerOf = (pkg: string) => `urn:pulumi:dev::${name}::pulumi:providers:${pkg}::default`;
  exported.deployment.resources = [
    { urn: root, custom: false, type: "pulumi:pulumi:Stack" },
    ...packages.map((pkg) => ({ urn: providerOf(pkg), custom: true, id: `provider-${pkg}`, type: `pulumi:providers:${pkg}`, inputs: {}, outputs: {} })),
    ...resources.map((r) => {
      const pkg = r.type.split(":")[0];
      return { urn: `urn:pulumi:dev::${name}::${r.type}::${r.name}`, custom: true, id: `id-${r.name}`, type: r.type, inputs: r.inputs, outputs: r.inputs, parent: root, provider: `${providerOf(pkg)}::provider-${pkg}` };
    }),
  ];
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(exported));
  const imported = pulumi(dir, "stack", "import", "--file", "state.json");
  expect(imported.output).toContain("Import complete");
  return dir;
}

const privateAks: Resource = {
  type: "azure-native:containerservice:ManagedCluster",
  name: "aks-private",
  inputs: { ...compliantAksProps(), resourceGroupName: "rg" },
};
const publicAks: Resource = {
  type: "azure-native:containerservice:ManagedCluster",
  name: "aks-public",
  inputs: { resourceGroupName: "rg", disableLocalAccounts: true, aadProfile: { managed: true, enableAzureRBAC: true }, apiServerAccessProfile: { authorizedIPRanges: ["10.20.0.0/16"], disableRunCommand: true } },
};

test("a public cluster fails the analysis, naming the mandatory rules", () => {
  const dir = stack("public", [publicAks]);
  const result = pulumi(dir, "policy", "analyze", "--policy-pack", PACK, "--stack", "dev");
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/\[mandatory\].*aks-private-cluster\s/);
  expect(result.output).toMatch(/\[mandatory\].*aks-authorized-ip-ranges-restrictive/);
  expect(result.output).toContain("mandatory policy violations were found");
});

test("a compliant private cluster passes; an advisory violation prints without failing", () => {
  const compliant = pulumi(stack("compliant", [privateAks]), "policy", "analyze", "--policy-pack", PACK, "--stack", "dev");
  expect(compliant.output).not.toMatch(/\[(mandatory|advisory)\]/);
  expect(compliant.status).toBe(0);

  const runCommandOn = { ...privateAks, inputs: { ...privateAks.inputs, apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false } } };
  const advisory = pulumi(stack("advisory", [runCommandOn]), "policy", "analyze", "--policy-pack", PACK, "--stack", "dev");
  expect(advisory.output).toMatch(/\[advisory\].*aks-command-invoke-disabled/);
  expect(advisory.status).toBe(0);
});

test("a policy-pack config file changes the outcome as configured", () => {
  const dir = stack("configured", [publicAks]);
  const config = path.join(dir, "policy-config.json");
  fs.writeFileSync(config, JSON.stringify({ "aks-private-cluster": { enforcementLevel: "advisory" }, "aks-authorized-ip-ranges-restrictive": { minPrefixLength: 16 } }));
  const result = pulumi(dir, "policy", "analyze", "--policy-pack", PACK, "--policy-pack-config", config, "--stack", "dev");
  expect(result.output).toMatch(/\[advisory\].*aks-private-cluster\s/);
  expect(result.output).not.toContain("aks-authorized-ip-ranges-restrictive");
  expect(result.status).toBe(0);
});

test("the CLI checks policy config against each policy's schema", () => {
  const dir = stack("invalid-config", [publicAks]);
  const config = path.join(dir, "policy-config.json");
  fs.writeFileSync(config, JSON.stringify({ "aks-authorized-ip-ranges-restrictive": { minPrefixLength: "wide" } }));
  const result = pulumi(dir, "policy", "analyze", "--policy-pack", PACK, "--policy-pack-config", config, "--stack", "dev");
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/minPrefixLength/);
});

test("EKS and the stack rule are judged too", () => {
  const dir = stack("mixed", [
    { type: "aws:eks/cluster:Cluster", name: "eks-public", inputs: { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } } },
    privateAks,
    { type: "azure-native:containerregistry:Registry", name: "acrpublic", inputs: { resourceGroupName: "rg", sku: { name: "Premium" } } },
  ]);
  const result = pulumi(dir, "policy", "analyze", "--policy-pack", PACK, "--stack", "dev");
  expect(result.output).toMatch(/\[mandatory\].*eks-endpoint-private/);
  expect(result.output).toMatch(/\[mandatory\].*eks-public-access-cidrs-restrictive/);
  expect(result.output).toMatch(/\[advisory\].*private-cluster-registry-private-link/);
  expect(result.status).not.toBe(0);
});
