/**
 * SARIF for code scanning: valid against the pinned SARIF 2.1.0 schema, one result per rule and
 * resource with both engines' verdicts, the resource's own line and column, paths relative to the
 * repository root, and fingerprints that survive edits elsewhere in the file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import AjvDraft04 from "ajv-draft-04";
import { main } from "../../../cli";
import { REPO } from "../../helpers/paths";

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "schema", "sarif-schema-2.1.0.json"), "utf8"));
const validate = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false }).compile(SCHEMA);

const root = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-sarif-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
fs.mkdirSync(path.join(root, ".git"));
fs.mkdirSync(path.join(root, "infra", "aks"), { recursive: true });

const AKS = "Microsoft.ContainerService/managedClusters";
const templateText = (padding: number) =>
  `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",${"\n".repeat(padding)}\n  "resources": [\n    {\n      "type": "${AKS}", "name": "public", "apiVersion": "2024-08-01",\n      "properties": { "apiServerAccessProfile": { "enablePrivateCluster": false } }\n    },\n    { "type": "${AKS}", "name": "private", "properties": { "apiServerAccessProfile": { "enablePrivateCluster": true, "enablePrivateClusterPublicFQDN": false, "disableRunCommand": true } } }\n  ]\n}\n`;

type Sarif = {
  runs: {
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
      partialFingerprints: Record<string, string>;
      properties: { verdicts: Record<string, string> };
    }[];
  }[];
};

async function sarif(padding: number, cwd: string): Promise<Sarif> {
  const file = path.join(root, "infra", "aks", "main.json");
  fs.writeFileSync(file, templateText(padding));
  const out: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    await main(["node", "apiguard", "evaluate", "--format", "sarif", "--project", REPO, path.relative(cwd, file)], { out: (t) => out.push(t), err: () => undefined });
  } finally {
    process.chdir(previous);
  }
  return JSON.parse(out.join("\n"));
}

test("valid SARIF 2.1.0", async () => {
  const log = await sarif(0, root);
  expect(validate(log) ? [] : validate.errors).toEqual([]);
});

test("one result per rule and resource, with both engines' verdicts and the resource's position", async () => {
  const log = await sarif(0, path.join(root, "infra"));
  const results = log.runs[0].results;
  const privateCluster = results.filter((r) => r.ruleId === "aks-private-cluster");
  expect(privateCluster).toHaveLength(1);
  expect(privateCluster[0].properties.verdicts).toEqual({ crossguard: "fail (blocking)", "azure-policy": "fail (blocking)" });
  expect(privateCluster[0].level).toBe("error");
  // The public cluster's object opens on line 5, column 5; the private one passes every rule.
  expect(privateCluster[0].locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 5 });
  expect(new Set(results.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.region.startLine}`)).size).toBe(results.length);
  // Relative to the repository root (the folder holding .git), not to the working directory.
  expect(new Set(results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))).toEqual(new Set(["infra/aks/main.json"]));
});

test("fingerprints are stable when lines move; positions follow the resource", async () => {
  const before = (await sarif(0, root)).runs[0].results;
  const after = (await sarif(5, root)).runs[0].results;
  expect(after.map((r) => r.partialFingerprints)).toEqual(before.map((r) => r.partialFingerprints));
  expect(after.map((r) => r.locations[0].physicalLocation.region.startLine)).toEqual(before.map((r) => r.locations[0].physicalLocation.region.startLine + 5));
  expect(new Set(before.map((r) => JSON.stringify(r.partialFingerprints))).size).toBe(before.length);
});

test("what was not judged, and files that could not be read, are the run's notifications, valid SARIF 2.1.0", async () => {
  const dir = path.join(root, "infra", "mixed");
  fs.mkdirSync(dir, { recursive: true });
  const mixed = path.join(dir, "mixed.json");
  fs.writeFileSync(
    mixed,
    JSON.stringify(
      [
        { type: "Microsoft.KeyVault/vaults", name: "kv", properties: {} },
        { type: AKS, name: "aks", properties: {} },
      ],
      null,
      2,
    ),
  );
  const broken = path.join(dir, "broken.json");
  fs.writeFileSync(broken, '{\n  "type": \n}');
  const out: string[] = [];
  const previous = process.cwd();
  process.chdir(root);
  try {
    await main(["node", "apiguard", "evaluate", "--format", "sarif", "--project", REPO, path.relative(root, mixed), path.relative(root, broken)], { out: (t) => out.push(t), err: () => undefined });
  } finally {
    process.chdir(previous);
  }
  const log = JSON.parse(out.join("\n"));
  expect(validate(log) ? [] : validate.errors).toEqual([]);
  const [invocation] = log.runs[0].invocations;
  expect(invocation.executionSuccessful).toBe(false);
  expect(invocation.toolExecutionNotifications).toEqual([
    { descriptor: { id: "input-error" }, level: "error", message: { text: expect.stringMatching(/broken\.json:3:1: invalid JSON/) } },
    {
      descriptor: { id: "not-judged" },
      level: "note",
      message: { text: "Microsoft.KeyVault/vaults 'kv': no CrossGuard rule or Azure Policy definition judges this type" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "infra/mixed/mixed.json" }, region: { startLine: 2, startColumn: 3 } } }],
      properties: { resourceType: "Microsoft.KeyVault/vaults", resource: "kv" },
    },
  ]);
  expect(log.runs[0].tool.driver.notifications.map((n: { id: string }) => n.id)).toEqual(["not-judged", "input-error"]);
});
