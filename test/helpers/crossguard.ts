import * as path from "path";
import { loadPackPolicies as load } from "../../cli/evaluate/engines/crossguard";
import { REPO } from "./paths";

export { judgeWithPack, type Judged, type PackResource } from "../../cli/evaluate/engines/crossguard";

export const PACK_DIR = path.join(REPO, "policypack");

/** The committed pack's policies (policypack/bin/policies.js). */
export function loadPackPolicies() {
  return load(PACK_DIR);
}
