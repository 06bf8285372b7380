/**
 * The input-format registry: the recognition order, each format's contract (resources with
 * positions, unknowns noted), and the help text and error derived from it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { FORMATS, formatTitles, readInput } from "../../../cli/evaluate/formats";
import { InputError } from "../../../cli/evaluate/parse";
import { UNKNOWN } from "../../../cli/evaluate/unknowns";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-formats-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

const NATIVE = "azure-native:containerservice:ManagedCluster";
const ARM = "Microsoft.ContainerService/managedClusters";
const pulumiCluster = { type: NATIVE, name: "aks", props: { apiServerAccessProfile: { enablePrivateCluster: true } } };
const armCluster = { type: ARM, name: "aks", properties: { apiServerAccessProfile: { enablePrivateCluster: true } } };

/** A document of each format, and documents two formats could take, with the format that reads them. */
const DOCUMENTS: [string, unknown, string][] = [
  ["a Terraform plan", { format_version: "1.2", resource_changes: [{ type: "aws_eks_cluster", name: "c", change: { actions: ["create"], after: { vpc_config: [{ endpoint_public_access: false }] } } }] }, "terraform-plan"],
  ["a Terraform state", { format_version: "1.0", values: { root_module: { resources: [] } } }, "terraform-plan"],
  ["a stack export", { deployment: { resources: [{ type: NATIVE, urn: "urn:pulumi:s::p::x::aks", inputs: pulumiCluster.props }] } }, "stack-export"],
  ["a preview", { steps: [{ op: "create", newState: { type: NATIVE, urn: "urn:pulumi:s::p::x::aks", inputs: pulumiCluster.props } }] }, "preview"],
  ["what-if output", { changes: [{ changeType: "Create", after: armCluster }] }, "what-if"],
  ["a what-if operation result", { properties: { changes: [{ changeType: "Modify", after: armCluster }] } }, "what-if"],
  ["an ARM template", { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", resources: [armCluster] }, "arm-template"],
  ["ARM resources without the template envelope", { resources: [armCluster] }, "arm-template"],
  ["Pulumi resources in a resources list", { resources: [pulumiCluster] }, "resources"],
  ["a resource list mixing both shapes", { resources: [armCluster, pulumiCluster] }, "resources"],
  ["an array of resources", [armCluster, pulumiCluster], "resources"],
  ["a catalog example", { description: "x", resource: pulumiCluster }, "resources"],
  ["one resource", armCluster, "resources"],
  [
    "a Resource Graph page (az graph query)",
    { count: 1, data: [{ id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", type: ARM.toLowerCase(), subscriptionId: "s", properties: armCluster.properties }], skip_token: null, total_records: 1 },
    "resource-graph",
  ],
  ["Resource Graph's REST body", { totalRecords: 1, count: 1, data: [], $skipToken: "t" }, "resource-graph"],
  ["bare Resource Graph rows (--query data)", [{ id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", name: "aks", type: ARM.toLowerCase(), subscriptionId: "s", properties: {} }], "resource-graph"],
  ["a projected Resource Graph row", [{ id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", name: "aks", type: ARM.toLowerCase(), properties_apiServerAccessProfile: {} }], "resource-graph"],
  ["az show output", { id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", name: "aks", type: ARM, resourceGroup: "rg", enableRbac: true }, "az-cli"],
  ["az list output", [{ id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", name: "aks", type: ARM, apiServerAccessProfile: null }], "az-cli"],
  ["a Pulumi Cloud search page", { total: 1, resources: [{ type: NATIVE, urn: "urn:pulumi:s::p::x::aks", stack: "s", project: "p", properties: {} }], pagination: {} }, "pulumi-cloud"],
  // A plan's keys win over a `type` beside them: the plan is asked first.
  ["a plan that also has a type", { format_version: "1.2", type: NATIVE, resource_changes: [] }, "terraform-plan"],
];

test("the formats are asked in the documented order", () => {
  expect(FORMATS.map((f) => f.id)).toEqual(["terraform-plan", "stack-export", "preview", "what-if", "resource-graph", "az-cli", "pulumi-cloud", "arm-template", "resources"]);
});

test.each(DOCUMENTS)("%s is read by the first format that recognises it", (_name, document, id) => {
  expect(FORMATS.find((f) => f.recognise(document))?.id).toBe(id);
});

test.each(DOCUMENTS)("%s: every resource read has a position in its file", (name, document) => {
  const file = write(`${name.replace(/\W+/g, "-")}.json`, document);
  // One resource (and `az … show` output) is the document itself, at 1:1; any other is declared inside it.
  const first = name === "one resource" || name === "az show output" ? 1 : 2;
  for (const r of readInput(file).resources) expect(r.position).toEqual({ line: expect.any(Number), column: expect.any(Number) });
  for (const r of readInput(file).resources) expect(r.position!.line).toBeGreaterThanOrEqual(first);
});

test("every format is told from the others: no document of one is recognised by a format asked before it", () => {
  for (const [name, document, id] of DOCUMENTS.filter(([n]) => !n.includes("also has"))) {
    const before = FORMATS.slice(
      0,
      FORMATS.findIndex((f) => f.id === id),
    );
    expect([name, before.filter((f) => f.recognise(document)).map((f) => f.id)]).toEqual([name, []]);
  }
});

test.each([
  [
    "Terraform's known-after-apply",
    { format_version: "1.2", resource_changes: [{ type: "aws_eks_cluster", name: "c", change: { actions: ["create"], after: { vpc_config: [{}] }, after_unknown: { vpc_config: [{ endpoint_public_access: true }] } } }] },
    "vpcConfig.endpointPublicAccess",
  ],
  [
    "a stack export's encrypted secret",
    { deployment: { resources: [{ type: NATIVE, urn: "urn:pulumi:s::p::x::aks", inputs: { apiServerAccessProfile: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" } } }] } },
    "apiServerAccessProfile",
  ],
  ["a preview's masked secret", { steps: [{ op: "create", newState: { type: NATIVE, urn: "urn:pulumi:s::p::x::aks", inputs: { apiServerAccessProfile: "[secret]" } } }] }, "apiServerAccessProfile"],
  [
    "a template's deployment-time value",
    { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", resources: [{ ...armCluster, properties: { apiServerAccessProfile: { enablePrivateCluster: "[reference('x').private]" } } }] },
    "properties.apiServerAccessProfile.enablePrivateCluster",
  ],
])("%s is normalised to Pulumi's unknown sentinel and noted", (name, document, notePath) => {
  const [r] = readInput(write(`${name.replace(/\W+/g, "-")}.json`, document)).resources;
  expect(r.unknowns.map((n) => n.path)).toEqual([notePath]);
  expect(JSON.stringify(r.pulumi.props)).toContain(UNKNOWN);
});

test("a document no format recognises names every format's shape", () => {
  const file = write("nothing.json", { hello: "world" });
  expect(() => readInput(file)).toThrow(InputError);
  expect(() => readInput(file)).toThrow(
    `${file}: unknown shape: expected ${FORMATS.slice(0, -1)
      .map((f) => f.shape)
      .join(", ")} or ${FORMATS[FORMATS.length - 1].shape}`,
  );
  expect(() => readInput(write("scalar.json", 5))).toThrow("unknown shape");
});

test("a resource a format cannot read is an error at its line and column", () => {
  const file = write("broken.json", [pulumiCluster, { name: "no type" }]);
  expect(() => readInput(file)).toThrow(`${file}:11:3: item 1 is not a resource (expected an object with a string \`type\`)`);
});

test("what a format could not follow is reported at its position, not judged", () => {
  const file = write("linked.json", {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    resources: [{ type: "Microsoft.Resources/deployments", name: "linked", properties: { templateLink: { uri: "https://example.com/t.json" } } }],
  });
  const input = readInput(file);
  expect(input.resources).toEqual([]);
  expect(input.notJudged).toEqual([{ file, position: { line: 4, column: 5 }, type: undefined, resource: undefined, reason: "nested deployment links its template (https://example.com/t.json); resources inside it are not judged" }]);
});

test("evaluate --help names every format", async () => {
  const out: string[] = [];
  await main(["node", "apiguard", "evaluate", "--help"], { out: (t) => out.push(t), err: (t) => out.push(t) });
  expect(out.join("\n").replace(/\s+/g, " ")).toContain(formatTitles());
  for (const f of FORMATS) expect(formatTitles()).toContain(f.title);
});
