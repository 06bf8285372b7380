/** Rule docs and the README rule table: complete, and catalog text cannot break their Markdown. */
import { loadCatalog } from "../../core/catalog/load";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { readmeWithTable, ruleTable, TABLE_END, TABLE_START } from "../../generators/docs";
import { markdown, markdownUrl } from "../../generators/render";
import { CATALOG, REPO } from "../helpers/paths";

const catalog = loadCatalog(CATALOG);
const files = generateAll(catalog, readGeneratorInputs(REPO));

describe.each(catalog.rules.map((r) => [r.id, r] as const))("docs/rules/%s.md", (id, rule) => {
  const doc = files.get(`docs/rules/${id}.md`)!;
  test("says what, why (with the seed quote), how to fix, and shows every example", () => {
    expect(doc).toContain(`# \`${id}\``);
    for (const heading of ["## What it checks", "## Why", "## How to fix", "## Properties read", "## Examples", "## Pulumi CrossGuard"]) expect(doc).toContain(heading);
    const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&" };
    expect(doc.replace(/\n> /g, " ").replace(/&(lt|gt|amp);/g, (e) => entities[e])).toContain(rule.rationale.quote);
    for (const e of rule.examples)
      expect(doc).toContain(
        `**${e.file
          .split("/")
          .pop()!
          .replace(/\.ya?ml$/, "")}**`,
      );
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

describe("Markdown escaping keeps code spans literal and everything else free of raw HTML", () => {
  test.each([
    ["a <b> & c", "a &lt;b&gt; &amp; c"],
    ["zone `privatelink.<region>.azmk8s.io` or <x>", "zone `privatelink.<region>.azmk8s.io` or &lt;x&gt;"],
    ["``a ` <b>`` then <i>", "``a ` <b>`` then &lt;i&gt;"],
    ["unclosed ` <script>", "unclosed ` &lt;script&gt;"],
    ["``mismatched` <x>", "``mismatched` &lt;x&gt;"],
    ['<a href="`">`', '&lt;a href="`">`'], // the span is `">`; the tag cannot open before it
    ["`a` <b> `&c`", "`a` &lt;b&gt; `&c`"],
  ])("%j", (input, expected) => expect(markdown(input)).toBe(expected));
});

test("no generated Markdown shows an entity inside a code span", () => {
  for (const [file, content] of files) {
    if (!file.endsWith(".md")) continue;
    const spans = content.replace(/^```[\s\S]*?^```/gm, "").match(/`[^`\n]+`/g) ?? [];
    expect({ file, escaped: spans.filter((s) => /&(lt|gt|amp);/.test(s)) }).toEqual({ file, escaped: [] });
  }
});

describe.each(catalog.rules.map((r) => [r.id, r] as const))("%s claims an Azure Policy effect only if it has an Azure Policy side", (id, rule) => {
  const azure = rule.backends.includes("azure-policy");
  test("rule doc", () => {
    const row = files
      .get(`docs/rules/${id}.md`)!
      .split("\n")
      .find((l) => l.startsWith("| Default enforcement |"))!;
    expect(row.includes("Azure Policy effect")).toBe(azure);
  });
  test("README table", () => {
    const row = files
      .get("README.md")!
      .split("\n")
      .find((l) => l.startsWith(`| [\`${id}\`]`))!;
    expect(/\((Deny|Audit|Disabled)\)/.test(row)).toBe(azure);
  });
});

test("Azure Policy metadata cites the rationale's public page, not a catalog file", () => {
  for (const rule of catalog.rules.filter((r) => r.backends.includes("azure-policy"))) {
    const meta = JSON.parse(files.get(`azure-policy/definitions/${rule.id}.json`)!).properties.metadata.apiguard;
    expect(meta.rationale).toEqual({ title: rule.rationale.source.title, url: rule.rationale.source.url });
    expect(JSON.stringify(meta)).not.toMatch(/\.(ya?ml|md|txt)"/);
  }
});

test("a link destination cannot be closed early by the URL", () => {
  expect(markdownUrl("https://example.com/a_(b)<c>")).toBe("https://example.com/a_%28b%29%3Cc%3E");
});
