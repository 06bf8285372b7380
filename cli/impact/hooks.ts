/**
 * Where roll-out rings and exemptions enter the impact report. The report asks these two questions of
 * every resource it judges; the roll-out module (rings and exemptions from the catalog) answers them.
 * Without it, no resource has a ring and none is exempt: the `ring` dimension is left out and every
 * `exempt` count is 0, with the rest of the report unchanged.
 */
import type { Engine } from "../evaluate/run";
import type { Placement } from "./model";

/** A resource as the roll-out module sees it. */
export interface Subject {
  name: string;
  type: string;
  /** A Pulumi URN, for stack resources. */
  urn?: string;
  placement: Placement;
}

export interface Exemption {
  reason: string;
  /** ISO 8601; an expired exemption no longer exempts. */
  expiresOn?: string;
  category?: "Waiver" | "Mitigated";
}

export interface Rollout {
  /** The ring the resource falls in, if any. */
  ringOf(subject: Subject): string | undefined;
  /** The exemption that covers a failure of `rule` on the resource in `engine`, if any. */
  exemptionFor(subject: Subject, rule: string, engine: Engine): Exemption | undefined;
}

/** No rings, no exemptions. */
export const NO_ROLLOUT: Rollout = { ringOf: () => undefined, exemptionFor: () => undefined };
