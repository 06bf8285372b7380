import * as path from "path";
import { loadPackPolicies as load } from "../../src/engines/crossguard";
import { REPO } from "./paths";

export { judgeWithPack, type Judged, type PackResource } from "../../src/engines/crossguard";

export const PACK_DIR = path.join(REPO, "policypack");

/** The committed pack's policies (policypack/bin/policies.js). */
export function loadPackPolicies() {
  return load(PACK_DIR);
}
