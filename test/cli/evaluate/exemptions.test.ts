/**
 * `apiguard evaluate` with a policy repository's exemptions: an exempt violation is `exempt` in the
 * table, the JSON, the summaries and SARIF (as a suppression), and does not fail the run; after its
 * exemption expires it fails again, and says which exemption expired. Each engine honours an
 * exemption as it would in production: the pack by stack, name or URN, Azure by the resource's id.
 */
import * as fs from "fs";
import * as path from "path";
import AjvDraft04 from "ajv-draft-04";
import { main } from "../../../cli";
import { daysFromNow, exemptionsYaml, LEGACY_RG, removeTeamProjects, teamProject, writeTeamOutputs } from "../../helpers/estate";

afterAll(removeTeamProjects);

const SARIF_SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "schema", "sarif-schema-2.1.0.json"), "utf8"));
const validateSarif = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false }).compile(SARIF_SCHEMA);

/** A public cluster (fails aks-private-cluster, mandatory) that is otherwise compliant, as an ARM resource with an id. */
const legacy = (id: string | undefined, name = "aks-legacy-1") => ({
  ...(id ? { id } : {}),
  type: "Microsoft.ContainerService/managedClusters",
  name,
  location: "westeurope",
  properties: {
    apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["73.140.245.0/24"], disableRunCommand: true },
    disableLocalAccounts: true,
    aadProfile: { managed: true, enableAzureRBAC: true },
  },
});
const LEGACY_ID = `${LEGACY_RG}/providers/Microsoft.ContainerService/managedClusters/aks-legacy-1`;

function project(expires: string): { dir: string; write(name: string, content: unknown): string } {
  const dir = teamProject({ exemptions: exemptionsYaml(expires) });
  writeTeamOutputs(dir);
  return {
    dir,
    write: (name, content) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(content, null, 2));
      return file;
    },
  };
}

