/**
 * `apiguard impact` over the inventory corpus (test/cli/evaluate/corpus/inventories): the counts must be
 * those the hand-written verdicts of inventories.yaml give, grouped where each resource lives; the gate,
 * the fix list and the outputs behave as documented.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../../cli";
import type { Rollout } from "../../../cli/impact/hooks";
import { formatHtml } from "../../../cli/impact/html";
import { formatMarkdown } from "../../../cli/impact/markdown";
import type { Category, ImpactReport } from "../../../cli/impact/model";
import { impactFiles } from "../../../cli/impact/run";
import { REPO } from "../../helpers/paths";

const CORPUS = path.join(REPO, "test/cli/evaluate/corpus");
const INVENTORIES = path.join(CORPUS, "inventories");
const expectations = parse(fs.readFileSync(path.join(CORPUS, "inventories.yaml"), "utf8")) as { profiles: Record<string, Record<string, string>>; files: Record<string, Record<string, Record<string, string> | string>> };
const ENGINES = ["crossguard", "azure-policy"] as const;

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-impact-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function impact(args: string[]): Promise<{ code: number; out: string; err: string; report?: ImpactReport }> {
  const out: string[] = [];
  const err: string[] = [];
  const json = path.join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  const code = await main(["node", "apiguard", "impact", "--project", REPO, "--json", json, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n"), report: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : undefined };
}

/** What inventories.yaml says the counts of `files` are: per rule and engine, per category. */
function expectedCounts(files: string[]): Record<string, Record<string, Record<Category, number>>> {
  const counts: Record<string, Record<string, Record<Category, number>>> = {};
  for (const file of files) {
    for (const profile of Object.values(expectations.files[file])) {
      const verdicts = typeof profile === "string" ? expectations.profiles[profile] : profile;
      for (const [rule, verdict] of Object.entries(verdicts)) {
        for (const engine of ENGINES) {
          const category: Category = verdict === "fail" ? "blocked" : verdict === "unknown" ? "undecided" : verdict === "pass" || engine === "azure-policy" ? "compliant" : "notApplicable";
          const c = ((counts[rule] ??= {})[engine] ??= { blocked: 0, undecided: 0, exempt: 0, compliant: 0, notApplicable: 0 });
          c[category]++;
        }
      }
    }
  }
  return counts;
}

const FLEET = ["resource-graph/page-1.json", "resource-graph/page-2.json", "resource-graph/projected.json", "az-cli/aks-scale-cluster-2019.json", "az-cli/network-nsg-show.json", "pulumi-cloud/search-page.json"];
const at = (f: string) => path.join(INVENTORIES, f);

test("every rule's counts over a mixed fleet are those of the hand-written verdicts, in both engines", async () => {
  const { code, report, err } = await impact(FLEET.map(at));
  expect(code).toBe(0);
  expect(err.split("\n").filter((l) => l && !l.startsWith("apiguard: warning:"))).toEqual([]);
  const wanted = expectedCounts(FLEET);
  const actual = Object.fromEntries(Object.keys(wanted).map((rule) => [rule, report!.rules.find((r) => r.id === rule)?.counts]));
  expect(actual).toEqual(wanted);
  // Resources read, judged, and what no rule judges (the Pulumi Cloud page's resource group).
  expect(report!.inputs).toMatchObject({ files: FLEET.length, errors: [] });
  expect(report!.notJudged).toEqual({ resources: 1, byType: { "azure-native:resources:ResourceGroup": 1 } });
  expect(report!.inputs.judged).toBe(FLEET.reduce((n, f) => n + Object.keys(expectations.files[f]).length, 0));
  expect(report!.inputs.warnings).toEqual([expect.stringMatching(/pending deletion/)]);
});

test("resources are grouped where they live: subscription, resource group within it, region, and stack for Pulumi inputs", async () => {
  const { report } = await impact(["resource-graph/page-1.json", "resource-graph/page-2.json", "pulumi-cloud/search-page.json"].map(at));
  expect(report!.dimensions).toEqual(["subscription", "resourceGroup", "region", "project", "stack"]);
  const totals = (d: keyof ImpactReport["groups"]) => Object.fromEntries(report!.groups[d]!.map((g) => [g.key, [g.resources, g.blocked["azure-policy"]]]));
  // Page 1: two clusters of subscription 0…0; page 2: one of 1…1 and the security group of the docs' `guid`;
  // the Pulumi Cloud page: the same three clusters, in stacks platform/prod (two) and platform/dev.
  expect(totals("subscription")).toEqual({ "00000000-0000-0000-0000-000000000000": [4, 4], "11111111-1111-1111-1111-111111111111": [2, 2], guid: [1, 1] });
  expect(totals("region")).toEqual({ westus2: [4, 4], westcentralus: [2, 2], eastus: [1, 1] });
  expect(totals("stack")).toEqual({ "platform/prod": [2, 2], "platform/dev": [1, 1], "(not given)": [4, 4] });
  expect(Object.keys(totals("resourceGroup"))).toContain("00000000-0000-0000-0000-000000000000/clitest000002");
  // Per rule too: aks-private-cluster blocks the two public clusters of each input, not the private one.
  const rule = report!.rules.find((r) => r.id === "aks-private-cluster")!;
  expect(Object.fromEntries(rule.groups.stack!.map((g) => [g.key, g.counts.crossguard!.blocked]))).toEqual({ "platform/prod": 1, "platform/dev": 1, "(not given)": 2 });
});

