import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** One hash over every file's relative path and bytes below `dir`: equal hashes, untouched tree. */
export function hashTree(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      hash.update(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
      else hash.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest("hex");
}
