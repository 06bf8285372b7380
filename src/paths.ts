import * as fs from "fs";
import * as path from "path";

/** The apiguard checkout or install: the nearest folder above this file holding `templates/`. Works from src/ and dist/. */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "templates")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`apiguard: cannot find templates/ above ${__dirname}`);
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, "templates");
/** The rule catalog shipped with apiguard; a team's catalog builds on it (src/catalog/merge.ts). */
export const BUNDLED_CATALOG = path.join(PROJECT_ROOT, "catalog");
export const SEMANTICS_SOURCE = path.join(PROJECT_ROOT, "src", "semantics", "semantics.ts");
