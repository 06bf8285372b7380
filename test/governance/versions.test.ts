/** Definition versions follow the logic: a logic change raises the version, nothing else does. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCatalog } from "../../core/catalog/load";
import { main } from "../../cli";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { writeOutputs } from "../../cli/write-files";
import { CATALOG, REPO } from "../helpers/paths";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-versions-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A project generated from a copy of the catalog, with the rule file edited by `edit`. */
function setUp(edit?: (ruleYaml: string) => string) {
  const root = fs.mkdtempSync(path.join(tmp, "p-"));
  const catalog = path.join(root, "catalog");
  fs.cpSync(CATALOG, catalog, { recursive: true });
  fs.copyFileSync(path.join(REPO, "README.md"), path.join(root, "README.md"));
  writeOutputs(root, generateAll(loadCatalog(catalog), readGeneratorInputs(root)));
  const rule = path.join(catalog, "aks-authorized-ip-ranges-restrictive/rule.yaml");
  if (edit) fs.writeFileSync(rule, edit(fs.readFileSync(rule, "utf8")));
  return { root, catalog };
}

const versionOf = (files: Map<string, string>, id: string) => JSON.parse(files.get(`azure-policy/definitions/${id}.json`)!).properties.metadata.version;
const logicChange = (yaml: string) => yaml.replace("default: 24", "default: 23");
/** A rule's version as the catalog states it, and that version with its patch raised. */
const catalogVersion = (id: string) => /^version: (\S+)$/m.exec(fs.readFileSync(path.join(CATALOG, id, "rule.yaml"), "utf8"))![1];
const patched = (v: string) => v.replace(/\d+$/, (p) => String(Number(p) + 1));
const RANGES = catalogVersion("aks-authorized-ip-ranges-restrictive");

test("without a logic change, versions stay the catalog's", () => {
  const { root, catalog } = setUp();
  const files = generateAll(loadCatalog(catalog), readGeneratorInputs(root));
  expect(versionOf(files, "aks-authorized-ip-ranges-restrictive")).toBe(RANGES);
});

test("a logic change raises the patch version, once, and records the new hash", () => {
  const { root, catalog } = setUp(logicChange);
  const files = generateAll(loadCatalog(catalog), readGeneratorInputs(root));
  expect(versionOf(files, "aks-authorized-ip-ranges-restrictive")).toBe(patched(RANGES));
  expect(versionOf(files, "aks-private-cluster")).toBe(catalogVersion("aks-private-cluster"));
  writeOutputs(root, files);
  expect(versionOf(generateAll(loadCatalog(catalog), readGeneratorInputs(root)), "aks-authorized-ip-ranges-restrictive")).toBe(patched(RANGES));
});

test("a version raised in the catalog wins over the automatic bump", () => {
  const { root, catalog } = setUp((yaml) => logicChange(yaml).replace(`version: ${RANGES}`, "version: 9.0.0"));
  expect(versionOf(generateAll(loadCatalog(catalog), readGeneratorInputs(root)), "aks-authorized-ip-ranges-restrictive")).toBe("9.0.0");
});

test("check fails when the logic changed but the committed version and outputs did not", async () => {
  const { root, catalog } = setUp(logicChange);
  const err: string[] = [];
  const code = await main(["node", "apiguard", "check", "--catalog", catalog, "--out", root], { out: () => undefined, err: (t) => err.push(t) });
  expect(code).toBe(1);
  expect(err.join("\n")).toContain("azure-policy/versions.json");
  expect(err.join("\n")).toContain("azure-policy/definitions/aks-authorized-ip-ranges-restrictive.json");
});
