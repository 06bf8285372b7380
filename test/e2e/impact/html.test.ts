/**
 * The HTML impact report in a real browser: Debian's Chromium (apt-get install chromium; `npm test`
 * installs it), driven headless by puppeteer-core — no browser is downloaded. The page must load
 * nothing but itself, and the numbers a person sees on it (tiles, tables, the lengths of the chart's
 * bars) must be the report's. The screenshot the README shows is taken here (`npm run readme` writes
 * it; elsewhere it is only checked to be taken, since fonts and rendering differ between machines).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { formatHtml } from "../../../cli/impact/html";
import { CATEGORIES, type ImpactReport } from "../../../cli/impact/model";
import { impactFiles } from "../../../cli/impact/run";
import { removeTeamProjects, teamProject, writeTeamOutputs } from "../../helpers/estate";
import { REPO } from "../../helpers/paths";

jest.setTimeout(120_000);

const CHROMIUM = "/usr/bin/chromium";
/** The flags the project runs Chromium with (no sandbox in containers, no background traffic). */
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const EXAMPLE = ["examples/inventory/page-1.json", "examples/inventory/page-2.json"];
const SCREENSHOT = path.join(REPO, "docs/impact-report.png");

let tmp: string;
let browser: Browser;
let page: Page;
let report: ImpactReport;
let url: string;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as npm test does (scripts/install-chromium.sh)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-html-"));
  report = await impactFiles(
    EXAMPLE.map((f) => path.join(REPO, f)),
    { engines: ["crossguard", "azure-policy"], projectDir: REPO, maxFixes: 1000 },
  );
  const file = path.join(tmp, "impact.html");
  fs.writeFileSync(file, formatHtml(report));
  url = pathToFileURL(file).href;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 960 });
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(url, { waitUntil: "load" });
});

afterAll(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const number = (text: string) => Number(text.replace(/,/g, "").trim());

test("the page loads nothing but itself, and breaks no rule of its own security policy", () => {
  expect(requests).toEqual([url]);
  expect(problems).toEqual([]);
});

test("the tiles show the report's totals", async () => {
  const tiles = await page.$$eval("[data-summary]", (els) => els.map((e) => [e.getAttribute("data-summary"), e.getAttribute("data-engine"), (e as unknown as { innerText: string }).innerText]));
  const shown = Object.fromEntries(tiles.map(([kind, engine, text]) => [`${kind} ${engine ?? ""}`.trim(), number(text)]));
  expect(shown).toEqual({
    judged: report.inputs.judged,
    "blocked crossguard": report.summary.blocked.crossguard,
    "blocked azure-policy": report.summary.blocked["azure-policy"],
    "undecided crossguard": report.summary.undecided.crossguard,
    "undecided azure-policy": report.summary.undecided["azure-policy"],
    "exempt crossguard": 0,
    "exempt azure-policy": 0,
    "not-judged": report.notJudged.resources,
  });
  expect(report.summary.blocked["azure-policy"]).toBeGreaterThan(0);
});

test("every count in the rule tables is the report's", async () => {
  const cells = await page.$$eval("td[data-rule]", (els) => els.map((e) => [e.getAttribute("data-rule"), e.getAttribute("data-engine"), e.getAttribute("data-category"), (e as unknown as { innerText: string }).innerText]));
  const judged = report.rules.filter((r) => Object.values(r.counts).some((c) => CATEGORIES.some((k) => c[k] > 0)));
  const expected = judged.flatMap((r) => Object.entries(r.counts).flatMap(([engine, c]) => CATEGORIES.map((k) => [r.id, engine, k, c[k]])));
  expect(cells.map(([rule, engine, category, text]) => [rule, engine, category, number(text)]).sort()).toEqual(expected.sort());
  expect(cells.length).toBeGreaterThan(50);
});

test("every group's blocked count is the report's", async () => {
  const cells = await page.$$eval("td[data-dimension][data-category=blocked]", (els) =>
    els.map((e) => [e.getAttribute("data-dimension"), e.getAttribute("data-key"), e.getAttribute("data-engine"), (e as unknown as { innerText: string }).innerText]),
  );
  const expected = report.dimensions.flatMap((d) => report.groups[d]!.flatMap((g) => Object.entries(g.blocked).map(([engine, n]) => [d, g.key, engine, n])));
  expect(cells.map(([d, key, engine, text]) => [d, key, engine, number(text)]).sort()).toEqual(expected.sort());
});

test("each bar of the charts is as long as its count, on one scale per chart", async () => {
  const bars = await page.$$eval("svg[data-chart] rect[data-count]", (els) =>
    els.map((e) => ({
      chart: e.closest("svg")!.getAttribute("data-engine"),
      rule: e.getAttribute("data-rule"),
      category: e.getAttribute("data-category"),
      count: Number(e.getAttribute("data-count")),
      box: { width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height },
    })),
  );
  expect(bars.length).toBeGreaterThan(10);
  for (const chart of new Set(bars.map((b) => b.chart))) {
    const mine = bars.filter((b) => b.chart === chart);
    const scale = mine[0].box.width / mine[0].count;
    for (const b of mine) {
      expect(b.box.height).toBeGreaterThan(10);
      expect(Math.abs(b.box.width - b.count * scale)).toBeLessThan(0.75);
      // And the bar's count is the report's.
      expect(b.count).toBe(report.rules.find((r) => r.id === b.rule)!.counts[chart as "crossguard"]![b.category as "blocked"]);
    }
  }
});

test("every resource to fix is listed, with a link to each rule's fix on the page", async () => {
  const rows = await page.$$eval("tr[data-fix]", (els) => els.map((e) => e.getAttribute("data-fix")));
  expect(rows).toEqual(report.fixes.shown.map((f) => f.resource));
  const targets = await page.$$eval("tr[data-fix] a", (els) => els.map((a) => a.getAttribute("href")!.slice(1)));
  for (const id of new Set(targets)) expect(await page.$(`[id="${id}"]`)).not.toBeNull();
});

test("the README's screenshot is taken from this page", async () => {
  const out = process.env.APIGUARD_WRITE_README ? SCREENSHOT : path.join(tmp, "impact-report.png");
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: 960 } });
  const png = fs.readFileSync(out);
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 960]);
  expect(fs.existsSync(SCREENSHOT)).toBe(true);
});

