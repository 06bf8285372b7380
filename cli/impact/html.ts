/**
 * The impact report as one self-contained HTML page: inline CSS and SVG charts, no script, no font,
 * no image or style sheet fetched from anywhere — its Content-Security-Policy forbids every network
 * request — so it opens from a CI artifact or a mail attachment as it is. Every number is in the page
 * as text (charts carry theirs too), marked with data attributes a test reads back.
 */
import type { Engine } from "../evaluate/run";
import { expiryText } from "../../core/rollout/rollout";
import { expiredText, headline, judgedAny, n, shown, where } from "./markdown";
import { CATEGORIES, CATEGORY_TITLES, DIMENSION_TITLES, ENFORCED, ENGINE_TITLES, EXPIRING_DAYS, type Category, type Counts, type ImpactReport, type RuleImpact } from "./model";

const GROUP_ROWS = 50;

const COLOURS: Record<Category, string> = { blocked: "#c62828", undecided: "#ef8f00", exempt: "#6a1b9a", compliant: "#2e7d32", notApplicable: "#9e9e9e" };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Inline `code` spans of Markdown-ish text (rule fixes), escaped. */
const prose = (text: string) => escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lead { font-size: 16px; margin: 8px 0 4px; }
p.meta, .note { color: var(--muted); margin: 4px 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 16px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); }
.tile .value { font-size: 28px; font-weight: 600; display: block; }
.tile .label { color: var(--muted); font-size: 12px; }
.tile.blocked .value { color: ${COLOURS.blocked}; }
.tile.undecided .value { color: ${COLOURS.undecided}; }
.tile.exempt .value { color: ${COLOURS.exempt}; }
.status-expired { color: ${COLOURS.blocked}; font-weight: 700; }
.status-expiring { color: ${COLOURS.undecided}; font-weight: 700; }
.gate { border-radius: 8px; padding: 10px 14px; margin: 12px 0; font-weight: 600; }
.gate.passed { background: #e6f4ea; border: 1px solid #7cc48a; }
.gate.failed { background: #fdecea; border: 1px solid #e57373; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num.hot { color: ${COLOURS.blocked}; font-weight: 700; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--panel); padding: 1px 4px; border-radius: 4px; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; background: var(--c); }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg .count { fill: #fff; font-weight: 600; }
ul.fixes li { margin: 4px 0; }
`;

const legend = () => `<div class="legend">${CATEGORIES.map((c) => `<span style="--c:${COLOURS[c]}">${CATEGORY_TITLES[c]}</span>`).join("")}</div>`;

/** Stacked horizontal bars, one per rule, each category's width in proportion to its count. */
function ruleChart(rules: RuleImpact[], engine: Engine): string {
  const charted = rules.filter((r) => r.counts[engine] && judgedAny(r));
  const total = (c: Counts) => CATEGORIES.reduce((s, k) => s + c[k], 0);
  const max = Math.max(1, ...charted.map((r) => total(r.counts[engine]!)));
  const labelWidth = 330;
  const barWidth = 760;
  const row = 26;
  const height = charted.length * row + 8;
  const bars = charted.map((rule, i) => {
    const counts = rule.counts[engine]!;
    const y = 4 + i * row;
    let x = labelWidth;
    const segments = CATEGORIES.filter((c) => counts[c] > 0).map((c) => {
      const w = (counts[c] / max) * barWidth;
      const seg =
        `<g><title>${escape(rule.id)}: ${n(counts[c])} ${CATEGORY_TITLES[c].toLowerCase()}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${row - 6}" fill="${COLOURS[c]}" data-rule="${escape(rule.id)}" data-engine="${engine}" data-category="${c}" data-count="${counts[c]}"/>` +
        (w >= 28 ? `<text class="count" x="${(x + w / 2).toFixed(2)}" y="${y + row / 2}" text-anchor="middle">${n(counts[c])}</text>` : "") +
        `</g>`;
      x += w;
      return seg;
    });
    const label = `<text x="${labelWidth - 8}" y="${y + row / 2}" text-anchor="end">${escape(rule.id)}</text>`;
    return label + segments.join("");
  });
  return `<svg role="img" aria-label="${escape(ENGINE_TITLES[engine])}: verdicts by rule" width="100%" viewBox="0 0 ${labelWidth + barWidth + 10} ${height}" data-chart="rules" data-engine="${engine}">${bars.join("")}</svg>`;
}

