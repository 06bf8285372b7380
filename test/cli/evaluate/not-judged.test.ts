/**
 * Nothing is dropped in silence: every resource of every input is judged or reported as not judged,
 * with its type and why — on stderr (one line per file, type and reason), in JSON (`notJudged`, and a
 * count in the summary) and in SARIF (the run's tool execution notifications, checked by
 * test/cli/evaluate/sarif.test.ts); a file in which nothing was judged says so.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { main } from "../../../cli";
import { REPO } from "../../helpers/paths";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-not-judged-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, content: unknown) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
};

interface Report {
  results: { resource: string; type: string; rule: string; engine: string; verdict: string }[];
  summary: Record<string, number>;
  notJudged: { file: string; resource?: string; type?: string; reason: string }[];
}

async function evaluate(...args: string[]): Promise<{ code: number; report: Report; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, report: JSON.parse(out.join("\n")), err };
}

const NO_RULE = "no CrossGuard rule or Azure Policy definition judges this type";
const TEMPLATE = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const AKS = "Microsoft.ContainerService/managedClusters";

test("resources no rule judges: one entry each, not rows of not-applicable per engine, grouped on stderr", async () => {
  const file = write("mixed.json", {
    $schema: TEMPLATE,
    contentVersion: "1.0.0.0",
    resources: [
      { type: "Microsoft.Storage/storageAccounts", name: "logs1", properties: {} },
      { type: "Microsoft.Storage/storageAccounts", name: "logs2", properties: {} },
      { type: "Microsoft.Storage/storageAccounts", name: "logs3", properties: {} },
      { type: "Microsoft.Storage/storageAccounts", name: "logs4", properties: {} },
      { type: "Microsoft.KeyVault/vaults", name: "kv", properties: {} },
      { type: AKS, name: "aks", properties: {} },
    ],
  });
  const { report, err } = await evaluate(file);
  expect(report.results.every((r) => r.resource === "aks")).toBe(true);
  expect(report.notJudged.map((n) => [n.resource, n.type, n.reason])).toEqual([
    ["logs1", "Microsoft.Storage/storageAccounts", NO_RULE],
    ["logs2", "Microsoft.Storage/storageAccounts", NO_RULE],
    ["logs3", "Microsoft.Storage/storageAccounts", NO_RULE],
    ["logs4", "Microsoft.Storage/storageAccounts", NO_RULE],
    ["kv", "Microsoft.KeyVault/vaults", NO_RULE],
  ]);
  expect(report.summary["not-judged"]).toBe(5);
  expect(err).toEqual([
    `apiguard: not judged: ${file}: 4 resources of type Microsoft.Storage/storageAccounts ('logs1', 'logs2', 'logs3' and 1 more): ${NO_RULE}`,
    `apiguard: not judged: ${file}:25:5: Microsoft.KeyVault/vaults 'kv': ${NO_RULE}`,
  ]);
});

test("with one engine, a resource only the other judges is not judged, and says by which", async () => {
  const file = write("eks.yaml", stringify({ type: "aws:eks:Cluster", name: "eks", props: {} }));
  const { report } = await evaluate("--engine", "azure-policy", file);
  expect(report.results).toEqual([]);
  expect(report.notJudged).toEqual([
    { file, resource: "eks", type: "aws:eks:Cluster", reason: "no Azure Policy definition judges this type" },
    { file, reason: "nothing in this file was judged" },
  ]);
});

test("an ARM template: a false condition, an existing resource and a linked template are reported; their children are judged", async () => {
  const file = write("template.json", {
    $schema: TEMPLATE,
    contentVersion: "1.0.0.0",
    resources: [
      // "Conditional deployment doesn't cascade to child resources": the rule is deployed anyway.
      {
        type: "Microsoft.Network/networkSecurityGroups",
        name: "off",
        condition: false,
        properties: {},
        resources: [{ type: "securityRules", name: "ssh", properties: { access: "Allow", direction: "Inbound", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "22" } }],
      },
      { type: AKS, name: "elsewhere", existing: true },
      { type: "Microsoft.Resources/deployments", name: "linked", properties: { templateLink: { uri: "https://example.com/t.json" } } },
    ],
  });
  const { report } = await evaluate(file);
  expect(report.notJudged.map((n) => [n.resource, n.type, n.reason])).toEqual([
    ["off", "Microsoft.Network/networkSecurityGroups", "its `condition` is false: not deployed"],
    ["elsewhere", AKS, "an `existing` resource: a reference to one deployed elsewhere, not deployed here"],
    [undefined, undefined, "nested deployment links its template (https://example.com/t.json); resources inside it are not judged"],
  ]);
  expect(report.results.filter((r) => r.rule === "jump-box-management-ports-closed").map((r) => [r.resource, r.verdict])).toEqual([
    ["off/ssh", "fail"],
    ["off/ssh", "fail"],
  ]);
});

test("what-if: deleted and ignored resources are reported, not judged", async () => {
  const after = (name: string) => ({ type: AKS, name, properties: {} });
  const file = write("what-if.json", {
    changes: [
      { resourceId: `/subscriptions/s/resourceGroups/g/providers/${AKS}/gone`, changeType: "Delete", before: after("gone") },
      { resourceId: `/subscriptions/s/resourceGroups/g/providers/${AKS}/other`, changeType: "Ignore", before: after("other"), after: after("other") },
    ],
  });
  const { report } = await evaluate(file);
  expect(report.notJudged.map((n) => [n.resource, n.type, n.reason])).toEqual([
    ["gone", AKS, "what-if change `Delete`: not deployed by this template"],
    ["other", AKS, "what-if change `Ignore`: not deployed by this template"],
    [undefined, undefined, "nothing in this file was judged: it holds no resource to judge"],
  ]);
});

test("a stack export's stack and providers are resources no rule judges; an empty template holds nothing to judge", async () => {
  const urn = (type: string, name: string) => `urn:pulumi:dev::infra::${type}::${name}`;
  const stack = write("stack.json", {
    deployment: {
      resources: [
        { urn: urn("pulumi:pulumi:Stack", "infra-dev"), type: "pulumi:pulumi:Stack" },
        { urn: urn("pulumi:providers:azure-native", "default"), type: "pulumi:providers:azure-native", inputs: {} },
      ],
    },
  });
  const empty = write("empty-template.json", { $schema: TEMPLATE, contentVersion: "1.0.0.0", resources: [] });
  const { report, code } = await evaluate(stack, empty);
  expect(code).toBe(0);
  expect(report.notJudged.map((n) => [path.basename(n.file), n.resource, n.reason])).toEqual([
    ["stack.json", "infra-dev", NO_RULE],
    ["stack.json", "default", NO_RULE],
    ["stack.json", undefined, "nothing in this file was judged"],
    ["empty-template.json", undefined, "nothing in this file was judged: it holds no resource to judge"],
  ]);
  expect(report.summary["not-judged"]).toBe(2);
});

test("a stack rule that does not apply to a stack says so for each resource of its type", async () => {
  // A registry beside no private cluster: the registry rule's trigger does not hold.
  const file = write("registry.json", { type: "azure-native:containerregistry:Registry", name: "acr", props: { publicNetworkAccess: "Enabled" } });
  const { report } = await evaluate(file);
  expect(report.results).toEqual([expect.objectContaining({ resource: "acr", rule: "private-cluster-registry-private-link", engine: "crossguard", verdict: "not-applicable" })]);
  expect(report.notJudged).toEqual([]);
});

test("the table's summary counts the resources not judged", async () => {
  const file = write("table.json", [
    { type: "Microsoft.KeyVault/vaults", name: "kv", properties: {} },
    { type: AKS, name: "aks", properties: {} },
  ]);
  const out: string[] = [];
  await main(["node", "apiguard", "evaluate", "--project", REPO, file], { out: (t) => out.push(t), err: () => undefined });
  expect(out.join("\n")).toMatch(/\(counted per engine\); 1 resource not judged \(listed on stderr\)$/);
});

test("a stack rule that applies gives each resource of its type its verdict, so none passes unreported", async () => {
  const file = write("registries.json", [
    { type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { enablePrivateCluster: true } } },
    { type: "azure-native:containerregistry:Registry", name: "open", props: { publicNetworkAccess: "Enabled" } },
    { type: "azure-native:containerregistry:Registry", name: "closed", props: { publicNetworkAccess: "Disabled" } },
  ]);
  const { report } = await evaluate(file);
  expect(report.results.filter((r) => r.rule === "private-cluster-registry-private-link").map((r) => [r.resource, r.verdict])).toEqual([
    ["open", "fail"],
    ["closed", "pass"],
  ]);
  expect(report.notJudged).toEqual([]);
});