describe("with a roll-out: rings and exemptions", () => {
  // A ring by location (the eastus sandbox clusters) and an exemption of their resource group from aks-private-cluster (Azure) and of aks-sandbox-* (the pack).
  const ROLLOUT = "rings:\n  - name: sandbox\n    azure:\n      resourceLocation: [eastus]\n";
  const EXEMPTIONS = [
    "exemptions:",
    "  - name: sandbox-public",
    "    rules: [aks-private-cluster]",
    "    category: Waiver",
    "    reason: Sandboxes are rebuilt private next quarter.",
    "    reference: CHG-9",
    "    expires: 2099-12-31",
    "    azure:",
    "      scopes: [/subscriptions/5d4e2a91-8c6f-4b37-b1d9-0f3a6c8e2d15/resourceGroups/rg-sandbox]",
    "    pulumi:",
    "      - name: aks-sandbox-*",
    "",
  ].join("\n");
  let estate: ImpactReport;
  let estatePage: Page;

  beforeAll(async () => {
    const project = teamProject({ rollout: ROLLOUT, exemptions: EXEMPTIONS });
    writeTeamOutputs(project);
    estate = await impactFiles(
      EXAMPLE.map((f) => path.join(REPO, f)),
      { engines: ["crossguard", "azure-policy"], projectDir: project, maxFixes: 1000, now: new Date("2025-06-01T00:00:00Z") },
    );
    const file = path.join(tmp, "impact-estate.html");
    fs.writeFileSync(file, formatHtml(estate));
    estatePage = await browser.newPage();
    await estatePage.goto(pathToFileURL(file).href, { waitUntil: "load" });
  });
  afterAll(() => removeTeamProjects());

  test("the exempt counts shown are the report's, and some resource is exempt", async () => {
    const cells = await estatePage.$$eval("td[data-rule=aks-private-cluster][data-category=exempt]", (els) => els.map((e) => [e.getAttribute("data-engine"), (e as unknown as { innerText: string }).innerText]));
    const rule = estate.rules.find((r) => r.id === "aks-private-cluster")!;
    expect(Object.fromEntries(cells.map(([engine, text]) => [engine, number(text)]))).toEqual({ crossguard: rule.counts.crossguard!.exempt, "azure-policy": rule.counts["azure-policy"]!.exempt });
    expect(rule.counts["azure-policy"]!.exempt).toBeGreaterThan(0);
    const covers = await estatePage.$$eval("td[data-exemption=sandbox-public][data-category=covered]", (els) => els.map((e) => [e.getAttribute("data-engine"), (e as unknown as { innerText: string }).innerText]));
    const x = estate.rollout!.exemptions.find((e) => e.name === "sandbox-public")!;
    expect(Object.fromEntries(covers.map(([engine, text]) => [engine, number(text)]))).toEqual(x.covered);
  });

  test("each ring's row shows the report's counts", async () => {
    const cells = await estatePage.$$eval("td[data-dimension=ring]", (els) =>
      els.map((e) => [e.getAttribute("data-key"), e.getAttribute("data-engine") ?? "", e.getAttribute("data-category"), (e as unknown as { innerText: string }).innerText]),
    );
    const expected = estate.groups.ring!.flatMap((g) => [[g.key, "", "resources", g.resources], ...(["blocked", "undecided", "exempt"] as const).flatMap((k) => Object.entries(g[k]).map(([engine, c]) => [g.key, engine, k, c]))]);
    expect(cells.map(([key, engine, category, text]) => [key, engine, category, number(text)]).sort()).toEqual(expected.sort());
    expect(estate.groups.ring!.map((g) => g.key).sort()).toEqual(["rest", "sandbox"]);
  });
});
