/**
 * The roll-out rings and exemptions of a project, read from the generated outputs `evaluate` reads —
 * the pack's policypack/bin/estate.js (rings, and exemptions with their Pulumi matchers) and
 * azure-policy/exemptions.json (exemptions with their Azure scopes) — and judged with core/rollout,
 * the module the pack ships, so the report, `evaluate`, the pack and Azure agree.
 *
 * - A Pulumi resource (a stack export's, a Pulumi Cloud row) is in the ring its stack's name selects
 *   (ringOfStack). A stack export carries no stack tags, so a ring that selects stacks by tags cannot
 *   select one here; the report says so once rather than guess.
 * - An Azure resource (inventory row, ARM template) is in the ring its type and location select, as
 *   an assignment's resource selectors would (ringOfAzureResource).
 * - Each engine honours its own exemptions only: CrossGuard the pack's (by stack, name or URN, the
 *   URN `evaluate` gives the resource), Azure Policy the policy exemptions (by resource id: the scope
 *   or below it). A resource without an id is judged as Azure would judge it without the exemption.
 *
 * The hook runs once per resource (ringOf) and once per failing verdict (exemptionFor): rings are
 * remembered per stack and per type and location, and exemptions are indexed by rule, so a rule that
 * no exemption names costs one lookup.
 */
import * as fs from "fs";
import * as path from "path";
import { REST, azureExemption, pulumiExemption, ringOfAzureResource, ringOfStack, type Exemption, type Rollout as Rings } from "../../core/rollout/rollout";
import { urnOf } from "../evaluate/engines/crossguard";
import { azureExemptions, packExemptions } from "../evaluate/exemptions";
import type { Engine } from "../evaluate/run";
import type { ExemptionHit, Rollout, Subject } from "./hooks";

/** The rings of the pack's estate module (absent when the catalog has no rollout.yaml). */
export function packRings(packDir: string): Rings | undefined {
  const file = path.resolve(packDir, "bin", "estate.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return fs.existsSync(file) ? (require(file) as { rollout?: Rings }).rollout : undefined;
}

const byRule = (exemptions: readonly Exemption[]) => {
  const index = new Map<string, Exemption[]>();
  for (const e of exemptions) for (const rule of e.rules) (index.get(rule) ?? index.set(rule, []).get(rule)!).push(e);
  return index;
};

/**
 * The project's roll-out, or undefined when it declares neither rings nor exemptions. `warn` receives
 * what the report cannot decide (rings by stack tags), once.
 */
export function projectRollout(projectDir: string, engines: readonly Engine[], now: Date, warn: (message: string) => void): Rollout | undefined {
  const rings = packRings(path.join(projectDir, "policypack"));
  const pack = engines.includes("crossguard") ? packExemptions(path.join(projectDir, "policypack")).filter((e) => e.pulumi.length > 0) : [];
  const azure = engines.includes("azure-policy") ? azureExemptions(path.join(projectDir, "azure-policy")) : [];
  if (!rings && pack.length === 0 && azure.length === 0) return undefined;

  const packByRule = byRule(pack);
  const azureByRule = byRule(azure);
  const stackRings = new Map<string, string>();
  const azureRings = new Map<string, Map<string, string>>();
  const tagged = rings?.rings.filter((r) => r.stacks?.tags !== undefined).map((r) => r.name) ?? [];
  let toldTags = false;

  const ringOfSubject = (s: Subject): string | undefined => {
    if (!rings) return undefined;
    if (s.stack !== undefined) {
      let ring = stackRings.get(s.stack);
      if (ring === undefined) {
        if (tagged.length > 0 && !toldTags) {
          toldTags = true;
          warn(`ring ${tagged.map((r) => `'${r}'`).join(", ")} ${tagged.length === 1 ? "selects" : "select"} stacks by tags, which a stack export does not carry: stacks are placed in rings by their names only`);
        }
        stackRings.set(s.stack, (ring = ringOfStack(rings, { name: s.stack })));
      }
      return ring;
    }
    const type = s.armType ?? s.type;
    const location = s.location ?? "";
    let byLocation = azureRings.get(type);
    if (!byLocation) azureRings.set(type, (byLocation = new Map<string, string>()));
    let ring = byLocation.get(location);
    if (ring === undefined) byLocation.set(location, (ring = ringOfAzureResource(rings, { type, location: s.location })));
    return ring;
  };

  const names = new Map<string, { exemption: Exemption; engines: Engine[] }>();
  for (const [engine, list] of [
    ["crossguard", pack],
    ["azure-policy", azure],
  ] as const) {
    for (const e of list) {
      const known = names.get(e.name) ?? names.set(e.name, { exemption: e, engines: [] }).get(e.name)!;
      known.engines.push(engine);
    }
  }

  return {
    rings: rings ? [...rings.rings.map((r) => r.name), REST] : [],
    exemptions: [...names.values()],
    now,
    ringOf: ringOfSubject,
    exemptionFor(s: Subject, rule: string, engine: Engine): ExemptionHit | undefined {
      if (engine === "azure-policy") {
        const candidates = azureByRule.get(rule);
        const id = s.placement.resourceId;
        return candidates && id !== undefined ? azureExemption(candidates, rule, id, now) : undefined;
      }
      const candidates = packByRule.get(rule);
      // The URN evaluate gives the resource: its own, else the one CrossGuard's runtime would be given.
      return candidates && s.pulumi ? pulumiExemption(candidates, rule, { urn: s.urn ?? urnOf(s.pulumi), name: s.pulumi.name }, now) : undefined;
    },
  };
}
