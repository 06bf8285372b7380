/**
 * A roll-out deployed by the az script and by the Pulumi program: each ring's assignment with its
 * resource selectors, overrides and mode, and the exemptions of every assignment, from the outputs a
 * team's catalog generates.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LEGACY_RG, removeTeamProjects, teamProject, writeTeamOutputs } from "../helpers/estate";
import { REPO } from "../helpers/paths";

afterAll(removeTeamProjects);
// Each program run loads a fresh copy of the Pulumi SDK, and each copy adds a process exit listener.
process.setMaxListeners(50);

const project = teamProject();
const files = writeTeamOutputs(project);
const generated = (file: string) => JSON.parse(files.get(file)!);
const RINGS = ["canary", "early"];

describe("deploy.sh", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-az-rollout-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const log = path.join(tmp, "az.log");
  fs.mkdirSync(path.join(tmp, "bin"));
  fs.writeFileSync(
    path.join(tmp, "bin", "az"),
    `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
const files = Object.fromEntries(args.filter((a) => a.startsWith("/") && fs.existsSync(a) && fs.statSync(a).isFile()).map((a) => [a, fs.readFileSync(a, "utf8")]));
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, files }) + "\\n");
`,
    { mode: 0o755 },
  );
  const run = spawnSync("bash", [path.join(project, "azure-policy", "deploy.sh"), "--management-group", "contoso"], { env: { ...process.env, PATH: `${path.join(tmp, "bin")}:${process.env.PATH}` }, encoding: "utf8" });
  const calls = fs
    .readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { args: string[]; files: Record<string, string> });
  const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];
  const scope = "/providers/Microsoft.Management/managementGroups/contoso";
  const assignments = calls.filter((c) => c.args.slice(0, 3).join(" ") === "policy assignment create");

  test("assigns the rest in the roll-out's mode, then each ring with its resource selectors, overrides and mode", () => {
    expect(run.status).toBe(0);
    expect(assignments.map((c) => flag(c.args, "--name"))).toEqual(["apiguard-k8s-api", ...RINGS.map((r) => `apiguard-ring-${r}`)]);
    expect(flag(assignments[0].args, "--enforcement-mode")).toBe("DoNotEnforce");
    expect(assignments[0].args).not.toContain("--resource-selectors");
    RINGS.forEach((ring, i) => {
      const { args, files: read } = assignments[i + 1];
      const doc = generated(`azure-policy/rings/${ring}.json`).properties;
      expect(flag(args, "--scope")).toBe(scope);
      expect(flag(args, "--enforcement-mode")).toBe(doc.enforcementMode);
      expect(JSON.parse(read[flag(args, "--resource-selectors")])).toEqual(doc.resourceSelectors);
      if (doc.overrides) expect(JSON.parse(read[flag(args, "--overrides")])).toEqual(doc.overrides);
      else expect(args).not.toContain("--overrides");
    });
  });

  test("each ring's assignment gets the non-compliance messages", () => {
    const messages = calls.filter((c) => c.args.slice(0, 4).join(" ") === "policy assignment non-compliance-message create");
    const rules = generated("azure-policy/assignment.json").properties.nonComplianceMessages.length;
    for (const name of ["apiguard-k8s-api", ...RINGS.map((r) => `apiguard-ring-${r}`)]) expect(messages.filter((c) => flag(c.args, "--name") === name)).toHaveLength(rules);
  });

  test("creates every exemption after the assignments, against the assignment at the deployed scope", () => {
    const exemptions = calls.filter((c) => c.args.slice(0, 3).join(" ") === "policy exemption create");
    const docs = generated("azure-policy/exemptions.json").exemptions as { name: string; scope: string; properties: { policyAssignmentId: string; expiresOn: string; policyDefinitionReferenceIds: string[]; metadata: object } }[];
    expect(exemptions.map((c) => flag(c.args, "--name"))).toEqual(docs.map((d) => d.name));
    expect(calls.indexOf(exemptions[0])).toBeGreaterThan(calls.indexOf(assignments[assignments.length - 1]));
    exemptions.forEach(({ args, files: read }, i) => {
      expect(flag(args, "--scope")).toBe(LEGACY_RG);
      expect(flag(args, "--policy-assignment")).toBe(docs[i].properties.policyAssignmentId.replace("{assignmentScope}", scope));
      expect(flag(args, "--exemption-category")).toBe("Waiver");
      expect(flag(args, "--expires-on")).toBe(docs[i].properties.expiresOn);
      const ids = args.slice(args.indexOf("--policy-definition-reference-ids") + 1, args.indexOf("--display-name"));
      expect(ids).toEqual(docs[i].properties.policyDefinitionReferenceIds);
      expect(JSON.parse(read[flag(args, "--metadata")])).toEqual(docs[i].properties.metadata);
    });
  });

  test("--enforcement-mode still sets the rest's mode", () => {
    fs.rmSync(log, { force: true });
    spawnSync("bash", [path.join(project, "azure-policy", "deploy.sh"), "--subscription", "s", "--enforcement-mode", "Default"], { env: { ...process.env, PATH: `${path.join(tmp, "bin")}:${process.env.PATH}` }, encoding: "utf8" });
    const again = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { args: string[] });
    const modes = again.filter((c) => c.args.slice(0, 3).join(" ") === "policy assignment create").map((c) => flag(c.args, "--enforcement-mode"));
    expect(modes).toEqual(["Default", "Default", "Default"]);
  });
});

type Registered = { type: string; name: string; inputs: Record<string, any> };

/** The governance program with `azurePolicyDir` pointing at the team's outputs, under the Pulumi SDK's mocks. */
async function program(config: Record<string, string>) {
  jest.resetModules();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const registered: Registered[] = [];
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries({ azurePolicyDir: path.join(project, "azure-policy"), ...config }).map(([k, v]) => [`apiguard-governance:${k}`, v])));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const scope = args.inputs.managementGroupId ? `/providers/Microsoft.Management/managementGroups/${args.inputs.managementGroupId}` : (args.inputs.scope ?? "/subscriptions/sub-1");
        return { id: `${scope}/providers/${args.type}/${args.inputs.policyAssignmentName ?? args.name}`, state: args.inputs };
      },
      call: () => ({}),
    },
    "apiguard-governance",
    "test",
    false,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require("../../governance") as Record<string, any>;
  const value = <T>(o: { apply: (f: (v: T) => void) => unknown }) => new Promise<T>((resolve) => o.apply(resolve));
  return { registered, exports, value };
}

