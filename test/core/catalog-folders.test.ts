/**
 * Which entries of a catalog folder are rules: folders, and symbolic links to folders (followed, as a
 * symlinked examples/ is), so a rule shared by a link is never dropped in silence. A link that leads
 * nowhere is an error naming it; a link back into the catalog cannot make the loader loop.
 */
import * as fs from "fs";
import * as path from "path";
import { CatalogErrors, loadCatalog } from "../../core/catalog/load";
import { FIXTURE_RULE, removeFixtureCatalogs, writeFixtureCatalog } from "../helpers/fixture-catalog";

afterAll(removeFixtureCatalogs);

function errorsOf(root: string): string[] {
  try {
    loadCatalog(root);
  } catch (e) {
    if (e instanceof CatalogErrors) return e.errors.map((x) => `${path.relative(root, path.resolve(x.at.file))}:${x.at.line}:${x.at.column}: ${x.detail}`);
    throw e;
  }
  throw new Error("the catalog loaded without errors");
}

/** A rule folder kept outside the catalog (another repository, a shared checkout). */
function sharedRule(id: string): string {
  const elsewhere = writeFixtureCatalog({ rule: FIXTURE_RULE.replace("id: demo-rule", `id: ${id}`) });
  fs.renameSync(path.join(elsewhere, "demo-rule"), path.join(elsewhere, id));
  return path.join(elsewhere, id);
}

test("a symbolic link to a rule folder outside the catalog is a rule like any other", () => {
  const root = writeFixtureCatalog();
  fs.symlinkSync(sharedRule("shared-rule"), path.join(root, "shared-rule"));
  const copy = writeFixtureCatalog();
  fs.cpSync(sharedRule("shared-rule"), path.join(copy, "shared-rule"), { recursive: true });
  const linked = loadCatalog(root).rules;
  expect(linked.map((r) => r.id)).toEqual(["demo-rule", "shared-rule"]);
  // Positions name the file under the catalog folder (the link), as they would for a copy.
  const anonymous = (rules: unknown, folder: string) => JSON.stringify(rules).split(folder).join("<catalog>");
  expect(anonymous(linked, root)).toBe(anonymous(loadCatalog(copy).rules, copy));
});

test("a relative link is followed from the catalog folder, as the filesystem does", () => {
  const root = writeFixtureCatalog();
  const shared = sharedRule("relative-rule");
  fs.symlinkSync(path.relative(root, shared), path.join(root, "relative-rule"));
  expect(loadCatalog(root).rules.map((r) => r.id)).toEqual(["demo-rule", "relative-rule"]);
});

test("a symlinked examples/ folder is followed the same way", () => {
  const root = writeFixtureCatalog();
  const examples = path.join(root, "demo-rule", "examples");
  fs.renameSync(examples, path.join(root, "..", `${path.basename(root)}-examples`));
  fs.symlinkSync(path.join(root, "..", `${path.basename(root)}-examples`), examples);
  expect(loadCatalog(root).rules[0].examples).toHaveLength(5);
  fs.rmSync(path.join(root, "..", `${path.basename(root)}-examples`), { recursive: true });
});

test.each([
  ["a link to nothing", (root: string) => fs.symlinkSync(path.join(root, "gone"), path.join(root, "broken-rule")), "broken-rule", (root: string) => `symbolic link to ${path.join(root, "gone")}, which does not exist`],
  ["a link to itself", (root: string) => fs.symlinkSync("looping-rule", path.join(root, "looping-rule")), "looping-rule", () => "symbolic link to looping-rule, which leads back to itself"],
  ["a link through a file", (root: string) => fs.symlinkSync("rule.schema.json/x", path.join(root, "odd-rule")), "odd-rule", () => "symbolic link to rule.schema.json/x, which does not exist"],
  ["a link no filesystem can follow", (root: string) => fs.symlinkSync("x".repeat(300), path.join(root, "long-rule")), "long-rule", () => `symbolic link to ${"x".repeat(300)}, which cannot be followed (ENAMETOOLONG)`],
])("%s is an error naming it, reported with the catalog's other errors", (_name, link, name, detail) => {
  const root = writeFixtureCatalog();
  link(root);
  fs.mkdirSync(path.join(root, "half-done-rule"));
  expect(errorsOf(root)).toEqual([`${name}:1:1: ${detail(root)}`, "half-done-rule:1:1: missing rule.yaml: every catalog folder holds one rule"]);
});

test("a link back to the catalog is one folder without a rule, not a loop", () => {
  const root = writeFixtureCatalog();
  fs.symlinkSync(".", path.join(root, "up"));
  expect(errorsOf(root)).toEqual(["up:1:1: missing rule.yaml: every catalog folder holds one rule"]);
});

test("a link naming another rule of the catalog is refused as a second copy of it", () => {
  const root = writeFixtureCatalog();
  fs.symlinkSync("demo-rule", path.join(root, "alias-rule"));
  expect(errorsOf(root)).toEqual([
    "alias-rule/rule.yaml:2:5: rule id 'demo-rule' must equal its folder name 'alias-rule'",
    `demo-rule/rule.yaml:2:5: duplicate rule id 'demo-rule' (also declared in ${path.join(root, "alias-rule", "rule.yaml")})`,
  ]);
});

test("files, and links to files, beside the rule folders are not rules", () => {
  const root = writeFixtureCatalog();
  fs.writeFileSync(path.join(root, "README.md"), "# rules\n");
  fs.symlinkSync("README.md", path.join(root, "NOTES.md"));
  expect(loadCatalog(root).rules.map((r) => r.id)).toEqual(["demo-rule"]);
});
