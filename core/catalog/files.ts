/** Reading catalog files: strict UTF-8 within a size limit, into documents that remember positions. */
import * as fs from "fs";
import * as path from "path";
import { CatalogError, CatalogErrors, SourceDocument } from "./yaml-source";

export const RULE_FILE = "rule.yaml";
export const SCHEMA_FILE = "rule.schema.json";

/** A catalog file larger than this is a mistake (a rule is a page of YAML), not a rule. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;

/** Byte-order sort: independent of locale, so output is the same on every machine. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return (relative.startsWith("..") ? file : relative).split(path.sep).join("/");
}

/** The catalog's rule schema: its own, else `fallback` (a team's catalog validates against the installed apiguard's). */
export function readSchema(root: string, fallback?: string): object {
  const own = path.join(root, SCHEMA_FILE);
  const file = fallback && !fs.existsSync(own) ? fallback : own;
  if (!fs.existsSync(file)) throw new CatalogErrors([new CatalogError({ file: displayPath(file), line: 1, column: 1 }, `missing ${SCHEMA_FILE}: the catalog folder holds the rule schema beside the rules`)]);
  return JSON.parse(fs.readFileSync(file, "utf8")) as object;
}

/** Reads a catalog file as strict UTF-8 (a bad byte is an error, not a silent U+FFFD) within a size limit. */
export function readCatalogFile(file: string): SourceDocument {
  const shown = displayPath(file);
  const size = fs.statSync(file).size;
  if (size > MAX_CATALOG_FILE_BYTES) throw new CatalogError({ file: shown, line: 1, column: 1 }, `${size} bytes is larger than the ${MAX_CATALOG_FILE_BYTES}-byte limit for a catalog file`);
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    // The decoder also drops a leading byte order mark (WHATWG Encoding: `ignoreBOM` is false by default).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Where the first bad byte is: the first replacement character of a lenient decoding.
    const lenient = bytes.toString("utf8");
    const before = lenient.slice(0, lenient.indexOf("\uFFFD")).split("\n");
    throw new CatalogError({ file: shown, line: before.length, column: before[before.length - 1].length + 1 }, "the file is not valid UTF-8");
  }
  return SourceDocument.parse(shown, text);
}