describe("the Pulumi program", () => {
  test("declares each ring's assignment with its resource selectors, overrides and mode, beside the rest's", async () => {
    const { registered, exports, value } = await program({ scope: "managementGroup:contoso" });
    await value(exports.assignmentId);
    const assignments = registered.filter((r) => r.type === "azure-native:authorization:PolicyAssignment");
    expect(assignments.map((a) => a.inputs.policyAssignmentName)).toEqual(["apiguard-k8s-api", ...RINGS.map((r) => `apiguard-ring-${r}`)]);
    // The roll-out states the rest's mode: it is the default instead of DoNotEnforce-for-safety.
    expect(assignments[0].inputs.enforcementMode).toBe("DoNotEnforce");
    expect(assignments[0].inputs.resourceSelectors).toBeUndefined();
    RINGS.forEach((ring, i) => {
      const doc = generated(`azure-policy/rings/${ring}.json`).properties;
      const inputs = assignments[i + 1].inputs;
      expect(inputs.scope).toBe("/providers/Microsoft.Management/managementGroups/contoso");
      expect(inputs.enforcementMode).toBe(doc.enforcementMode);
      expect(inputs.resourceSelectors).toEqual(doc.resourceSelectors);
      expect(inputs.overrides).toEqual(doc.overrides);
      expect(inputs.parameters).toEqual(assignments[0].inputs.parameters);
    });
  });

  test("declares every exemption against the assignment it names, and a renamed rest assignment is followed", async () => {
    const { registered, exports, value } = await program({ scope: "subscription:0b1f6471-1bf0-4dda-aec3-cb9272f09590", assignmentName: "k8s-guard", enforcementMode: "Default" });
    await value(exports.assignmentId);
    const assignments = registered.filter((r) => r.type === "azure-native:authorization:PolicyAssignment");
    expect(assignments.map((a) => [a.inputs.policyAssignmentName, a.inputs.enforcementMode])).toEqual([
      ["k8s-guard", "Default"],
      ["apiguard-ring-canary", "Default"],
      ["apiguard-ring-early", "Default"],
    ]);
    const ids = await Promise.all(exports.exemptions.map((e: { policyAssignmentId: { apply: (f: (v: string) => void) => unknown } }) => value<string>(e.policyAssignmentId)));
    await Promise.all(exports.exemptions.map((e: { id: { apply: (f: (v: string) => void) => unknown } }) => value<string>(e.id)));
    const exemptions = registered.filter((r) => r.type === "azure-native:authorization:PolicyExemption");
    const docs = generated("azure-policy/exemptions.json").exemptions as { name: string; scope: string; properties: Record<string, unknown> }[];
    expect(exemptions.map((e) => e.inputs.policyExemptionName)).toEqual(docs.map((d) => d.name));
    expect(ids.map((id) => id.slice(id.lastIndexOf("/") + 1))).toEqual(["k8s-guard", "apiguard-ring-canary", "apiguard-ring-early"]);
    exemptions.forEach((e, i) => {
      const { policyAssignmentId: _id, ...properties } = docs[i].properties;
      expect(e.inputs).toMatchObject({ scope: docs[i].scope, ...properties });
    });
  });

  test("without a roll-out the program is as before: one assignment, DoNotEnforce by default", async () => {
    const { registered, exports, value } = await program({ scope: "subscription:s", azurePolicyDir: path.join(REPO, "azure-policy") });
    await value(exports.assignmentId);
    const assignments = registered.filter((r) => r.type === "azure-native:authorization:PolicyAssignment");
    expect(assignments.map((a) => [a.inputs.policyAssignmentName, a.inputs.enforcementMode])).toEqual([["apiguard-k8s-api", "DoNotEnforce"]]);
    expect(registered.some((r) => r.type === "azure-native:authorization:PolicyExemption")).toBe(false);
  });
});
