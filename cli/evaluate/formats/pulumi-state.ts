/**
 * Resource states as Pulumi writes them, shared by stack exports and previews:
 * - A stack export's secret is `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "ciphertext": …}`, or with `--show-secrets` `"plaintext": <the value, JSON-encoded>` (pulumi/pulumi
 *   sdk/go/common/apitype/core.go `SecretV1`; the signature constants are @pulumi/pulumi
 *   runtime/rpc.js `specialSigKey` / `specialSecretSig`). Plaintext is decoded; ciphertext is unknown.
 * - `pulumi preview --json` masks secret values as the string `[secret]`, which is unknown here.
 * - Computed values are Pulumi's unknown sentinels in both (see ../unknowns.ts).
 */
import { UNKNOWN, sentinelNotes, type UnknownNote } from "../unknowns";
import { isObject, type Found, type Obj } from "./contract";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** How `pulumi preview --json` prints a secret value. */
const MASKED_SECRET = "[secret]";

/** Decodes secrets in a state's value; notes the ones only known encrypted (or masked, in a preview). */
function decodeSecrets(value: unknown, at: string, notes: UnknownNote[], masked: boolean): unknown {
  if (masked && value === MASKED_SECRET) {
    notes.push({ path: at, reason: "a secret masked as [secret] in the preview (rerun with --show-secrets)" });
    return UNKNOWN;
  }
  if (Array.isArray(value)) return value.map((v, i) => decodeSecrets(v, `${at}[${i}]`, notes, masked));
  if (!isObject(value)) return value;
  if (value[SIG_KEY] === SECRET_SIG) {
    if (typeof value.plaintext === "string") {
      try {
        return decodeSecrets(JSON.parse(value.plaintext), at, notes, masked);
      } catch {
        notes.push({ path: at, reason: "a secret whose plaintext is not JSON" });
        return UNKNOWN;
      }
    }
    notes.push({ path: at, reason: "an encrypted secret (export with --show-secrets to judge it)" });
    return UNKNOWN;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeSecrets(v, at ? `${at}.${k}` : k, notes, masked)]));
}

/**
 * One resource state (`{type, urn, inputs|outputs}`): its inputs (else outputs) with secrets decoded and
 * unknowns noted. The stack itself and providers are not resources a rule judges.
 */
export function stateResource(state: Obj, path: (string | number)[], index: number, masked: boolean): Found | undefined {
  const type = state.type;
  if (typeof type !== "string" || type.startsWith("pulumi:")) return undefined;
  const urn = typeof state.urn === "string" ? state.urn : undefined;
  const name = urn ? urn.slice(urn.lastIndexOf("::") + 2) : `resource ${index}`;
  const key = isObject(state.inputs) ? "inputs" : "outputs";
  const unknowns: UnknownNote[] = [];
  const props = decodeSecrets(state[key] ?? {}, "", unknowns, masked);
  if (!isObject(props)) return undefined;
  const noted = new Set(unknowns.map((n) => n.path));
  unknowns.push(...sentinelNotes(props, "unknown until the update runs (Pulumi unknown value)").filter((n) => !noted.has(n.path)));
  return { shape: "pulumi", type, name, urn, props, path: [...path, key], unknowns };
}
