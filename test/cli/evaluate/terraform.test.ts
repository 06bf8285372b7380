/**
 * Terraform plans as `terraform show -json` writes them (JSON Output Format,
 * https://developer.hashicorp.com/terraform/internals/json-format): the Entra ID block of azurerm
 * 3.x and 4.x, NSGs inline and standalone, the configuration telling "not configured" from "known
 * after apply", resources in modules, and what a plan holds but will not deploy.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { readInput } from "../../../cli/evaluate/formats";
import { UNKNOWN } from "../../../cli/evaluate/unknowns";
import { REPO } from "../../helpers/paths";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-terraform-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: unknown) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
};

type Change = { address: string; mode: string; type: string; name: string; change: { actions: string[]; before: null; after: unknown; after_unknown: unknown } };
const change = (type: string, name: string, after: unknown, afterUnknown: unknown = {}, actions = ["create"], address = `${type}.${name}`): Change => ({
  address,
  mode: "managed",
  type,
  name,
  change: { actions, before: null, after, after_unknown: afterUnknown },
});
const plan = (changes: unknown[], configuration?: unknown) => ({ format_version: "1.2", terraform_version: "1.9.4", resource_changes: changes, ...(configuration ? { configuration } : {}) });
const declared = (address: string, expressions: unknown) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1], expressions });

async function verdicts(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: (t) => err.push(t) });
  const report = JSON.parse(out.join("\n"));
  // Each engine that judges the resource: EKS has no Azure Policy side.
  const of = (resource: string, rule: string) =>
    ["crossguard", "azure-policy"]
      .map((e) => report.results.find((r: { resource: string; rule: string; engine: string }) => r.resource === resource && r.rule === rule && r.engine === e)?.verdict)
      .filter((v) => v !== undefined)
      .join("/");
  return { code, of, report, err };
}

/** The cluster every AKS rule but the one under test passes, as a plan writes azurerm 4.x. */
const secureCluster = {
  private_cluster_enabled: true,
  private_cluster_public_fqdn_enabled: false,
  run_command_enabled: false,
  local_account_disabled: true,
  private_dns_zone_id: "System",
  api_server_access_profile: [{ authorized_ip_ranges: [], virtual_network_integration_enabled: false }],
};

describe("the Entra ID block (azure_active_directory_role_based_access_control) is read, in azurerm 3.x and 4.x", () => {
  test("it becomes one object, not a list, in the classic provider's inputs", () => {
    const file = write(
      "entra-shape.json",
      plan([change("azurerm_kubernetes_cluster", "k8s", { ...secureCluster, azure_active_directory_role_based_access_control: [{ azure_rbac_enabled: true, tenant_id: "t", admin_group_object_ids: ["g"] }] })]),
    );
    expect(readInput(file).resources[0].pulumi.props.azureActiveDirectoryRoleBasedAccessControl).toEqual({ azureRbacEnabled: true, tenantId: "t", adminGroupObjectIds: ["g"] });
  });

  test.each([
    // azurerm 4.x: the block itself turns on AKS-managed Entra ID (azurerm 4.0 upgrade guide).
    ["4.x with azure_rbac_enabled", [{ azure_rbac_enabled: true, tenant_id: "t" }], "pass/pass", "pass/pass"],
    // azurerm 3.x as a real 3.116 plan writes it: managed = true, unset 3.x-only attributes null.
    ["3.x managed", [{ azure_rbac_enabled: true, client_app_id: null, managed: true, server_app_id: null, server_app_secret: null }], "pass/pass", "pass/pass"],
    ["4.x without azure_rbac_enabled", [{ tenant_id: "t" }], "pass/pass", "fail/fail"],
    // No block: no Entra integration, so the mandatory rule fails (it passed before the block was read).
    ["no block", undefined, "fail/fail", "fail/fail"],
  ])("%s", async (name, block, entra, rbac) => {
    const file = write(`entra-${name.replace(/\W+/g, "-")}.json`, plan([change("azurerm_kubernetes_cluster", "k8s", { ...secureCluster, ...(block ? { azure_active_directory_role_based_access_control: block } : {}) })]));
    const { of } = await verdicts(file);
    expect([of("azurerm_kubernetes_cluster.k8s", "aks-entra-id-integration"), of("azurerm_kubernetes_cluster.k8s", "aks-azure-rbac")]).toEqual([entra, rbac]);
  });
});

