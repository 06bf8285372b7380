/**
 * Definition versions: a rule's Azure Policy logic (its policyRule and parameters) is hashed and
 * recorded in azure-policy/versions.json. When the logic changes and the catalog's version was not
 * raised past the recorded one, generation raises the patch version itself; the catalog version
 * stays the floor. Deterministic: the same catalog and versions.json always give the same versions.
 */
import * as crypto from "crypto";
import type { Catalog } from "../core/catalog/load";
import { definitionParameters, policyRule } from "./azure-policy";
import type { AzurePolicyDocuments, PolicyDefinition } from "./azure-policy-documents";
import { GENERATED_NOTICE, type OutputFiles } from "./common";
import { json } from "./render";

export const VERSIONS_FILE = "azure-policy/versions.json";

export type Versions = Record<string, { version: string; logicHash: string }>;

/** A definition's logic: what it judges and how it is parameterised, not its version or wording. */
type Logic = Pick<PolicyDefinition["properties"], "policyRule" | "parameters">;

function logicHash(logic: Logic): string {
  return `sha256:${crypto
    .createHash("sha256")
    .update(JSON.stringify({ policyRule: logic.policyRule, parameters: logic.parameters }))
    .digest("hex")}`;
}

const parts = (v: string) => v.split(".").map(Number);
function newer(a: string, b: string): string {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i] ? a : b;
  return a;
}
const bumpPatch = (v: string) => {
  const [major, minor, patch] = parts(v);
  return `${major}.${minor}.${patch + 1}`;
};

/** The catalog with each Azure rule's version resolved against azure-policy/versions.json. */
export function withResolvedVersions(catalog: Catalog, previous: Versions): Catalog {
  const rules = catalog.rules.map((rule) => {
    const prior = previous[rule.id];
    if (!rule.backends.includes("azure-policy") || !prior) return rule;
    // Resolved before the documents are built (their metadata carries the result), so from the builders.
    const hash = logicHash({ policyRule: policyRule(rule), parameters: definitionParameters(rule) });
    const version = newer(rule.version, prior.logicHash === hash ? prior.version : bumpPatch(prior.version));
    return version === rule.version ? rule : { ...rule, version };
  });
  return { ...catalog, rules };
}

export function generateVersions(documents: AzurePolicyDocuments): OutputFiles {
  const versions: Versions = {};
  for (const { rule, document } of documents.definitions) versions[rule.id] = { version: document.properties.metadata.version, logicHash: logicHash(document.properties) };
  return new Map([[VERSIONS_FILE, json({ "//": GENERATED_NOTICE, rules: versions }) + "\n"]]);
}
