/**
 * The policy repository of the README's roll-out section: its files are the README's blocks marked
 * `<!-- apiguard:estate-file <path> -->`, so what the README shows is what its transcripts and
 * samples run.
 */
import * as fs from "fs";
import * as path from "path";
import { teamProject, writeTeamOutputs } from "./estate";
import { REPO } from "./paths";

const BLOCK = /<!-- apiguard:estate-file ([^\s]+) -->\n```\w+\n([\s\S]*?)```/g;

/** The README's estate files: path in the repository → content. */
export function readmeEstateFiles(readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8")): Record<string, string> {
  return Object.fromEntries([...readme.matchAll(BLOCK)].map((m) => [m[1], m[2]]));
}

/** The README's policy repository with its outputs generated; returns its folder. */
export function readmeProject(): string {
  const files = readmeEstateFiles();
  const root = teamProject({ rollout: files["catalog/rollout.yaml"], exemptions: files["catalog/exemptions.yaml"] });
  for (const [file, content] of Object.entries(files).filter(([f]) => !f.startsWith("catalog/"))) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  writeTeamOutputs(root);
  return root;
}
