/** All backends together: catalog and inputs in, every output file (path → content) out. Pure: reads and writes nothing. */
import type { Catalog } from "../core/catalog/load";
import { byteOrder } from "../core/catalog/load";
import type { GeneratorInputs, OutputFiles } from "./common";
import { generateAlz } from "./alz";
import { generateAzCli } from "./az-cli";
import { azurePolicyDocuments, generateAzurePolicy } from "./azure-policy";
import { generateCrossGuard } from "./crossguard";
import { generateDocs } from "./docs";
import { generateEpac } from "./epac";
import { generateVersions, withResolvedVersions } from "./versions";

export type { GeneratorInputs, OutputFiles } from "./common";

/** Folders the generator owns entirely: a file there that it no longer produces is stale. */
export const MANAGED_DIRS = ["policypack", "azure-policy", "docs/rules"];
/** Paths inside managed folders that belong to the user (installed dependencies). */
export const UNMANAGED_PATHS = ["policypack/node_modules"];

export function generateAll(source: Catalog, inputs: GeneratorInputs): OutputFiles {
  const catalog = withResolvedVersions(source, inputs.previousVersions);
  // Built once, after the versions are resolved (definitions carry them), and rendered by every Azure output.
  const azure = azurePolicyDocuments(catalog);
  const parts = [generateVersions(azure), generateCrossGuard(catalog, inputs), generateAzurePolicy(azure), generateAzCli(azure), generateEpac(azure), generateDocs(catalog, azure, inputs.readme), generateAlz(azure)];
  const files: OutputFiles = new Map();
  for (const part of parts) {
    for (const [file, content] of part) {
      if (files.has(file)) throw new Error(`two generators produce ${file}`);
      files.set(file, content);
    }
  }
  return new Map([...files].sort(([a], [b]) => byteOrder(a, b)));
}
