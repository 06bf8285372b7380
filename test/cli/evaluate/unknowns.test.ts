/**
 * Unknown is unknown in every reader and every syntax: the same Pulumi unknown value, written the
 * way each input format carries it, in JSON, JSON with comments and YAML, never passes as text; an
 * unknown verdict names the property the rule read, and why, in both engines and in the table.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { main } from "../../../cli";
import { readInput } from "../../../cli/evaluate/formats";
import { UNKNOWN } from "../../../cli/evaluate/unknowns";
import { REPO } from "../../helpers/paths";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-unknowns-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const NATIVE = "azure-native:containerservice:ManagedCluster";
const ARM = "Microsoft.ContainerService/managedClusters";
const urn = `urn:pulumi:dev::infra::${NATIVE}::aks`;
/** A public cluster whose only authorized range is known only at deployment. */
const profile = { apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: [UNKNOWN] } };

/** The same cluster in each reader's document shape, with the reader that takes it. */
const DOCUMENTS: [string, unknown, string][] = [
  ["a Pulumi-shaped resource", { type: NATIVE, name: "aks", props: profile }, "apiServerAccessProfile.authorizedIPRanges[0]"],
  ["an ARM-shaped resource", { type: ARM, name: "aks", properties: profile }, "apiServerAccessProfile.authorizedIPRanges[0]"],
  ["a stack export", { deployment: { resources: [{ urn, type: NATIVE, inputs: profile }] } }, "apiServerAccessProfile.authorizedIPRanges[0]"],
  ["a preview", { steps: [{ op: "create", newState: { urn, type: NATIVE, inputs: profile } }] }, "apiServerAccessProfile.authorizedIPRanges[0]"],
  ["what-if output", { changes: [{ changeType: "Create", after: { type: ARM, name: "aks", properties: profile } }] }, "apiServerAccessProfile.authorizedIPRanges[0]"],
  [
    "an ARM template",
    { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", contentVersion: "1.0.0.0", resources: [{ type: ARM, name: "aks", properties: profile }] },
    "apiServerAccessProfile.authorizedIPRanges[0]",
  ],
  [
    "a Terraform plan",
    {
      format_version: "1.2",
      resource_changes: [
        {
          address: "azurerm_kubernetes_cluster.aks",
          mode: "managed",
          type: "azurerm_kubernetes_cluster",
          name: "aks",
          change: { actions: ["create"], after: { private_cluster_enabled: false, api_server_access_profile: [{ authorized_ip_ranges: [UNKNOWN] }] } },
        },
      ],
    },
    "apiServerAccessProfile.authorizedIpRanges[0]",
  ],
];

const SYNTAXES: [string, (doc: unknown) => string, string][] = [
  ["JSON", (doc) => JSON.stringify(doc, null, 2), "json"],
  ["JSON with comments", (doc) => `// written by hand\n${JSON.stringify(doc, null, 2).replace(/\n}$/, ",\n  /* trailing */\n}")}`, "json"],
  ["YAML", (doc) => stringify(doc), "yaml"],
];

async function evaluate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--project", REPO, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err };
}

const cases = DOCUMENTS.flatMap(([reader, doc, property]) => SYNTAXES.map(([syntax, write, ext]) => [`${reader} in ${syntax}`, doc, property, write, ext] as const));

test.each(cases)("%s: the unknown range is unknown in every engine, and the verdict names it", async (name, doc, property, write, ext) => {
  const file = path.join(tmp, `${name.replace(/\W+/g, "-")}.${ext}`);
  fs.writeFileSync(file, write(doc));
  const [resource] = readInput(file).resources;
  // Plain objects of this realm: @pulumi/policy's proxy wraps them (it skips objects without a prototype).
  expect(Object.getPrototypeOf(resource.pulumi.props)).toBe(Object.prototype);
  const { out, code } = await evaluate("--format", "json", file);
  const rows = (JSON.parse(out).results as { rule: string; engine: string; verdict: string; message: string }[]).filter((r) => r.rule === "aks-authorized-ip-ranges-restrictive");
  expect(rows.map((r) => [r.engine, r.verdict])).toEqual([
    ["crossguard", "unknown"],
    ["azure-policy", "unknown"],
  ]);
  for (const r of rows) expect(r.message).toMatch(new RegExp(`^${property.replace(/[.[\]]/g, "\\$&")} is not known before deployment: `));
  expect(code).not.toBe(2);
});

