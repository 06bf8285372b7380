/**
 * The report's counts, kept as the files stream past: each file's rows are counted, in the order of
 * the files, and dropped. What is kept grows with the rules, the groups and the fix
 * list the report shows — never with the number of resources: counts per rule, engine, category and
 * group key; the first `maxFixes` resources to fix (every one of them goes to `spill`, a JSON Lines
 * file, as it is found); the first warnings.
 */
import type { Verdict } from "../../core/semantics/semantics";
import type { Engine } from "../evaluate/run";
import type { UnknownNote } from "../evaluate/unknowns";
import { exemptionStatus } from "../../core/rollout/rollout";
import { NO_ROLLOUT, type ExemptionHit, type Rollout, type Subject } from "./hooks";
import { VERDICTS, type Engines, type FileOutcome, type JudgedRow } from "./judge";
import {
  CATEGORIES,
  DIMENSIONS,
  EXPIRING_DAYS,
  NOT_GIVEN,
  type Category,
  type Counts,
  type Dimension,
  type ExemptionImpact,
  type ExpiredExemption,
  type FixItem,
  type GroupTotal,
  type ImpactReport,
  type PerEngine,
  type RuleImpact,
} from "./model";

export interface TallyOptions {
  /** Resources to fix held for the report; the rest are counted (and spilled). */
  maxFixes: number;
  /** Receives every resource to fix as it is found. */
  spill?: (item: FixItem) => void;
  /** The rules a gate switches to Deny (empty: all), the rings it counts (none named: all) and the most resources they may block. */
  gate?: { maxBlocked: number; rules: string[]; rings?: string[] };
  rollout?: Rollout;
}

const MAX_WARNINGS = 100;
const MAX_REASONS = 5;

const CATEGORY: Record<Verdict, Category> = { fail: "blocked", unknown: "undecided", pass: "compliant", "not-applicable": "notApplicable" };

const perEngine = <T>(engines: readonly Engine[], make: (e: Engine, i: number) => T): PerEngine<T> => Object.fromEntries(engines.map((e, i) => [e, make(e, i)]));

/** The notes behind an undecided verdict: those on the path the engine could not read, above or below it. */
function reasonsFor(notes: readonly UnknownNote[], unread: string | undefined): string[] {
  const strip = (p: string) => p.replace(/^properties\./, "");
  const read = unread === undefined ? undefined : strip(unread);
  const related = read === undefined ? notes : notes.filter((n) => strip(n.path).startsWith(read) || read.startsWith(strip(n.path)));
  if (related.length > 0) return related.slice(0, 2).map((n) => `${n.path}: ${n.reason}`);
  return unread === undefined ? [] : [`${unread}: unknown`];
}

const C = CATEGORIES.length;
const CATEGORY_INDEX: Record<Verdict, number> = Object.fromEntries(Object.entries(CATEGORY).map(([v, c]) => [v, CATEGORIES.indexOf(c)])) as Record<Verdict, number>;
const BLOCKED = CATEGORIES.indexOf("blocked");
const UNDECIDED = CATEGORIES.indexOf("undecided");
const EXEMPT = CATEGORIES.indexOf("exempt");

/**
 * The counts of one group of resources (or of all): per rule, engine and category, in one flat array
 * (rule-major), and how many resources any rule would block or leave undecided, per engine.
 */
class Slot {
  readonly counts: Float64Array;
  resources = 0;
  readonly blocked: Float64Array;
  readonly undecided: Float64Array;
  readonly exempt: Float64Array;
  constructor(rules: number, engines: number) {
    this.counts = new Float64Array(rules * engines * C);
    this.blocked = new Float64Array(engines);
    this.undecided = new Float64Array(engines);
    this.exempt = new Float64Array(engines);
  }
}

/** What one exemption did, per engine: resources covered, and resources blocked again after it expired. */
class ExemptionUse {
  readonly covered: Float64Array;
  readonly expired: Float64Array;
  /** The last resource counted in each (a resource exempt from two rules counts once). */
  private readonly lastCovered: Float64Array;
  private readonly lastExpired: Float64Array;
  constructor(engines: number) {
    this.covered = new Float64Array(engines);
    this.expired = new Float64Array(engines);
    this.lastCovered = new Float64Array(engines).fill(-1);
    this.lastExpired = new Float64Array(engines).fill(-1);
  }
  count(resource: number, e: number, active: boolean): void {
    const [seen, counts] = active ? [this.lastCovered, this.covered] : [this.lastExpired, this.expired];
    if (seen[e] === resource) return;
    seen[e] = resource;
    counts[e]++;
  }
}

