/**
 * Rings and exemptions through the real Pulumi CLI: the pack generated from a policy repository with
 * a roll-out and exemptions, run by `pulumi preview`/`up` with the configs it generates per ring.
 * An exempt violation is reported, as advisory, by the `exemptions` policy and blocks nothing; an
 * expired one blocks again and says so; a preview with another ring's config than its stack's fails;
 * and `apiguard evaluate` gives the same verdicts as the pack for the same resources.
 */
import * as fs from "fs";
import * as path from "path";
import * as azure from "@pulumi/azure-native";
import { main } from "../../../cli";
import { daysFromNow, exemptionsYaml, removeTeamProjects, ROLLOUT_YAML, teamProject, writeTeamOutputs } from "../../helpers/estate";
import { harness, reported, type Reported } from "./harness";
import { RING_POLICY as RING } from "../../../core/rollout/rollout";
import { COMPLIANT_SETTINGS, RG as rg } from "./programs";

jest.setTimeout(300_000);
const h = harness();
afterAll(() => {
  h.dispose();
  removeTeamProjects();
});

const EXPIRES = daysFromNow(200);
function pack(expires: string, rollout = ROLLOUT_YAML): { dir: string; ring: (name: string) => object } {
  const dir = teamProject({ exemptions: exemptionsYaml(expires), rollout });
  writeTeamOutputs(dir);
  return { dir, ring: (name) => JSON.parse(fs.readFileSync(path.join(dir, "policypack", "rings", `${name}.json`), "utf8")) };
}
const current = pack(EXPIRES);
const lapsed = pack("2025-03-31");

/** A public cluster that is otherwise compliant: it fails aks-private-cluster only (narrow authorized ranges). */
const publicCluster = (name: string, ranges = ["73.140.245.0/24"]) =>
  new azure.containerservice.ManagedCluster(name, { resourceGroupName: rg, dnsPrefix: name, ...COMPLIANT_SETTINGS, apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ranges, disableRunCommand: true } });

/** What the CLI reported, with the message line of each report (the line after the policy's description). */
function reports(output: string): (Reported & { message: string })[] {
  const lines = output.split("\n");
  const found = reported(output);
  let from = 0;
  return found.map((r) => {
    const at = lines.findIndex((l, i) => i >= from && l.includes(`] [severity:`) && l.includes(` ${r.policy} `));
    from = at + 1;
    return { ...r, message: (lines[at + 2] ?? "").trim() };
  });
}

describe("exemptions in a real preview (ring canary: every rule mandatory)", () => {
  test("an exempt violation is reported as advisory by the exemptions policy, with reason, ticket and expiry, and blocks nothing", async () => {
    const run = await h.preview("canary-exempt", async () => void publicCluster("aks-legacy-1"), { packs: [path.join(current.dir, "policypack")], config: current.ring("canary") });
    const seen = reports(run.output);
    expect(seen.filter((r) => r.level === "mandatory")).toEqual([]);
    expect(seen).toContainEqual({
      level: "advisory",
      policy: "exemptions",
      resource: "aks-legacy-1",
      message: `exempt from 'aks-private-cluster' (fails; not blocking): exemption 'legacy-public-api' (Waiver, ref CHG-1234, expires ${EXPIRES}): Rebuilt as a private cluster in the Q3 migration.`,
    });
    expect(run.code).toBe(0);
  });

  test("a resource the exemption does not name is judged as ever, in the same stack", async () => {
    const run = await h.preview(
      "canary-mixed",
      async () => {
        publicCluster("aks-legacy-1");
        publicCluster("aks-new");
      },
      { packs: [path.join(current.dir, "policypack")], config: current.ring("canary") },
    );
    const seen = reported(run.output);
    expect(seen).toContainEqual({ level: "mandatory", policy: "aks-private-cluster", resource: "aks-new" });
    expect(seen).not.toContainEqual({ level: "mandatory", policy: "aks-private-cluster", resource: "aks-legacy-1" });
    expect(run.code).not.toBe(0);
  });

  test("after the expiry it blocks again, and the message says the exemption expired", async () => {
    const run = await h.preview("canary-expired", async () => void publicCluster("aks-legacy-1"), { packs: [path.join(lapsed.dir, "policypack")], config: lapsed.ring("canary") });
    const seen = reports(run.output);
    expect(seen.map(({ level, policy, resource }) => ({ level, policy, resource }))).toEqual([{ level: "mandatory", policy: "aks-private-cluster", resource: "aks-legacy-1" }]);
    expect(run.output).toContain("The exemption 'legacy-public-api' (Waiver, ref CHG-1234) expired on 2025-03-31 and no longer applies: Rebuilt as a private cluster in the Q3 migration.");
    expect(run.code).not.toBe(0);
  });

  test("`all` sets the rules' level, not the exemptions policy's, which stays advisory", async () => {
    const run = await h.preview("all-mandatory", async () => void publicCluster("aks-legacy-1"), { packs: [path.join(current.dir, "policypack")], config: { all: "mandatory", [RING]: { enforcementLevel: "mandatory", ring: "rest" } } });
    const seen = reported(run.output);
    expect(seen).toContainEqual({ level: "advisory", policy: "exemptions", resource: "aks-legacy-1" });
    expect(seen.filter((r) => r.level === "mandatory")).toEqual([]);
    expect(run.code).toBe(0);
  });

  test("the exemptions policy is always advisory: a config that makes it mandatory or disables it fails up front", async () => {
    for (const level of ["mandatory", "disabled"]) {
      const run = await h.preview(`exempt-${level}`, async () => void publicCluster("aks-legacy-1"), { packs: [path.join(current.dir, "policypack")], config: { ...current.ring("canary"), exemptions: level } });
      expect(run.code).not.toBe(0);
      expect(run.output).toContain(`invalid policy config for 'exemptions': it is always advisory (got "${level}")`);
      expect(reported(run.output)).toEqual([]);
    }
  });
});

