/**
 * A roll-out and exemptions in every output: the ring assignments (resource selectors and
 * `policyEffect` overrides, as Microsoft's safe-deployment how-to shows them) and the policy
 * exemptions, held to Microsoft's published Microsoft.Authorization schemas; EPAC's tree, exemptions
 * and enrollments held to EPAC's schemas; the ALZ assets; the pack's configs per ring; and output
 * that does not depend on the day it is generated.
 */
import * as path from "path";
import type { Rule } from "../../core/ir/types";
import { declaredLevel, effectiveLevel, REST, RING_POLICY, type Stage } from "../../core/rollout/rollout";
import { azureEffect, effectOverrides } from "../../generators/azure-policy";
import { armErrors, epacErrors, undeclaredArmKeys } from "../helpers/authorization-schema";
import { exemptionsYaml, LEGACY_RG, removeTeamProjects, ROLLOUT_YAML, teamCatalog, teamOutputs, teamProject } from "../helpers/estate";

afterAll(removeTeamProjects);

// The project is written once; the catalog is loaded and the outputs generated inside each test, so
// that `npm run mutate` credits every test that judges them (see ARCHITECTURE.md, Tests).
const root = teamProject();
const loaded = () => teamCatalog(root);
const generated = () => teamOutputs(root);
const parsed = (files: Map<string, string>, file: string) => {
  const text = files.get(file);
  if (text === undefined) throw new Error(`${file} was not generated`);
  return JSON.parse(text);
};
const json = (file: string) => parsed(generated(), file);
const azureRules = () => loaded().rules.filter((r) => r.backends.includes("azure-policy"));
const packRules = () => loaded().rules.filter((r) => r.backends.includes("crossguard"));
const ASSIGNMENTS = ["apiguard-k8s-api", "apiguard-ring-canary", "apiguard-ring-early"];

