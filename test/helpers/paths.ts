import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
export const CATALOG = path.join(REPO, "catalog");
/**
 * ../shared beside the checkout (CI provides it). Tests that need it fail loudly if it is missing.
 * APIGUARD_SHARED points elsewhere: `npm run mutate` runs the tests from a sandbox copy of the checkout.
 */
export const SHARED = process.env.APIGUARD_SHARED ? path.resolve(process.env.APIGUARD_SHARED) : path.resolve(REPO, "..", "shared");

export function sharedPath(...parts: string[]): string {
  const p = path.join(SHARED, ...parts);
  if (!fs.existsSync(p)) throw new Error(`missing ${p}: the tests need ../shared beside the checkout`);
  return p;
}
