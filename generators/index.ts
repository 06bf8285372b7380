/** All backends together: catalog in, every output file (path → content) out. Pure: writes nothing. */
import type { Catalog } from "../src/catalog/load";
import { byteOrder } from "../src/catalog/load";
import type { OutputFiles } from "./common";
import { generateAlz } from "./alz";
import { generateAzCli } from "./az-cli";
import { generateAzurePolicy } from "./azure-policy";
import { generateCrossGuard } from "./crossguard";
import { generateDocs } from "./docs";
import { generateEpac } from "./epac";
import { generateVersions, withResolvedVersions } from "./versions";

export type { OutputFiles } from "./common";

/** Folders the generator owns entirely: a file there that it no longer produces is stale. */
export const MANAGED_DIRS = ["policypack", "azure-policy", "docs/rules"];
/** Paths inside managed folders that belong to the user (installed dependencies). */
export const UNMANAGED_PATHS = ["policypack/node_modules", "policypack/package-lock.json"];

export function generateAll(source: Catalog, projectDir: string): OutputFiles {
  const catalog = withResolvedVersions(source, projectDir);
  const files: OutputFiles = new Map();
  for (const part of [generateVersions(catalog), generateCrossGuard(catalog), generateAzurePolicy(catalog), generateAzCli(catalog), generateEpac(catalog), generateDocs(catalog, projectDir), generateAlz(catalog)]) {
    for (const [file, content] of part) {
      if (files.has(file)) throw new Error(`two generators produce ${file}`);
      files.set(file, content);
    }
  }
  return new Map([...files].sort(([a], [b]) => byteOrder(a, b)));
}
