/**
 * Inventories of existing resources (test/cli/evaluate/corpus/inventories, sources in README.md) through
 * `apiguard evaluate`: every resource gets the verdict written in inventories.yaml from reading the
 * provider's response, in both engines.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../../../cli";
import { readInput } from "../../../../cli/evaluate/formats";
import { REPO } from "../../../helpers/paths";

type Expected = Record<string, string>;
interface Row {
  resource: string;
  rule: string | null;
  engine: string;
  verdict: string;
}

const DIR = path.join(__dirname, "inventories");
const corpus = parse(fs.readFileSync(path.join(__dirname, "inventories.yaml"), "utf8")) as { profiles: Record<string, Expected>; files: Record<string, Record<string, Expected | string>> };

async function evaluate(file: string): Promise<{ rows: Row[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { rows: JSON.parse(out.join("\n")).results as Row[], err };
}

test("the corpus has a file of every inventory format", () => {
  const formats = new Set(Object.keys(corpus.files).map((f) => readInput(path.join(DIR, f)).format));
  expect([...formats].sort()).toEqual(["az-cli", "pulumi-cloud", "resource-graph"]);
});

test.each(Object.entries(corpus.files))("%s", async (file, resources) => {
  const { rows, err } = await evaluate(path.join(DIR, file));
  // What no rule judges is listed on stderr (checked below for the resource pending deletion); nothing else is.
  expect(err.filter((e) => !e.startsWith("apiguard: warning:") && !e.startsWith("apiguard: not judged:"))).toEqual([]);
  const judged = rows.filter((r) => r.rule && r.resource !== "(stack)");
  const expected = Object.fromEntries(Object.entries(resources).map(([name, e]) => [name, typeof e === "string" ? corpus.profiles[e] : e]));
  // Every resource the inventory holds is expected, and only those.
  expect([...new Set(judged.map((r) => r.resource))].sort()).toEqual(Object.keys(expected).sort());
  const actual: Record<string, Expected> = {};
  const wanted: Record<string, Expected> = {};
  for (const [resource, rules] of Object.entries(expected)) {
    for (const [rule, verdict] of Object.entries(rules)) {
      for (const engine of ["crossguard", "azure-policy"]) {
        const key = `${resource} ${engine}`;
        (wanted[key] ??= {})[rule] = engine === "azure-policy" && verdict === "not-applicable" ? "pass" : verdict;
        (actual[key] ??= {})[rule] = judged.find((r) => r.resource === resource && r.rule === rule && r.engine === engine)?.verdict ?? "(none)";
      }
    }
  }
  expect(actual).toEqual(wanted);
});

test("Microsoft's Resource Graph REST example is read as a page: its disks and automation accounts are not judged, and the missing pages are noticed", () => {
  const example = JSON.parse(fs.readFileSync(path.join(DIR, "resource-graph/rest-2024-04-01-ResourcesFirstPageQuery.json"), "utf8"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-graph-"));
  try {
    const file = path.join(tmp, "page.json");
    fs.writeFileSync(file, JSON.stringify(example.responses["200"].body));
    const input = readInput(file);
    expect(input.format).toBe("resource-graph");
    expect(input.resources.map((r) => [r.name, r.arm?.type])).toEqual(example.responses["200"].body.data.map((row: { name: string; type: string }) => [row.name, row.type]));
    expect(input.page).toEqual({ count: 3, totalRecords: 386 });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("a Pulumi Cloud resource pending deletion is reported, not judged", () => {
  const input = readInput(path.join(DIR, "pulumi-cloud/search-page.json"));
  expect(input.notJudged).toEqual([
    expect.objectContaining({ file: expect.stringMatching(/search-page\.json$/), type: "azure-native:containerservice:ManagedCluster", resource: "cliakstest000001-old", reason: "pending deletion (its replacement is judged)" }),
  ]);
  expect(input.notJudged[0].position?.line).toBeGreaterThan(1);
  expect(input.resources.map((r) => r.origin)).toContainEqual({
    resourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/clitest000001/providers/Microsoft.ContainerService/managedClusters/cliakstest000001",
    subscription: "00000000-0000-0000-0000-000000000000",
    resourceGroup: "clitest000001",
    location: "westus2",
    stack: "prod",
    project: "platform",
  });
});
