/** azure-policy/deploy.sh, run against a fake `az` on PATH that records every invocation. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCatalog } from "../../core/catalog/load";
import { azurePolicyMode, targetById } from "../../core/targets";
import { REPO } from "../helpers/paths";

const DEPLOY = path.join(REPO, "azure-policy", "deploy.sh");
const rules = loadCatalog(path.join(REPO, "catalog")).rules.filter((r) => r.backends.includes("azure-policy"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-az-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const fakeBin = path.join(tmp, "bin");
const log = path.join(tmp, "az.log");
fs.mkdirSync(fakeBin);
// The fake az writes its argv as one JSON line, and the content of any file argument it was given.
fs.writeFileSync(
  path.join(fakeBin, "az"),
  `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
const files = Object.fromEntries(args.filter((a) => a.startsWith("/") && fs.existsSync(a) && fs.statSync(a).isFile()).map((a) => [a, fs.readFileSync(a, "utf8")]));
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, files }) + "\\n");
`,
  { mode: 0o755 },
);

function deploy(...args: string[]) {
  fs.rmSync(log, { force: true });
  const run = spawnSync("bash", [DEPLOY, ...args], { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` }, encoding: "utf8" });
  const calls = fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { args: string[]; files: Record<string, string> })
    : [];
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls };
}

const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

test("creates every definition, then the initiative, then the assignment and its messages, at a management group", () => {
  const { status, calls } = deploy("--management-group", "contoso-platform");
  expect(status).toBe(0);
  const verbs = calls.map((c) => c.args.slice(0, 3).join(" "));
  expect(verbs).toEqual([...rules.map(() => "policy definition create"), "policy set-definition create", "policy assignment create", ...rules.map(() => "policy assignment non-compliance-message")]);
  const scope = "/providers/Microsoft.Management/managementGroups/contoso-platform";
  rules.forEach((rule, i) => {
    const { args, files } = calls[i];
    expect(flag(args, "--name")).toBe(`apiguard-${rule.id}`);
    expect(flag(args, "--display-name")).toBe(rule.title);
    expect(flag(args, "--mode")).toBe(azurePolicyMode(targetById(rule.target)));
    expect(flag(args, "--management-group")).toBe("contoso-platform");
    const definition = JSON.parse(fs.readFileSync(path.join(REPO, "azure-policy/definitions", `${rule.id}.json`), "utf8"));
    expect(JSON.parse(files[flag(args, "--rules")])).toEqual(definition.properties.policyRule);
    expect(JSON.parse(files[flag(args, "--params")])).toEqual(definition.properties.parameters);
  });
  const set = calls[rules.length].args;
  const definitions = JSON.parse(flag(set, "--definitions"));
  expect(definitions.map((d: { policyDefinitionId: string }) => d.policyDefinitionId)).toEqual(rules.map((r) => `${scope}/providers/Microsoft.Authorization/policyDefinitions/apiguard-${r.id}`));
  const assignment = calls[rules.length + 1].args;
  expect(flag(assignment, "--scope")).toBe(scope);
  expect(flag(assignment, "--policy-set-definition")).toBe(`${scope}/providers/Microsoft.Authorization/policySetDefinitions/apiguard-kubernetes-api-server`);
  expect(flag(assignment, "--enforcement-mode")).toBe("Default");
});

test("a subscription scope and DoNotEnforce", () => {
  const { status, calls } = deploy("--subscription", "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "--enforcement-mode", "DoNotEnforce");
  expect(status).toBe(0);
  expect(flag(calls[0].args, "--subscription")).toBe("0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  const assignment = calls[rules.length + 1].args;
  expect(flag(assignment, "--scope")).toBe("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  expect(flag(assignment, "--enforcement-mode")).toBe("DoNotEnforce");
});

test("--dry-run prints the commands and calls nothing", () => {
  const { status, stdout, calls } = deploy("--management-group", "mg", "--dry-run");
  expect(status).toBe(0);
  expect(calls).toEqual([]);
  expect(
    stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("az policy ")),
  ).toHaveLength(2 * rules.length + 2);
});

test.each([[[]], [["--dry-run"]], [["--management-group"]], [["--subscription", "s", "--enforcement-mode", "Sometimes"]]])("usage errors exit 2 without calling az: %j", (args) => {
  const { status, stderr, calls } = deploy(...args);
  expect(status).toBe(2);
  expect(stderr).toContain("usage:");
  expect(calls).toEqual([]);
});
