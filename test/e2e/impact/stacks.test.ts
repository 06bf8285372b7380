/**
 * "Which stacks would fail their next preview if this rule became mandatory?" — asked of real stack
 * exports and answered by a real preview. The Pulumi CLI creates three stacks (`pulumi up` against the
 * cloud stand-ins, with no policy pack: they predate the rule), `pulumi stack export` writes them, and
 * `apiguard impact` reads the exports; then each stack is previewed with the pack and the rule made
 * mandatory, every other rule advisory. The stacks the report says the rule blocks are exactly those
 * whose preview fails.
 */
import * as fs from "fs";
import * as path from "path";
import * as azure from "@pulumi/azure-native";
import type { ImpactReport } from "../../../cli/impact/model";
import { impactFiles } from "../../../cli/impact/run";
import { readInput } from "../../../cli/evaluate/formats";
import { REPO } from "../../helpers/paths";
import { harness, type Harness } from "../preview/harness";
import { COMPLIANT_SETTINGS, PRIVATE_PROFILE, RG } from "../preview/programs";

jest.setTimeout(300_000);

const cluster = (name: string, apiServerAccessProfile: Record<string, unknown>) => async () => {
  new azure.containerservice.ManagedCluster(name, { resourceGroupName: RG, dnsPrefix: name, location: "westeurope", ...COMPLIANT_SETTINGS, apiServerAccessProfile });
};

/** Three stacks: compliant, a public cluster, a private one that keeps its public FQDN. */
const STACKS = {
  payments: cluster("aks-payments", PRIVATE_PROFILE),
  web: cluster("aks-web", { enablePrivateCluster: false, disableRunCommand: true, authorizedIPRanges: ["203.0.113.0/24"] }),
  search: cluster("aks-search", { ...PRIVATE_PROFILE, enablePrivateClusterPublicFQDN: true }),
};
const RULES = ["aks-private-cluster", "aks-private-cluster-public-fqdn-disabled"];

let h: Harness;
let report: ImpactReport;
const exported: string[] = [];

beforeAll(async () => {
  h = harness();
  for (const [stack, program] of Object.entries(STACKS)) {
    const up = await h.up(stack, program, { packs: [] });
    if (up.code !== 0) throw new Error(`pulumi up ${stack}: ${up.output}`);
    const file = path.join(h.work, `${stack}.json`);
    fs.writeFileSync(file, JSON.stringify(await h.exportStack(stack), null, 2));
    exported.push(file);
  }
  report = await impactFiles(exported, { engines: ["crossguard", "azure-policy"], projectDir: REPO, maxFixes: 100 });
});

afterAll(() => h?.dispose());

test("the exports are read as stacks, each grouped under its project and stack", () => {
  for (const file of exported) expect(readInput(file)).toMatchObject({ format: "stack-export", inventory: false });
  expect(report.dimensions).toEqual(expect.arrayContaining(["project", "stack"]));
  expect(report.groups.stack!.map((g) => g.key).sort()).toEqual(
    Object.keys(STACKS)
      .map((s) => `apiguard-preview/${s}`)
      .sort(),
  );
});

test.each(RULES)("the stacks the report says %s would block are those whose preview fails with it mandatory", async (rule) => {
  const blocked = report.rules
    .find((r) => r.id === rule)!
    .groups.stack!.filter((g) => g.counts.crossguard!.blocked > 0)
    .map((g) => g.key.split("/")[1]);
  const failing: string[] = [];
  for (const [stack, program] of Object.entries(STACKS)) {
    const preview = await h.preview(stack, program, { config: { all: "advisory", [rule]: "mandatory" } });
    if (preview.code !== 0) failing.push(stack);
  }
  expect(blocked.sort()).toEqual(failing.sort());
  expect(failing.length).toBeGreaterThan(0);
  expect(failing.length).toBeLessThan(Object.keys(STACKS).length);
});
