/**
 * The layout is the data flow (ARCHITECTURE.md): each top-level folder imports only from the folders
 * above it, and the Azure Policy engine and the reference semantics import nothing of apiguard.
 */
import * as fs from "fs";
import * as path from "path";
import { TARGETS } from "../core/targets";
import { REPO } from "./helpers/paths";

/** Which top-level folders each layer may import from (itself included). */
const MAY_IMPORT: Record<string, string[]> = {
  core: ["core"],
  "azure-policy-engine": ["azure-policy-engine"],
  "arm-template": ["azure-policy-engine", "arm-template"],
  generators: ["core", "generators"],
  cli: ["core", "azure-policy-engine", "arm-template", "generators", "cli"],
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

test.each(files.filter((f) => layerOf(f) !== "azure-policy-engine"))("%s uses the Azure Policy engine through its public API only", (file) => {
  const internals = relativeImports(file)
    .map((spec) => path.relative(REPO, path.resolve(REPO, path.dirname(file), spec)))
    .filter((target) => layerOf(target) === "azure-policy-engine" && target !== "azure-policy-engine");
  expect(internals).toEqual([]);
});

test.each(["core/semantics/semantics.ts", "core/rollout/rollout.ts"])("%s imports nothing: the pack ships it verbatim", (file) => {
  expect(fs.readFileSync(path.join(REPO, file), "utf8")).not.toMatch(/^\s*import\s/m);
});

/**
 * A target is one module (core/targets): no target id, provider, type token or resource type is
 * written in the command line or the generators (their templates included), so adding a target never
 * touches them.
 */
describe("the command line and the generators know no target", () => {
  const texts = (dir: string): string[] =>
    fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
      const relative = `${dir}/${e.name}`;
      if (e.isDirectory()) return relative === "cli/scaffold" ? [] : texts(relative);
      return /\.(ts|hbs)$/.test(e.name) ? [relative] : [];
    });
  const shapes = TARGETS.flatMap((t) => t.shapes);
  const tokens = shapes.flatMap((s) => (s.pulumi ? [s.pulumi.full, s.pulumi.short, s.pulumi.versioned].filter((x): x is string => x !== undefined) : []));
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const FORBIDDEN: [string, RegExp][] = [
    // A target id as a string of its own, the way code would name it (a rule id such as
    // aks-private-cluster is not one, and prose may say "fleet" of an estate).
    ...TARGETS.map((t): [string, RegExp] => [`target id '${t.id}'`, new RegExp(`["'\`]${t.id}["'\`]`)]),
    ...TARGETS.flatMap((t) => (t.cluster ? [[`cluster name '${t.cluster}' in a template`, new RegExp(`\\b${t.cluster}\\b`)] as [string, RegExp]] : [])),
    // Pulumi providers, as a literal, a type token's package or a package name (ARM is an input format, not a provider here).
    ...[...new Set(shapes.map((s) => s.provider))].filter((p) => p !== "arm").map((p): [string, RegExp] => [`provider '${p}'`, new RegExp(`["'\`]${escape(p)}["'\`]|(?<![\\w./-])${escape(p)}:[a-z]|@pulumi/${escape(p)}(?![\\w-])`)]),
    ...tokens.map((t): [string, RegExp] => [`type token '${t}'`, new RegExp(escape(t), "i")]),
    ...shapes.flatMap((s) => (s.arm ? [[`ARM type '${s.arm.resourceType}'`, new RegExp(escape(s.arm.resourceType), "i")] as [string, RegExp]] : [])),
    ...shapes.flatMap((s) => (s.terraform ? [[`Terraform type '${s.terraform.type}'`, new RegExp(escape(s.terraform.type))] as [string, RegExp]] : [])),
  ];
  test.each(["cli", "generators"].flatMap(texts))("%s", (file) => {
    const text = fs.readFileSync(path.join(REPO, file), "utf8");
    // Cluster names (AKS, EKS) are product words in prose; only a template would print them.
    const applicable = FORBIDDEN.filter(([what]) => !what.startsWith("cluster name") || file.endsWith(".hbs"));
    expect(applicable.filter(([, pattern]) => pattern.test(text)).map(([what]) => what)).toEqual([]);
  });
});
