/**
 * What all-or-nothing writing costs: the journaled write (lock, staged and flushed files, backups,
 * manifest, renames) beside plain writes of the same files, with and without a flush each, in one run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCatalog } from "../core/catalog/load";
import { generateAll } from "../generators";
import { readGeneratorInputs } from "../cli/generator-inputs";
import { writeOutputs } from "../cli/write-files";
import { time, type Measurement } from "./stats";

export interface WriteResult {
  files: number;
  changedByOneRule: number;
  ms: { plain: Measurement; plainFlushed: Measurement; journaledAllNew: Measurement; journaledOneRule: Measurement; journaledUnchanged: Measurement };
}

export async function benchWrite(repo: string, runs: number): Promise<WriteResult> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-write-"));
  try {
    const catalog = path.join(base, "catalog");
    fs.cpSync(path.join(repo, "catalog"), catalog, { recursive: true });
    const files = generateAll(loadCatalog(catalog), readGeneratorInputs(repo));
    const rule = path.join(catalog, "aks-private-cluster", "rule.yaml");
    fs.writeFileSync(rule, fs.readFileSync(rule, "utf8").replace(/^title: .*$/m, "title: Retitled for the benchmark"));
    const retitled = generateAll(loadCatalog(catalog), readGeneratorInputs(repo));
    const changedByOneRule = [...retitled].filter(([f, c]) => files.get(f) !== c).length;

    let n = 0;
    const fresh = () => path.join(base, `out-${n++}`);
    /** Folders holding the outputs already, made before the clock starts. */
    const generated = (count: number) =>
      Array.from({ length: count }, () => {
        const dir = fresh();
        writeOutputs(dir, files);
        return dir;
      });
    const plain = (flush: boolean) => () => {
      const dir = fresh();
      for (const [file, content] of files) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        const fd = fs.openSync(path.join(dir, file), "w");
        fs.writeSync(fd, content);
        if (flush) fs.fsyncSync(fd);
        fs.closeSync(fd);
      }
    };
    const oneRule = generated(runs + 1);
    const unchanged = generated(runs + 1);
    return {
      files: files.size,
      changedByOneRule,
      ms: {
        plain: await time(runs, plain(false)),
        plainFlushed: await time(runs, plain(true)),
        journaledAllNew: await time(runs, () => writeOutputs(fresh(), files)),
        journaledOneRule: await time(runs, () => writeOutputs(oneRule.pop()!, retitled)),
        journaledUnchanged: await time(runs, () => writeOutputs(unchanged.pop()!, files)),
      },
    };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
