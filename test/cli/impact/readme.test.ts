/**
 * The README's "Before you switch to Deny" samples come from real runs of `apiguard impact` over the
 * example inventory (examples/inventory): each block after `<!-- apiguard:impact NAME -->` is compared
 * with what the command prints. `npm run readme` rewrites them (APIGUARD_WRITE_README=1), and the
 * screenshot with them (test/e2e/impact/html.test.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { removeTeamProjects } from "../../helpers/estate";
import { REPO } from "../../helpers/paths";
import { readmeProject } from "../../helpers/readme-estate";

const README = path.join(REPO, "README.md");
const PAGES = ["examples/inventory/page-1.json", "examples/inventory/page-2.json"];

afterAll(removeTeamProjects);

/** Runs apiguard from the repository root (or `dir`), as the README does; returns what it printed and its exit code. */
async function run(args: string[], dir = REPO): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = await main(["node", "apiguard", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { out: out.join("\n"), err: err.join("\n"), code };
  } finally {
    process.chdir(cwd);
  }
}

const SAMPLES: Record<string, () => Promise<string>> = {
  // The Markdown report, as a pull-request comment shows it.
  report: async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-readme-"));
    try {
      const { out, code } = await run(["impact", ...PAGES, "--markdown", "-", "--html", path.join(tmp, "impact.html")]);
      if (code !== 0) throw new Error(`impact exited ${code}`);
      return [`$ npx apiguard impact examples/inventory/page-*.json --markdown - --html impact.html`, out, ""].join("\n");
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
  // The gate a pipeline runs before it switches one rule to Deny.
  gate: async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-readme-"));
    try {
      const { out, err, code } = await run(["impact", ...PAGES, "--json", path.join(tmp, "impact.json"), "--max-blocked", "0", "--rule", "aks-private-cluster-public-fqdn-disabled"]);
      const shown = [`$ npx apiguard impact examples/inventory/page-*.json --json impact.json --max-blocked 0 --rule aks-private-cluster-public-fqdn-disabled`];
      if (out) shown.push(out);
      if (err) shown.push(err);
      return [...shown, "$ echo $?", String(code), ""].join("\n");
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
  // The gate before Deny widens by one ring, run in the README's policy repository (its roll-out) over the example inventory.
  "ring-gate": async () => {
    const project = readmeProject();
    fs.mkdirSync(path.join(project, "inventory"));
    for (const page of PAGES) fs.copyFileSync(path.join(REPO, page), path.join(project, "inventory", path.basename(page)));
    const { out, err, code } = await run(["impact", ...PAGES.map((p) => `inventory/${path.basename(p)}`), "--json", "impact.json", "--ring", "early", "--max-blocked", "0"], project);
    const shown = [`$ npx apiguard impact inventory/page-*.json --json impact.json --ring early --max-blocked 0`];
    if (out) shown.push(out);
    if (err) shown.push(err);
    return [...shown, "$ echo $?", String(code), ""].join("\n");
  },
  // An excerpt of the JSON report: one rule, one group and one resource to fix in full, the rest elided.
  json: async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-readme-"));
    try {
      const file = path.join(tmp, "impact.json");
      await run(["impact", ...PAGES, "--json", file]);
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      const rule = r.rules.find((x: { id: string }) => x.id === "aks-private-cluster");
      const excerpt = {
        schema: r.schema,
        engines: r.engines,
        categories: r.categories,
        dimensions: r.dimensions,
        inputs: r.inputs,
        summary: r.summary,
        notJudged: r.notJudged,
        rules: [{ ...rule, groups: { region: [rule.groups.region[0], "…"], "…": "…" } }, "…"],
        groups: { subscription: [r.groups.subscription[0], "…"], "…": "…" },
        fixes: { ...r.fixes, shown: [r.fixes.shown[0], "…"] },
      };
      return `$ jq . impact.json   # abridged: "…" marks what is left out\n${JSON.stringify(excerpt, null, 2)}\n`;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};

const BLOCK = /(<!-- apiguard:impact ([\w-]+) -->\n```text\n)([\s\S]*?)(```)/g;

if (process.env.APIGUARD_WRITE_README) {
  test("write the impact samples into the README", async () => {
    let readme = fs.readFileSync(README, "utf8");
    for (const m of [...readme.matchAll(BLOCK)]) readme = readme.replace(m[0], `${m[1]}${await SAMPLES[m[2]]()}${m[4]}`);
    fs.writeFileSync(README, readme);
  });
} else {
  const readme = fs.readFileSync(README, "utf8");
  const blocks = [...readme.matchAll(BLOCK)].map((m) => ({ name: m[2], text: m[3] }));

  test("the README shows each impact sample once", () => {
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  test.each(blocks.map((b) => [b.name, b] as const))("the README's %s sample is what apiguard prints (`npm run readme` refreshes it)", async (name, block) => {
    expect(block.text).toBe(await SAMPLES[name]());
  });

  test("the README shows the screenshot the browser test takes", () => {
    expect(readme).toMatch(/!\[[^\]]+\]\(docs\/impact-report\.png\)/);
    expect(fs.existsSync(path.join(REPO, "docs/impact-report.png"))).toBe(true);
  });
}
