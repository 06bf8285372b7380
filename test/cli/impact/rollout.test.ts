/**
 * `apiguard impact` with a project's roll-out and exemptions: a team project (catalog/rollout.yaml with
 * a ring by Azure location and one by stack names; catalog/exemptions.yaml with an active and an
 * expired exemption, each with an Azure scope and a Pulumi matcher) generated with the real generator,
 * then judged over a Resource Graph inventory (test/cli/evaluate/corpus/inventories) and a stack export.
 * Expected counts are written from the inventory corpus's hand-written verdicts (inventories.yaml) and
 * the exemptions' scopes and matchers, not from running apiguard.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import type { ImpactReport } from "../../../cli/impact/model";
import { impactFiles } from "../../../cli/impact/run";
import { removeTeamProjects, teamProject, writeTeamOutputs } from "../../helpers/estate";
import { REPO } from "../../helpers/paths";

jest.setTimeout(60_000);

const PAGES = ["page-1.json", "page-2.json"].map((f) => path.join(REPO, "test/cli/evaluate/corpus/inventories/resource-graph", f));

const ROLLOUT = `rest:
  enforcementMode: DoNotEnforce
rings:
  - name: canary
    azure:
      resourceLocation: [westcentralus]
    enforcement:
      all: mandatory
  - name: dev
    stacks:
      names: ["dev-*"]
`;

// legacy-public: active; Azure covers cliakstest000002 (its resource group), CrossGuard the stack's aks-legacy.
// old-waiver: expired; Azure would cover subscription 1…1 (cliakstest000003), CrossGuard the dev-* stacks.
const EXEMPTIONS = `exemptions:
  - name: legacy-public
    rules: [aks-private-cluster]
    category: Waiver
    reason: Rebuilt as a private cluster in the Q3 migration.
    reference: CHG-1234
    expires: 2099-12-31
    azure:
      scopes:
        - /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest000002
    pulumi:
      - name: aks-legacy
  - name: old-waiver
    rules: [aks-local-accounts-disabled]
    category: Waiver
    reason: Local accounts until the break-glass process moved to Entra ID.
    reference: CHG-77
    expires: 2020-01-01
    azure:
      scopes:
        - /subscriptions/11111111-1111-1111-1111-111111111111
    pulumi:
      - stack: "dev-*"
`;

/** Two public clusters with local accounts on (no apiServerAccessProfile.enablePrivateCluster, no disableLocalAccounts): both fail both rules. */
const cluster = (name: string) => ({
  type: "azure-native:containerservice:ManagedCluster",
  urn: `urn:pulumi:dev-web::shop::azure-native:containerservice:ManagedCluster::${name}`,
  custom: true,
  inputs: { resourceGroupName: "rg-web", location: "westeurope", dnsPrefix: name, apiServerAccessProfile: { enablePrivateCluster: false } },
});
const STACK = { version: 3, deployment: { manifest: {}, resources: [cluster("aks-legacy"), cluster("aks-old")] } };

