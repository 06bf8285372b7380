/**
 * Real public templates (test/cli/evaluate/corpus, sources in its README.md) through `apiguard evaluate`:
 * every resource gets the verdict written in corpus.yaml from reading the template, for every resource
 * rule that judges it, in both engines. A rule new to the catalog fails here until each template's
 * resources it judges have its verdict.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../../../cli";
import { loadCatalog } from "../../../../core/catalog/load";
import { CATALOG, REPO } from "../../../helpers/paths";

type Expected = Record<string, string>;
interface Entry {
  id: string;
  template: string;
  parameters?: string[];
  /** A resource of the template Resource Manager would refuse: the error evaluate reports for it. */
  error?: string;
  resources: Record<string, Expected>;
}
interface Row {
  resource: string;
  type: string;
  rule: string | null;
  engine: string;
  verdict: string;
}

const DIR = __dirname;
// Profiles combine with YAML merge keys (`<<: [*a, *b]`).
const corpus = parse(fs.readFileSync(path.join(DIR, "corpus.yaml"), "utf8"), { merge: true }) as { entries: Entry[] };
/** Stack rules judge a stack, not a template's resources one by one: the corpus leaves them out. */
const STACK_RULES = new Set(loadCatalog(CATALOG).rules.filter((r) => r.stack).map((r) => r.id));

test("the corpus holds 20 or more real templates and parameter sets", () => {
  expect(corpus.entries.length).toBeGreaterThanOrEqual(20);
});

/** The rows of resource rules (stack rules judge a stack, not a template's resources one by one). */
const resourceRows = (out: string[]) => (JSON.parse(out.join("\n")).results as Row[]).filter((r) => r.rule !== null && !STACK_RULES.has(r.rule));

async function evaluate(entry: Entry): Promise<{ out: string[]; err: string[] }> {
  const args = (entry.parameters ?? []).flatMap((p) => ["--parameters", p.includes("=") ? p : path.join(DIR, p)]);
  const out: string[] = [];
  const err: string[] = [];
  await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, ...args, path.join(DIR, entry.template)], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { out, err };
}

test.each(corpus.entries.map((e) => [e.id, e] as const))("%s", async (_id, entry) => {
  const { out, err } = await evaluate(entry);
  // Warnings and the resources no rule judges are listed; anything else on stderr is the entry's expected error.
  const errors = err.filter((e) => !e.startsWith("apiguard: warning:") && !e.startsWith("apiguard: not judged:"));
  expect(errors).toEqual(entry.error ? [expect.stringContaining(entry.error)] : []);
  const rows = resourceRows(out);
  // Every resource a resource rule judges is expected, with every rule that judges it, and only those.
  const judged: Record<string, string[]> = {};
  for (const r of rows) judged[r.resource] = [...new Set([...(judged[r.resource] ?? []), r.rule!])].sort();
  const listed = Object.fromEntries(Object.entries(entry.resources).map(([resource, rules]) => [resource, Object.keys(rules).sort()]));
  expect(judged).toEqual(listed);
  const actual: Record<string, Expected> = {};
  const wanted: Record<string, Expected> = {};
  for (const [resource, rules] of Object.entries(entry.resources)) {
    for (const [rule, verdict] of Object.entries(rules)) {
      for (const engine of ["crossguard", "azure-policy"]) {
        const key = `${resource} ${engine}`;
        const got = rows.filter((r) => r.resource === resource && r.rule === rule && r.engine === engine).map((r) => r.verdict);
        (wanted[key] ??= {})[rule] = engine === "azure-policy" && verdict === "not-applicable" ? "pass" : verdict;
        // A resource both engines read in two shapes (a security rule inline and standalone) gives one verdict each.
        (actual[key] ??= {})[rule] = got.length === 0 ? "(none)" : [...new Set(got)].join(" / ");
      }
    }
  }
  expect(actual).toEqual(wanted);
});

test("the corpus is judged, not undecided: at most 1% of the verdicts are unknown", async () => {
  let unknown = 0;
  let total = 0;
  for (const entry of corpus.entries) {
    const rows = resourceRows((await evaluate(entry)).out);
    total += rows.length;
    unknown += rows.filter((r) => r.verdict === "unknown").length;
  }
  // Every resource rule, resource and engine; printed so a run shows the share.
  console.log(`corpus: ${unknown} of ${total} verdicts unknown (${((100 * unknown) / total).toFixed(1)}%)`);
  expect(total).toBeGreaterThan(400);
  expect(unknown / total).toBeLessThanOrEqual(0.01);
});