describe("NSGs: inline security_rule blocks and standalone rules map onto the classic provider's shapes", () => {
  const rule = { access: "Allow", direction: "Inbound", protocol: "Tcp", priority: 100, source_address_prefix: "*", source_address_prefixes: [], destination_port_range: "22", destination_port_ranges: [], description: "" };

  test("inline blocks become securityRules; a standalone rule is a NetworkSecurityRule", () => {
    const file = write(
      "nsg-shapes.json",
      plan([
        change("azurerm_network_security_group", "g", { name: "g", security_rule: [rule] }),
        change("azurerm_network_security_rule", "r", { ...rule, source_address_prefixes: null, destination_port_ranges: null, network_security_group_name: "g" }),
      ]),
    );
    const [group, standalone] = readInput(file).resources;
    expect([group.pulumi.type, group.pulumi.props.securityRules]).toEqual([
      "azure:network/networkSecurityGroup:NetworkSecurityGroup",
      [{ access: "Allow", direction: "Inbound", protocol: "Tcp", priority: 100, sourceAddressPrefix: "*", sourceAddressPrefixes: [], destinationPortRange: "22", destinationPortRanges: [], description: "" }],
    ]);
    expect([standalone.pulumi.type, standalone.pulumi.props]).toEqual([
      "azure:network/networkSecurityRule:NetworkSecurityRule",
      { access: "Allow", direction: "Inbound", protocol: "Tcp", priority: 100, sourceAddressPrefix: "*", destinationPortRange: "22", description: "", networkSecurityGroupName: "g" },
    ]);
  });

  test("SSH open to the internet fails, inline or standalone, in both engines; closed passes", async () => {
    const file = write(
      "nsg-verdicts.json",
      plan([
        change("azurerm_network_security_group", "open", { security_rule: [rule] }),
        change("azurerm_network_security_rule", "open", { ...rule, source_address_prefixes: null }),
        change("azurerm_network_security_group", "closed", { security_rule: [{ ...rule, source_address_prefix: "10.0.0.0/24" }] }),
      ]),
    );
    const { of, code } = await verdicts(file);
    expect(code).toBe(1);
    expect([
      of("azurerm_network_security_group.open", "jump-box-management-ports-closed"),
      of("azurerm_network_security_rule.open", "jump-box-management-ports-closed"),
      of("azurerm_network_security_group.closed", "jump-box-management-ports-closed"),
    ]).toEqual(["fail/fail", "fail/fail", "pass/pass"]);
  });
});