let project: string;
let tmp: string;
let stackFile: string;
beforeAll(() => {
  project = teamProject({ rollout: ROLLOUT, exemptions: EXEMPTIONS });
  writeTeamOutputs(project);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-impact-rollout-"));
  stackFile = path.join(tmp, "dev-web.json");
  fs.writeFileSync(stackFile, JSON.stringify(STACK));
});
afterAll(() => {
  removeTeamProjects();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const report = (now = new Date("2025-06-01T00:00:00Z"), engines = ["crossguard", "azure-policy"] as const) => impactFiles([...PAGES, stackFile], { engines: [...engines], projectDir: project, maxFixes: 100, now });

async function cli(args: string[]): Promise<{ code: number; out: string; err: string; report?: ImpactReport }> {
  const out: string[] = [];
  const err: string[] = [];
  const json = path.join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  const code = await main(["node", "apiguard", "impact", "--project", project, "--json", json, ...PAGES, stackFile, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n"), report: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : undefined };
}

test("each resource is in its ring: Azure resources by location, stack resources by stack name, the rest in rest", async () => {
  const r = await report();
  expect(r.dimensions[0]).toBe("ring");
  expect(r.rollout!.rings).toEqual(["canary", "dev", "rest"]);
  // canary: cliakstest000002 (westcentralus); dev: the dev-web stack's two clusters; rest: two westus2 clusters and the eastus security group.
  expect(Object.fromEntries(r.groups.ring!.map((g) => [g.key, g.resources]))).toEqual({ canary: 1, dev: 2, rest: 3 });
  const rule = r.rules.find((x) => x.id === "aks-private-cluster")!;
  const byRing = Object.fromEntries(rule.groups.ring!.map((g) => [g.key, [g.counts.crossguard!.blocked, g.counts.crossguard!.exempt, g.counts["azure-policy"]!.blocked, g.counts["azure-policy"]!.exempt]]));
  expect(byRing).toEqual({ canary: [1, 0, 0, 1], dev: [1, 1, 2, 0], rest: [1, 0, 1, 0] });
});

test("each engine honours only its own exemptions; an expired one still blocks, and the report says which expired", async () => {
  const r = await report();
  const counts = (id: string) => r.rules.find((x) => x.id === id)!.counts;
  // aks-private-cluster fails on every cluster but cliakstest000001 (private). Azure's exemption covers
  // cliakstest000002 by its id; the pack's covers aks-legacy by name. Neither covers the other's.
  expect(counts("aks-private-cluster").crossguard).toMatchObject({ blocked: 3, exempt: 1, compliant: 1 });
  expect(counts("aks-private-cluster")["azure-policy"]).toMatchObject({ blocked: 3, exempt: 1, compliant: 1 });
  // aks-local-accounts-disabled fails on all five clusters: old-waiver expired, so nothing is exempt.
  expect(counts("aks-local-accounts-disabled").crossguard).toMatchObject({ blocked: 5, exempt: 0 });
  expect(counts("aks-local-accounts-disabled")["azure-policy"]).toMatchObject({ blocked: 5, exempt: 0 });
  expect(r.summary.exempt).toEqual({ crossguard: 0, "azure-policy": 0 }); // each exempt resource is blocked by another rule
  const byName = Object.fromEntries(r.rollout!.exemptions.map((x) => [x.name, x]));
  expect(byName["legacy-public"]).toMatchObject({
    status: "active",
    category: "Waiver",
    reference: "CHG-1234",
    engines: ["crossguard", "azure-policy"],
    covered: { crossguard: 1, "azure-policy": 1 },
    expired: { crossguard: 0, "azure-policy": 0 },
  });
  expect(byName["old-waiver"]).toMatchObject({ status: "expired", reference: "CHG-77", covered: { crossguard: 0, "azure-policy": 0 }, expired: { crossguard: 2, "azure-policy": 1 } });
  // The resources to fix name the expired exemption with the rule it no longer covers.
  const old = r.fixes.shown.find((f) => f.resource === "aks-old")!.rules.find((x) => x.rule === "aks-local-accounts-disabled")!;
  expect(old.expired).toEqual([{ name: "old-waiver", engine: "crossguard", expiresOn: "2020-01-01T23:59:59Z" }]);
  const c3 = r.fixes.shown.find((f) => f.resource === "cliakstest000003")!.rules.find((x) => x.rule === "aks-local-accounts-disabled")!;
  expect(c3.expired).toEqual([{ name: "old-waiver", engine: "azure-policy", expiresOn: "2020-01-01T23:59:59Z" }]);
  // Exempt resources are not to fix for the rule that exempts them.
  expect(r.fixes.shown.find((f) => f.resource === "aks-legacy")!.rules.find((x) => x.rule === "aks-private-cluster")!.engines).toEqual(["azure-policy"]);
});

test.each([
  // The report's day decides: an exemption within 30 days of its expiry is flagged, one past it covers nothing.
  ["2099-12-15T00:00:00Z", "expiring", "expired", 1, 0],
  ["2100-01-01T00:00:00Z", "expired", "expired", 0, 0],
  ["2019-12-15T00:00:00Z", "active", "expiring", 1, 3],
])("on %s legacy-public is %s and old-waiver %s", async (day, legacy, old, privateExempt, localExempt) => {
  const r = await report(new Date(day));
  const status = Object.fromEntries(r.rollout!.exemptions.map((x) => [x.name, x.status]));
  expect(status).toEqual({ "legacy-public": legacy, "old-waiver": old });
  const exempt = (id: string) => {
    const c = r.rules.find((x) => x.id === id)!.counts;
    return c.crossguard!.exempt + c["azure-policy"]!.exempt;
  };
  // Two resources (one per engine) for legacy-public; three for old-waiver (two in CrossGuard, one in Azure).
  expect(exempt("aks-private-cluster")).toBe(privateExempt * 2);
  expect(exempt("aks-local-accounts-disabled")).toBe(localExempt);
  expect(r.rollout!.date).toBe(new Date(day).toISOString());
});

describe("the gate counts the rings asked for", () => {
  test.each([
    // canary: cliakstest000002 fails aks-private-cluster; Azure's exemption covers it, the pack's does not.
    [["--ring", "canary", "--rule", "aks-private-cluster", "--max-blocked", "0"], 1, { crossguard: 1, "azure-policy": 0 }],
    [["--ring", "canary", "--rule", "aks-private-cluster", "--max-blocked", "0", "--engine", "azure-policy"], 0, { "azure-policy": 0 }],
    // dev: aks-legacy is exempt in CrossGuard, not in Azure (a stack resource has no Azure id); aks-old in neither.
    [["--ring", "dev", "--rule", "aks-private-cluster", "--max-blocked", "1"], 1, { crossguard: 1, "azure-policy": 2 }],
    [["--ring", "dev", "--rule", "aks-private-cluster", "--max-blocked", "2"], 0, { crossguard: 1, "azure-policy": 2 }],
    // Two rings together; every rule: each of their three clusters fails aks-local-accounts-disabled.
    [["--ring", "dev", "--ring", "canary", "--max-blocked", "2"], 1, { crossguard: 3, "azure-policy": 3 }],
    [["--ring", "dev", "--ring", "canary", "--max-blocked", "3"], 0, { crossguard: 3, "azure-policy": 3 }],
  ] as const)("%j exits %i", async (args, code, blocked) => {
    const run = await cli([...args]);
    expect(run.code).toBe(code);
    expect(run.report!.gate).toMatchObject({ blocked, rings: args.filter((_, i) => args[i - 1] === "--ring"), passed: code === 0 });
    if (code === 1) expect(run.err).toMatch(/in ring .* would block \d+ resources, more than --max-blocked/);
  });

  test.each([
    [["--ring", "nope", "--max-blocked", "0"], /--ring nope: no such ring \(rings: canary, dev, rest\)/],
    [["--ring", "canary"], /--ring names the rings a gate counts: give --max-blocked too/],
  ])("%j is a usage error", async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
  });

  test("a project without a roll-out has no ring to gate on", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["node", "apiguard", "impact", "--project", REPO, ...PAGES, "--ring", "canary", "--max-blocked", "0"], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/--ring canary: no such ring \(the project declares no roll-out rings\)/);
  });
});

test("a ring that selects stacks by tags is named once in a warning, since a stack export carries no tags", async () => {
  const tagged = teamProject({ rollout: ROLLOUT.replace(`names: ["dev-*"]`, `names: ["dev-*"]\n      tags:\n        tier: dev`), exemptions: null });
  writeTeamOutputs(tagged);
  const r = await impactFiles([stackFile, stackFile], { engines: ["crossguard"], projectDir: tagged, maxFixes: 10 });
  expect(r.inputs.warnings.filter((w) => /tags/.test(w))).toEqual([expect.stringMatching(/^ring 'dev' selects stacks by tags, which a stack export does not carry/)]);
  // Placed by name only: the tag cannot be read, so the dev ring does not select them.
  expect(r.groups.ring!.map((g) => g.key)).toEqual(["rest"]);
});

describe("a stack rule's exemption (the pack reports it through its exemptions policy)", () => {
  // private-dns-zone-linked is a stack rule: in a stack with a private cluster, an AKS private DNS zone without a virtual network link fails.
  const zone = (name: string) => ({
    type: "azure-native:privatedns:PrivateZone",
    urn: `urn:pulumi:prod-hub::network::azure-native:privatedns:PrivateZone::${name}`,
    custom: true,
    inputs: { resourceGroupName: "rg-hub", location: "global", privateZoneName: `${name}.privatelink.westeurope.azmk8s.io` },
  });
  const privateCluster = {
    type: "azure-native:containerservice:ManagedCluster",
    urn: "urn:pulumi:prod-hub::network::azure-native:containerservice:ManagedCluster::aks-private",
    custom: true,
    inputs: { resourceGroupName: "rg-hub", location: "westeurope", dnsPrefix: "aks-private", apiServerAccessProfile: { enablePrivateCluster: true } },
  };
  const hubStack = { version: 3, deployment: { manifest: {}, resources: [privateCluster, zone("waived"), zone("unlinked")] } };
  const exemptions = `exemptions:
  - name: hub-links-later
    rules: [private-dns-zone-linked]
    category: Mitigated
    reason: The hub's links are declared in the hub's own stack.
    reference: NET-42
    expires: 2099-12-31
    pulumi:
      - name: waived
`;

  test("the exempt zone is exempt, the other blocked, and the exemption counts what it covered", async () => {
    const team = teamProject({ rollout: null, exemptions });
    writeTeamOutputs(team);
    const file = path.join(tmp, "prod-hub.json");
    fs.writeFileSync(file, JSON.stringify(hubStack));
    const r = await impactFiles([file], { engines: ["crossguard"], projectDir: team, maxFixes: 10, now: new Date("2025-06-01T00:00:00Z") });
    expect(r.rules.find((x) => x.id === "private-dns-zone-linked")!.counts.crossguard).toMatchObject({ blocked: 1, exempt: 1 });
    expect(r.fixes.shown.filter((f) => f.rules.some((x) => x.rule === "private-dns-zone-linked")).map((f) => f.resource)).toEqual(["unlinked"]);
    expect(r.rollout!.exemptions.find((x) => x.name === "hub-links-later")).toMatchObject({ status: "active", covered: { crossguard: 1 } });
  });
});
