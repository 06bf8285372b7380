/**
 * `--parameters` values for ARM templates, as `az deployment group create --parameters` takes them:
 * a deploymentParameters file (`@file` or a path) or `name=value`; later values win
 * (Parameter files, https://learn.microsoft.com/azure/azure-resource-manager/templates/parameter-files).
 */
import * as fs from "fs";
import { ParameterFileError, parameterFileValues } from "../../arm-template";
import { InputError, parseFile } from "./parse";

export function readParameters(specs: readonly string[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const spec of specs) {
    const file = spec.startsWith("@") ? spec.slice(1) : spec;
    const eq = spec.indexOf("=");
    if (eq > 0 && !spec.startsWith("@") && !fs.existsSync(spec)) {
      values.set(spec.slice(0, eq).trim().toLowerCase(), spec.slice(eq + 1));
      continue;
    }
    const parsed = parseFile(file);
    try {
      for (const [k, v] of parameterFileValues(parsed.data, file)) values.set(k, v);
    } catch (e) {
      if (e instanceof ParameterFileError) throw new InputError(e.message);
      throw e;
    }
  }
  return values;
}