describe("an unknown verdict names what the rule read, never the resource's other unknowns", () => {
  const template = {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: [{ type: ARM, name: "aks", properties: { dnsPrefix: "[reference('dns').prefix]", apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["[reference('pip').ipAddress]"] } } }],
  };

  test("JSON: the range's own expression, in both engines, not `evaluation error`", async () => {
    const file = path.join(tmp, "two-unknowns.json");
    fs.writeFileSync(file, JSON.stringify(template));
    const rows = (JSON.parse((await evaluate("--format", "json", file)).out).results as { rule: string; engine: string; message: string }[]).filter((r) => r.rule === "aks-authorized-ip-ranges-restrictive");
    for (const r of rows) {
      expect(r.message).toBe("apiServerAccessProfile.authorizedIPRanges[0] is not known before deployment: [reference('pip').ipAddress]: reference() is only known at deployment");
      expect(r.message).not.toContain("dnsPrefix");
      expect(r.message).not.toContain("evaluation error");
    }
  });

  test("the table shows the reason below it", async () => {
    const file = path.join(tmp, "two-unknowns-table.json");
    fs.writeFileSync(file, JSON.stringify(template));
    const { out } = await evaluate(file);
    expect(out).toMatch(/aks-authorized-ip-ranges-restrictive\s+unknown\s+unknown/);
    expect(out).toContain("aks-authorized-ip-ranges-restrictive — aks (");
    expect(out).toContain("  unknown: apiServerAccessProfile.authorizedIPRanges[0] is not known before deployment: [reference('pip').ipAddress]: reference() is only known at deployment");
  });
});

describe("a stack export whose inputs are one secret or one unknown: unknown, never judged from its outputs", () => {
  const SIG = "4dabf18193072939515e22adb298388d";
  const secure = { apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false } };
  test.each([
    ["an encrypted secret", { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" }, "an encrypted secret"],
    ["Pulumi's unknown", UNKNOWN, "unknown until the update runs"],
  ])("inputs that are %s", async (_name, inputs, why) => {
    const file = path.join(tmp, `whole-${_name.replace(/\W+/g, "-")}.json`);
    // The outputs would pass: they must not be read in place of the inputs.
    fs.writeFileSync(file, JSON.stringify({ deployment: { resources: [{ urn, type: NATIVE, inputs, outputs: secure }] } }));
    const [r] = readInput(file).resources;
    expect(r.pulumi.props.apiServerAccessProfile).toBe(UNKNOWN);
    expect(r.unknowns[0].reason).toContain(why);
    const rows = (JSON.parse((await evaluate("--format", "json", file)).out).results as { rule: string; engine: string; verdict: string }[]).filter((x) => x.rule === "aks-private-cluster");
    expect(rows.map((x) => x.verdict)).toEqual(["unknown", "unknown"]);
  });
});

test("a pack from an older apiguard, which does not read partly known texts, gets Pulumi's plain unknown instead", async () => {
  // The generated pack with its semantics' marker key taken away, beside the same definitions.
  const project = path.join(tmp, "older-project");
  fs.cpSync(path.join(REPO, "policypack", "bin"), path.join(project, "policypack", "bin"), { recursive: true });
  fs.cpSync(path.join(REPO, "azure-policy"), path.join(project, "azure-policy"), { recursive: true });
  const semantics = path.join(project, "policypack", "bin", "semantics.js");
  fs.writeFileSync(
    semantics,
    fs
      .readFileSync(semantics, "utf8")
      .replace('exports.PARTIAL_TEXT = "apiguard:partly-known-text";', 'exports.PARTIAL_TEXT = undefined; const PARTIAL_TEXT_GONE = "apiguard:partly-known-text";')
      .replace(/exports\.PARTIAL_TEXT\]/g, "PARTIAL_TEXT_GONE]"),
  );
  const file = path.join(tmp, "zone-for-older-pack.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [{ type: ARM, name: "aks", properties: { apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: "[subscriptionResourceId('Microsoft.Network/privateDnsZones', 'privatelink.eastus.azmk8s.io')]" } } }],
    }),
  );
  const verdict = async (projectDir: string) => {
    const out: string[] = [];
    await main(["node", "apiguard", "evaluate", "--format", "json", "--project", projectDir, file], { out: (t) => out.push(t), err: () => undefined });
    return (JSON.parse(out.join("\n")).results as { rule: string; engine: string; verdict: string }[]).find((r) => r.rule === "aks-private-dns-zone-format" && r.engine === "crossguard")?.verdict;
  };
  // No resource group segment: this apiguard's pack fails it whatever the subscription; the older one cannot tell.
  expect(await verdict(REPO)).toBe("fail");
  expect(await verdict(project)).toBe("unknown");
});
