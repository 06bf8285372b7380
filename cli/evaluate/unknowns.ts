/**
 * Values unknown before deployment, in one representation both engines understand: Pulumi's unknown
 * sentinel strings. CrossGuard reads props through @pulumi/policy's unknown-checking proxy, which
 * throws on them ("can't be known during preview"); the Azure Policy engine wraps the ARM resource
 * in the same proxy, so a definition that reads one evaluates to `unknown` rather than to its text.
 * The sentinels are Pulumi's wire values (@pulumi/policy proxy.js; pulumi/pulumi
 * sdk/go/common/resource/plugin/rpc.go `UnknownStringValue`), which stack exports and
 * `pulumi preview --json` also carry.
 */

/** Pulumi's UnknownStringValue: what reaches a policy pack for a computed value. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every sentinel @pulumi/policy treats as unknown (string, boolean, number, array, asset, archive, object). */
const SENTINELS = new Set([
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && SENTINELS.has(v);
}

/** Why a value is unknown: its dotted path in the resource and the expression or source it came from. */
export interface UnknownNote {
  path: string;
  reason: string;
}

/** Notes for sentinels already present in a value (stack exports, previews, plans). */
export function sentinelNotes(value: unknown, reason: string, prefix = ""): UnknownNote[] {
  const notes: UnknownNote[] = [];
  const walk = (v: unknown, at: string) => {
    if (isUnknownSentinel(v)) notes.push({ path: at || "(value)", reason });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(value, prefix);
  return notes;
}
