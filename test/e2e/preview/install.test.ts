/**
 * The pack installs the way the README says: the README's pipeline steps, run as written in a
 * program's repository that vendors policypack/ (bar the cloud login and the CLI download, which
 * scripts/install-pulumi.sh replaces), then a real preview with the pack as installed there — its
 * own node_modules, not this repository's.
 */
import { execSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as azure from "@pulumi/azure-native";
import { REPO } from "../../helpers/paths";
import { harness, reported } from "./harness";

jest.setTimeout(300_000);
const h = harness();
afterAll(() => h.dispose());

const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
/** The `run:` steps of the README's GitHub Actions job. */
const steps = [...readme.matchAll(/^\s+- run: (.+)$/gm)].map((m) => m[1]);
const installSteps = steps.filter((s) => /^npm /.test(s));
const configBlock = /config file \(`--policy-pack-config policy-config.json`\):\n\n```json\n([\s\S]*?)```/.exec(readme)![1];

test("the README's install steps install the pack from its lockfile, every version pinned", () => {
  expect(installSteps).toEqual(["npm ci && npm ci --prefix policypack"]);
  const repo = path.join(h.work, "program");
  fs.mkdirSync(repo);
  fs.cpSync(path.join(REPO, "policypack"), path.join(repo, "policypack"), { recursive: true, filter: (src) => !src.includes("node_modules") });
  // The program's own manifest and lockfile, so that its `npm ci` has something to install.
  fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "program", version: "1.0.0", private: true }));
  fs.writeFileSync(path.join(repo, "package-lock.json"), JSON.stringify({ name: "program", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "program", version: "1.0.0" } } }));
  for (const step of installSteps) execSync(step, { cwd: repo, stdio: "pipe", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });

  const rootLock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")).packages;
  const installed = JSON.parse(fs.readFileSync(path.join(repo, "policypack/node_modules/.package-lock.json"), "utf8")).packages as Record<string, { version: string }>;
  const paths = Object.keys(installed);
  expect(paths).toEqual(expect.arrayContaining(["node_modules/@pulumi/policy", "node_modules/@pulumi/pulumi", "node_modules/@grpc/grpc-js"]));
  expect(paths.filter((p) => installed[p].version !== rootLock[p]?.version)).toEqual([]);
  // npm ls exits non-zero on a missing or invalid dependency anywhere in the tree.
  execSync("npm ls --all --prefix policypack", { cwd: repo, stdio: "pipe" });
});

test("the installed pack runs a real preview with the README's policy config", async () => {
  const pack = path.join(h.work, "program", "policypack");
  expect(fs.existsSync(path.join(pack, "node_modules/@pulumi/policy"))).toBe(true);
  const run = await h.preview(
    "installed",
    async () => {
      new azure.containerservice.ManagedCluster("aks-public", { resourceGroupName: "rg-aks", apiServerAccessProfile: { authorizedIPRanges: ["73.140.245.0/24"] } });
    },
    { packs: [pack], config: JSON.parse(configBlock) },
  );
  expect(run.output).toContain(`(local: ${pack})`);
  // The README's config raises command invoke to mandatory and accepts nothing that makes this cluster pass.
  expect(reported(run.output)).toEqual(
    expect.arrayContaining([
      { level: "mandatory", policy: "aks-private-cluster", resource: "aks-public" },
      { level: "mandatory", policy: "aks-command-invoke-disabled", resource: "aks-public" },
    ]),
  );
  expect(run.code).not.toBe(0);
});