describe("the plan's configuration tells not configured (the documented default) from known after apply", () => {
  const eks = (unknown: unknown) => change("aws_eks_cluster", "c", { vpc_config: [{ endpoint_public_access: true, endpoint_private_access: false }] }, { vpc_config: [unknown] });
  const vpcConfig = (expressions: unknown) => ({ root_module: { resources: [declared("aws_eks_cluster.c", { vpc_config: [expressions] })] } });

  test.each([
    // "EKS defaults this to a list with 0.0.0.0/0" (aws provider, aws_eks_cluster): the rule fails.
    ["left out of the configuration: the default applies", {}, { endpoint_private_access: { constant_value: false } }, "fail", undefined],
    ["set to null: the default applies", {}, { public_access_cidrs: { constant_value: null } }, "fail", undefined],
    ["written with a reference: unknown", {}, { public_access_cidrs: { references: ["var.cidrs"] } }, "unknown", "vpcConfig.publicAccessCidrs"],
    // The block is not in the configuration: a `dynamic` block may write it, which the configuration does not show.
    ["its block not in the configuration: unknown", undefined, undefined, "unknown", "vpcConfig.publicAccessCidrs"],
  ])("public_access_cidrs known after apply, %s", async (name, _unused, expressions, verdict, unknownPath) => {
    const configuration = expressions === undefined ? { root_module: { resources: [declared("aws_eks_cluster.c", {})] } } : vpcConfig(expressions);
    const file = write(`eks-${name.replace(/\W+/g, "-")}.json`, plan([eks({ public_access_cidrs: true })], configuration));
    const [r] = readInput(file).resources;
    expect(r.unknowns.map((n) => n.path)).toEqual(unknownPath ? [unknownPath] : []);
    const { of } = await verdicts(file);
    expect(of("aws_eks_cluster.c", "eks-public-access-cidrs-restrictive")).toBe(verdict);
  });

  test("without a configuration (a plan without it), known after apply stays unknown", () => {
    const file = write("eks-no-configuration.json", plan([eks({ public_access_cidrs: true })]));
    expect((readInput(file).resources[0].pulumi.props.vpcConfig as Record<string, unknown>).publicAccessCidrs).toBe(UNKNOWN);
  });

  test("a resource in a module (with instance keys) is found in its module call's configuration", () => {
    const address = 'module.aks["blue"].module.inner[0].aws_eks_cluster.c[2]';
    const configuration = { root_module: { module_calls: { aks: { module: { module_calls: { inner: { module: { resources: [declared("aws_eks_cluster.c", { vpc_config: [{}] })] } } } } } } } };
    const file = write("module.json", plan([{ ...eks({ public_access_cidrs: true }), address }], configuration));
    const [r] = readInput(file).resources;
    expect([r.name, r.unknowns]).toEqual([address, []]);
  });

  test("an NSG whose security_rule is not written inline stays unknown: its rules may come from a dynamic block", async () => {
    const configuration = { root_module: { resources: [declared("azurerm_network_security_group.g", { name: { constant_value: "g" } })] } };
    const file = write("nsg-unseen.json", plan([change("azurerm_network_security_group", "g", { name: "g" }, { security_rule: true })], configuration));
    const { of } = await verdicts(file);
    expect(of("azurerm_network_security_group.g", "jump-box-management-ports-closed")).toBe("unknown/unknown");
  });
});

describe("what a plan holds but will not deploy is reported, and a wholly unknown resource is kept", () => {
  test("after: null with after_unknown: true keeps the resource, every rule that reads it unknown", async () => {
    const file = write("wholly-unknown.json", plan([change("aws_eks_cluster", "later", null, true)]));
    const [r] = readInput(file).resources;
    expect([r.name, r.pulumi.type, r.pulumi.props]).toEqual(["aws_eks_cluster.later", "aws:eks/cluster:Cluster", { vpcConfig: UNKNOWN }]);
    const { of } = await verdicts(file);
    expect([of("aws_eks_cluster.later", "eks-endpoint-private"), of("aws_eks_cluster.later", "eks-public-access-cidrs-restrictive")]).toEqual(["unknown", "unknown"]);
  });

  test("deleted resources, data sources and reads are not judged, each with its reason", () => {
    const file = write(
      "gone.json",
      plan([
        change("aws_eks_cluster", "deleted", null, {}, ["delete"]),
        { ...change("aws_eks_cluster", "looked-up", { vpc_config: [] }, {}, ["read"]), mode: "data", address: "data.aws_eks_cluster.looked-up" },
        change("aws_eks_cluster", "forgotten", null, {}, ["forget"]),
        change("aws_eks_cluster", "replaced", { vpc_config: [{ endpoint_public_access: false }] }, {}, ["delete", "create"]),
      ]),
    );
    const input = readInput(file);
    expect(input.resources.map((r) => r.name)).toEqual(["aws_eks_cluster.replaced"]);
    expect(input.notJudged.map((n) => [n.resource, n.type, n.reason])).toEqual([
      ["aws_eks_cluster.deleted", "aws_eks_cluster", "deleted by this plan"],
      ["data.aws_eks_cluster.looked-up", "aws_eks_cluster", "a data source: read, not deployed"],
      ["aws_eks_cluster.forgotten", "aws_eks_cluster", "removed from the state by this plan, not deployed"],
    ]);
  });
});