describe("Azure Policy: one assignment per ring beside the main one", () => {
  test.each(["azure-policy/assignment.json", "azure-policy/rings/canary.json", "azure-policy/rings/early.json"])("%s is valid under Microsoft's published policyAssignments schema (2025-03-01), with no key it does not declare", (file) => {
    const doc = json(file);
    expect(armErrors("2025-03-01", "policyAssignments", doc)).toEqual([]);
    expect(undeclaredArmKeys("2025-03-01", "policyAssignments", doc.properties)).toEqual([]);
  });

  test("the schema check can fail: a misspelt key and a wrong override kind are caught", () => {
    const canary = json("azure-policy/rings/canary.json");
    const broken = { ...canary, properties: { ...canary.properties, resourceSelector: [], overrides: [{ kind: "effect", value: "Deny" }] } };
    expect(undeclaredArmKeys("2025-03-01", "policyAssignments", broken.properties)).toEqual(["properties.resourceSelector"]);
    expect(armErrors("2025-03-01", "policyAssignments", broken).length).toBeGreaterThan(0);
  });

  test("a ring's assignment is the how-to's: the initiative narrowed by the ring's resource selectors, its effects as overrides", () => {
    const files = generated();
    const canary = parsed(files, "azure-policy/rings/canary.json");
    const main = parsed(files, "azure-policy/assignment.json");
    expect(canary.name).toBe("apiguard-ring-canary");
    expect(canary.properties.policyDefinitionId).toBe(main.properties.policyDefinitionId);
    expect(canary.properties.resourceSelectors).toEqual([{ name: "canary", selectors: [{ kind: "resourceLocation", in: ["westcentralus"] }] }]);
    // `all: mandatory`: every rule Deny, one override without selectors — exactly the how-to's form.
    expect(canary.properties.overrides).toEqual([{ kind: "policyEffect", value: "Deny" }]);
    expect(canary.properties.enforcementMode).toBe("Default");
    expect(canary.properties.metadata.apiguard.rollout).toBe("canary");
    expect(canary.properties.parameters).toEqual(main.properties.parameters);
    expect(canary.properties.nonComplianceMessages).toEqual(main.properties.nonComplianceMessages);
  });

  test("each ring's description says where it stands in the roll-out and what else evaluates it", () => {
    const files = generated();
    expect(parsed(files, "azure-policy/rings/canary.json").properties.description).toBe(
      "Ring 1 of 2 of the apiguard roll-out, 'canary'. The canary region and the sandbox stacks. Resource selectors narrow the initiative to the ring; its resources are also evaluated by apiguard-k8s-api.",
    );
    expect(parsed(files, "azure-policy/rings/early.json").properties.description).toBe(
      "Ring 2 of 2 of the apiguard roll-out, 'early'. Resource selectors narrow the initiative to the ring; its resources are also evaluated by apiguard-k8s-api.",
    );
    expect(parsed(files, "azure-policy/rings/canary.json").properties.displayName).toBe("apiguard: Kubernetes API server network exposure (ring canary)");
  });

  test("a ring of stacks only has no Azure assignment; a roll-out without Azure rings says the rest is all there is", () => {
    const out = teamOutputs(teamProject({ rollout: 'rest: { enforcementMode: Default }\nrings:\n  - name: canary\n    stacks: { names: ["canary-*"] }\n' }));
    expect([...out.keys()].filter((f) => f.startsWith("azure-policy/rings/"))).toEqual([]);
    expect(out.has("policypack/rings/canary.json")).toBe(true);
    const main = JSON.parse(out.get("azure-policy/assignment.json")!);
    expect(main.properties.description).toBe("The apiguard initiative for the rest of the estate.");
    expect(JSON.parse(out.get("azure-policy/exemptions.json")!).exemptions.map((e: { name: string }) => e.name)).toEqual(["legacy-public-api-apiguard-k8s-api"]);
  });

  test("a ring's description ends with a full stop in its assignment's", () => {
    const out = teamOutputs(teamProject({ rollout: "rings:\n  - name: eu\n    description: The EU regions\n    azure: { resourceLocation: [westeurope] }\n" }));
    expect(JSON.parse(out.get("azure-policy/rings/eu.json")!).properties.description).toBe(
      "Ring 1 of 1 of the apiguard roll-out, 'eu'. The EU regions. Resource selectors narrow the initiative to the ring; its resources are also evaluated by apiguard-k8s-api.",
    );
  });

  test("alternatives become one resource selector each; a ring that states no enforcement keeps the catalog's effects", () => {
    const early = json("azure-policy/rings/early.json");
    expect(early.properties.resourceSelectors).toEqual([
      { name: "early-1", selectors: [{ kind: "resourceLocation", in: ["northeurope"] }] },
      {
        name: "early-2",
        selectors: [
          { kind: "resourceLocation", in: ["westeurope"] },
          { kind: "resourceType", in: ["Microsoft.Network/networkSecurityGroups"] },
        ],
      },
    ]);
    expect(early.properties.overrides).toBeUndefined();
  });

  test("the main assignment is the rest of the estate: no resource selectors, the rest's mode", () => {
    const main = json("azure-policy/assignment.json");
    expect(main.properties.resourceSelectors).toBeUndefined();
    expect(main.properties.enforcementMode).toBe("DoNotEnforce");
    expect(main.properties.metadata.apiguard.rollout).toBe(REST);
    expect(main.properties.description).toContain("apiguard-ring-canary, apiguard-ring-early");
  });

  test("names fit Azure's 24 characters at management-group scope", () => {
    for (const name of ASSIGNMENTS) expect(name.length).toBeLessThanOrEqual(24);
  });
});

