/**
 * Pulumi inputs: `pulumi stack export` and `pulumi preview --json`.
 * - A stack export's secret is `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "ciphertext": …}`, or with `--show-secrets` `"plaintext": <the value, JSON-encoded>` (pulumi/pulumi
 *   sdk/go/common/apitype/core.go `SecretV1`; the signature constants are @pulumi/pulumi
 *   runtime/rpc.js `specialSigKey` / `specialSecretSig`). Plaintext is decoded; ciphertext is unknown.
 * - `pulumi preview --json` prints a PreviewDigest whose `steps[]` carry `op` and `newState.inputs`
 *   (pulumi/pulumi sdk/go/common/display/json.go `PreviewDigest`, `PreviewStep`); it masks secret
 *   values as the string `[secret]`, which is unknown here.
 * - Computed values are Pulumi's unknown sentinels in both (see unknowns.ts).
 */
import { UNKNOWN, sentinelNotes, type UnknownNote } from "./unknowns";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** How `pulumi preview --json` prints a secret value. */
const MASKED_SECRET = "[secret]";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface PulumiFound {
  type: string;
  name: string;
  urn?: string;
  props: Obj;
  path: (string | number)[];
  unknowns: UnknownNote[];
}

/** Decodes secrets in a stack export value; notes the ones only known encrypted. */
function decodeSecrets(value: unknown, at: string, notes: UnknownNote[], masked: boolean): unknown {
  if (masked && value === MASKED_SECRET) {
    notes.push({ path: at, reason: "a secret masked as [secret] in the preview (rerun with --show-secrets)" });
    return UNKNOWN;
  }
  if (Array.isArray(value)) return value.map((v, i) => decodeSecrets(v, `${at}[${i}]`, notes, masked));
  if (!isObj(value)) return value;
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

function found(state: Obj, path: (string | number)[], index: number, masked: boolean): PulumiFound | undefined {
  const type = state.type;
  if (typeof type !== "string" || type.startsWith("pulumi:")) return undefined; // the stack and providers
  const urn = typeof state.urn === "string" ? state.urn : undefined;
  const name = urn ? urn.slice(urn.lastIndexOf("::") + 2) : `resource ${index}`;
  const key = isObj(state.inputs) ? "inputs" : "outputs";
  const unknowns: UnknownNote[] = [];
  const props = decodeSecrets(state[key] ?? {}, "", unknowns, masked);
  if (!isObj(props)) return undefined;
  const noted = new Set(unknowns.map((n) => n.path));
  unknowns.push(...sentinelNotes(props, "unknown until the update runs (Pulumi unknown value)").filter((n) => !noted.has(n.path)));
  return { type, name, urn, props, path: [...path, key], unknowns };
}

export function isStackExport(data: Obj): boolean {
  return isObj(data.deployment) && Array.isArray((data.deployment as Obj).resources ?? []);
}

export function isPreview(data: Obj): boolean {
  return Array.isArray(data.steps) && data.steps.every((s) => isObj(s) && typeof s.op === "string");
}

/** Resources of a stack export: their inputs are what the policy pack judges. */
export function stackExportResources(data: Obj): PulumiFound[] {
  const resources = ((data.deployment as Obj).resources ?? []) as unknown[];
  return resources.flatMap((r, i) => (isObj(r) ? (found(r, ["deployment", "resources", i], i, false) ?? []) : []));
}

// Steps after which the resource no longer exists (or is only read).
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "read", "read-replacement", "remove-pending-replace"]);

/** Resources a preview will create or keep: `newState.inputs` of every step that leaves one. */
export function previewResources(data: Obj): PulumiFound[] {
  return (data.steps as Obj[]).flatMap((step, i) => {
    if (GONE.has(String(step.op)) || !isObj(step.newState)) return [];
    return found(step.newState, ["steps", i, "newState"], i, true) ?? [];
  });
}