export class Tally {
  private files = 0;
  private resources = 0;
  private judged = 0;
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  private warningsOmitted = 0;
  private readonly notJudged = new Map<string, number>();
  private readonly reasons: Set<string>[];
  private readonly all: Slot;
  private readonly groups = new Map<Dimension, Map<string, Slot>>(DIMENSIONS.map((d) => [d, new Map()]));
  private readonly fixes: FixItem[] = [];
  private fixCount = 0;
  /** Rows read per paged query, keyed by the query's total. */
  private readonly pages = new Map<number, number>();
  private readonly gateBlocked: Float64Array;
  private readonly gateUndecided: Float64Array;
  private readonly gated: boolean[];
  /** The rings the gate counts; undefined: every resource. */
  private readonly gateRings?: ReadonlySet<string>;
  private readonly rollout: Rollout;
  private readonly exemptionUses = new Map<string, ExemptionUse>();
  private readonly engineCount: number;
  /** Reused by add() for each resource (every resource of a fleet is counted): the slots it counts in (all, then one per dimension) and its flags per engine. */
  private readonly slotsOf: Slot[];
  private readonly flags: Uint8Array;

  constructor(
    private readonly engines: Engines,
    private readonly options: TallyOptions,
  ) {
    this.rollout = options.rollout ?? NO_ROLLOUT;
    this.engineCount = engines.list.length;
    this.reasons = engines.rules.map(() => new Set());
    this.all = new Slot(engines.rules.length, this.engineCount);
    this.slotsOf = [this.all, ...DIMENSIONS.map(() => this.all)];
    this.flags = new Uint8Array(this.engineCount);
    this.gateBlocked = new Float64Array(this.engineCount);
    this.gateUndecided = new Float64Array(this.engineCount);
    const gateRules = options.gate && options.gate.rules.length > 0 ? new Set(options.gate.rules) : undefined;
    this.gated = engines.rules.map((r) => options.gate !== undefined && (gateRules === undefined || gateRules.has(r.id)));
    if (options.gate?.rings && options.gate.rings.length > 0) this.gateRings = new Set(options.gate.rings);
  }

  /** Counts what an exemption did to one resource in one engine. */
  private useExemption(hit: ExemptionHit, e: number): void {
    let use = this.exemptionUses.get(hit.exemption.name);
    if (!use) this.exemptionUses.set(hit.exemption.name, (use = new ExemptionUse(this.engineCount)));
    use.count(this.resources, e, hit.status === "active");
  }

  addError(message: string): void {
    this.errors.push(message);
  }

  addWarning(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.warningsOmitted++;
  }

  addFile(input: FileOutcome): void {
    this.files++;
    // What the format could not follow (a linked template …) is a warning; a resource the cloud would
    // refuse is an error of its own, and the file's other resources still count.
    for (const line of input.notJudged) this.addWarning(line);
    for (const e of input.errors) this.addError(e);
    if (input.page) this.pages.set(input.page.totalRecords, (this.pages.get(input.page.totalRecords) ?? 0) + input.page.count);
  }

  private slot(d: Dimension, key: string): Slot {
    const groups = this.groups.get(d)!;
    let slot = groups.get(key);
    if (!slot) groups.set(key, (slot = new Slot(this.engines.rules.length, this.engineCount)));
    return slot;
  }