describe("effect overrides", () => {
  const stage = (enforcement: Stage["enforcement"]): Stage => ({ enforcementMode: "Default", enforcement });

  test("a stage that states nothing needs none; one effect for all is one override without selectors", () => {
    expect(effectOverrides(azureRules(), stage({}))).toBeUndefined();
    expect(effectOverrides(azureRules(), stage({ all: "advisory" }))).toEqual([{ kind: "policyEffect", value: "Audit" }]);
  });

  test("mixed effects: one override per effect, every rule in exactly one, with the effect its stage states", () => {
    const s = stage({ all: "mandatory", "aks-azure-rbac": "advisory", "aks-command-invoke-disabled": "disabled" });
    const rules = azureRules();
    const overrides = effectOverrides(rules, s)!;
    expect(overrides.map((o) => o.value)).toEqual(["Deny", "Audit", "Disabled"]);
    const assigned = overrides.flatMap((o) => (o.selectors ?? []).flatMap((sel) => sel.in.map((id) => [id, o.value] as const)));
    expect(new Map(assigned)).toEqual(new Map(rules.map((r) => [r.id, azureEffect(declaredLevel(s, r.id, r.enforcement))])));
    expect(assigned).toHaveLength(rules.length);
    for (const o of overrides) expect(o.selectors?.every((sel) => sel.kind === "policyDefinitionReferenceId")).toBe(true);
  });

  test("every override value is one each definition allows", () => {
    const rules = azureRules();
    const allowed = json(`azure-policy/definitions/${rules[0].id}.json`).properties.parameters.effect.allowedValues;
    for (const level of ["mandatory", "advisory", "disabled"] as const) {
      for (const o of effectOverrides(rules, stage({ all: level, [rules[0].id]: level === "mandatory" ? "advisory" : "mandatory" }))!) expect(allowed).toContain(o.value);
    }
  });

  test("at most 50 reference ids per override: more rules of one effect take several overrides", () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ id: `rule-${i}`, enforcement: i === 0 ? "advisory" : "mandatory" }) as Rule);
    const overrides = effectOverrides(many, stage({ "rule-1": "mandatory" }))!;
    expect(overrides.map((o) => [o.value, o.selectors?.[0].in.length])).toEqual([
      ["Deny", 50],
      ["Deny", 50],
      ["Deny", 19],
      ["Audit", 1],
    ]);
    expect(overrides.flatMap((o) => o.selectors?.[0].in ?? [])).toEqual([...many.slice(1), many[0]].map((r) => r.id));
  });
});

describe("Azure policy exemptions: one per scope and assignment", () => {
  const exemptionDocs = (files = generated()) => parsed(files, "azure-policy/exemptions.json").exemptions as { name: string; scope: string; properties: Record<string, unknown> }[];

  test("each is valid under Microsoft's published policyExemptions schema (2022-07-01-preview), with no key it does not declare", () => {
    for (const { scope: _scope, ...resource } of exemptionDocs()) {
      expect(armErrors("2022-07-01-preview", "policyExemptions", resource)).toEqual([]);
      expect(undeclaredArmKeys("2022-07-01-preview", "policyExemptions", resource.properties)).toEqual([]);
    }
  });

  test("the Waiver with Azure scopes exempts its Azure rules from every assignment; the Pulumi-only exemption has no Azure side", () => {
    const files = generated();
    const exemptions = exemptionDocs(files);
    expect(exemptions.map((e) => [e.name, e.scope, e.properties.policyAssignmentId])).toEqual(ASSIGNMENTS.map((a) => [`legacy-public-api-${a}`, LEGACY_RG, `{assignmentScope}/providers/Microsoft.Authorization/policyAssignments/${a}`]));
    for (const e of exemptions) {
      expect(e.name.length).toBeLessThanOrEqual(64);
      expect(e.properties).toMatchObject({
        policyDefinitionReferenceIds: ["aks-private-cluster", "aks-authorized-ip-ranges-restrictive"],
        exemptionCategory: "Waiver",
        description: "Rebuilt as a private cluster in the Q3 migration.",
        assignmentScopeValidation: "Default",
        metadata: { reason: "Rebuilt as a private cluster in the Q3 migration.", ticketRef: "CHG-1234", apiguard: { exemption: "legacy-public-api" } },
      });
      expect(e.properties.expiresOn).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59Z$/);
      expect(e.properties.displayName).toBe("apiguard exemption legacy-public-api (CHG-1234)");
    }
    const refIds = parsed(files, "azure-policy/initiative.json").properties.policyDefinitions.map((d: { policyDefinitionReferenceId: string }) => d.policyDefinitionReferenceId);
    expect(refIds).toEqual(expect.arrayContaining(["aks-private-cluster", "aks-authorized-ip-ranges-restrictive"]));
  });
});