describe("rings in a real preview", () => {
  const packs = [path.join(current.dir, "policypack")];

  test("a stack runs with its ring's enforcement: the rest (DoNotEnforce) reports and blocks nothing", async () => {
    const run = await h.preview("prod-eu", async () => void publicCluster("aks-new"), { packs, config: current.ring("rest") });
    expect(reported(run.output)).toContainEqual({ level: "advisory", policy: "aks-private-cluster", resource: "aks-new" });
    expect(reported(run.output).filter((r) => r.level === "mandatory")).toEqual([]);
    expect(run.code).toBe(0);
  });

  test("a stack of a ring with another ring's config, or with none, fails the ring check naming the config to use", async () => {
    const wrong = await h.preview("canary-wrong", async () => void publicCluster("aks-new"), { packs, config: current.ring("rest") });
    expect(reported(wrong.output)).toContainEqual({ level: "mandatory", policy: "rollout-ring", resource: "apiguard-preview-canary-wrong" });
    expect(wrong.output).toContain("stack 'canary-wrong' is in ring 'canary' of the roll-out, but this run uses ring 'rest''s config: run with --policy-pack-config policypack/rings/canary.json");
    expect(wrong.code).not.toBe(0);
    const none = await h.preview("canary-none", async () => void publicCluster("aks-new"), { packs });
    expect(none.output).toContain("stack 'canary-none' is in ring 'canary' of the roll-out, but this run has no ring config: run with --policy-pack-config policypack/rings/canary.json");
    expect(none.code).not.toBe(0);
  });

  test("a ring selected by stack tags: the pack reads the tags the CLI passes", async () => {
    const tagged = pack(EXPIRES, ROLLOUT_YAML.replace('names: ["dev-*", "test-*"]', "tags: { apiguard-ring: early }").replace('names: ["sandbox-*", "canary-*"]', "tags: { apiguard-ring: canary }"));
    const config = JSON.parse(fs.readFileSync(path.join(tagged.dir, "policypack", "rings", "early.json"), "utf8"));
    const run = await h.preview("payments-prod", async () => void publicCluster("aks-new"), { packs: [path.join(tagged.dir, "policypack")], config, tags: { "apiguard-ring": "early" } });
    expect(reported(run.output).filter((r) => r.policy === "rollout-ring")).toEqual([]);
    expect(reported(run.output)).toContainEqual({ level: "mandatory", policy: "aks-private-cluster", resource: "aks-new" });
  });
});

test("parity: `apiguard evaluate` of a stack's export gives the pack's verdicts, exempt ones included", async () => {
  const program = async () => {
    publicCluster("aks-legacy"); // exempt by stack pattern prod-* and name
    publicCluster("aks-legacy-2"); // exempt by name pattern
    publicCluster("aks-edge", ["0.0.0.0/0"]); // exempt (Mitigated) from the ranges rule only, by URN
    publicCluster("aks-new"); // exempt from nothing
  };
  const options = { packs: [path.join(current.dir, "policypack")], config: current.ring("rest") };
  const up = await h.up("prod-parity", program, options);
  expect(up.code).toBe(0);
  const preview = await h.preview("prod-parity", program, options);
  const fromPack = new Set(
    reports(preview.output)
      .filter((r) => r.resource && r.policy !== "rollout-ring")
      .map((r) => (r.policy === "exemptions" ? `${r.resource} ${/^exempt from '([^']+)'/.exec(r.message)?.[1]} exempt` : `${r.resource} ${r.policy} fail`)),
  );
  const exportFile = path.join(h.work, "prod-parity.json");
  fs.writeFileSync(exportFile, JSON.stringify({ version: 3, deployment: { resources: await h.resources("prod-parity") } }));
  const out: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--engine", "crossguard", "--format", "json", "--project", current.dir, exportFile], { out: (t) => out.push(t), err: () => undefined });
  const fromEvaluate = new Set(
    (JSON.parse(out.join("\n")).results as { resource: string; rule: string | null; verdict: string }[]).filter((r) => r.rule && (r.verdict === "fail" || r.verdict === "exempt")).map((r) => `${r.resource} ${r.rule} ${r.verdict}`),
  );
  expect([...fromEvaluate].sort()).toEqual([...fromPack].sort());
  expect([...fromPack].sort()).toEqual(
    ["aks-legacy aks-private-cluster exempt", "aks-legacy-2 aks-private-cluster exempt", "aks-edge aks-private-cluster fail", "aks-edge aks-authorized-ip-ranges-restrictive exempt", "aks-new aks-private-cluster fail"].sort(),
  );
  // evaluate runs the pack at its default levels, where aks-private-cluster blocks.
  expect(code).toBe(1);
});
