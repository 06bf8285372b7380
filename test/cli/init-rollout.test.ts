/**
 * What `apiguard init` scaffolds for the roll-out and exemptions: both catalog files, commented and
 * valid, their outputs, and CI that shows them at work — the evaluation of infra/ reports the example
 * exempt resource without failing, and the preview runs with the stack's ring config, which exists.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-init-rollout-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const dir = path.join(tmp, "policies");

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  expect((await cli("init", dir)).code).toBe(0);
});

const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");

test("both catalog files are scaffolded, commented, pointing at their schemas, and generate their outputs", async () => {
  for (const [file, schema] of [
    ["catalog/rollout.yaml", "rollout.schema.json"],
    ["catalog/exemptions.yaml", "exemptions.schema.json"],
  ]) {
    const text = read(file);
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=../node_modules/apiguard/catalog/${schema}`);
    expect(text.split("\n").filter((l) => l.trimStart().startsWith("#")).length).toBeGreaterThan(10);
  }
  expect(parse(read("catalog/rollout.yaml")).rings.map((r: { name: string }) => r.name)).toEqual(["canary"]);
  for (const f of ["policypack/rings/canary.json", "policypack/rings/rest.json", "policypack/estate.ts", "azure-policy/exemptions.json", "azure-policy/epac/Definitions/policyExemptions/epac-dev/apiguard.json"]) {
    expect(fs.existsSync(path.join(dir, f))).toBe(true);
  }
  const check = await cli("check", "--out", dir);
  expect(check.code).toBe(0);
  expect(check.err).toBe("");
});

test("evaluating infra/ as CI does reports the example exempt resource in both engines and passes", async () => {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    const files = fs
      .readdirSync("infra")
      .filter((f) => f.endsWith(".json"))
      .map((f) => `infra/${f}`);
    const table = await cli("evaluate", ...files);
    expect(table.code).toBe(0);
    const row = table.out.split("\n").find((l) => l.includes("aks-legacy") && /\baks-private-cluster\s/.test(l))!;
    expect(
      row
        .trim()
        .split(/\s{2,}/)
        .slice(-2),
    ).toEqual(["exempt", "exempt"]);
    expect(table.out).toContain("exemption 'aks-legacy-firewall' (Mitigated, ref CHG-0001, no expiry)");
    const sarif = JSON.parse((await cli("evaluate", "--format", "sarif", ...files)).out);
    expect(sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions).map((r: { ruleId: string }) => r.ruleId)).toEqual(["aks-private-cluster"]);
  } finally {
    process.chdir(previous);
  }
});

test.each([
  [".github/workflows/apiguard.yml", '--policy-pack-config "$GITHUB_WORKSPACE/policypack/rings/$APIGUARD_RING.json"', /APIGUARD_RING: \$\{\{ vars\.APIGUARD_RING \|\| 'rest' \}\}/],
  ["azure-pipelines.yml", '--policy-pack-config "$(Build.SourcesDirectory)/policypack/rings/$(APIGUARD_RING).json"', /APIGUARD_RING: 'rest'/],
])("%s previews with the stack's ring config (rest by default) and prints the evaluation table", (file, command, ring) => {
  const ci = read(file);
  expect(ci).toContain(command);
  expect(ci).toMatch(ring);
  expect(ci).toContain("npx apiguard evaluate infra/*.json\n");
  expect(ci).toContain("npx apiguard check");
});
