/** `apiguard evaluate`: every input shape, every format, the exit-code contract and bad input. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { REPO } from "../../helpers/paths";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-evaluate-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

async function evaluate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--project", REPO, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const privateCluster = {
  type: "azure-native:containerservice:ManagedCluster",
  name: "aks-private",
  props: { disableLocalAccounts: true, aadProfile: { managed: true, enableAzureRBAC: true }, apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, disableRunCommand: true } },
};
const publicArm = { type: "Microsoft.ContainerService/managedClusters", apiVersion: "2024-08-01", name: "aks-public", location: "westeurope", properties: { kubernetesVersion: "1.30" } };

type Row = { resource: string; rule: string | null; engine: string; verdict: string };
const rows = (out: string) => JSON.parse(out).results as Row[];
const verdictOf = (results: Row[], resource: string, rule: string, engine: string) => results.find((r) => r.resource === resource && r.rule === rule && r.engine === engine)?.verdict;

describe("input shapes", () => {
  test.each([
    ["one Pulumi resource", privateCluster, ["aks-private"]],
    ["an array", [privateCluster, publicArm], ["aks-private", "aks-public"]],
    ["an ARM template", { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", contentVersion: "1.0.0.0", resources: [publicArm] }, ["aks-public"]],
    [
      "a pulumi stack export",
      {
        version: 3,
        deployment: {
          resources: [
            { urn: "urn:pulumi:dev::infra::pulumi:pulumi:Stack::infra-dev", type: "pulumi:pulumi:Stack" },
            { urn: "urn:pulumi:dev::infra::azure-native:containerservice:ManagedCluster::aks-private", type: "azure-native:containerservice:ManagedCluster", inputs: privateCluster.props },
          ],
        },
      },
      ["aks-private"],
    ],
  ])("%s", async (_name, content, resources) => {
    const file = write(`${_name.replace(/ /g, "-")}.json`, content);
    const result = await evaluate("--format", "json", file);
    // The stack resource itself is reported as not judged; nothing else is left out.
    const stack = _name.includes("stack export") ? `apiguard: not judged: ${file}:5:7: pulumi:pulumi:Stack 'infra-dev': no CrossGuard rule or Azure Policy definition judges this type` : "";
    expect(result.err).toBe(stack);
    expect([...new Set(rows(result.out).map((r) => r.resource))].sort()).toEqual(resources);
  });

  // Pulumi YAML programs may write a type token without its module member (Token Resolution,
  // pulumi/pulumi-yaml pkg/pulumiyaml/README.md): such a resource is judged like the full token's.
  test.each([
    ["aws:eks:Cluster", "aws:eks/cluster:Cluster", "eks-endpoint-private", { vpcConfig: { endpointPublicAccess: true } }],
    ["azure:containerservice:KubernetesCluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "aks-private-cluster", { privateClusterEnabled: false }],
  ])("a short type token (%s) is judged as the full one", async (short, full, rule, props) => {
    const verdicts = async (type: string) => {
      const result = await evaluate("--format", "json", write(`${type.replace(/\W+/g, "-")}.json`, { type, name: "c", props }));
      return rows(result.out)
        .filter((r) => r.rule === rule)
        .map((r) => `${r.engine} ${r.verdict}`);
    };
    const judged = await verdicts(short);
    expect(judged).toEqual(await verdicts(full));
    expect(judged).toContain("crossguard fail");
  });

  test("YAML input and a catalog example file", async () => {
    const yamlFile = write("cluster.yaml", "type: Microsoft.ContainerService/managedClusters\nname: aks-yaml\nproperties:\n  apiServerAccessProfile:\n    enablePrivateCluster: TRUE\n");
    const example = path.join(REPO, "catalog/aks-private-dns-zone-format/examples/fail/lookalike-suffix.yaml");
    const result = await evaluate("--format", "json", yamlFile, example);
    const results = rows(result.out);
    expect(verdictOf(results, "aks-yaml", "aks-private-cluster", "crossguard")).toBe("pass");
    expect(verdictOf(results, "aks-yaml", "aks-private-cluster", "azure-policy")).toBe("pass");
    expect(verdictOf(results, "aks-payments-prod", "aks-private-dns-zone-format", "azure-policy")).toBe("fail");
  });
});

describe("verdicts and exit codes", () => {
  test("a public cluster fails a mandatory rule in both engines: exit 1", async () => {
    const result = await evaluate("--format", "json", write("public.json", publicArm));
    expect(result.code).toBe(1);
    const results = rows(result.out);
    expect(verdictOf(results, "aks-public", "aks-private-cluster", "crossguard")).toBe("fail");
    expect(verdictOf(results, "aks-public", "aks-private-cluster", "azure-policy")).toBe("fail");
    expect(JSON.parse(result.out).summary.fail).toBe(results.filter((r) => r.verdict === "fail").length);
  });

  test("a compliant private cluster fails no mandatory rule: exit 0", async () => {
    const result = await evaluate("--format", "json", write("private.json", privateCluster));
    expect(rows(result.out).filter((r) => r.verdict === "fail")).toEqual([]);
    expect(result.code).toBe(0);
  });

  test("only advisory failures: exit 0", async () => {
    const advisory = { ...privateCluster, props: { ...privateCluster.props, apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false } } };
    const result = await evaluate("--format", "json", write("advisory.json", advisory));
    expect(
      rows(result.out)
        .filter((r) => r.verdict === "fail")
        .map((r) => r.rule),
    ).toEqual(["aks-command-invoke-disabled", "aks-command-invoke-disabled"]);
    expect(result.code).toBe(0);
  });

  test("a resource no rule targets is reported as not judged, once, and is not an error", async () => {
    const file = write("bucket.json", { type: "aws:s3/bucket:Bucket", name: "logs", props: {} });
    const result = await evaluate("--format", "json", file);
    expect(result.code).toBe(0);
    // Not a row of not-applicable per engine: one not-judged entry, counted in the summary.
    expect(rows(result.out)).toEqual([]);
    const { notJudged, summary } = JSON.parse(result.out);
    expect(notJudged).toEqual([
      { file, resource: "logs", type: "aws:s3/bucket:Bucket", reason: "no CrossGuard rule or Azure Policy definition judges this type" },
      { file, reason: "nothing in this file was judged" },
    ]);
    expect(summary).toEqual({ pass: 0, fail: 0, unknown: 0, "not-applicable": 0, exempt: 0, "not-judged": 1 });
    expect(result.err.split("\n")).toEqual([
      `apiguard: not judged: ${file}:1:1: aws:s3/bucket:Bucket 'logs': no CrossGuard rule or Azure Policy definition judges this type`,
      `apiguard: not judged: ${file}: nothing in this file was judged`,
    ]);
  });

  test("--engine selects one engine", async () => {
    const result = await evaluate("--format", "json", "--engine", "azure-policy", write("one-engine.json", publicArm));
    expect(new Set(rows(result.out).map((r) => r.engine))).toEqual(new Set(["azure-policy"]));
  });
});

describe("formats", () => {
  test("the table puts the engines side by side and explains failures", async () => {
    const result = await evaluate(write("table.json", publicArm));
    expect(result.out.split("\n")[0]).toMatch(/^FILE\s+RESOURCE\s+RULE\s+CROSSGUARD\s+AZURE-POLICY$/);
    expect(result.out).toMatch(/aks-private-cluster\s+fail \(blocking\)\s+fail \(blocking\)/);
    expect(result.out).toContain('Why: "By using a private cluster');
    expect(result.out).not.toContain("\x1b["); // no colour when not a terminal
  });

  test("SARIF 2.1.0 with rule metadata, levels from enforcement and a location per file", async () => {
    const file = write("sarif.json", publicArm);
    const sarif = JSON.parse((await evaluate("--format", "sarif", file)).out);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("apiguard");
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toContain("aks-private-cluster");
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === "aks-private-cluster");
    expect(result.level).toBe("error");
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe("aks-private-cluster");
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(path.relative(process.cwd(), file).split(path.sep).join("/"));
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "aks-command-invoke-disabled").level).toBe("warning");
  });
});

describe("bad input exits 2 with a one-line reason", () => {
  test.each([
    ["invalid JSON, with its line", () => write("broken.json", '{\n  "type": "x",\n  "name": \n}'), /broken\.json:4:1: invalid JSON: ValueExpected/],
    ["an unknown shape", () => write("shape.json", { hello: "world" }), /shape\.json: unknown shape/],
    ["an empty file", () => write("empty.json", ""), /empty\.json: is empty/],
    ["a directory", () => tmp, /is a directory/],
    ["a missing file", () => path.join(tmp, "nope.json"), /nope\.json: cannot read \(ENOENT\)/],
    [
      "binary input",
      () => {
        const f = path.join(tmp, "bin.dat");
        fs.writeFileSync(f, Buffer.from([0x7b, 0x00, 0xff]));
        return f;
      },
      /is binary/,
    ],
  ])("%s", async (_name, file, message) => {
    const result = await evaluate(file());
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split("\n")).toHaveLength(1);
  });

  test.each([
    ["--engine", "terraform"],
    ["--format", "xml"],
  ])("%s %s", async (flag, value) => {
    const result = await evaluate(flag, value, write("ok.json", privateCluster));
    expect(result.code).toBe(2);
    expect(result.err).toContain(flag);
  });
});
