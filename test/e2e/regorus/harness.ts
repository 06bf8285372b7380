/**
 * Microsoft's regorus Azure Policy engine, through the harness scripts/install-regorus.sh builds (and
 * caches): one process per batch, one JSON document in, one JSON verdict per case out.
 */
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { REPO } from "../../helpers/paths";

const HARNESS = execFileSync("bash", [path.join(REPO, "scripts", "install-regorus.sh")], { encoding: "utf8" })
  .trim()
  .split("\n")
  .pop()!;

/** `effect: null` is regorus's "undefined": the `if` did not match, or a template function failed. */
export interface RegorusVerdict {
  effect?: string | null;
  error?: string;
}

export interface RegorusCase {
  definition: string;
  resource: number;
  parameters: object;
}

export function runRegorus(aliases: unknown[], definitions: Record<string, unknown>, resources: unknown[], cases: RegorusCase[]): RegorusVerdict[] {
  const run = spawnSync(HARNESS, { input: JSON.stringify({ aliases, definitions, resources, cases }), maxBuffer: 1 << 30, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`regorus harness failed (${run.status}): ${run.stderr}`);
  const lines = run.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RegorusVerdict);
  if (lines.length !== cases.length) throw new Error(`regorus harness answered ${lines.length} of ${cases.length} cases`);
  return lines;
}

/** Whether regorus applied the effect; a harness error fails the test. */
export function effective(verdict: RegorusVerdict): boolean {
  if (verdict.error) throw new Error(`regorus: ${verdict.error}`);
  return typeof verdict.effect === "string" && verdict.effect.toLowerCase() !== "disabled";
}
