/**
 * The impact report as Markdown for a pull-request comment (GitHub's comment limit is 65,536
 * characters, so tables stop at their first rows and say how many more the HTML and JSON reports hold).
 */
import { expiryText } from "../../core/rollout/rollout";
import type { Engine } from "../evaluate/run";
import { CATEGORIES, CATEGORY_TITLES, DIMENSION_TITLES, ENFORCED, ENGINE_TITLES, EXPIRING_DAYS, type Counts, type FixItem, type ImpactReport, type PerEngine, type Placement, type RuleImpact } from "./model";

const GROUP_ROWS = 10;
const FIX_ROWS = 25;

export const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;
/** Text in a table cell: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** One value per engine, `a · b` when there are two, `—` for an engine without the rule. */
function perEngine<T>(engines: readonly Engine[], values: PerEngine<T>, show: (v: T) => string): string {
  return engines.map((e) => (values[e] === undefined ? "—" : show(values[e] as T))).join(" · ");
}

const bold = (x: number) => (x > 0 ? `**${n(x)}**` : n(x));

/** A group key as shown: a subscription ID inside a resource group's key cut to its first 8 digits. */
export const shown = (key: string) => key.replace(/^([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\//i, "$1…/");

/** Where a resource lives, shortest first: its group keys without repeating the subscription. */
export function where(p: Placement): string {
  const parts = [p.ring && `ring ${p.ring}`, p.stack ?? p.project, p.resourceGroup ? shown(p.resourceGroup) : p.subscription, p.region].filter((x): x is string => Boolean(x));
  return parts.join(", ") || "—";
}

/** Whether any engine judged any resource with the rule (the others are listed apart, not as rows of zeros). */
export const judgedAny = (rule: RuleImpact) => Object.values(rule.counts).some((c) => CATEGORIES.some((k) => (c?.[k] ?? 0) > 0));

/** The exemptions that no longer cover a blocking failure: "(exemption `x` expired 2020-01-01)". */
export function expiredText(expired: FixItem["rules"][number]["expired"]): string {
  if (!expired) return "";
  const names = [...new Map(expired.map((x) => [x.name, x])).values()];
  return ` (${names.map((x) => `exemption \`${x.name}\` expired ${expiryText(x.expiresOn)}`).join(", ")})`;
}

export function headline(report: ImpactReport): string {
  const engines = report.engines;
  const blocked = Math.max(0, ...engines.map((e) => report.summary.blocked[e] ?? 0));
  const undecided = Math.max(0, ...engines.map((e) => report.summary.undecided[e] ?? 0));
  const by = engines.length > 1 ? ` (${engines.map((e) => `${ENGINE_TITLES[e]} ${n(report.summary.blocked[e] ?? 0)}`).join(", ")})` : "";
  return `${plural(blocked, "resource")} of ${n(report.inputs.judged)} would be blocked on their next create or update${by} ` + `if every rule were ${engines.map((e) => ENFORCED[e]).join(" / ")}; ${n(undecided)} cannot be decided.`;
}

export function formatMarkdown(report: ImpactReport): string {
  const engines = report.engines;
  const lines: string[] = [];
  lines.push("## Before you switch to Deny: apiguard impact report", "");
  lines.push(`**${headline(report)}**`, "");
  const read = `Read ${plural(report.inputs.files, "file")}, ${plural(report.inputs.resources, "resource")}`;
  lines.push(`${read}; ${engines.map((e) => `${ENGINE_TITLES[e]} with every rule ${ENFORCED[e]}`).join(", ")}.${engines.length > 1 ? ` Counts read ${engines.map((e) => ENGINE_TITLES[e]).join(" · ")}.` : ""}`, "");
  if (report.gate) {
    const g = report.gate;
    const worst = Math.max(0, ...engines.map((e) => g.blocked[e] ?? 0));
    const which = g.rules.length === report.rules.length ? "every rule" : g.rules.map((r) => `\`${r}\``).join(", ");
    const rings = g.rings ? ` in ring ${g.rings.map((r) => `\`${r}\``).join(", ")}` : "";
    lines.push(
      `${g.passed ? "✅" : "❌"} **Gate ${g.passed ? "passed" : "failed"}:** switching ${which} to ${engines.map((e) => ENFORCED[e]).join(" / ")}${rings} would block ${plural(worst, "resource")} (at most ${n(g.maxBlocked)} allowed).`,
      "",
    );
  }

  lines.push("| Rule | Today | " + CATEGORIES.map((c) => CATEGORY_TITLES[c]).join(" | ") + " |");
  lines.push("|:--|:--|" + CATEGORIES.map(() => "--:").join("|") + "|");
  for (const rule of report.rules.filter(judgedAny)) {
    const today = perEngine(engines, rule.enforcement, (x) => x);
    const counts = CATEGORIES.map((c) => perEngine<Counts>(engines, rule.counts, (k) => (c === "blocked" ? bold(k[c]) : n(k[c]))));
    lines.push(`| \`${rule.id}\`${rule.stack ? " (stack rule)" : ""} | ${today} | ${counts.join(" | ")} |`);
  }
  lines.push("");
  const idle = report.rules.filter((r) => !judgedAny(r));
  if (idle.length > 0)
    lines.push(`_No resource here is one ${idle.map((r) => `\`${r.id}\``).join(", ")} ${idle.length === 1 ? "judges" : "judge"}${idle.some((r) => r.stack) ? "; stack rules judge stack exports and previews, not inventories" : ""}._`, "");

  for (const d of report.dimensions) {
    const groups = report.groups[d] ?? [];
    lines.push(`### By ${DIMENSION_TITLES[d].toLowerCase()}`, "");
    // Exempt resources are counted only where a roll-out declares exemptions.
    const exempt = (report.rollout?.exemptions.length ?? 0) > 0;
    lines.push(`| ${DIMENSION_TITLES[d]} | Resources | Blocked | Undecided |${exempt ? " Exempt |" : ""}`, `|:--|--:|--:|--:|${exempt ? "--:|" : ""}`);
    for (const g of groups.slice(0, GROUP_ROWS)) {
      lines.push(`| ${cell(shown(g.key))} | ${n(g.resources)} | ${perEngine(engines, g.blocked, bold)} | ${perEngine(engines, g.undecided, n)} |${exempt ? ` ${perEngine(engines, g.exempt, n)} |` : ""}`);
    }
    if (groups.length > GROUP_ROWS) lines.push("", `_and ${plural(groups.length - GROUP_ROWS, "more group")} in the HTML and JSON reports._`);
    lines.push("");
  }

  const fixes = report.fixes;
  if (fixes.resources > 0) {
    const shown = fixes.shown.slice(0, FIX_ROWS);
    lines.push(`### Resources to fix (${shown.length < fixes.resources ? `first ${n(shown.length)} of ${n(fixes.resources)}` : n(fixes.resources)})`, "");
    lines.push("| Resource | Where | Would be blocked by |", "|:--|:--|:--|");
    for (const item of shown) {
      const rules = item.rules.map((r) => `\`${r.rule}\`${engines.length > 1 && r.engines.length < engines.length ? ` (${r.engines.map((e) => ENGINE_TITLES[e]).join(", ")})` : ""}${expiredText(r.expired)}`).join(", ");
      lines.push(`| \`${cell(item.resource)}\` | ${cell(where(item.placement))} | ${rules} |`);
    }
    lines.push("");
    const blocking = report.rules.filter((r) => engines.some((e) => (r.counts[e]?.blocked ?? 0) > 0));
    lines.push("### How to fix", "");
    for (const rule of blocking) lines.push(`- **\`${rule.id}\`**: ${cell(rule.fix)}`);
    lines.push("");
  }

  if (report.rollout && report.rollout.exemptions.length > 0) {
    lines.push(`### Exemptions (on ${report.rollout.date.slice(0, 10)})`, "");
    lines.push("| Exemption | Category | Reference | Expires | Status | Covers | Expired on | Reason |", "|:--|:--|:--|:--|:--|--:|--:|:--|");
    for (const x of report.rollout.exemptions) {
      const status = x.status === "expired" ? "**expired**" : x.status === "expiring" ? `expires within ${EXPIRING_DAYS} days` : "active";
      lines.push(
        `| \`${x.name}\` | ${x.category} | ${cell(x.reference)} | ${x.expiresOn ? expiryText(x.expiresOn) : "never"} | ${status} | ${perEngine(engines, x.covered, n)} | ${perEngine(engines, x.expired, bold)} | ${cell(x.reason)} |`,
      );
    }
    lines.push(
      "",
      `_Covers: resources the exemption keeps from being blocked; expired on: resources it would cover, blocked again since it expired (${engines.map((e) => ENGINE_TITLES[e]).join(" · ")}; — where the engine does not honour it)._`,
      "",
    );
  }

  const undecided = report.rules.filter((r) => r.undecidedBecause.length > 0);
  if (undecided.length > 0) {
    lines.push("### Why some cannot be decided", "");
    for (const rule of undecided) lines.push(`- \`${rule.id}\`: ${rule.undecidedBecause.map((b) => cell(b)).join("; ")}`);
    lines.push("");
  }
  if (report.notJudged.resources > 0) {
    const types = Object.entries(report.notJudged.byType)
      .map(([t, c]) => `\`${t}\` ${n(c)}`)
      .join(", ");
    lines.push(`${plural(report.notJudged.resources, "resource")} no rule judges: ${types}.`, "");
  }
  const problems = [...report.inputs.errors.map((e) => `error: ${e}`), ...report.inputs.warnings.map((w) => `warning: ${w}`)];
  if (problems.length > 0) {
    lines.push("<details><summary>Inputs not fully read</summary>", "");
    for (const p of problems.slice(0, 20)) lines.push(`- ${cell(p)}`);
    const more = problems.length - 20 + report.inputs.warningsOmitted;
    if (more > 0) lines.push(`- _and ${n(more)} more_`);
    lines.push("", "</details>", "");
  }
  return lines.join("\n").trimEnd() + "\n";
}