  add(row: JudgedRow): void {
    this.resources++;
    const { type, placement, verdicts, unread } = row;
    if (row.judgedBy === 0) {
      this.notJudged.set(type, (this.notJudged.get(type) ?? 0) + 1);
      return;
    }
    this.judged++;
    const subject: Subject = row;
    const ring = this.rollout.ringOf(subject);
    if (ring !== undefined) placement.ring = ring;
    const counted = this.gateRings === undefined || (ring !== undefined && this.gateRings.has(ring));
    const slots = this.slotsOf;
    for (let d = 0; d < DIMENSIONS.length; d++) slots[d + 1] = this.slot(DIMENSIONS[d], placement[DIMENSIONS[d]] ?? NOT_GIVEN);
    const engines = this.engines.list;
    const rules = this.engines.rules;
    const E = this.engineCount;
    // Per engine, bit 1: some rule blocks; bit 2: some rule is undecided; 4 and 8: the same for the
    // gate's rules (in the gate's rings); 16: an exemption covers some rule.
    const flags = this.flags.fill(0);
    let blockedBy: [string, Engine[], ExpiredExemption[] | undefined][] | undefined;
    for (let index = 0; index < rules.length; index++) {
      let blockingEngines: Engine[] | undefined;
      let expired: ExpiredExemption[] | undefined;
      for (let e = 0; e < E; e++) {
        const verdict = VERDICTS[verdicts[index * E + e]];
        if (verdict === undefined) continue;
        const rule = rules[index].id;
        const gated = counted && this.gated[index];
        let category = CATEGORY_INDEX[verdict];
        if (category === BLOCKED || category === UNDECIDED) {
          const hit = this.rollout.exemptionFor(subject, rule, engines[e]);
          if (hit) {
            this.useExemption(hit, e);
            if (hit.status === "active") category = EXEMPT;
            else if (category === BLOCKED) (expired ??= []).push({ name: hit.exemption.name, engine: engines[e], expiresOn: hit.exemption.expiresOn! });
          }
        }
        const at = (index * E + e) * C + category;
        for (const slot of slots) slot.counts[at]++;
        if (category === EXEMPT) flags[e] |= 16;
        else if (category === BLOCKED) {
          flags[e] |= gated ? 5 : 1;
          (blockingEngines ??= []).push(engines[e]);
        } else if (category === UNDECIDED) {
          flags[e] |= gated ? 10 : 2;
          const reasons = this.reasons[index];
          if (reasons.size < MAX_REASONS) for (const reason of reasonsFor(row.unknowns, unread?.get(rule))) if (reasons.size < MAX_REASONS) reasons.add(reason);
        }
      }
      if (blockingEngines) (blockedBy ??= []).push([rules[index].id, blockingEngines, expired]);
    }
    for (const slot of slots) {
      slot.resources++;
      for (let e = 0; e < E; e++) {
        if (flags[e] & 1) slot.blocked[e]++;
        else if (flags[e] & 2) slot.undecided[e]++;
        else if (flags[e] & 16) slot.exempt[e]++;
      }
    }
    for (let e = 0; e < E; e++) {
      if (flags[e] & 4) this.gateBlocked[e]++;
      else if (flags[e] & 8) this.gateUndecided[e]++;
    }
    if (!blockedBy) return;
    this.fixCount++;
    if (this.fixes.length >= this.options.maxFixes && !this.options.spill) return;
    const item: FixItem = {
      resource: row.name,
      type,
      file: row.file,
      placement,
      rules: blockedBy.sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, es, expired]) => ({ rule, engines: es, ...(expired ? { expired } : {}) })),
    };
    this.options.spill?.(item);
    if (this.fixes.length < this.options.maxFixes) this.fixes.push(item);
  }

  private counts(slot: Slot, rule: number, e: number): Counts {
    const at = (rule * this.engineCount + e) * C;
    return Object.fromEntries(CATEGORIES.map((c, i) => [c, slot.counts[at + i]])) as Counts;
  }

  report(): ImpactReport {
    const engines = this.engines.list;
    for (const [total, read] of [...this.pages].sort(([a], [b]) => a - b)) {
      if (read < total) this.addWarning(`the Resource Graph pages read hold ${read} of the query's ${total} rows: pass every page (az graph query --skip-token …)`);
    }
    const most = (p: PerEngine<number>) => Math.max(0, ...engines.map((e) => p[e] ?? 0));
    const byBlocked =
      <T extends { key: string }>(blocked: (x: T) => number) =>
      (a: T, b: T) =>
        blocked(b) - blocked(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const dimensions = DIMENSIONS.filter((d) => [...this.groups.get(d)!.keys()].some((k) => k !== NOT_GIVEN));
    const rules: RuleImpact[] = this.engines.rules.map((meta, index) => {
      // Only the engines that have the rule.
      const has = engines.map((e, i) => [e, i] as const).filter(([e]) => meta.enforcement[e] !== undefined);
      const groups: RuleImpact["groups"] = {};
      for (const d of dimensions) {
        groups[d] = [...this.groups.get(d)!]
          .map(([key, slot]) => ({ key, counts: Object.fromEntries(has.map(([e, i]) => [e, this.counts(slot, index, i)])) }))
          .filter((g) => Object.values(g.counts).some((c) => CATEGORIES.some((k) => c[k] > 0)))
          .sort(byBlocked((g) => Math.max(0, ...Object.values(g.counts).map((c) => c.blocked))));
      }
      return {
        id: meta.id,
        title: meta.title,
        ...(meta.severity ? { severity: meta.severity } : {}),
        enforcement: meta.enforcement,
        fix: meta.fix,
        ...(meta.stack ? { stack: true } : {}),
        counts: Object.fromEntries(has.map(([e, i]) => [e, this.counts(this.all, index, i)])),
        undecidedBecause: [...this.reasons[index]],
        groups,
      };
    });
    const total = (slot: Slot, key: string): GroupTotal => ({
      key,
      resources: slot.resources,
      blocked: perEngine(engines, (_, i) => slot.blocked[i]),
      undecided: perEngine(engines, (_, i) => slot.undecided[i]),
      exempt: perEngine(engines, (_, i) => slot.exempt[i]),
    });
    const groups: ImpactReport["groups"] = {};
    for (const d of dimensions) groups[d] = [...this.groups.get(d)!].map(([key, slot]) => total(slot, key)).sort(byBlocked((g) => most(g.blocked)));
    const gate = this.options.gate && {
      maxBlocked: this.options.gate.maxBlocked,
      rules: this.engines.rules.filter((_, i) => this.gated[i]).map((r) => r.id),
      blocked: perEngine(engines, (_, i) => this.gateBlocked[i]),
      undecided: perEngine(engines, (_, i) => this.gateUndecided[i]),
      ...(this.gateRings ? { rings: [...this.gateRings] } : {}),
      passed: Math.max(0, ...this.gateBlocked) <= this.options.gate.maxBlocked,
    };
    return {
      schema: "apiguard-impact/1",
      engines,
      categories: CATEGORIES,
      dimensions,
      inputs: { files: this.files, resources: this.resources, judged: this.judged, errors: this.errors, warnings: this.warnings, warningsOmitted: this.warningsOmitted },
      summary: {
        blocked: perEngine(engines, (_, i) => this.all.blocked[i]),
        undecided: perEngine(engines, (_, i) => this.all.undecided[i]),
        exempt: perEngine(engines, (_, i) => this.all.exempt[i]),
      },
      notJudged: { resources: [...this.notJudged.values()].reduce((a, b) => a + b, 0), byType: Object.fromEntries([...this.notJudged].sort(([a], [b]) => (a < b ? -1 : 1))) },
      rules,
      groups,
      fixes: { resources: this.fixCount, shown: this.fixes, omitted: this.fixCount - this.fixes.length },
      ...(gate ? { gate } : {}),
      ...this.rolloutReport(),
    };
  }

  /** The roll-out part of the report: the rings, and each exemption with what it did. */
  private rolloutReport(): Pick<ImpactReport, "rollout"> {
    const { rings, exemptions, now } = this.rollout;
    if (rings === undefined && exemptions === undefined) return {};
    const date = now ?? new Date();
    const soon = date.getTime() + EXPIRING_DAYS * 86_400_000;
    const engines = this.engines.list;
    const list: ExemptionImpact[] = (exemptions ?? []).map(({ exemption: x, engines: honouring }) => {
      const use = this.exemptionUses.get(x.name);
      const expires = x.expiresOn === undefined ? undefined : Date.parse(x.expiresOn);
      const has = engines.map((e, i) => [e, i] as const).filter(([e]) => honouring.includes(e));
      return {
        name: x.name,
        category: x.category,
        reference: x.reference,
        reason: x.reason,
        ...(x.expiresOn ? { expiresOn: x.expiresOn } : {}),
        status: exemptionStatus(x, date) === "expired" ? "expired" : expires !== undefined && expires <= soon ? "expiring" : "active",
        engines: has.map(([e]) => e),
        covered: Object.fromEntries(has.map(([e, i]) => [e, use?.covered[i] ?? 0])),
        expired: Object.fromEntries(has.map(([e, i]) => [e, use?.expired[i] ?? 0])),
      };
    });
    return { rollout: { date: date.toISOString(), rings: [...(rings ?? [])], exemptions: list } };
  }
}
