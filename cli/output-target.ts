/**
 * Folders apiguard refuses to write outputs into, each with a one-line reason: the root of the
 * filesystem, a file, the catalog itself or a folder inside it (the outputs would be read back as rule
 * folders), and a folder whose managed part holds the catalog (its files would be removed as stale).
 */
import * as fs from "fs";
import * as path from "path";
import { MANAGED_DIRS } from "../generators";
import { OutputError } from "./fs-transaction";

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's real path, and the rest. */
function realFolder(folder: string, label: string): string {
  const rest: string[] = [];
  let existing = folder;
  while (!fs.existsSync(existing)) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  const real = fs.realpathSync(existing);
  if (!fs.statSync(real).isDirectory()) {
    throw new OutputError(rest.length === 0 ? `${label} ${shown(folder)} is a file; it names the folder to write into` : `${label} ${shown(folder)}: ${shown(existing)} is a file, not a folder`);
  }
  return path.join(real, ...rest);
}

function within(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Refuses an unsafe output folder before anything is read or written. `catalogs`: the catalog folders the command reads. */
export function checkOutputTarget(folder: string, catalogs: string[], label: string): void {
  const out = realFolder(folder, label);
  if (path.parse(out).root === out) throw new OutputError(`${label} ${shown(folder)} is the root of the filesystem; it names a project folder to write into`);
  for (const catalog of catalogs.filter((c) => fs.existsSync(c))) {
    const real = fs.realpathSync(catalog);
    if (within(out, real)) {
      throw new OutputError(
        `${label} ${shown(folder)} is ${out === real ? "the catalog folder" : `inside the catalog folder ${shown(catalog)}`}: the outputs would be read as rule folders; write into the project folder that holds the catalog`,
      );
    }
    const owner = MANAGED_DIRS.find((dir) => within(real, path.join(out, dir)));
    if (owner) throw new OutputError(`the catalog ${shown(catalog)} lies inside ${shown(path.join(folder, owner))}, which apiguard owns: its files would be removed as stale; move the catalog out of it`);
  }
}
