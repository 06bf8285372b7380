/** Rule docs and the README rule table: complete, and catalog text cannot break their Markdown. */
import { loadCatalog } from "../src/catalog/load";
import { generateAll } from "../generators";
import { readmeWithTable, ruleTable, TABLE_END, TABLE_START } from "../generators/docs";
import { CATALOG, REPO } from "./helpers/paths";

const catalog = loadCatalog(CATALOG);
const files = generateAll(catalog, REPO);

describe.each(catalog.rules.map((r) => [r.id, r] as const))("docs/rules/%s.md", (id, rule) => {
  const doc = files.get(`docs/rules/${id}.md`)!;
  test("says what, why (with the seed quote), how to fix, and shows every example", () => {
    expect(doc).toContain(`# \`${id}\``);
    for (const heading of ["## What it checks", "## Why", "## How to fix", "## Properties read", "## Examples", "## Pulumi CrossGuard"]) expect(doc).toContain(heading);
    expect(doc.replace(/\n> /g, " ")).toContain(rule.rationale.quote.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    for (const e of rule.examples) expect(doc).toContain(`**${e.file.split("/").pop()!.replace(/\.ya?ml$/, "")}**`);
    expect(doc.includes("## Azure Policy")).toBe(rule.backends.includes("azure-policy"));
  });
});

test("the README carries the generated table, one row per rule", () => {
  const readme = files.get("README.md")!;
  const table = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END));
  for (const r of catalog.rules) expect(table).toContain(`[\`${r.id}\`](docs/rules/${r.id}.md)`);
  expect(table.split("\n").filter((l) => l.startsWith("| [")).length).toBe(catalog.rules.length);
});

test("a pipe or line break in catalog text cannot break the table", () => {
  const hostile = { ...catalog, rules: [{ ...catalog.rules[0], title: "a | b\nc <script>" }] };
  const row = ruleTable(hostile).split("\n")[3];
  expect(row).toContain("a \\| b c &lt;script&gt;");
  expect(row.split(/(?<!\\)\|/).length).toBe(7);
});

test("the README without markers is refused rather than rewritten", () => {
  expect(() => readmeWithTable("# no markers\n", catalog)).toThrow(/lacks the rule-table markers/);
});
