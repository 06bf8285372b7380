/**
 * A folder as a listing of everything in it — each file with a hash of its bytes, each folder, each
 * symbolic link and where it points — for the invariant "wholly the old outputs or wholly the new
 * ones, and nothing else": two listings are equal only if no file differs and nothing is stray.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export type Listing = Record<string, string>;

export function listing(dir: string): Listing {
  const out: Listing = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(dir, relative)).sort()) {
      const entry = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(dir, entry));
      if (stat.isSymbolicLink()) out[entry] = `link → ${fs.readlinkSync(path.join(dir, entry))}`;
      else if (stat.isDirectory()) {
        out[`${entry}/`] = "folder";
        walk(entry);
      } else
        out[entry] = crypto
          .createHash("sha256")
          .update(fs.readFileSync(path.join(dir, entry)))
          .digest("hex")
          .slice(0, 16);
    }
  };
  walk("");
  return out;
}

/** The paths in which two listings differ (first few), for a failure message a person can read. */
export function difference(a: Listing, b: Listing, limit = 8): string[] {
  const paths = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((p) => a[p] !== b[p]);
  const shown = paths.slice(0, limit).map((p) => (p in a ? (p in b ? `changed ${p}` : `only before: ${p}`) : `only after: ${p}`));
  return paths.length > limit ? [...shown, `… and ${paths.length - limit} more`] : shown;
}

/** "old", "new", or what is wrong: the tree is compared with both. */
export function whichTree(actual: Listing, old: Listing, fresh: Listing): string {
  const key = (l: Listing) => JSON.stringify(Object.entries(l));
  if (key(actual) === key(old)) return "old";
  if (key(actual) === key(fresh)) return "new";
  return `neither old (${difference(old, actual).join("; ")}) nor new (${difference(fresh, actual).join("; ")})`;
}