async function evaluate(dir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--project", dir, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

type JsonResult = { resource: string; rule: string | null; engine: string; verdict: string; message: string; exemption?: { name: string; status: string; category: string; reason: string; reference: string; expiresOn?: string } };

const active = project(daysFromNow(200));
const expired = project("2025-03-31");

describe("an honoured exemption", () => {
  const file = active.write("legacy.json", legacy(LEGACY_ID));

  test("the table shows `exempt` for both engines, the details say why, the summary counts it, and the run passes", async () => {
    const { code, out } = await evaluate(active.dir, file);
    expect(code).toBe(0);
    const row = out.split("\n").find((l) => /\baks-private-cluster\s/.test(l))!;
    expect(
      row
        .trim()
        .split(/\s{2,}/)
        .slice(-2),
    ).toEqual(["exempt", "exempt"]);
    expect(out).toContain(`exempt from 'aks-private-cluster' (fails; not blocking): exemption 'legacy-public-api' (Waiver, ref CHG-1234, expires ${daysFromNow(200)}): Rebuilt as a private cluster in the Q3 migration.`);
    expect(out).toMatch(/^0 fail, 0 unknown, \d+ pass, \d+ not applicable, 2 exempt \(counted per engine\)$/m);
  });

  test("JSON: verdict `exempt` with the exemption it rests on, and the summary's count", async () => {
    const { out } = await evaluate(active.dir, "--format", "json", file);
    const report = JSON.parse(out) as { results: JsonResult[]; summary: Record<string, number> };
    const exempt = report.results.filter((r) => r.verdict === "exempt");
    expect(exempt.map((r) => [r.engine, r.rule])).toEqual([
      ["crossguard", "aks-private-cluster"],
      ["azure-policy", "aks-private-cluster"],
    ]);
    for (const r of exempt) {
      expect(r.exemption).toEqual({ name: "legacy-public-api", category: "Waiver", reason: "Rebuilt as a private cluster in the Q3 migration.", reference: "CHG-1234", expiresOn: `${daysFromNow(200)}T23:59:59Z`, status: "active" });
    }
    expect(report.summary.exempt).toBe(2);
    expect(report.summary.fail).toBe(0);
  });

  test("SARIF: a note with an accepted external suppression, valid SARIF 2.1.0", async () => {
    const { out } = await evaluate(active.dir, "--format", "sarif", file);
    const sarif = JSON.parse(out);
    expect(validateSarif(sarif)).toBe(true);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "aks-private-cluster");
    expect(result.level).toBe("note");
    expect(result.suppressions).toEqual([{ kind: "external", status: "accepted", justification: `exemption 'legacy-public-api' (Waiver, ref CHG-1234, expires ${daysFromNow(200)}): Rebuilt as a private cluster in the Q3 migration.` }]);
    expect(result.properties.verdicts).toEqual({ crossguard: "exempt", "azure-policy": "exempt" });
    // The packs' own policies are no rules of the report.
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).not.toEqual(expect.arrayContaining(["exemptions"]));
  });

  test("Azure Policy exempts by resource id: a resource whose id is not known is judged as Azure would without the exemption", async () => {
    const { code, out } = await evaluate(active.dir, "--format", "json", active.write("no-id.json", legacy(undefined)));
    const results = (JSON.parse(out) as { results: JsonResult[] }).results.filter((r) => r.rule === "aks-private-cluster");
    expect(results.map((r) => [r.engine, r.verdict])).toEqual([
      ["crossguard", "exempt"],
      ["azure-policy", "fail"],
    ]);
    expect(code).toBe(1);
  });

  test("the pack exempts by name pattern, stack and URN: other resources are judged as ever", async () => {
    const other = active.write("other.json", [legacy(undefined, "aks-legacy-2"), legacy(undefined, "aks-new")]);
    const { out } = await evaluate(active.dir, "--engine", "crossguard", "--format", "json", other);
    const verdicts = (JSON.parse(out) as { results: JsonResult[] }).results.filter((r) => r.rule === "aks-private-cluster").map((r) => [r.resource, r.verdict]);
    expect(verdicts).toEqual([
      ["aks-legacy-2", "exempt"],
      ["aks-new", "fail"],
    ]);
  });

  test("a stack export: the exemption's stack pattern decides", async () => {
    const state = (stack: string) => ({
      version: 3,
      deployment: {
        resources: [
          { urn: `urn:pulumi:${stack}::payments::pulumi:pulumi:Stack::payments-${stack}`, type: "pulumi:pulumi:Stack" },
          {
            urn: `urn:pulumi:${stack}::payments::azure-native:containerservice:ManagedCluster::aks-legacy`,
            type: "azure-native:containerservice:ManagedCluster",
            inputs: { resourceGroupName: "rg-legacy", ...legacy(undefined).properties },
          },
        ],
      },
    });
    const prod = await evaluate(active.dir, "--engine", "crossguard", "--format", "json", active.write("prod.json", state("prod-eu")));
    const dev = await evaluate(active.dir, "--engine", "crossguard", "--format", "json", active.write("dev.json", state("dev")));
    const verdict = (out: string) => (JSON.parse(out) as { results: JsonResult[] }).results.find((r) => r.rule === "aks-private-cluster")?.verdict;
    expect([verdict(prod.out), prod.code]).toEqual(["exempt", 0]);
    expect([verdict(dev.out), dev.code]).toEqual(["fail", 1]);
  });
});

describe("an expired exemption", () => {
  const file = expired.write("legacy.json", legacy(LEGACY_ID));

  test("fails and blocks again in both engines, each saying which exemption expired", async () => {
    const { code, out } = await evaluate(expired.dir, "--format", "json", file);
    expect(code).toBe(1);
    const results = (JSON.parse(out) as { results: JsonResult[] }).results.filter((r) => r.rule === "aks-private-cluster");
    expect(results.map((r) => [r.engine, r.verdict, r.exemption?.status])).toEqual([
      ["crossguard", "fail", "expired"],
      ["azure-policy", "fail", "expired"],
    ]);
    for (const r of results) expect(r.message).toContain("The exemption 'legacy-public-api' (Waiver, ref CHG-1234) expired on 2025-03-31 and no longer applies: Rebuilt as a private cluster in the Q3 migration.");
  });

  test("the table shows the failure, blocking, with the expiry in its details", async () => {
    const { out } = await evaluate(expired.dir, file);
    const row = out.split("\n").find((l) => /\baks-private-cluster\s/.test(l))!;
    expect(
      row
        .trim()
        .split(/\s{2,}/)
        .slice(-2),
    ).toEqual(["fail (blocking)", "fail (blocking)"]);
    expect(out).toContain("expired on 2025-03-31 and no longer applies");
    expect(out).not.toMatch(/\d+ exempt/);
  });
});
