/** A small, valid catalog in a temp folder, for tests that break it in one specific way. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CATALOG } from "./paths";

export const FIXTURE_RULE = `# yaml-language-server: $schema=../rule.schema.json
id: demo-rule
version: 1.0.0
title: Private AKS clusters must not publish a public FQDN
description: Checks the public FQDN of private clusters.
message: The private cluster publishes a public FQDN.
rationale:
  quote: For a private AKS cluster, you disable the public FQDN of the API server.
  source: { title: Secure network access to Kubernetes, url: "https://learn.microsoft.com/azure/architecture/aws-professional/eks-to-aks/private-clusters" }
remediation: Set enablePrivateClusterPublicFQDN to false.
severity: medium
category: Kubernetes
enforcement: mandatory
target: aks
backends: [crossguard, azure-policy]
parameters:
  strict:
    type: boolean
    default: true
    description: Also fail when the FQDN setting is absent.
when:
  field: privateCluster
  equals: true
failsWhen:
  anyOf:
    - field: publicFqdn
      equals: true
    - allOf:
        - param: strict
          equals: true
        - field: publicFqdn
          notEquals: false
`;

const cluster = (access: object) => `resource:\n  type: azure-native:containerservice:ManagedCluster\n  name: aks\n  props:\n    apiServerAccessProfile: ${JSON.stringify(access)}\n`;

export const FIXTURE_EXAMPLES: Record<string, string> = {
  "fail/fqdn-on.yaml": `description: FQDN on.\n${cluster({ enablePrivateCluster: true, enablePrivateClusterPublicFQDN: true })}`,
  "fail/fqdn-absent.yaml": `description: FQDN absent means on.\n${cluster({ enablePrivateCluster: true })}`,
  "fail/fqdn-string.yaml": `description: FQDN as a string.\n${cluster({ enablePrivateCluster: "True", enablePrivateClusterPublicFQDN: "TRUE" })}`,
  "pass/fqdn-off.yaml": `description: FQDN off.\n${cluster({ enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false })}`,
  "pass/public.yaml": `description: A public cluster.\nexpect: not-applicable\n${cluster({})}`,
};

const created: string[] = [];

/** Removes every fixture catalog this test file wrote (call from afterAll). */
export function removeFixtureCatalogs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes the fixture catalog (optionally altered) and returns its folder. */
export function writeFixtureCatalog(options: { rule?: string; examples?: Record<string, string | null>; extraRules?: Record<string, string> } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-catalog-"));
  created.push(root);
  fs.copyFileSync(path.join(CATALOG, "rule.schema.json"), path.join(root, "rule.schema.json"));
  const write = (folder: string, rule: string, examples: Record<string, string | null>) => {
    fs.mkdirSync(path.join(root, folder), { recursive: true });
    fs.writeFileSync(path.join(root, folder, "rule.yaml"), rule);
    for (const [file, content] of Object.entries(examples)) {
      if (content === null) continue;
      fs.mkdirSync(path.dirname(path.join(root, folder, "examples", file)), { recursive: true });
      fs.writeFileSync(path.join(root, folder, "examples", file), content);
    }
  };
  write("demo-rule", options.rule ?? FIXTURE_RULE, { ...FIXTURE_EXAMPLES, ...options.examples });
  for (const [folder, rule] of Object.entries(options.extraRules ?? {})) write(folder, rule, FIXTURE_EXAMPLES);
  return root;
}
