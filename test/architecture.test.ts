/**
 * The layout is the data flow (ARCHITECTURE.md): each top-level folder imports only from the folders
 * above it, and the Azure Policy engine and the reference semantics import nothing of apiguard.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "./helpers/paths";

/** Which top-level folders each layer may import from (itself included). */
const MAY_IMPORT: Record<string, string[]> = {
  core: ["core"],
  "azure-policy-engine": ["azure-policy-engine"],
  generators: ["core", "generators"],
  cli: ["core", "azure-policy-engine", "generators", "cli"],
};
/** Folders that hold templates and scaffolding copied as text, not compiled with their layer. */
const NOT_CODE = ["generators/templates", "cli/scaffold"];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const relative = `${dir}/${e.name}`;
    if (e.isDirectory()) return NOT_CODE.includes(relative) ? [] : sources(relative);
    return e.name.endsWith(".ts") ? [relative] : [];
  });
}

/** Relative module specifiers of static imports, re-exports, require() and import() calls. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO, file), "utf8");
  return [...text.matchAll(/(?:\bfrom|\brequire\(|\bimport\()\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
}

const layerOf = (file: string) => file.split("/")[0];

const files = Object.keys(MAY_IMPORT).flatMap(sources);

test("every layer has source files", () => {
  for (const layer of Object.keys(MAY_IMPORT)) expect(files.some((f) => layerOf(f) === layer)).toBe(true);
});

test.each(files)("%s imports only from the layers above it", (file) => {
  const allowed = MAY_IMPORT[layerOf(file)];
  const outside = relativeImports(file)
    .map((spec) => path.relative(REPO, path.resolve(REPO, path.dirname(file), spec)))
    .filter((target) => !allowed.includes(layerOf(target)));
  expect(outside).toEqual([]);
});

test("the reference semantics imports nothing: the pack ships it verbatim", () => {
  expect(fs.readFileSync(path.join(REPO, "core/semantics/semantics.ts"), "utf8")).not.toMatch(/^\s*import\s/m);
});