describe("the gate", () => {
  const pages = ["resource-graph/page-1.json", "resource-graph/page-2.json"].map(at);
  test.each([
    // aks-private-cluster blocks the two public clusters.
    [["--max-blocked", "2", "--rule", "aks-private-cluster"], 0, 2],
    [["--max-blocked", "1", "--rule", "aks-private-cluster"], 1, 2],
    // Two rules: the resources either would block (the private cluster's public FQDN, and the two public ones).
    [["--max-blocked", "2", "--rule", "aks-private-cluster", "--rule", "aks-private-cluster-public-fqdn-disabled"], 1, 3],
    // Every rule: all four resources (three clusters and the security group).
    [["--max-blocked", "4"], 0, 4],
    [["--max-blocked", "0"], 1, 4],
  ] as const)("%j exits %i (%i resources blocked)", async (args, code, blocked) => {
    const run = await impact([...pages, ...args]);
    expect(run.code).toBe(code);
    expect(run.report!.gate).toMatchObject({ blocked: { crossguard: blocked, "azure-policy": blocked }, passed: code === 0 });
    if (code === 1) expect(run.err).toMatch(new RegExp(`would block ${blocked} resources, more than --max-blocked`));
  });

  test.each([
    [["--max-blocked", "1", "--rule", "no-such-rule"], /--rule no-such-rule: no such rule/],
    [["--rule", "aks-private-cluster"], /give --max-blocked too/],
    [["--max-blocked", "-1"], /--max-blocked must be a whole number/],
    [["--max-blocked", "two"], /--max-blocked must be a whole number/],
  ])("%j is a usage error", async (args, message) => {
    const run = await impact([...pages, ...args]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
  });
});

test("the fix list holds the first resources in memory and writes every one to the JSON Lines file", async () => {
  const list = path.join(tmp, "fixes.jsonl");
  const { report } = await impact([...FLEET.map(at), "--max-fixes", "2", "--fix-list", list]);
  const lines = fs
    .readFileSync(list, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(report!.fixes.shown).toHaveLength(2);
  expect(report!.fixes.omitted).toBe(report!.fixes.resources - 2);
  expect(lines).toHaveLength(report!.fixes.resources);
  expect(lines.slice(0, 2)).toEqual(report!.fixes.shown);
  // Each names the rules that would block it, with the engines, and where it lives; the rule says how to fix.
  const first = lines[0];
  expect(first).toMatchObject({ resource: "cliakstest000001", placement: { subscription: "00000000-0000-0000-0000-000000000000", region: "westus2" } });
  expect(first.rules.map((r: { rule: string }) => r.rule)).toEqual(expect.arrayContaining(["aks-private-cluster-public-fqdn-disabled", "aks-local-accounts-disabled"]));
  for (const r of first.rules) expect(report!.rules.find((x) => x.id === r.rule)!.fix).toMatch(/\S/);
});

test("a file that cannot be read is reported and exits 2; the others are still counted", async () => {
  const { code, report, err } = await impact([at("resource-graph/page-1.json"), path.join(tmp, "missing.json")]);
  expect(code).toBe(2);
  expect(err).toMatch(/missing\.json: cannot read/);
  expect(report!.inputs).toMatchObject({ files: 1, judged: 2, errors: [expect.stringMatching(/missing\.json/)] });
});

test("the Markdown report shows each rule's counts, the groups and what to fix, and stays within a pull-request comment", async () => {
  const { out, report } = await impact([...FLEET.map(at), "--markdown", "-"]);
  // Rules that judge none of the resources (EKS, stack rules over inventories) are named once, not given a row of zeros.
  const judged = report!.rules.filter((r) => Object.values(r.counts).some((c) => Object.values(c).some((x) => x > 0)));
  expect(out).toMatch(new RegExp(`No resource here is one .*\`${report!.rules.find((r) => r.stack)!.id}\``));
  for (const rule of report!.rules) expect([rule.id, out.includes(`| \`${rule.id}\``)]).toEqual([rule.id, judged.includes(rule)]);
  for (const rule of judged) {
    const row = out.split("\n").find((l) => l.startsWith(`| \`${rule.id}\``))!;
    const cells = row.split(" | ");
    // Counts read `crossguard · azure-policy` (the engines in report order), blocked in bold when not 0.
    const blocked = ENGINES.map((e) => rule.counts[e]?.blocked).map((n) => (n === undefined ? "—" : n > 0 ? `**${n}**` : String(n)));
    expect(cells[2]).toBe(blocked.join(" · "));
  }
  expect(out).toMatch(/### Resources to fix/);
  expect(out).toMatch(/### How to fix/);
  expect(out.length).toBeLessThan(65_536);
});

test("a large fleet's Markdown is cut to its first rows and says how many more the other reports hold", () => {
  const report = bigReport(500);
  const markdown = formatMarkdown(report);
  expect(markdown).toMatch(/_and 490 more groups in the HTML and JSON reports\._/);
  expect(markdown).toMatch(/### Resources to fix \(first 25 of 500\)/);
  expect(markdown.length).toBeLessThan(65_536);
});

/** A report as a fleet of `n` resource groups, each with one blocked cluster, would give. */
function bigReport(n: number): ImpactReport {
  const counts = { blocked: n, undecided: 0, exempt: 0, compliant: 0, notApplicable: 0 };
  const groups = Array.from({ length: n }, (_, i) => ({ key: `sub/rg-${i}`, resources: 1, blocked: { "azure-policy": 1 }, undecided: { "azure-policy": 0 }, exempt: { "azure-policy": 0 } }));
  return {
    schema: "apiguard-impact/1",
    engines: ["azure-policy"],
    categories: ["blocked", "undecided", "exempt", "compliant", "notApplicable"],
    dimensions: ["resourceGroup"],
    inputs: { files: 1, resources: n, judged: n, errors: [], warnings: [], warningsOmitted: 0 },
    summary: { blocked: { "azure-policy": n }, undecided: { "azure-policy": 0 }, exempt: { "azure-policy": 0 } },
    notJudged: { resources: 0, byType: {} },
    rules: [{ id: "r", title: "R", enforcement: { "azure-policy": "Audit" }, fix: "Fix it.", counts: { "azure-policy": counts }, undecidedBecause: [], groups: {} }],
    groups: { resourceGroup: groups },
    fixes: {
      resources: n,
      shown: Array.from({ length: 100 }, (_, i) => ({ resource: `aks-${i}`, type: "t", file: "f", placement: { resourceGroup: `sub/rg-${i}` }, rules: [{ rule: "r", engines: ["azure-policy" as const] }] })),
      omitted: n - 100,
    },
  };
}

test("the HTML report is one self-contained page: no request leaves it", async () => {
  const html = formatHtml((await impact(FLEET.map(at))).report!);
  expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  // Nothing is loaded from anywhere: no script, no external style sheet, image, font or frame.
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
  // Links only within the page (a rule's fix).
  expect((html.match(/href="[^"]*"/g) ?? []).filter((h) => !h.startsWith('href="#'))).toEqual([]);
});

describe("where the roll-out plugs in (rings and exemptions)", () => {
  // A stand-in for the roll-out module: rings by region, one cluster exempt from one rule.
  const rollout: Rollout = {
    ringOf: (s) => (s.placement.region === "westus2" ? "ring0" : "ring1"),
    exemptionFor: (s, rule) =>
      s.name === "cliakstest000002" && rule === "aks-private-cluster" ? { exemption: { name: "migrating", category: "Waiver", reference: "CHG-1", reason: "migrating", expiresOn: "2099-01-01T23:59:59Z" }, status: "active" } : undefined,
  };
  const pages = ["resource-graph/page-1.json", "resource-graph/page-2.json"].map(at);

  test("an exempt failure is counted exempt, not blocked, and its resource is not to fix for that rule", async () => {
    const report = await impactFiles(pages, { engines: ["crossguard", "azure-policy"], projectDir: REPO, maxFixes: 100, rollout });
    const rule = report.rules.find((r) => r.id === "aks-private-cluster")!;
    expect(rule.counts["azure-policy"]).toMatchObject({ blocked: 1, exempt: 1 });
    expect(rule.counts.crossguard).toMatchObject({ blocked: 1, exempt: 1 });
    const fix = report.fixes.shown.find((f) => f.resource === "cliakstest000002")!;
    expect(fix.rules.map((r) => r.rule)).not.toContain("aks-private-cluster");
  });

  test("rings are a dimension like any other, and resources to fix say their ring", async () => {
    const report = await impactFiles(pages, { engines: ["azure-policy"], projectDir: REPO, maxFixes: 100, rollout });
    expect(report.dimensions[0]).toBe("ring");
    // westus2: the private cluster and the Entra ID one; westcentralus and eastus: the public one and the security group.
    expect(Object.fromEntries(report.groups.ring!.map((g) => [g.key, g.resources]))).toEqual({ ring0: 2, ring1: 2 });
    expect(report.fixes.shown.map((f) => [f.resource, f.placement.ring])).toEqual([
      ["cliakstest000001", "ring0"],
      ["cliakstest000002", "ring1"],
      ["cliakstest000003", "ring0"],
      ["myNetworkSecurityGroup", "ring1"],
    ]);
  });

  test("without the roll-out module no dimension is a ring and nothing is exempt", async () => {
    const report = await impactFiles(pages, { engines: ["azure-policy"], projectDir: REPO, maxFixes: 100 });
    expect(report.dimensions).not.toContain("ring");
    for (const r of report.rules) expect(r.counts["azure-policy"]?.exempt ?? 0).toBe(0);
  });
});
