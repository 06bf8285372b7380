/**
 * Resource states as Pulumi writes them, shared by stack exports and previews:
 * - A stack export's secret is `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "ciphertext": …}`, or with `--show-secrets` `"plaintext": <the value, JSON-encoded>` (pulumi/pulumi
 *   sdk/go/common/apitype/core.go `SecretV1`; the signature constants are @pulumi/pulumi
 *   runtime/rpc.js `specialSigKey` / `specialSecretSig`). Plaintext is decoded; ciphertext is unknown.
 * - `pulumi preview --json` masks secret values as the string `[secret]`, which is unknown here.
 * - Computed values are Pulumi's unknown sentinels in both (see ../unknowns.ts).
 */
import { UNKNOWN, everyFieldUnknown, isUnknownSentinel, sentinelNotes, type UnknownNote } from "../unknowns";
import { DocumentError, isObject, type Found, type Obj } from "./contract";

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
 * One resource state (`{type, urn, inputs|outputs}`): its inputs with secrets decoded and unknowns
 * noted. Inputs that are one secret or one unknown value make every field unknown; outputs are read
 * only when a state has no inputs at all, never in place of inputs that cannot be read.
 */
export function stateResource(state: Obj, path: (string | number)[], index: number, masked: boolean): Found {
  const type = state.type;
  if (typeof type !== "string") throw new DocumentError(path, "a resource state needs a string `type`");
  const urn = typeof state.urn === "string" ? state.urn : undefined;
  const name = urn ? urn.slice(urn.lastIndexOf("::") + 2) : `resource ${index}`;
  const key = state.inputs !== undefined && state.inputs !== null ? "inputs" : "outputs";
  const unknowns: UnknownNote[] = [];
  const props = decodeSecrets(state[key] ?? {}, "", unknowns, masked);
  if (!isObject(props)) {
    if (!isUnknownSentinel(props)) throw new DocumentError([...path, key], `\`${key}\` must be an object`);
    const why = unknowns[0]?.reason ?? "unknown until the update runs (Pulumi unknown value)";
    return { shape: "pulumi", type, name, urn, path: [...path, key], ...everyFieldUnknown(type, `all ${key}: ${why}`) };
  }
  const noted = new Set(unknowns.map((n) => n.path));
  for (const n of sentinelNotes(props, "unknown until the update runs (Pulumi unknown value)")) if (!noted.has(n.path)) unknowns.push(n);
  // Located at its inputs (or outputs), else at the state itself (a stack or a provider may have neither).
  return { shape: "pulumi", type, name, urn, props, path: state[key] !== undefined ? [...path, key] : path, unknowns };
}
