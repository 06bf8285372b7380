/**
 * Exemptions in `apiguard evaluate`, as each engine honours them. CrossGuard: the generated pack's
 * rule policies leave an exempt resource alone and its `exemptions` policy reports it, so evaluate
 * runs that policy and marks what it reports as `exempt`. Azure Policy: the generated policy
 * exemptions (azure-policy/exemptions.json) cover a resource when its id is at or below their scope;
 * a resource whose id is not known (an ARM template deploys to a scope given later) is judged as
 * Azure would judge it without the exemption. Both use core/rollout, the module the pack ships.
 */
import * as fs from "fs";
import * as path from "path";
import { azureExemption, exemptMessage, exemptRule, expiredNote, pulumiExemption, type Exemption, type ExemptionMatch, type ExemptionStatus } from "../../core/rollout/rollout";
import type { InputResource } from "./formats";
import type { Result } from "./run";

/** How a result shows the exemption that covers it (honoured, or expired and so no longer covering it). */
export interface ExemptionNote {
  name: string;
  category: Exemption["category"];
  reason: string;
  reference: string;
  expiresOn?: string;
  status: ExemptionStatus;
}

export function note({ exemption: e, status }: ExemptionMatch): ExemptionNote {
  return { name: e.name, category: e.category, reason: e.reason, reference: e.reference, ...(e.expiresOn ? { expiresOn: e.expiresOn } : {}), status };
}

/** The pack's exemptions (policypack/bin/estate.js), if it has any. */
export function packExemptions(packDir: string): readonly Exemption[] {
  const file = path.resolve(packDir, "bin", "estate.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return fs.existsSync(file) ? ((require(file) as { exemptions?: readonly Exemption[] }).exemptions ?? []) : [];
}

interface ExemptionDocument {
  scope: string;
  properties: {
    policyDefinitionReferenceIds: string[];
    exemptionCategory: Exemption["category"];
    expiresOn?: string;
    metadata: { reason: string; ticketRef: string; apiguard: { exemption: string } };
  };
}

/** The Azure exemptions of azure-policy/exemptions.json, one per catalog exemption with all its scopes. */
export function azureExemptions(azurePolicyDir: string): readonly Exemption[] {
  const file = path.join(azurePolicyDir, "exemptions.json");
  if (!fs.existsSync(file)) return [];
  const byName = new Map<string, Exemption>();
  for (const doc of (JSON.parse(fs.readFileSync(file, "utf8")) as { exemptions: ExemptionDocument[] }).exemptions) {
    const { metadata, policyDefinitionReferenceIds: rules, exemptionCategory: category, expiresOn } = doc.properties;
    const known = byName.get(metadata.apiguard.exemption);
    if (known) {
      if (!known.azureScopes.includes(doc.scope)) known.azureScopes.push(doc.scope);
      continue;
    }
    byName.set(metadata.apiguard.exemption, { name: metadata.apiguard.exemption, rules, category, reason: metadata.reason, reference: metadata.ticketRef, ...(expiresOn ? { expiresOn } : {}), azureScopes: [doc.scope], pulumi: [] });
  }
  return [...byName.values()];
}

/** An Azure Policy verdict with the exemption that covers the resource's id, if any: exempt, or failing with what expired. */
export function azureOutcome(exemptions: readonly Exemption[], rule: string, resourceId: string | undefined, verdict: "fail" | "unknown", message: string, now: Date): { exempt: boolean; message: string; exemption?: ExemptionNote } {
  const match = resourceId === undefined ? undefined : azureExemption(exemptions, rule, resourceId, now);
  if (!match) return { exempt: false, message };
  if (match.status === "active") return { exempt: true, message: exemptMessage(rule, match.exemption, verdict), exemption: note(match) };
  return { exempt: false, message: `${message}\n${expiredNote(match.exemption)}`, exemption: note(match) };
}

/**
 * CrossGuard results with the pack's exemptions applied: what its exemptions policy reported becomes
 * the rule's `exempt` verdict for that resource (a stack rule leaves no result of its own for it), and
 * a failure whose exemption expired says which one.
 */
export function applyPackExemptions(results: Result[], reports: readonly { message: string; urn?: string }[], stack: readonly { resource: InputResource; urn: string }[], exemptions: readonly Exemption[], now: Date): Result[] {
  const out = [...results];
  for (const report of reports) {
    const rule = exemptRule(report.message);
    const found = stack.find((s) => s.urn === report.urn);
    if (!rule || !found) continue;
    const { resource: r, urn } = found;
    const match = pulumiExemption(exemptions, rule, { urn, name: r.pulumi.name }, now);
    const fields = { verdict: "exempt" as const, blocking: false, message: report.message, ...(match ? { exemption: note(match) } : {}) };
    const result = out.find((x) => x.id === r.id && x.rule === rule);
    if (result) Object.assign(result, fields);
    else out.push({ file: r.file, resource: r.name, id: r.id, position: r.position, type: r.pulumi.type, rule, engine: "crossguard", ...fields });
  }
  for (const result of out.filter((x) => x.verdict === "fail" && x.rule)) {
    const found = stack.find((s) => s.resource.id === result.id);
    const match = found && result.rule ? pulumiExemption(exemptions, result.rule, { urn: found.urn, name: found.resource.pulumi.name }, now) : undefined;
    if (match?.status === "expired") result.exemption = note(match);
  }
  return out;
}
