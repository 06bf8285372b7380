/**
 * Pulumi and Terraform inputs: secrets, previews, plans and unknown values, each written as the
 * tool writes it (formats cited in cli/evaluate/formats/), judged end to end.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readInput } from "../../../cli/evaluate/formats";
import { UNKNOWN } from "../../../cli/evaluate/unknowns";
import { main } from "../../../cli";
import { REPO } from "../../helpers/paths";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-sources-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: unknown) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
};

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const AKS = "azure-native:containerservice:ManagedCluster";
const urn = (type: string, name: string) => `urn:pulumi:dev::infra::${type}::${name}`;

async function verdicts(file: string): Promise<{ code: number; rows: { resource: string; rule: string | null; engine: string; verdict: string }[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, rows: out.length ? JSON.parse(out.join("\n")).results : [], err: err.join("\n") };
}
const verdict = (rows: Awaited<ReturnType<typeof verdicts>>["rows"], resource: string, rule: string, engine = "crossguard") => rows.find((r) => r.resource === resource && r.rule === rule && r.engine === engine)?.verdict;

describe("pulumi stack export secrets", () => {
  const exported = (secret: unknown) => ({
    version: 3,
    deployment: {
      resources: [
        { urn: urn("pulumi:pulumi:Stack", "infra-dev"), type: "pulumi:pulumi:Stack" },
        { urn: urn(AKS, "aks"), type: AKS, inputs: { apiServerAccessProfile: secret } },
      ],
    },
  });

  test("--show-secrets plaintext is decoded as JSON and judged", async () => {
    const file = write("plain.json", exported({ [SIG]: SECRET, plaintext: JSON.stringify({ enablePrivateCluster: false }) }));
    expect(readInput(file).resources.find((r) => r.name === "aks")?.pulumi.props).toEqual({ apiServerAccessProfile: { enablePrivateCluster: false } });
    const { rows } = await verdicts(file);
    expect(verdict(rows, "aks", "aks-private-cluster")).toBe("fail");
    expect(verdict(rows, "aks", "aks-private-cluster", "azure-policy")).toBe("fail");
  });

  test("ciphertext is unknown, in both engines, never an object", async () => {
    const file = write("cipher.json", exported({ [SIG]: SECRET, ciphertext: "v1:abc" }));
    const r = readInput(file).resources.find((x) => x.name === "aks")!;
    expect(r.pulumi.props.apiServerAccessProfile).toBe(UNKNOWN);
    expect(r.unknowns).toEqual([{ path: "apiServerAccessProfile", reason: expect.stringContaining("encrypted secret") }]);
    const { rows } = await verdicts(file);
    expect(verdict(rows, "aks", "aks-private-cluster")).toBe("unknown");
    expect(verdict(rows, "aks", "aks-private-cluster", "azure-policy")).toBe("unknown");
  });
});

test("pulumi preview --json: new inputs of steps that leave a resource; unknowns and [secret] are unknown", async () => {
  const step = (op: string, name: string, inputs: unknown) => ({ op, urn: urn(AKS, name), newState: { urn: urn(AKS, name), type: AKS, custom: true, inputs } });
  const file = write("preview.json", {
    steps: [
      { op: "same", urn: urn("pulumi:pulumi:Stack", "s"), newState: { urn: urn("pulumi:pulumi:Stack", "s"), type: "pulumi:pulumi:Stack" } },
      step("create", "public", { apiServerAccessProfile: { enablePrivateCluster: false } }),
      step("update", "computed", { apiServerAccessProfile: { enablePrivateCluster: UNKNOWN } }),
      step("create", "masked", { apiServerAccessProfile: "[secret]" }),
      { op: "delete", urn: urn(AKS, "gone"), oldState: { type: AKS, inputs: {} } },
    ],
    changeSummary: { create: 2, update: 1, delete: 1 },
  });
  const input = readInput(file);
  // The stack is handed over (no rule judges it); the deleted resource is reported as not judged.
  expect(input.resources.map((r) => r.name)).toEqual(["s", "public", "computed", "masked"]);
  expect(input.notJudged).toEqual([expect.objectContaining({ type: AKS, resource: "gone", reason: "the step `delete` leaves no resource to judge" })]);
  const { rows } = await verdicts(file);
  expect([verdict(rows, "public", "aks-private-cluster"), verdict(rows, "computed", "aks-private-cluster"), verdict(rows, "masked", "aks-private-cluster")]).toEqual(["fail", "unknown", "unknown"]);
  expect([verdict(rows, "public", "aks-private-cluster", "azure-policy"), verdict(rows, "computed", "aks-private-cluster", "azure-policy")]).toEqual(["fail", "unknown"]);
});

describe("terraform show -json plans", () => {
  const change = (type: string, name: string, after: unknown, afterUnknown: unknown = {}, actions = ["create"]) => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    change: { actions, before: null, after, after_unknown: afterUnknown },
  });
  const plan = (...changes: unknown[]) => ({ format_version: "1.2", terraform_version: "1.9.0", resource_changes: changes });

  test("azurerm_kubernetes_cluster and aws_eks_cluster map onto the classic targets", () => {
    const file = write(
      "plan.json",
      plan(
        change("azurerm_kubernetes_cluster", "a", {
          name: "a",
          private_cluster_enabled: false,
          run_command_enabled: true,
          private_dns_zone_id: null,
          api_server_access_profile: [{ authorized_ip_ranges: ["10.0.0.0/24"], virtual_network_integration_enabled: false }],
        }),
        change("aws_eks_cluster", "e", { name: "e", vpc_config: [{ endpoint_public_access: true, endpoint_private_access: false, public_access_cidrs: ["0.0.0.0/0"] }] }),
        change("azurerm_kubernetes_cluster", "old", { private_cluster_enabled: false, api_server_authorized_ip_ranges: ["0.0.0.0/0"], api_server_access_profile: [{ vnet_integration_enabled: true }] }),
        change("azurerm_kubernetes_cluster", "deleted", {}, {}, ["delete"]),
      ),
    );
    const resources = readInput(file).resources;
    expect(resources.map((r) => [r.name, r.pulumi.type])).toEqual([
      ["azurerm_kubernetes_cluster.a", "azure:containerservice/kubernetesCluster:KubernetesCluster"],
      ["aws_eks_cluster.e", "aws:eks/cluster:Cluster"],
      ["azurerm_kubernetes_cluster.old", "azure:containerservice/kubernetesCluster:KubernetesCluster"],
    ]);
    expect(resources[0].pulumi.props).toEqual({ name: "a", privateClusterEnabled: false, runCommandEnabled: true, apiServerAccessProfile: { authorizedIpRanges: ["10.0.0.0/24"], virtualNetworkIntegrationEnabled: false } });
    expect(resources[1].pulumi.props.vpcConfig).toEqual({ endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ["0.0.0.0/0"] });
    // azurerm 3.x spellings are read too: the deprecated top-level ranges can't bypass the range rule.
    expect(resources[2].pulumi.props.apiServerAccessProfile).toEqual({ vnetIntegrationEnabled: true, virtualNetworkIntegrationEnabled: true, authorizedIpRanges: ["0.0.0.0/0"] });
  });

  test("a state (values.root_module, child modules included) is judged too", () => {
    const file = write("state.json", {
      format_version: "1.0",
      values: {
        root_module: {
          resources: [{ address: "aws_eks_cluster.a", mode: "managed", type: "aws_eks_cluster", name: "a", values: { vpc_config: [{ endpoint_public_access: false }] } }],
          child_modules: [{ resources: [{ address: "module.m.azurerm_kubernetes_cluster.b", mode: "managed", type: "azurerm_kubernetes_cluster", name: "b", values: { private_cluster_enabled: true } }] }],
        },
      },
    });
    expect(readInput(file).resources.map((r) => [r.name, r.pulumi.props])).toEqual([
      ["aws_eks_cluster.a", { vpcConfig: { endpointPublicAccess: false } }],
      ["module.m.azurerm_kubernetes_cluster.b", { privateClusterEnabled: true }],
    ]);
  });

  test("verdicts: the same catalog judges plans; known-after-apply is unknown", async () => {
    const file = write(
      "plan-verdicts.json",
      plan(
        change("azurerm_kubernetes_cluster", "public", { private_cluster_enabled: false, api_server_authorized_ip_ranges: ["0.0.0.0/0"] }),
        change("azurerm_kubernetes_cluster", "later", { api_server_access_profile: [{}] }, { private_cluster_enabled: true }),
        change("aws_eks_cluster", "open", { vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }] }),
        change("aws_eks_cluster", "closed", { vpc_config: [{ endpoint_public_access: false, endpoint_private_access: true }] }),
      ),
    );
    const { rows } = await verdicts(file);
    expect(verdict(rows, "azurerm_kubernetes_cluster.public", "aks-private-cluster")).toBe("fail");
    expect(verdict(rows, "azurerm_kubernetes_cluster.public", "aks-authorized-ip-ranges-restrictive")).toBe("fail");
    expect(verdict(rows, "azurerm_kubernetes_cluster.later", "aks-private-cluster")).toBe("unknown");
    expect(verdict(rows, "aws_eks_cluster.open", "eks-endpoint-private")).toBe("fail");
    expect(verdict(rows, "aws_eks_cluster.closed", "eks-endpoint-private")).toBe("pass");
  });
});

test("a zone ID built from the deployment's subscription is judged by its known segments, in both engines", async () => {
  const file = write("arm-unknown.json", {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: [
      {
        type: "Microsoft.ContainerService/managedClusters",
        name: "aks",
        properties: {
          apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, privateDNSZone: "[extensionResourceId(subscription().id, 'Microsoft.Network/privateDnsZones', 'privatelink.westeurope.azmk8s.io')]" },
        },
      },
    ],
  });
  const { rows } = await verdicts(file);
  // `/subscriptions/{subscription}/providers/Microsoft.Network/privateDnsZones/…` has no resource group:
  // whatever the subscription, it is no private DNS zone ID, so the format rule fails in both engines.
  for (const engine of ["crossguard", "azure-policy"]) expect([engine, verdict(rows, "aks", "aks-private-dns-zone-format", engine)]).toEqual([engine, "fail"]);
  expect(verdict(rows, "aks", "aks-private-cluster")).toBe("pass");
});
