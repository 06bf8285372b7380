import * as fs from "fs";
import * as path from "path";

/** The apiguard checkout or install: the nearest folder above this file holding `catalog/` and `package.json`. Works from cli/ and dist/cli/. */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "catalog", "rule.schema.json")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`apiguard: cannot find its catalog/ above ${__dirname}`);
  }
}

export const PROJECT_ROOT = findProjectRoot();
/** The rule catalog shipped with apiguard; a team's catalog builds on it (core/catalog/merge.ts). */
export const BUNDLED_CATALOG = path.join(PROJECT_ROOT, "catalog");
/** The reference semantics, shipped verbatim into the pack. */
export const SEMANTICS_SOURCE = path.join(PROJECT_ROOT, "core", "semantics", "semantics.ts");
/** Ring membership and exemption matching, shipped verbatim into the pack. */
export const ROLLOUT_SOURCE = path.join(PROJECT_ROOT, "core", "rollout", "rollout.ts");