describe("EPAC", () => {
  const ROOT = "azure-policy/epac/Definitions";

  test("the assignment file is a tree EPAC's schema accepts: shared parts at the root, one child per assignment", () => {
    const files = generated();
    const assignment = parsed(files, `${ROOT}/policyAssignments/apiguard/apiguard-k8s-api.json`);
    expect(epacErrors("assignment", assignment)).toEqual([]);
    expect(assignment.assignment).toBeUndefined();
    expect(assignment.children.map((c: { assignment: { name: string } }) => c.assignment.name)).toEqual(ASSIGNMENTS);
    for (const child of assignment.children) {
      const doc = parsed(files, child.assignment.name === "apiguard-k8s-api" ? "azure-policy/assignment.json" : `azure-policy/rings/${child.assignment.name.replace("apiguard-ring-", "")}.json`);
      expect(child.enforcementMode).toBe(doc.properties.enforcementMode);
      expect(child.resourceSelectors).toEqual(doc.properties.resourceSelectors);
      expect(child.overrides).toEqual(doc.properties.overrides);
      expect(child.metadata).toEqual(doc.properties.metadata);
    }
  });

  test("the exemptions file is EPAC's, per PAC environment, by policy set name so EPAC creates one per assignment", () => {
    const file = json(`${ROOT}/policyExemptions/epac-dev/apiguard.json`);
    expect(epacErrors("exemption", file)).toEqual([]);
    expect(file.exemptions).toEqual([
      expect.objectContaining({
        name: "legacy-public-api",
        exemptionCategory: "Waiver",
        scopes: [LEGACY_RG],
        policySetDefinitionName: "apiguard-kubernetes-api-server",
        policyDefinitionReferenceIds: ["aks-private-cluster", "aks-authorized-ip-ranges-restrictive"],
      }),
    ]);
  });

  test("Enroll mode: one assignment in Enroll mode, an enrollment per enforced ring, valid under EPAC's and Microsoft's schemas", () => {
    const enrolled = `enroll: true\n${ROLLOUT_YAML.replace("    enforcement:\n      all: mandatory\n", "").replace("  - name: early\n", "  - name: early\n    enforcementMode: DoNotEnforce\n")}`;
    const out = teamOutputs(teamProject({ rollout: enrolled }));
    const main = JSON.parse(out.get(`${ROOT}/policyAssignments/apiguard/apiguard-k8s-api.json`)!);
    expect(epacErrors("assignment", main)).toEqual([]);
    expect(main.enforcementMode).toBe("Enroll");
    expect(main.children).toBeUndefined();
    const enrollments = [...out.keys()].filter((f) => f.includes("/policyEnrollments/"));
    expect(enrollments).toEqual([`${ROOT}/policyEnrollments/epac-dev/apiguard-ring-canary.json`]);
    const enrollment = JSON.parse(out.get(enrollments[0])!);
    expect(epacErrors("enrollment", enrollment)).toEqual([]);
    expect(enrollment.policyAssignmentId).toBe("/providers/Microsoft.Management/managementGroups/epac-dev/providers/Microsoft.Authorization/policyAssignments/apiguard-k8s-api");
    expect(enrollment.resourceSelectors).toEqual([{ name: "canary", selectors: [{ kind: "resourceLocation", in: ["westcentralus"] }] }]);
    const { $schema: _s, scope: _scope, name, ...properties } = enrollment;
    expect(armErrors("2026-01-01-preview", "policyEnrollments", { name, properties })).toEqual([]);
    expect(undeclaredArmKeys("2026-01-01-preview", "policyEnrollments", properties)).toEqual([]);
  });
});

