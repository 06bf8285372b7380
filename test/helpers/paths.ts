import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
export const CATALOG = path.join(REPO, "catalog");
/** ../shared beside the checkout (CI provides it). Tests that need it fail loudly if it is missing. */
export const SHARED = path.resolve(REPO, "..", "shared");

export function sharedPath(...parts: string[]): string {
  const p = path.join(SHARED, ...parts);
  if (!fs.existsSync(p)) throw new Error(`missing ${p}: the tests need ../shared beside the checkout`);
  return p;
}
