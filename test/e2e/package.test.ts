/**
 * The packed tarball, installed into an empty project, is a working apiguard: `npx apiguard`
 * generates, checks and evaluates with the bundled catalog and outputs, and `init` scaffolds a
 * policy repository whose own CI steps pass. Installs from the npm cache where it can
 * (--prefer-offline); the registry is asked only for what the cache lacks.
 */
import { spawnSync, type SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { loadCatalog } from "../../core/catalog/load";
import { FIXTURE_EXAMPLES, FIXTURE_RULE } from "../helpers/fixture-catalog";
import { CATALOG, REPO } from "../helpers/paths";

jest.setTimeout(600_000);

const catalog = loadCatalog(CATALOG);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-package-"));
const project = path.join(tmp, "project");
const team = path.join(project, "team");
let tarball = "";
let packed: string[] = [];

/**
 * The children get none of the npm_* variables `npm test` sets (they would point npm at this
 * repository), and npx may never fetch a package called apiguard from the registry: only the installed one runs.
 */
const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const env = { ...inherited, npm_config_yes: "false", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}
const npx = (cwd: string, ...args: string[]) => run("npx", ["apiguard", ...args], cwd);
const ok = (r: SpawnSyncReturns<string>) => ({ status: r.status, stderr: r.status === 0 ? "" : r.stderr });

beforeAll(() => {
  // dist/ is built by `npm ci` (the prepare script); packing must not rebuild it under running tests.
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], REPO);
  expect(ok(pack)).toEqual({ status: 0, stderr: "" });
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info.filename);
  packed = info.files.map((f) => f.path);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "empty-project", version: "1.0.0", private: true }));
  const install = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
  expect(ok(install)).toEqual({ status: 0, stderr: "" });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("the tarball holds the CLI, the bundled catalog and templates, and the generated outputs — nothing else of the repository", () => {
  for (const f of [
    "bin/apiguard.js",
    "dist/cli/index.js",
    "dist/generators/index.js",
    "core/semantics/semantics.ts",
    "catalog/rule.schema.json",
    "cli/scaffold/catalog/bundled.yaml",
    "policypack/bin/index.js",
    "azure-policy/initiative.json",
    "azure-policy/alz/alz_library_metadata.json",
    "README.md",
  ]) {
    expect(packed).toContain(f);
  }
  for (const rule of catalog.rules) expect(packed).toContain(`catalog/${rule.id}/rule.yaml`);
  expect(packed.filter((f) => /^(test|bench|governance|node_modules|scripts)\/|(^|\/)node_modules\/|^dist\/(test|bench)\//.test(f))).toEqual([]);
});

test("`npx apiguard --version` prints the package version", () => {
  const r = npx(project, "--version");
  expect(ok(r)).toEqual({ status: 0, stderr: "" });
  expect(r.stdout.trim()).toBe(pkg.version);
});

test("a usage error is one line and a hint, not the help text", () => {
  const r = npx(project, "evaluate", "--format", "csv", "x.json");
  expect(r.status).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !/^npm warn/i.test(l));
  expect(lines).toEqual([expect.stringContaining("--format must be"), expect.stringMatching(/^hint: run `apiguard --help`/)]);
  const unknown = npx(project, "generate", "--bogus");
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).not.toMatch(/Usage:|Options:/);
  expect(unknown.stderr).toMatch(/unknown option '--bogus'\nhint: /);
});

test("`evaluate` in an empty project judges with the bundled outputs", () => {
  const example = path.join(project, "node_modules", "apiguard", "examples", "arm", "aks-clusters.json");
  const r = npx(project, "evaluate", "--format", "json", example);
  expect(r.status).toBe(1); // the example holds a public cluster that mandatory rules refuse
  const report = JSON.parse(r.stdout) as { results: { rule: string | null; engine: string }[] };
  const judged = (engine: string) => new Set(report.results.filter((x) => x.engine === engine).map((x) => x.rule));
  // The example holds AKS clusters only: every AKS rule with an Azure side judges them in both engines.
  for (const rule of catalog.rules.filter((x) => x.backends.includes("azure-policy") && x.target === "aks")) {
    expect(judged("azure-policy")).toContain(rule.id);
    expect(judged("crossguard")).toContain(rule.id);
  }
});

