/**
 * A team's policy repository with a roll-out and exemptions, for the tests of the loader, the
 * outputs, `evaluate` and real previews: catalog/bundled.yaml (every bundled rule), rollout.yaml,
 * exemptions.yaml, and (on request) the outputs generated from them, with the pack able to run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveCatalog } from "../../core/catalog/merge";
import { generateAll, type OutputFiles } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { CATALOG, REPO } from "./paths";

export const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
export const LEGACY_RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-legacy`;

export const ROLLOUT_YAML = `# yaml-language-server: $schema=rollout.schema.json
rest:
  enforcementMode: DoNotEnforce
rings:
  - name: canary
    description: The canary region and the sandbox stacks.
    azure:
      resourceLocation: [westcentralus]
    stacks:
      names: ["sandbox-*", "canary-*"]
    enforcement:
      all: mandatory
  - name: early
    azure:
      - resourceLocation: [northeurope]
      - resourceType: [Microsoft.Network/networkSecurityGroups]
        resourceLocation: [westeurope]
    stacks:
      names: ["dev-*", "test-*"]
`;

/** A day `days` from today (UTC), as an exemption's `expires` takes it. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** `legacy` (a Waiver until `expires`) for aks-legacy, `edge` (Mitigated, no expiry) for aks-edge. */
export function exemptionsYaml(expires = daysFromNow(365)): string {
  return `# yaml-language-server: $schema=exemptions.schema.json
exemptions:
  - name: legacy-public-api
    rules: [aks-private-cluster, aks-authorized-ip-ranges-restrictive]
    category: Waiver
    reason: Rebuilt as a private cluster in the Q3 migration.
    reference: CHG-1234
    expires: ${expires}
    azure:
      scopes:
        - ${LEGACY_RG}
    pulumi:
      - stack: "prod-*"
        name: aks-legacy
      - name: aks-legacy-*
  - name: firewall-fronted
    rules: [aks-authorized-ip-ranges-restrictive]
    category: Mitigated
    reason: The API server is reachable only through the corporate firewall's egress range.
    reference: SEC-88
    pulumi:
      - urn: "urn:pulumi:*::*::aks-edge"
`;
}

const created: string[] = [];

export function removeTeamProjects(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A team project: `<root>/catalog` with bundled.yaml and the given files (null leaves one out). */
export function teamProject(files: { rollout?: string | null; exemptions?: string | null; bundled?: string } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-estate-"));
  created.push(root);
  const catalog = path.join(root, "catalog");
  fs.mkdirSync(catalog);
  fs.writeFileSync(path.join(catalog, "bundled.yaml"), files.bundled ?? "include: all\n");
  const rollout = files.rollout === undefined ? ROLLOUT_YAML : files.rollout;
  const exemptions = files.exemptions === undefined ? exemptionsYaml() : files.exemptions;
  if (rollout !== null) fs.writeFileSync(path.join(catalog, "rollout.yaml"), rollout);
  if (exemptions !== null) fs.writeFileSync(path.join(catalog, "exemptions.yaml"), exemptions);
  return root;
}

export function teamCatalog(root: string) {
  return resolveCatalog(path.join(root, "catalog"), root, CATALOG);
}

/** The outputs of a team project, in memory. */
export function teamOutputs(root: string): OutputFiles {
  return generateAll(teamCatalog(root), readGeneratorInputs(root));
}

/** Writes the outputs into the project; the pack finds its dependencies in apiguard's node_modules, as `npm ci --prefix policypack` would install them. */
export function writeTeamOutputs(root: string): OutputFiles {
  const files = teamOutputs(root);
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  const modules = path.join(root, "policypack", "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(REPO, "node_modules"), modules, "dir");
  return files;
}
