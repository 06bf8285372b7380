/**
 * Folders generate, check and init refuse, each with one line and nothing written: the root of the
 * filesystem, a file, the catalog itself or a folder inside it, and a catalog inside a folder generate
 * owns. And a rule folder shared by a symbolic link is generated, never dropped.
 */
import * as fs from "fs";
import * as path from "path";
import { JOURNAL } from "../../cli/fs-transaction";
import { FIXTURE_RULE, removeFixtureCatalogs, writeFixtureCatalog } from "../helpers/fixture-catalog";
import { cli, README, tmpFolder } from "../helpers/generation-change";
import { hashTree } from "../helpers/hash-tree";
import { listing } from "../helpers/output-tree";
import { CATALOG } from "../helpers/paths";

const tmp = tmpFolder("apiguard-targets-");
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  removeFixtureCatalogs();
});

/**
 * Should a refusal ever break, the command writes where it must not: into the bundled catalog or at
 * the root of the filesystem. What it would create there is removed again, so one broken run does
 * not break every later one.
 */
const STRAYS = [path.join(CATALOG, "x"), path.join(CATALOG, "team"), ...["policypack", "azure-policy", "docs", JOURNAL].map((d) => path.join("/", d))];
let existing: string[] = [];
beforeEach(() => {
  existing = STRAYS.filter((p) => fs.existsSync(p));
});
afterEach(() => {
  for (const stray of STRAYS.filter((p) => !existing.includes(p))) fs.rmSync(stray, { recursive: true, force: true });
});

function project(): string {
  const dir = fs.mkdtempSync(path.join(tmp, "project-"));
  fs.writeFileSync(path.join(dir, "README.md"), README);
  return dir;
}

/** [what, arguments given the fixture catalog, the line expected, the folder that must stay as it was] */
const REFUSED: [string, (catalog: string) => { args: string[]; untouched: string }, RegExp][] = [
  ["--out at the root of the filesystem", (catalog) => ({ args: ["--catalog", catalog, "--out", "/"], untouched: catalog }), /^apiguard: --out \/ is the root of the filesystem; it names a project folder to write into$/],
  [
    "--out equal to the catalog",
    (catalog) => ({ args: ["--catalog", catalog, "--out", catalog], untouched: catalog }),
    /^apiguard: --out \S+ is the catalog folder: the outputs would be read as rule folders; write into the project folder that holds the catalog$/,
  ],
  [
    "--out inside the catalog",
    (catalog) => ({ args: ["--catalog", catalog, "--out", path.join(catalog, "demo-rule", "out")], untouched: catalog }),
    /^apiguard: --out \S+ is inside the catalog folder \S+: the outputs would be read as rule folders/,
  ],
  [
    "--out a link to the catalog",
    (catalog) => {
      const link = path.join(tmp, `link-${path.basename(catalog)}`);
      fs.symlinkSync(catalog, link);
      return { args: ["--catalog", catalog, "--out", link], untouched: catalog };
    },
    /^apiguard: --out \S+ is the catalog folder/,
  ],
  ["--out inside the bundled catalog", (catalog) => ({ args: ["--catalog", catalog, "--out", path.join(CATALOG, "x")], untouched: CATALOG }), /^apiguard: --out \S+ is inside the catalog folder \S+/],
  [
    "--out naming a file",
    () => {
      const dir = project();
      return { args: ["--out", path.join(dir, "README.md")], untouched: dir };
    },
    /^apiguard: --out \S+README\.md is a file; it names the folder to write into$/,
  ],
  [
    "--out below a file",
    () => {
      const dir = project();
      return { args: ["--out", path.join(dir, "README.md", "out")], untouched: dir };
    },
    /^apiguard: --out \S+: \S+README\.md is a file, not a folder$/,
  ],
  [
    "a catalog inside a folder generate owns",
    (catalog) => {
      const dir = project();
      fs.mkdirSync(path.join(dir, "policypack"));
      fs.cpSync(catalog, path.join(dir, "policypack", "catalog"), { recursive: true });
      return { args: ["--catalog", path.join(dir, "policypack", "catalog"), "--out", dir], untouched: dir };
    },
    /^apiguard: the catalog \S+ lies inside \S+policypack, which apiguard owns: its files would be removed as stale; move the catalog out of it$/,
  ],
];

