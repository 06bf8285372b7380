/**
 * Real public templates (test/cli/evaluate/corpus, sources in its README.md) through `apiguard evaluate`: every
 * cluster gets the verdict written in corpus.yaml from reading the template, in both engines.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../../../cli";
import { REPO } from "../../../helpers/paths";

type Expected = Record<string, string>;
interface Entry {
  id: string;
  template: string;
  parameters?: string[];
  /** A resource of the template Resource Manager would refuse: the error evaluate reports for it. */
  error?: string;
  clusters: Record<string, Expected>;
}
interface Row {
  resource: string;
  type: string;
  rule: string | null;
  engine: string;
  verdict: string;
}

const DIR = __dirname;
const corpus = parse(fs.readFileSync(path.join(DIR, "corpus.yaml"), "utf8")) as { entries: Entry[] };
const AKS = /^(Microsoft\.ContainerService\/managedClusters|azure-native:containerservice:ManagedCluster)$/i;

test("the corpus holds 20 or more real templates and parameter sets", () => {
  expect(corpus.entries.length).toBeGreaterThanOrEqual(20);
});

async function evaluate(entry: Entry): Promise<{ out: string[]; err: string[] }> {
  const args = (entry.parameters ?? []).flatMap((p) => ["--parameters", p.includes("=") ? p : path.join(DIR, p)]);
  const out: string[] = [];
  const err: string[] = [];
  await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, ...args, path.join(DIR, entry.template)], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { out, err };
}

test.each(corpus.entries.map((e) => [e.id, e] as const))("%s", async (_id, entry) => {
  const { out, err } = await evaluate(entry);
  // Resources no rule judges are listed; anything else on stderr is the entry's expected error.
  const errors = err.filter((e) => !e.startsWith("apiguard: not judged:"));
  expect(errors).toEqual(entry.error ? [expect.stringContaining(entry.error)] : []);
  // ARM type for Azure Policy, the azure-native token for CrossGuard.
  const rows = (JSON.parse(out.join("\n")).results as Row[]).filter((r) => AKS.test(r.type) && r.rule);
  // Every cluster the template deploys is expected, and only those.
  expect([...new Set(rows.map((r) => r.resource))].sort()).toEqual(Object.keys(entry.clusters).sort());
  const actual: Record<string, Expected> = {};
  const wanted: Record<string, Expected> = {};
  for (const [cluster, rules] of Object.entries(entry.clusters)) {
    for (const [rule, verdict] of Object.entries(rules)) {
      for (const engine of ["crossguard", "azure-policy"]) {
        const key = `${cluster} ${engine}`;
        (wanted[key] ??= {})[rule] = engine === "azure-policy" && verdict === "not-applicable" ? "pass" : verdict;
        (actual[key] ??= {})[rule] = rows.find((r) => r.resource === cluster && r.rule === rule && r.engine === engine)?.verdict ?? "(none)";
      }
    }
  }
  expect(actual).toEqual(wanted);
});

test("the corpus is judged, not undecided: at most 1% of the clusters' verdicts are unknown", async () => {
  let unknown = 0;
  let total = 0;
  for (const entry of corpus.entries) {
    const rows = (JSON.parse((await evaluate(entry)).out.join("\n")).results as Row[]).filter((r) => AKS.test(r.type));
    total += rows.length;
    unknown += rows.filter((r) => r.verdict === "unknown").length;
  }
  // Every rule, cluster and engine; printed so a run shows the share.
  console.log(`corpus: ${unknown} of ${total} verdicts unknown (${((100 * unknown) / total).toFixed(1)}%)`);
  expect(total).toBeGreaterThan(400);
  expect(unknown / total).toBeLessThanOrEqual(0.01);
});
