/**
 * A team's catalog (one holding bundled.yaml) merges with the bundled catalog: it includes, disables
 * and adjusts bundled rules by id and adds its own; every mistake names file:line:col.
 */
import * as fs from "fs";
import * as path from "path";
import { judgeStack, overallVerdict, parameterValues } from "../../core/ir/judge";
import { loadCatalog } from "../../core/catalog/load";
import { OVERLAY_FILE, resolveCatalog } from "../../core/catalog/merge";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { FIXTURE_RULE, removeFixtureCatalogs, writeFixtureCatalog } from "../helpers/fixture-catalog";
import { CATALOG } from "../helpers/paths";

afterAll(removeFixtureCatalogs);

const bundled = loadCatalog(CATALOG);
const bundledIds = bundled.rules.map((r) => r.id);
const azureBundled = bundled.rules.filter((r) => r.backends.includes("azure-policy"));
const withParameters = bundled.rules.find((r) => r.parameters.some((p) => p.type === "integer" && p.maximum !== undefined))!;
const intParam = withParameters.parameters.find((p) => p.type === "integer" && p.maximum !== undefined)!;

/** A team catalog: the fixture rule `demo-rule`, no schema of its own, and the given bundled.yaml. */
function teamCatalog(overlay: string, extraRules: Record<string, string> = {}): string {
  const root = writeFixtureCatalog({ extraRules });
  fs.rmSync(path.join(root, "rule.schema.json"));
  fs.writeFileSync(path.join(root, OVERLAY_FILE), overlay);
  return root;
}

const ids = (root: string) => resolveCatalog(root, root, CATALOG).rules.map((r) => r.id);

describe("merging", () => {
  test("`include: all` gives every bundled rule plus the team's, sorted by id", () => {
    expect(ids(teamCatalog("include: all\n"))).toEqual([...bundledIds, "demo-rule"].sort());
  });
  test("an empty bundled.yaml means all bundled rules", () => {
    expect(ids(teamCatalog(""))).toEqual([...bundledIds, "demo-rule"].sort());
  });
  test("`include` lists the bundled rules to keep; `disable` leaves rules out", () => {
    expect(ids(teamCatalog(`include: [${bundledIds[0]}, ${bundledIds[1]}]\n`))).toEqual([bundledIds[0], bundledIds[1], "demo-rule"].sort());
    expect(ids(teamCatalog(`disable: [${bundledIds[0]}]\n`))).toEqual([...bundledIds.slice(1), "demo-rule"].sort());
  });
  test("a catalog without bundled.yaml stands alone", () => {
    const root = teamCatalog("");
    fs.rmSync(path.join(root, OVERLAY_FILE));
    fs.copyFileSync(path.join(CATALOG, "rule.schema.json"), path.join(root, "rule.schema.json"));
    expect(ids(root)).toEqual(["demo-rule"]);
  });
  test("with no catalog folder at all, the bundled catalog is used", () => {
    const empty = fs.mkdtempSync(path.join(teamCatalog(""), "empty-"));
    expect(resolveCatalog(undefined, empty, CATALOG).rules.map((r) => r.id)).toEqual(bundledIds);
  });
  test.each([
    ["disabled", `disable: [${bundledIds[0]}]\n`],
    ["not included", `include: [${bundledIds[1]}]\n`],
  ])("a bundled rule that is %s can be replaced by a team rule with the same id", (_how, overlay) => {
    const id = bundledIds[0];
    const root = teamCatalog(overlay, { [id]: FIXTURE_RULE.replace("id: demo-rule", `id: ${id}`) });
    const rules = resolveCatalog(root, root, CATALOG).rules.filter((r) => r.id === id);
    expect(rules.map((r) => r.title)).toEqual(["Private AKS clusters must not publish a public FQDN"]);
  });
});