function ruleTable(report: ImpactReport, engine: Engine): string {
  const rows = report.rules
    .filter((r) => r.counts[engine] && judgedAny(r))
    .map((r) => {
      const counts = r.counts[engine]!;
      const cells = CATEGORIES.map((c) => `<td class="num${c === "blocked" && counts[c] > 0 ? " hot" : ""}" data-rule="${escape(r.id)}" data-engine="${engine}" data-category="${c}">${n(counts[c])}</td>`).join("");
      return `<tr><td><code>${escape(r.id)}</code>${r.stack ? ' <span class="note">(stack rule)</span>' : ""}<br><span class="note">${escape(r.title)}</span></td><td>${escape(r.enforcement[engine] ?? "—")}</td>${cells}</tr>`;
    });
  return `<table data-table="rules" data-engine="${engine}"><thead><tr><th>Rule</th><th>Today</th>${CATEGORIES.map((c) => `<th class="num">${CATEGORY_TITLES[c]}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A small bar: the share of a group's resources that would be blocked. */
function shareBar(blocked: number, undecided: number, resources: number): string {
  const w = 160;
  const b = resources === 0 ? 0 : (blocked / resources) * w;
  const u = resources === 0 ? 0 : (undecided / resources) * w;
  return (
    `<svg width="${w}" height="12" viewBox="0 0 ${w} 12" aria-hidden="true"><rect width="${w}" height="12" fill="#e8ecef" rx="2"/>` +
    `<rect width="${b.toFixed(2)}" height="12" fill="${COLOURS.blocked}"/><rect x="${b.toFixed(2)}" width="${u.toFixed(2)}" height="12" fill="${COLOURS.undecided}"/></svg>`
  );
}

function groupTables(report: ImpactReport): string {
  const engines = report.engines;
  // Exempt resources are counted only where a roll-out declares exemptions.
  const exempting = (report.rollout?.exemptions.length ?? 0) > 0;
  return report.dimensions
    .map((d) => {
      const groups = report.groups[d] ?? [];
      const exemptHead = exempting ? engines.map((e) => `<th class="num">Exempt (${ENGINE_TITLES[e]})</th>`).join("") : "";
      const head = `<tr><th>${DIMENSION_TITLES[d]}</th><th class="num">Resources</th>${engines.map((e) => `<th class="num">Blocked (${ENGINE_TITLES[e]})</th>`).join("")}${engines.map((e) => `<th class="num">Undecided (${ENGINE_TITLES[e]})</th>`).join("")}${exemptHead}<th></th></tr>`;
      const rows = groups.slice(0, GROUP_ROWS).map((g) => {
        const worst = Math.max(0, ...engines.map((e) => g.blocked[e] ?? 0));
        const undecided = Math.max(0, ...engines.map((e) => g.undecided[e] ?? 0));
        const blocked = engines.map((e) => `<td class="num${(g.blocked[e] ?? 0) > 0 ? " hot" : ""}" data-dimension="${d}" data-key="${escape(g.key)}" data-engine="${e}" data-category="blocked">${n(g.blocked[e] ?? 0)}</td>`).join("");
        const und = engines.map((e) => `<td class="num" data-dimension="${d}" data-key="${escape(g.key)}" data-engine="${e}" data-category="undecided">${n(g.undecided[e] ?? 0)}</td>`).join("");
        const exempt = exempting ? engines.map((e) => `<td class="num" data-dimension="${d}" data-key="${escape(g.key)}" data-engine="${e}" data-category="exempt">${n(g.exempt[e] ?? 0)}</td>`).join("") : "";
        return `<tr><td title="${escape(g.key)}">${escape(shown(g.key))}</td><td class="num" data-dimension="${d}" data-key="${escape(g.key)}" data-category="resources">${n(g.resources)}</td>${blocked}${und}${exempt}<td>${shareBar(worst, undecided, g.resources)}</td></tr>`;
      });
      const more = groups.length > GROUP_ROWS ? `<p class="note">and ${n(groups.length - GROUP_ROWS)} more in the JSON report</p>` : "";
      return `<h3>By ${DIMENSION_TITLES[d].toLowerCase()}</h3><table data-table="groups" data-dimension="${d}"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>${more}`;
    })
    .join("");
}

function fixSection(report: ImpactReport): string {
  const fixes = report.fixes;
  if (fixes.resources === 0) return `<h2>Resources to fix</h2><p>None: no rule would block any resource.</p>`;
  const rows = fixes.shown.map((item) => {
    const rules = item.rules
      .map(
        (r) =>
          `<a href="#fix-${escape(r.rule)}"><code>${escape(r.rule)}</code></a>${report.engines.length > 1 && r.engines.length < report.engines.length ? ` <span class="note">(${r.engines.map((e) => ENGINE_TITLES[e]).join(", ")} only)</span>` : ""}${r.expired ? ` <span class="status-expired">${prose(expiredText(r.expired).trim())}</span>` : ""}`,
      )
      .join("<br>");
    return `<tr data-fix="${escape(item.resource)}"><td><code>${escape(item.resource)}</code><br><span class="note">${escape(item.placement.resourceId ?? item.file)}</span></td><td>${escape(where(item.placement))}</td><td>${rules}</td></tr>`;
  });
  const more = fixes.omitted > 0 ? `<p class="note">and ${n(fixes.omitted)} more (every one is in the fix list written with <code>--fix-list</code>)</p>` : "";
  const blocking = report.rules.filter((r) => report.engines.some((e) => (r.counts[e]?.blocked ?? 0) > 0));
  const how = `<h3>How to fix</h3><ul class="fixes">${blocking.map((r) => `<li id="fix-${escape(r.id)}"><code>${escape(r.id)}</code>: ${prose(r.fix)}</li>`).join("")}</ul>`;
  return `<h2>Resources to fix <span class="note">(${n(fixes.resources)})</span></h2><table data-table="fixes"><thead><tr><th>Resource</th><th>Where</th><th>Would be blocked by</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}${how}`;
}

/** The project's exemptions: what each covered per engine, and which expired or expire soon. */
function exemptionSection(report: ImpactReport): string {
  const exemptions = report.rollout?.exemptions ?? [];
  if (exemptions.length === 0) return "";
  const engines = report.engines;
  const head = `<tr><th>Exemption</th><th>Category</th><th>Reference</th><th>Expires</th><th>Status</th>${engines.map((e) => `<th class="num">Covers (${ENGINE_TITLES[e]})</th>`).join("")}${engines.map((e) => `<th class="num">Expired on (${ENGINE_TITLES[e]})</th>`).join("")}<th>Reason</th></tr>`;
  const count = (x: (typeof exemptions)[number], kind: "covered" | "expired", e: Engine) =>
    `<td class="num${kind === "expired" && (x.expired[e] ?? 0) > 0 ? " hot" : ""}" data-exemption="${escape(x.name)}" data-engine="${e}" data-category="${kind}">${x[kind][e] === undefined ? "—" : n(x[kind][e])}</td>`;
  const rows = exemptions.map((x) => {
    const status = x.status === "expired" ? "expired" : x.status === "expiring" ? `expires within ${EXPIRING_DAYS} days` : "active";
    return (
      `<tr data-exemption="${escape(x.name)}"><td><code>${escape(x.name)}</code></td><td>${x.category}</td><td>${escape(x.reference)}</td><td>${x.expiresOn ? expiryText(x.expiresOn) : "never"}</td>` +
      `<td class="status-${x.status}" data-status="${x.status}">${status}</td>${engines.map((e) => count(x, "covered", e)).join("")}${engines.map((e) => count(x, "expired", e)).join("")}<td>${escape(x.reason)}</td></tr>`
    );
  });
  return (
    `<h2>Exemptions <span class="note">(on ${report.rollout!.date.slice(0, 10)})</span></h2>` +
    `<p class="note">Covers: resources the exemption keeps from being blocked. Expired on: resources it would cover, blocked again since it expired. — where the engine does not honour it.</p>` +
    `<table data-table="exemptions"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`
  );
}

function notes(report: ImpactReport): string {
  const parts: string[] = [];
  const undecided = report.rules.filter((r) => r.undecidedBecause.length > 0);
  if (undecided.length > 0) parts.push(`<h3>Why some cannot be decided</h3><ul>${undecided.map((r) => `<li><code>${escape(r.id)}</code>: ${r.undecidedBecause.map(escape).join("; ")}</li>`).join("")}</ul>`);
  if (report.notJudged.resources > 0) {
    const types = Object.entries(report.notJudged.byType).map(([t, c]) => `<li><code>${escape(t)}</code>: <span data-not-judged="${escape(t)}">${n(c)}</span></li>`);
    parts.push(`<h3>Not judged <span class="note">(${n(report.notJudged.resources)} resources no rule judges)</span></h3><ul>${types.join("")}</ul>`);
  }
  const problems = [...report.inputs.errors.map((e) => `error: ${e}`), ...report.inputs.warnings.map((w) => `warning: ${w}`)];
  if (problems.length > 0)
    parts.push(`<h3>Inputs not fully read</h3><ul>${problems.map((p) => `<li>${escape(p)}</li>`).join("")}</ul>${report.inputs.warningsOmitted > 0 ? `<p class="note">and ${n(report.inputs.warningsOmitted)} more</p>` : ""}`);
  return parts.length > 0 ? `<h2>Notes</h2>${parts.join("")}` : "";
}

export function formatHtml(report: ImpactReport): string {
  const engines = report.engines;
  const tile = (label: string, value: number, kind: string, attrs: string) => `<div class="tile ${kind}"><span class="value" ${attrs}>${n(value)}</span><span class="label">${escape(label)}</span></div>`;
  const tiles = [
    tile("resources judged", report.inputs.judged, "", `data-summary="judged"`),
    ...engines.map((e) => tile(`would be blocked by ${ENGINE_TITLES[e]} (${ENFORCED[e]})`, report.summary.blocked[e] ?? 0, "blocked", `data-summary="blocked" data-engine="${e}"`)),
    ...engines.map((e) => tile(`cannot be decided (${ENGINE_TITLES[e]})`, report.summary.undecided[e] ?? 0, "undecided", `data-summary="undecided" data-engine="${e}"`)),
    ...engines.map((e) => tile(`exempt, and not blocked otherwise (${ENGINE_TITLES[e]})`, report.summary.exempt[e] ?? 0, "exempt", `data-summary="exempt" data-engine="${e}"`)),
    tile("resources no rule judges", report.notJudged.resources, "", `data-summary="not-judged"`),
  ].join("");
  const gate = report.gate
    ? `<div class="gate ${report.gate.passed ? "passed" : "failed"}" data-gate="${report.gate.passed ? "passed" : "failed"}">Gate ${report.gate.passed ? "passed" : "failed"}: switching ${report.gate.rules.length === report.rules.length ? "every rule" : escape(report.gate.rules.join(", "))} would block ${n(Math.max(0, ...engines.map((e) => report.gate!.blocked[e] ?? 0)))} resources (at most ${n(report.gate.maxBlocked)} allowed)</div>`
    : "";
  const byEngine = engines.map((e) => `<h3>${ENGINE_TITLES[e]}, every rule ${ENFORCED[e]}</h3>${legend()}${ruleChart(report.rules, e)}${ruleTable(report, e)}`).join("");
  const idle = report.rules.filter((r) => !judgedAny(r));
  const stackNote =
    idle.length > 0
      ? `<p class="note" data-idle-rules>No resource here is one ${idle.map((r) => `<code>${escape(r.id)}</code>`).join(", ")} ${idle.length === 1 ? "judges" : "judge"}${idle.some((r) => r.stack) ? "; stack rules judge stack exports and previews, not inventories" : ""}.</p>`
      : "";
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>apiguard impact report</title><style>${STYLE}</style></head><body><main>`,
    `<h1>Before you switch to Deny</h1>`,
    `<p class="lead" data-headline>${escape(headline(report))}</p>`,
    `<p class="meta">apiguard impact report · ${n(report.inputs.files)} files · ${n(report.inputs.resources)} resources read · blocked means the resource's next create or full update (PUT) is refused, or its stack's next preview fails</p>`,
    gate,
    `<div class="tiles">${tiles}</div>`,
    `<h2>By rule</h2>${stackNote}${byEngine}`,
    report.dimensions.length > 0 ? `<h2>Where</h2>${groupTables(report)}` : "",
    exemptionSection(report),
    fixSection(report),
    notes(report),
    `</main></body></html>`,
    "",
  ].join("\n");
}