test("ALZ: each ring's assignment is a library asset, added by the archetype override", () => {
  const files = generated();
  const asset = parsed(files, "azure-policy/alz/policy_assignments/apiguard-ring-canary.alz_policy_assignment.json");
  const ring = parsed(files, "azure-policy/rings/canary.json");
  expect(asset.properties.resourceSelectors).toEqual(ring.properties.resourceSelectors);
  expect(asset.properties.overrides).toEqual(ring.properties.overrides);
  const { scope: _scope, notScopes: _notScopes, ...properties } = asset.properties;
  expect(armErrors("2025-03-01", "policyAssignments", { name: asset.name, properties })).toEqual([]);
  const override = files.get("azure-policy/alz/archetype_overrides/landing_zones_apiguard.alz_archetype_override.yaml")!;
  for (const name of ASSIGNMENTS) expect(override).toContain(`  - ${name}\n`);
});

describe("the pack", () => {
  test.each(["canary", "early", REST])("policypack/rings/%s.json sets every rule's level there and names the ring", (name) => {
    const config = json(`policypack/rings/${name}.json`);
    const rollout = loaded().rollout!;
    const stage = name === REST ? rollout.rest : rollout.rings.find((r) => r.name === name)!;
    const rules = packRules();
    expect(config[RING_POLICY]).toEqual({ enforcementLevel: "mandatory", ring: name });
    expect(Object.keys(config).sort()).toEqual([RING_POLICY, ...rules.map((r) => r.id)].sort());
    for (const rule of rules) expect(config[rule.id]).toEqual({ enforcementLevel: effectiveLevel(stage, rule.id, rule.enforcement) });
  });

  test("canary enforces every rule; the rest in DoNotEnforce blocks nothing", () => {
    const files = generated();
    expect(Object.values(parsed(files, "policypack/rings/canary.json")).filter((c) => (c as { enforcementLevel: string }).enforcementLevel !== "mandatory")).toEqual([]);
    const rest = parsed(files, "policypack/rings/rest.json");
    expect(packRules().filter((r) => rest[r.id].enforcementLevel === "mandatory")).toEqual([]);
  });

  test("the pack's data holds the Pulumi side of the exemptions only, and the rules they name point at it", () => {
    const files = generated();
    const estate = files.get("policypack/estate.ts")!;
    expect(estate).toContain('name: "legacy-public-api"');
    expect(estate).toContain('name: "firewall-fronted"');
    expect(estate).not.toContain(LEGACY_RG);
    const policies = files.get("policypack/policies.ts")!;
    const exempting = policies.match(/exemptions\.filter\(\(e\) => e\.rules\.includes\("([^"]+)"\)\)/g)!.map((m) => /"([^"]+)"/.exec(m)![1]);
    expect(exempting.sort()).toEqual(["aks-authorized-ip-ranges-restrictive", "aks-private-cluster"]);
    expect(policies).toContain("validateStack: reportExemptions(rules)");
    expect(policies).toContain("validateStack: checkRing(rollout)");
  });

  test("exemptions without a roll-out: the exemptions policy, no ring configs or ring check", () => {
    const out = teamOutputs(teamProject({ rollout: null }));
    expect([...out.keys()].filter((f) => f.startsWith("policypack/rings/") || f.startsWith("azure-policy/rings/"))).toEqual([]);
    expect(out.get("policypack/policies.ts")).toContain("reportExemptions(rules)");
    expect(out.get("policypack/policies.ts")).not.toContain("checkRing");
    expect(JSON.parse(out.get("azure-policy/assignment.json")!).properties.enforcementMode).toBe("Default");
  });
});

test("the outputs do not depend on the day they are generated, expired exemptions included", () => {
  const project = teamProject({ exemptions: exemptionsYaml("2025-03-31") });
  const at = (date: string) => {
    jest.useFakeTimers({ now: new Date(date) });
    try {
      return teamOutputs(project);
    } finally {
      jest.useRealTimers();
    }
  };
  const before = at("2025-01-01T00:00:00Z");
  const after = at("2027-01-01T00:00:00Z");
  expect([...after.keys()]).toEqual([...before.keys()]);
  expect([...after].filter(([file, content]) => before.get(file) !== content).map(([file]) => file)).toEqual([]);
  expect(path.basename([...before.keys()].find((f) => f.endsWith("exemptions.json"))!)).toBe("exemptions.json");
});