describe("adjusting bundled rules", () => {
  const value = intParam.maximum!;
  const root = teamCatalog(`parameters:\n  ${withParameters.id}:\n    ${intParam.name}: ${value}\nenforcement:\n  ${withParameters.id}: disabled\n`);
  const merged = resolveCatalog(root, root, CATALOG);
  const rule = merged.rules.find((r) => r.id === withParameters.id)!;
  test("a parameter gets its new default everywhere the rule is generated", () => {
    expect(rule.parameters.find((p) => p.name === intParam.name)!.default).toBe(value);
    const files = generateAll(merged, readGeneratorInputs(root));
    if (rule.backends.includes("azure-policy")) {
      const definition = JSON.parse(files.get(`azure-policy/definitions/${rule.id}.json`)!);
      expect(definition.properties.parameters[intParam.name].defaultValue).toBe(value);
    }
    expect(files.get(`docs/rules/${rule.id}.md`)).toContain(`\`${intParam.name}\` | integer | \`${value}\``);
  });
  test("enforcement gets its new default", () => {
    expect(rule.enforcement).toBe("disabled");
  });
  test("examples kept in the docs still judge as their folder says under the new defaults", () => {
    expect(rule.examples.length).toBeGreaterThan(0);
    for (const e of rule.examples) expect(overallVerdict(judgeStack(rule, e.resources, parameterValues(rule)).map((v) => v.verdict))).toBe(e.expect);
  });
  test("other bundled rules are untouched", () => {
    for (const r of merged.rules.filter((x) => x.id !== rule.id && x.id !== "demo-rule")) expect(r).toEqual(bundled.rules.find((b) => b.id === r.id));
  });
});

/** Mistakes in bundled.yaml: [what, file contents, message, line, column]. */
const overlayErrors: [string, string, RegExp, number, number][] = [
  ["unknown key", "colour: red\n", /unknown key 'colour' \(expected one of: include, disable, parameters, enforcement\)/, 1, 1],
  ["unknown id in include", "include:\n  - nope\n", /unknown bundled rule id 'nope'/, 2, 5],
  ["unknown id in disable", `disable: [${bundledIds[0]}, nope]\n`, /unknown bundled rule id 'nope'/, 1, 13 + bundledIds[0].length],
  ["included and disabled", `include: [${bundledIds[0]}]\ndisable: [${bundledIds[0]}]\n`, /is both included and disabled/, 2, 11],
  ["unknown parameter", `parameters:\n  ${withParameters.id}:\n    nope: 1\n`, new RegExp(`'${withParameters.id}' has no parameter 'nope'`), 3, 5],
  ["parameter of the wrong type", `parameters:\n  ${withParameters.id}:\n    ${intParam.name}: "28"\n`, /is integer \(got "28"\)/, 3, 7 + intParam.name.length],
  ["parameter out of range", `parameters:\n  ${withParameters.id}:\n    ${intParam.name}: ${intParam.maximum! + 1}\n`, /must be within/, 3, 7 + intParam.name.length],
  ["unknown enforcement", `enforcement:\n  ${bundledIds[0]}: blocking\n`, /enforcement must be one of: mandatory, advisory, disabled/, 2, 5 + bundledIds[0].length],
  ["adjusting a disabled rule", `disable: [${bundledIds[0]}]\nenforcement:\n  ${bundledIds[0]}: advisory\n`, /is not included, so it cannot be adjusted/, 3, 3],
  ["include is not a list", "include: some\n", /`include` is `all` or a list of bundled rule ids/, 1, 10],
];

test.each(overlayErrors)("bundled.yaml: %s is an error at file:line:col", (_what, overlay, message, line, column) => {
  const root = teamCatalog(overlay);
  let error: Error | undefined;
  try {
    resolveCatalog(root, root, CATALOG);
  } catch (e) {
    error = e as Error;
  }
  const lines = error!.message.split("\n");
  const hit = lines.find((l) => message.test(l));
  expect(hit).toBeDefined();
  expect(hit!.startsWith(`${path.join(root, OVERLAY_FILE).split(path.sep).join("/")}:${line}:${column}: `)).toBe(true);
});

test("a team rule with the id of an included bundled rule is an error at its id, with the way out", () => {
  const id = azureBundled[0].id;
  const rule = FIXTURE_RULE.replace("id: demo-rule", `id: ${id}`);
  const root = teamCatalog("include: all\n", { [id]: rule });
  const line = rule.split("\n").findIndex((l) => l.startsWith("id:")) + 1;
  expect(() => resolveCatalog(root, root, CATALOG)).toThrow(`${path.join(root, id, "rule.yaml")}:${line}:5: rule id '${id}' is also a bundled rule; rename it, or list '${id}' under \`disable\` in bundled.yaml to replace the bundled one`);
});
