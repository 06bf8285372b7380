/**
 * The files generation depends on besides the catalog, read once here so the generators stay pure:
 * the project's committed versions.json and README, and apiguard's own manifest, lockfile and
 * reference semantics (the pack pins and ships them).
 */
import * as fs from "fs";
import * as path from "path";
import type { GeneratorInputs } from "../generators";
import { VERSIONS_FILE } from "../generators/versions";
import { PROJECT_ROOT, ROLLOUT_SOURCE, SEMANTICS_SOURCE } from "./project-paths";

function readIfPresent(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * The definition versions recorded in a project's versions.json. apiguard's own record is the floor for
 * every project: a bundled rule generated in a team's repository never goes below the version apiguard
 * shipped for the same logic.
 */
function recordedVersions(dir: string): GeneratorInputs["previousVersions"] {
  const text = readIfPresent(path.join(dir, VERSIONS_FILE));
  return text === undefined ? {} : (JSON.parse(text) as { rules: GeneratorInputs["previousVersions"] }).rules;
}

/** Inputs for generating into `projectDir` (its versions.json and README; apiguard's own files from where it is installed). */
export function readGeneratorInputs(projectDir: string): GeneratorInputs {
  const lockfile = readIfPresent(path.join(PROJECT_ROOT, "package-lock.json"));
  return {
    previousVersions: { ...recordedVersions(PROJECT_ROOT), ...recordedVersions(projectDir) },
    apiguardPackage: JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as GeneratorInputs["apiguardPackage"],
    apiguardLockfile: lockfile === undefined ? undefined : (JSON.parse(lockfile) as GeneratorInputs["apiguardLockfile"]),
    shippedPackLockfile: readIfPresent(path.join(PROJECT_ROOT, "policypack", "package-lock.json")),
    semanticsSource: fs.readFileSync(SEMANTICS_SOURCE, "utf8"),
    rolloutSource: fs.readFileSync(ROLLOUT_SOURCE, "utf8"),
    readme: readIfPresent(path.join(projectDir, "README.md")),
  };
}
