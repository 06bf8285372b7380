/**
 * Where roll-out rings and exemptions enter the impact report. The report asks these two questions of
 * every resource it judges; the roll-out module (rollout.ts: the rings and exemptions of the generated
 * outputs) answers them. Without it, no resource has a ring and none is exempt: the `ring` dimension
 * is left out and every `exempt` count is 0, with the rest of the report unchanged.
 */
import type { PulumiResource } from "../../core/resources/convert";
import type { Exemption, ExemptionStatus } from "../../core/rollout/rollout";
import type { Engine } from "../evaluate/run";
import type { Placement } from "./model";

/** A resource as the roll-out module sees it. */
export interface Subject {
  /** The name the report shows. */
  name: string;
  type: string;
  /** A Pulumi URN, for stack resources. */
  urn?: string;
  /** The stack's name (not its project), for Pulumi resources. */
  stack?: string;
  /** The resource's ARM type and location, for Azure resource selectors. */
  armType?: string;
  location?: string;
  /** The name and type CrossGuard judges (a resource without a URN is given one from them, as evaluate does); present when CrossGuard judges the resource. */
  pulumi?: Pick<PulumiResource, "type" | "name">;
  placement: Placement;
}

/** The exemption that covers a failure, and whether it is still honoured (an expired one blocks again). */
export interface ExemptionHit {
  exemption: Pick<Exemption, "name" | "category" | "reason" | "reference" | "expiresOn">;
  status: ExemptionStatus;
}

export interface Rollout {
  /** The ring the resource falls in, if any. */
  ringOf(subject: Subject): string | undefined;
  /** The exemption of `rule` that covers the resource in `engine`, honoured or expired, if any. */
  exemptionFor(subject: Subject, rule: string, engine: Engine): ExemptionHit | undefined;
  /** Every ring, in roll-out order (the rest of the estate last); none without a roll-out. */
  rings?: readonly string[];
  /** Every exemption declared, and the engines that honour it. */
  exemptions?: readonly { exemption: ExemptionHit["exemption"]; engines: Engine[] }[];
  /** When exemptions are judged. */
  now?: Date;
}

/** No rings, no exemptions. */
export const NO_ROLLOUT: Rollout = { ringOf: () => undefined, exemptionFor: () => undefined };
