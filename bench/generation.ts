/** Generation scaling: the real catalog, and synthetic catalogs of 10, 100 and 1,000 rules. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCatalog } from "../core/catalog/load";
import { generateAll } from "../generators";
import { readGeneratorInputs } from "../cli/generator-inputs";
import { time, type Measurement } from "./stats";

/** A catalog of `size` rules: copies of the real rules (with their examples) under new ids. */
function syntheticCatalog(source: string, size: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `apiguard-bench-catalog-${size}-`));
  fs.copyFileSync(path.join(source, "rule.schema.json"), path.join(root, "rule.schema.json"));
  const rules = fs
    .readdirSync(source)
    .filter((d) => fs.statSync(path.join(source, d)).isDirectory())
    .sort();
  for (let i = 0; i < size; i++) {
    const original = rules[i % rules.length];
    const id = `${original}-${String(i).padStart(4, "0")}`;
    fs.cpSync(path.join(source, original), path.join(root, id), { recursive: true });
    const file = path.join(root, id, "rule.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`id: ${original}`, `id: ${id}`));
  }
  return root;
}

export interface GenerationResult {
  catalog: string;
  rules: number;
  files: number;
  ms: Measurement;
  msPerRule: number;
}

export async function benchGeneration(repo: string, runs: number): Promise<GenerationResult[]> {
  const real = path.join(repo, "catalog");
  const sizes: { catalog: string; rules: number; dir: string; temp: boolean }[] = [
    { catalog: "bundled", rules: loadCatalog(real).rules.length, dir: real, temp: false },
    ...[10, 100, 1000].map((n) => ({ catalog: "synthetic", rules: n, dir: syntheticCatalog(real, n), temp: true })),
  ];
  const results: GenerationResult[] = [];
  try {
    for (const s of sizes) {
      let files = 0;
      const ms = await time(runs, () => {
        files = generateAll(loadCatalog(s.dir), readGeneratorInputs(repo)).size;
      });
      results.push({ catalog: s.catalog, rules: s.rules, files, ms, msPerRule: ms.median / s.rules });
    }
  } finally {
    for (const s of sizes) if (s.temp) fs.rmSync(s.dir, { recursive: true, force: true });
  }
  return results;
}
