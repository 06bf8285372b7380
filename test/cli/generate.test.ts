/** Generation is deterministic, `check` catches drift, and the generated pack type-checks. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ts from "typescript";
import { loadCatalog } from "../../core/catalog/load";
import { main } from "../../cli";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { CATALOG, REPO } from "../helpers/paths";

const catalog = loadCatalog(CATALOG);
const files = generateAll(catalog, readGeneratorInputs(REPO));

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-project-"));
  copies.push(dir);
  for (const f of files.keys()) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  }
  return dir;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("generating twice yields byte-identical output", () => {
  expect(generateAll(loadCatalog(CATALOG), readGeneratorInputs(REPO))).toEqual(files);
});

test("every generated file says it is generated", () => {
  for (const [file, content] of files) {
    if (file === "README.md") continue;
    // Bare az inputs (a policyRule, a parameters object) cannot hold a notice; their folder's README does.
    if (file.startsWith("azure-policy/az/") && file.endsWith(".json")) {
      expect(files.get("azure-policy/az/README.md")).toContain("do not edit");
      continue;
    }
    expect(`${file}: ${content.includes("do not edit") ? "marked" : "unmarked"}`).toBe(`${file}: marked`);
  }
});

test("the committed outputs match the catalog (apiguard check)", async () => {
  const result = await cli("check", "--catalog", CATALOG, "--out", REPO);
  expect(result.err).toBe("");
  expect(result.code).toBe(0);
});

describe("check detects drift", () => {
  test("a hand edit, naming the file and line", async () => {
    const dir = copyProject();
    expect((await cli("check", "--catalog", CATALOG, "--out", dir)).code).toBe(0);
    const file = path.join(dir, "azure-policy/definitions/aks-private-cluster.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"Deny"', '"Audit"'));
    const result = await cli("check", "--catalog", CATALOG, "--out", dir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/changed {2}azure-policy\/definitions\/aks-private-cluster\.json:\d+\n\s+generated: .*"Deny"/);
  });
  test("a missing and a stale file", async () => {
    const dir = copyProject();
    fs.rmSync(path.join(dir, "docs/rules/aks-private-cluster.md"));
    fs.writeFileSync(path.join(dir, "azure-policy/definitions/retired-rule.json"), "{}");
    const result = await cli("check", "--catalog", CATALOG, "--out", dir);
    expect(result.code).toBe(1);
    expect(result.err).toContain("missing  docs/rules/aks-private-cluster.md");
    expect(result.err).toContain("stale    azure-policy/definitions/retired-rule.json");
  });
});

test("generate writes only what changed and removes stale files", async () => {
  const dir = copyProject();
  fs.writeFileSync(path.join(dir, "azure-policy/definitions/retired-rule.json"), "{}");
  fs.writeFileSync(path.join(dir, "policypack/policies.ts"), "// edited by hand\n");
  const result = await cli("generate", "--catalog", CATALOG, "--out", dir);
  expect(result.code).toBe(0);
  expect(result.out).toContain("(1 written, 1 removed,");
  expect(fs.existsSync(path.join(dir, "azure-policy/definitions/retired-rule.json"))).toBe(false);
  expect((await cli("check", "--catalog", CATALOG, "--out", dir)).code).toBe(0);
  expect(fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).includes(".apiguard-tmp-"))).toEqual([]);
});

test("output does not depend on time zone or locale", () => {
  const dir = copyProject();
  const run = spawnSync(process.execPath, [path.join(REPO, "bin/apiguard.js"), "generate", "--catalog", CATALOG, "--out", dir], {
    env: { ...process.env, TZ: "Pacific/Chatham", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" },
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toContain("(0 written, 0 removed,");
});

test("the generated pack type-checks with its own tsconfig", () => {
  const packDir = path.join(REPO, "policypack");
  const config = ts.readConfigFile(path.join(packDir, "tsconfig.json"), (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, packDir);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(diagnostics).toEqual([]);
});

test("a catalog checked out with CRLF line endings generates the same bytes", () => {
  const crlf = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-crlf-"));
  copies.push(crlf);
  fs.cpSync(CATALOG, crlf, { recursive: true });
  const convert = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) convert(p);
      else if (/\.ya?ml$/.test(e.name)) fs.writeFileSync(p, fs.readFileSync(p, "utf8").replace(/\r?\n/g, "\r\n"));
    }
  };
  convert(crlf);
  expect(fs.readFileSync(path.join(crlf, "aks-private-cluster/rule.yaml"), "utf8")).toContain("\r\n");
  const fromCrlf = generateAll(loadCatalog(crlf), readGeneratorInputs(REPO));
  for (const [file, content] of files) expect(`${file}\n${fromCrlf.get(file)}`).toBe(`${file}\n${content}`);
});
