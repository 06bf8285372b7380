/**
 * An expired exemption is a warning, not an error: `generate` and `check` name it on stderr at its
 * file:line:column, still succeed, and write exactly what they would write before it expired.
 */
import * as fs from "fs";
import * as path from "path";
import { main } from "../../cli";
import { daysFromNow, exemptionsYaml, removeTeamProjects, teamProject } from "../helpers/estate";

afterAll(removeTeamProjects);

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

test("generate and check warn about each expired exemption on stderr and succeed", async () => {
  const root = teamProject({ exemptions: exemptionsYaml("2025-03-31") });
  const generated = await cli("generate", "--out", root);
  expect(generated.code).toBe(0);
  const warning =
    /^apiguard: warning: .*catalog\/exemptions\.yaml:3:5: exemption 'legacy-public-api' expired on 2025-03-31: its resources are judged again \(aks-private-cluster, aks-authorized-ip-ranges-restrictive\); renew it or remove it$/;
  expect(generated.err).toMatch(warning);
  const checked = await cli("check", "--out", root);
  expect(checked.code).toBe(0);
  expect(checked.err).toMatch(warning);
});

test("an exemption still honoured draws no warning", async () => {
  const root = teamProject({ exemptions: exemptionsYaml(daysFromNow(30)) });
  const { code, err } = await cli("generate", "--out", root);
  expect([code, err]).toEqual([0, ""]);
  expect(fs.existsSync(path.join(root, "azure-policy", "exemptions.json"))).toBe(true);
});
