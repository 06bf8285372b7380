/** What generation reads besides the catalog, and where from. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { VERSIONS_FILE } from "../../generators/versions";
import { REPO } from "../helpers/paths";

const shipped = JSON.parse(fs.readFileSync(path.join(REPO, VERSIONS_FILE), "utf8")).rules as Record<string, { version: string; logicHash: string }>;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-inputs-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test("a project without its own record starts from the versions apiguard shipped", () => {
  const dir = project({});
  try {
    expect(readGeneratorInputs(dir).previousVersions).toEqual(shipped);
    expect(readGeneratorInputs(dir).readme).toBeUndefined();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a project's own record wins for the rules it lists; its README is read as written", () => {
  const [id] = Object.keys(shipped);
  const own = { [id]: { version: "7.0.0", logicHash: "sha256:own" }, "team-rule": { version: "1.2.3", logicHash: "sha256:team" } };
  const dir = project({ [VERSIONS_FILE]: JSON.stringify({ rules: own }), "README.md": "# Ours\r\n" });
  try {
    const inputs = readGeneratorInputs(dir);
    expect(inputs.previousVersions).toEqual({ ...shipped, ...own });
    expect(inputs.readme).toBe("# Ours\r\n");
    expect(inputs.semanticsSource).toBe(fs.readFileSync(path.join(REPO, "core/semantics/semantics.ts"), "utf8"));
    expect(inputs.rolloutSource).toBe(fs.readFileSync(path.join(REPO, "core/rollout/rollout.ts"), "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