test("`generate` then `check` in an empty project write and confirm the bundled outputs", () => {
  // A project's own README has no rule-table markers: it is left alone.
  fs.writeFileSync(path.join(project, "README.md"), "# Our project\n");
  expect(ok(npx(project, "generate"))).toEqual({ status: 0, stderr: "" });
  expect(ok(npx(project, "check"))).toEqual({ status: 0, stderr: "" });
  for (const f of ["policypack/bin/policies.js", "azure-policy/initiative.json", `docs/rules/${catalog.rules[0].id}.md`]) {
    expect(fs.readFileSync(path.join(project, f), "utf8")).toBe(fs.readFileSync(path.join(REPO, f), "utf8"));
  }
  expect(fs.readFileSync(path.join(project, "README.md"), "utf8")).toBe("# Our project\n");
});

describe("a policy repository scaffolded by `apiguard init`", () => {
  beforeAll(() => {
    expect(ok(npx(project, "init", "team"))).toEqual({ status: 0, stderr: "" });
    // What `npm install` in the new repository would give it: this apiguard.
    fs.symlinkSync(path.join(project, "node_modules"), path.join(team, "node_modules"), "dir");
  });

  test("pins apiguard exactly as a dev dependency and holds the catalog, CI and generated outputs", () => {
    const scaffold = JSON.parse(fs.readFileSync(path.join(team, "package.json"), "utf8"));
    expect(scaffold.devDependencies).toEqual({ apiguard: pkg.version });
    for (const f of ["catalog/bundled.yaml", ".github/workflows/apiguard.yml", "azure-pipelines.yml", ".gitignore", "infra/aks-cluster.json", "policypack/bin/index.js", "azure-policy/alz/alz_library_metadata.json"]) {
      expect(fs.existsSync(path.join(team, f))).toBe(true);
    }
    for (const rule of catalog.rules) expect(fs.readFileSync(path.join(team, "README.md"), "utf8")).toContain(`[\`${rule.id}\`](docs/rules/${rule.id}.md)`);
  });

  test("refuses to scaffold over an existing repository", () => {
    const r = npx(project, "init", "team");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("already has");
  });

  test("its own rule, a disabled and an adjusted bundled rule reach every output; check then passes", () => {
    const adjusted = catalog.rules.find((r) => r.parameters.some((p) => p.type === "integer"))!;
    const disabled = catalog.rules.find((r) => r.backends.includes("azure-policy") && r.id !== adjusted.id)!.id;
    const param = adjusted.parameters.find((p) => p.type === "integer")!;
    const value = param.maximum ?? Number(param.default) + 1;
    fs.writeFileSync(path.join(team, "catalog", "bundled.yaml"), `include: all\ndisable: [${disabled}]\nparameters:\n  ${adjusted.id}:\n    ${param.name}: ${value}\n`);
    fs.mkdirSync(path.join(team, "catalog", "demo-rule"));
    fs.writeFileSync(path.join(team, "catalog", "demo-rule", "rule.yaml"), FIXTURE_RULE);
    for (const [file, content] of Object.entries(FIXTURE_EXAMPLES)) {
      fs.mkdirSync(path.dirname(path.join(team, "catalog", "demo-rule", "examples", file)), { recursive: true });
      fs.writeFileSync(path.join(team, "catalog", "demo-rule", "examples", file), content);
    }
    expect(npx(team, "check").status).toBe(1); // the outputs no longer match the catalog
    expect(ok(npx(team, "generate"))).toEqual({ status: 0, stderr: "" });
    expect(ok(npx(team, "check"))).toEqual({ status: 0, stderr: "" });
    const read = (f: string) => fs.readFileSync(path.join(team, f), "utf8");
    expect(fs.existsSync(path.join(team, "azure-policy/definitions/demo-rule.json"))).toBe(true);
    expect(fs.existsSync(path.join(team, `azure-policy/definitions/${disabled}.json`))).toBe(false);
    expect(read("policypack/bin/policies.js")).toContain('"demo-rule"');
    expect(read("policypack/bin/policies.js")).not.toContain(`"${disabled}"`);
    expect(read("azure-policy/alz/archetype_overrides/landing_zones_apiguard.alz_archetype_override.yaml")).toContain("apiguard-demo-rule");
    if (adjusted.backends.includes("azure-policy")) {
      expect(JSON.parse(read(`azure-policy/definitions/${adjusted.id}.json`)).properties.parameters[param.name].defaultValue).toBe(value);
    }
    expect(read("README.md")).toContain("[`demo-rule`](docs/rules/demo-rule.md)");
  });

  test("a team rule that reuses an included bundled id is refused at file:line:col", () => {
    const id = catalog.rules[0].id;
    const dir = path.join(team, "catalog", id);
    fs.mkdirSync(path.join(dir, "examples"), { recursive: true });
    fs.cpSync(path.join(team, "catalog", "demo-rule", "examples"), path.join(dir, "examples"), { recursive: true });
    const rule = FIXTURE_RULE.replace("id: demo-rule", `id: ${id}`);
    fs.writeFileSync(path.join(dir, "rule.yaml"), rule);
    const line = rule.split("\n").findIndex((l) => l.startsWith("id:")) + 1;
    const r = npx(team, "generate");
    fs.rmSync(dir, { recursive: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`catalog/${id}/rule.yaml:${line}:5: rule id '${id}' is also a bundled rule`);
  });

  /** Runs a CI script as the CI would, with the variables it reads pointed at temp files. */
  function runScript(script: string, vars: Record<string, string>): SpawnSyncReturns<string> {
    return run("bash", ["-eo", "pipefail", "-c", script], team, vars);
  }
  const apiguardSteps = (scripts: string[]) => scripts.filter((s) => s.includes("npx apiguard"));

  test("the GitHub Actions apiguard steps pass on it and produce SARIF for upload-sarif", () => {
    const workflow = parse(fs.readFileSync(path.join(team, ".github/workflows/apiguard.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const scripts = apiguardSteps(steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(scripts.join("\n")).toMatch(/npx apiguard check/);
    expect(scripts.join("\n")).toMatch(/npx apiguard evaluate --format sarif/);
    const output = path.join(tmp, "github-output");
    for (const script of scripts) {
      fs.writeFileSync(output, "");
      expect(ok(runScript(script, { GITHUB_OUTPUT: output }))).toEqual({ status: 0, stderr: "" });
    }
    expect(fs.readFileSync(output, "utf8")).toBe("exit=0\n");
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    const sarif = JSON.parse(fs.readFileSync(path.join(team, upload.with!.sarif_file), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(steps.some((s) => s.run?.includes("pulumi preview") && s.run.includes("policypack"))).toBe(true);
  });

  test("the Azure DevOps apiguard steps pass on it and leave SARIF where AdvancedSecurity-Publish reads it", () => {
    const pipeline = parse(fs.readFileSync(path.join(team, "azure-pipelines.yml"), "utf8")) as { steps: { script?: string; task?: string; inputs?: Record<string, string> }[] };
    const staging = fs.mkdtempSync(path.join(tmp, "staging-"));
    const expand = (s: string) => s.replace(/\$\(Build\.ArtifactStagingDirectory\)/g, staging);
    const scripts = apiguardSteps(pipeline.steps.flatMap((s) => (s.script ? [expand(s.script)] : [])));
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const script of scripts) {
      const r = runScript(script, {});
      expect(ok(r)).toEqual({ status: 0, stderr: "" });
      if (script.includes("evaluate")) expect(r.stdout).toContain("##vso[task.setvariable variable=apiguardExit]0");
    }
    const publish = pipeline.steps.find((s) => s.task === "AdvancedSecurity-Publish@1")!;
    const dir = expand(publish.inputs!.SarifsInputDirectory);
    const sarifs = fs.readdirSync(dir).filter((f) => f.endsWith(".sarif"));
    expect(sarifs.length).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, sarifs[0]), "utf8")).version).toBe("2.1.0");
    expect(pipeline.steps.some((s) => s.script?.includes("pulumi preview") && s.script.includes("policypack"))).toBe(true);
  });
});
