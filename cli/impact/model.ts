/**
 * The impact report: what switching every rule (or the ones asked about) to Deny / mandatory would do
 * to resources that already exist. This is its JSON shape (`apiguard impact --json`), documented in
 * the README ("Before you switch to Deny"); the Markdown and HTML pages render the same object.
 *
 * Every count is per rule and engine, in five disjoint categories:
 * - `blocked`: the resource fails the rule; with the rule at Deny (Azure Policy) or mandatory
 *   (CrossGuard), its next create or full update (PUT) is refused, or its stack's next preview fails;
 * - `undecided`: the rule reads a value the input does not give (a projection left it out, a secret);
 * - `exempt`: it fails (or cannot be decided), but an exemption the engine honours covers it
 *   (catalog/exemptions.yaml, as generated for each engine: rollout.ts); an expired exemption covers
 *   nothing, so its resource stays `blocked` and the report names the exemption;
 * - `compliant`: it passes;
 * - `notApplicable`: the rule's precondition does not hold (CrossGuard's not-applicable; Azure Policy
 *   counts such a resource as compliant, so its `notApplicable` is always 0).
 */
import type { Engine } from "../evaluate/run";

export const CATEGORIES = ["blocked", "undecided", "exempt", "compliant", "notApplicable"] as const;
export type Category = (typeof CATEGORIES)[number];
export type Counts = Record<Category, number>;
export type PerEngine<T> = Partial<Record<Engine, T>>;

/**
 * What a report groups by. `subscription`, `resourceGroup` and `region` come from Azure inventories,
 * `stack` and `project` from Pulumi inputs, `ring` from the roll-out rings (hooks.ts). A dimension no
 * input gives is left out of the report.
 */
export const DIMENSIONS = ["ring", "subscription", "resourceGroup", "region", "project", "stack"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Where a resource lives: one key per dimension it has. */
export type Placement = Partial<Record<Dimension, string>> & { resourceId?: string };

/** The key of a resource that lacks a dimension another input has (a stack export has no subscription). */
export const NOT_GIVEN = "(not given)";

export interface GroupCounts {
  key: string;
  counts: PerEngine<Counts>;
}

export interface RuleImpact {
  id: string;
  title: string;
  severity?: string;
  /** The rule's enforcement today: CrossGuard's level, Azure Policy's default effect. */
  enforcement: PerEngine<string>;
  /** What to change on a blocked resource. */
  fix: string;
  /** A rule that judges whole stacks (CrossGuard); inventories are not stacks, so it judges stack inputs only. */
  stack?: boolean;
  counts: PerEngine<Counts>;
  /** Why resources were undecided: the first few distinct `path: reason` notes. */
  undecidedBecause: string[];
  /** Per dimension, the groups with at least one resource the rule judges; most blocked first. */
  groups: Partial<Record<Dimension, GroupCounts[]>>;
}

/** A group of resources over all rules: how many there are, and how many any rule would block. */
export interface GroupTotal {
  key: string;
  resources: number;
  blocked: PerEngine<number>;
  undecided: PerEngine<number>;
  /** Resources an exemption covers for at least one rule (and no rule blocks). */
  exempt: PerEngine<number>;
}

export interface FixItem {
  resource: string;
  type: string;
  file: string;
  placement: Placement;
  /** Each rule that would block it and the engines that would (the rule's `fix` says what to change). */
  rules: { rule: string; engines: Engine[]; expired?: ExpiredExemption[] }[];
}

/** An exemption that covered a blocking failure until it expired. */
export interface ExpiredExemption {
  name: string;
  engine: Engine;
  expiresOn: string;
}

/** An exemption of the project, what it covered and whether it is still honoured on the report's day. */
export interface ExemptionImpact {
  name: string;
  category: "Waiver" | "Mitigated";
  reference: string;
  reason: string;
  expiresOn?: string;
  /** `expiring`: honoured, but it expires within EXPIRING_DAYS of the report's day. */
  status: "active" | "expiring" | "expired";
  /** The engines that honour it (its Azure scopes, its Pulumi matchers). */
  engines: Engine[];
  /** Resources it keeps from being blocked (or undecided), per engine. */
  covered: PerEngine<number>;
  /** Resources it would cover had it not expired, blocked again, per engine. */
  expired: PerEngine<number>;
}

/** An exemption expiring within this many days of the report's day is flagged. */
export const EXPIRING_DAYS = 30;

export interface Gate {
  maxBlocked: number;
  /** The rules switched to Deny (all when none was named). */
  rules: string[];
  /** Resources that at least one of those rules would block, per engine. */
  blocked: PerEngine<number>;
  undecided: PerEngine<number>;
  /** The rings the gate counts (all resources when absent). */
  rings?: string[];
  passed: boolean;
}

export interface ImpactReport {
  schema: "apiguard-impact/1";
  engines: Engine[];
  categories: readonly Category[];
  /** The dimensions some resource has, in DIMENSIONS order. */
  dimensions: Dimension[];
  inputs: {
    files: number;
    /** Resources read (every type). */
    resources: number;
    /** Resources at least one rule judges. */
    judged: number;
    /** Files that could not be read, one line each (their resources are not counted). */
    errors: string[];
    /** Parts of files that could not be followed, and pages missing from a paged query; the first 100. */
    warnings: string[];
    warningsOmitted: number;
  };
  /** Over every resource judged: how many at least one rule would block, and how many more cannot be decided. */
  summary: { blocked: PerEngine<number>; undecided: PerEngine<number>; exempt: PerEngine<number> };
  /** Resources no rule judges, by type: reported, never skipped in silence. */
  notJudged: { resources: number; byType: Record<string, number> };
  rules: RuleImpact[];
  groups: Partial<Record<Dimension, GroupTotal[]>>;
  /** The resources to fix, in input order: the first `shown`, and how many more (the JSON Lines list has them all). */
  fixes: { resources: number; shown: FixItem[]; omitted: number };
  gate?: Gate;
  /** The project's roll-out: its rings (the `ring` dimension) and exemptions, judged on `date`. */
  rollout?: { date: string; rings: string[]; exemptions: ExemptionImpact[] };
}

export const DIMENSION_TITLES: Record<Dimension, string> = {
  ring: "Ring",
  subscription: "Subscription",
  resourceGroup: "Resource group",
  region: "Region",
  project: "Project",
  stack: "Stack",
};

export const CATEGORY_TITLES: Record<Category, string> = {
  blocked: "Blocked",
  undecided: "Undecided",
  exempt: "Exempt",
  compliant: "Compliant",
  notApplicable: "Not applicable",
};

export const ENGINE_TITLES: Record<Engine, string> = { "azure-policy": "Azure Policy", crossguard: "CrossGuard" };
/** What "switched on" means for each engine. */
export const ENFORCED: Record<Engine, string> = { "azure-policy": "Deny", crossguard: "mandatory" };