describe.each(["generate", "check"])("%s refuses", (command) => {
  test.each(REFUSED)("%s: one line, exit 2, nothing written", async (_name, setUp, message) => {
    const { args, untouched } = setUp(writeFixtureCatalog());
    const before = hashTree(untouched);
    const rootBefore = fs.readdirSync("/");
    const result = await cli(command, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split("\n")).toHaveLength(1);
    expect(hashTree(untouched)).toBe(before);
    expect(fs.readdirSync("/")).toEqual(rootBefore);
  });
});

test.each([
  ["the root of the filesystem", () => "/", /^apiguard: the folder \/ is the root of the filesystem/],
  ["a file", () => path.join(project(), "README.md"), /^apiguard: the folder \S+README\.md is a file/],
  ["a folder inside the bundled catalog", () => path.join(CATALOG, "team"), /^apiguard: the folder \S+ is inside the catalog folder/],
])("init refuses %s with one line", async (_name, dir, message) => {
  const before = hashTree(CATALOG);
  const result = await cli("init", dir());
  expect(result.code).toBe(2);
  expect(result.err).toMatch(message);
  expect(result.err.split("\n")).toHaveLength(1);
  expect(hashTree(CATALOG)).toBe(before);
  expect(fs.existsSync(path.join(CATALOG, "team"))).toBe(false);
});

test("--out inside a new folder is created, and removed again when generate fails", async () => {
  const out = path.join(tmp, "new-parent", "new-project");
  const broken = writeFixtureCatalog({ rule: FIXTURE_RULE.replace("target: aks", "target: gke") });
  const result = await cli("generate", "--catalog", broken, "--out", out);
  expect(result.code).toBe(2);
  expect(fs.existsSync(path.join(tmp, "new-parent"))).toBe(false);
  expect((await cli("generate", "--catalog", writeFixtureCatalog(), "--out", out)).code).toBe(0);
  expect(fs.existsSync(path.join(out, "policypack", "index.ts"))).toBe(true);
});

test("check of a folder that does not exist reports every file missing and creates nothing", async () => {
  const out = path.join(tmp, "never-generated");
  const result = await cli("check", "--catalog", writeFixtureCatalog(), "--out", out);
  expect(result.code).toBe(1);
  expect(result.err).toContain("missing  policypack/index.ts");
  expect(fs.existsSync(out)).toBe(false);
});

test("a journal path taken by something else is refused, not written through", async () => {
  const dir = project();
  const elsewhere = fs.mkdtempSync(path.join(tmp, "elsewhere-"));
  fs.symlinkSync(elsewhere, path.join(dir, JOURNAL));
  const result = await cli("generate", "--catalog", writeFixtureCatalog(), "--out", dir);
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/^apiguard: \S+\.apiguard-journal is in the way: apiguard keeps its journal there, and it is not a folder \(remove it\)$/);
  expect(fs.readdirSync(elsewhere)).toEqual([]);
});

describe("a rule folder that is a symbolic link", () => {
  test("is generated like the others (it was dropped in silence: one rule fewer, exit 0)", async () => {
    const catalog = writeFixtureCatalog();
    const shared = writeFixtureCatalog({ rule: FIXTURE_RULE.replace("id: demo-rule", "id: shared-rule") });
    fs.renameSync(path.join(shared, "demo-rule"), path.join(shared, "shared-rule"));
    fs.symlinkSync(path.join(shared, "shared-rule"), path.join(catalog, "shared-rule"));
    const dir = project();
    const result = await cli("generate", "--catalog", catalog, "--out", dir);
    expect(result.out).toMatch(/^apiguard: 2 rules → /);
    expect(fs.existsSync(path.join(dir, "azure-policy", "definitions", "shared-rule.json"))).toBe(true);
  });

  test("that leads nowhere stops generate naming it, and nothing is written", async () => {
    const catalog = writeFixtureCatalog();
    fs.symlinkSync(path.join(tmp, "gone"), path.join(catalog, "gone-rule"));
    const dir = project();
    const before = listing(dir);
    const result = await cli("generate", "--catalog", catalog, "--out", dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/gone-rule:1:1: symbolic link to \S+gone, which does not exist/);
    expect(listing(dir)).toEqual(before);
  });
});
