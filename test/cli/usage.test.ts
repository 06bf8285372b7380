/** The CLI's own manners: --version, one-line usage errors with a hint, and an init that never overwrites. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli";
import { REPO } from "../helpers/paths";

const version = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-usage-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test.each([["--version"], ["-V"]])("%s prints the package version", async (flag) => {
  expect(await cli(flag)).toEqual({ code: 0, out: version, err: "" });
});

test.each([
  ["an unknown command", ["evaluat"], /^error: unknown command 'evaluat'$/],
  ["an unknown option", ["generate", "--bogus"], /^error: unknown option '--bogus'$/],
  ["a missing argument", ["evaluate"], /^error: missing required argument 'files'$/],
  ["a bad option value", ["evaluate", "--engine", "terraform", "x.json"], /^apiguard: --engine must be crossguard, azure-policy or both \(got 'terraform'\)$/],
  ["a wait that is no number of seconds", ["generate", "--wait", "soon"], /^error: option '--wait <seconds>' argument 'soon' is invalid\. a number of seconds, 0 or more$/],
  ["a negative wait", ["check", "--wait", "-1"], /^error: option '--wait <seconds>' argument '-1' is invalid\. a number of seconds, 0 or more$/],
])("%s: exit 2, the error on one line and a hint, never the help text", async (_what, args, first) => {
  const { code, out, err } = await cli(...args);
  expect(code).toBe(2);
  expect(out).toBe("");
  const lines = err.split("\n").filter((l) => !l.startsWith("(Did you mean"));
  expect(lines).toEqual([expect.stringMatching(first), "hint: run `apiguard --help` (or `apiguard <command> --help`) for usage"]);
});

test("init refuses a folder holding any of its files and writes nothing there", async () => {
  const dir = fs.mkdtempSync(path.join(tmp, "existing-"));
  fs.writeFileSync(path.join(dir, "README.md"), "# ours\n");
  const { code, err } = await cli("init", dir);
  expect(code).toBe(2);
  expect(err).toContain("already has README.md");
  expect(fs.readdirSync(dir)).toEqual(["README.md"]);
});

test("init into a new folder creates it with the scaffold and generated outputs", async () => {
  const dir = path.join(tmp, "fresh", "policies");
  const { code, out } = await cli("init", dir);
  expect(code).toBe(0);
  expect(out).toMatch(/^apiguard init: \d+ files and \d+ generated files/);
  for (const f of ["package.json", "catalog/bundled.yaml", ".github/workflows/apiguard.yml", "azure-pipelines.yml", "policypack/package.json"]) expect(fs.existsSync(path.join(dir, f))).toBe(true);
  expect((await cli("check", "--out", dir)).code).toBe(0);
});
