/** Output formats of `apiguard evaluate`: a terminal table, JSON (DESIGN §6), and SARIF 2.1.0 for code scanning. */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { expiryText } from "../../core/rollout/rollout";
import type { NotJudgedInput } from "./formats";
import { STDIN } from "./parse";
import { ENGINES, type EvaluateVerdict as Verdict, type NotJudged, type Report, type Result, type RuleInfo } from "./run";

export type Format = "table" | "json" | "sarif";
export const FORMATS: readonly Format[] = ["table", "json", "sarif"];

/** How many resources no rule judged (entries without a type are parts of files, not resources). */
const notJudgedResources = (report: Report) => report.notJudged.filter((n) => n.type !== undefined).length;

export function formatJson(report: Report): string {
  const results = report.results.map(({ blocking: _blocking, id: _id, position: _position, ...r }) => r);
  const notJudged = report.notJudged.map(({ file, resource, type, reason }) => ({ file, ...(resource !== undefined ? { resource } : {}), ...(type !== undefined ? { type } : {}), reason }));
  return JSON.stringify({ results, summary: { ...report.summary, "not-judged": notJudgedResources(report) }, notJudged }, null, 2);
}

const where = (n: NotJudgedInput) => (n.position ? `${n.file}:${n.position.line}:${n.position.column}` : n.file);

/** One resource not judged, or one part of a file that could not be followed, as a line. */
export function notJudgedLine(n: NotJudgedInput): string {
  return n.type === undefined ? `${where(n)}: ${n.reason}` : `${where(n)}: ${n.type} '${n.resource}': ${n.reason}`;
}

/**
 * The not-judged report for stderr: one line per file, type and reason (a plan can hold hundreds of
 * resources no rule judges), naming the first few resources; JSON and SARIF list every one.
 */
export function notJudgedLines(report: Report): string[] {
  const groups = new Map<string, NotJudged[]>();
  for (const n of report.notJudged) {
    const key = n.type === undefined ? `${where(n)}\0${n.reason}` : `${n.file}\0${n.type}\0${n.reason}`;
    const group = groups.get(key);
    if (group) group.push(n);
    else groups.set(key, [n]);
  }
  return [...groups.values()].map((g) => {
    const [first] = g;
    if (first.type === undefined || g.length === 1) return notJudgedLine(first);
    const names =
      g
        .slice(0, 3)
        .map((n) => `'${n.resource}'`)
        .join(", ") + (g.length > 3 ? ` and ${g.length - 3} more` : "");
    return `${first.file}: ${g.length} resources of type ${first.type} (${names}): ${first.reason}`;
  });
}

const COLOURS: Record<Verdict, string> = { fail: "\x1b[31m", unknown: "\x1b[33m", pass: "\x1b[32m", "not-applicable": "\x1b[2m", exempt: "\x1b[36m" };

/** One row per resource and rule, the engines side by side; failure details after the table. */
export function formatTable(report: Report, colour: boolean): string {
  // Engine columns in one fixed order, whatever order the results arrive in.
  const engines = ENGINES.filter((e) => report.results.some((r) => r.engine === e));
  const keyOf = (r: Result) => `${r.file}\0${r.id ?? r.resource}\0${r.rule}`;
  const groups = new Map<string, Result[]>();
  for (const r of report.results) {
    const group = groups.get(keyOf(r));
    if (group) group.push(r);
    else groups.set(keyOf(r), [r]);
  }
  const cell = (r: Result | undefined) => (r ? r.verdict + (r.verdict === "fail" && r.blocking ? " (blocking)" : "") : "");
  const rows = [...groups.values()].map((g) => ({
    cells: [g[0].file, g[0].resource, g[0].rule, ...engines.map((e) => cell(g.find((r) => r.engine === e)))],
    verdicts: engines.map((e) => g.find((r) => r.engine === e)?.verdict),
  }));
  const header = ["FILE", "RESOURCE", "RULE", ...engines.map((e) => e.toUpperCase())];
  // Folded, never spread: a stack can hold more rows than a call takes arguments.
  const widths = header.map((h, i) => rows.reduce((width, row) => Math.max(width, row.cells[i].length), h.length));
  const paint = (text: string, verdict: Verdict | undefined) => (colour && verdict ? `${COLOURS[verdict]}${text}\x1b[0m` : text);
  const line = (cells: string[], verdicts: (Verdict | undefined)[] = []) =>
    cells
      .map((c, i) => paint(c.padEnd(widths[i]), i >= 3 ? verdicts[i - 3] : undefined))
      .join("  ")
      .trimEnd();
  // A failure's message, else what an exemption keeps from blocking, else why the rule could not
  // decide (each engine's reason, when they differ).
  const shown = (g: Result[], verdict: Verdict) => g.find((r) => r.verdict === verdict && r.engine === "crossguard" && r.message) ?? g.find((r) => r.verdict === verdict && r.message);
  const detail = (g: Result[]): string | undefined => {
    const stated = shown(g, "fail") ?? shown(g, "exempt");
    if (stated) return stated.message;
    const reasons = [...new Set(g.filter((r) => r.verdict === "unknown" && r.message).map((r) => r.message))];
    return reasons.length > 0 ? reasons.map((m) => `unknown: ${m}`).join("\n") : undefined;
  };
  const details = [...groups.values()].flatMap((g) => {
    const text = detail(g);
    return text === undefined ? [] : [`\n${g[0].rule} — ${g[0].resource} (${g[0].file}):\n  ${text.split("\n").join("\n  ")}`];
  });
  const s = report.summary;
  const unjudged = notJudgedResources(report);
  const exempt = s.exempt > 0 ? `, ${s.exempt} exempt` : "";
  const summary =
    `\n${s.fail} fail, ${s.unknown} unknown, ${s.pass} pass, ${s["not-applicable"]} not applicable${exempt} (counted per engine)` + (unjudged > 0 ? `; ${unjudged} resource${unjudged === 1 ? "" : "s"} not judged (listed on stderr)` : "");
  return [line(header), ...rows.map((r) => line(r.cells, r.verdicts)), ...details, summary].join("\n");
}

const SEVERITY_SCORE: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function level(result: Result): "error" | "warning" | "note" {
  if (result.verdict === "unknown" || result.verdict === "exempt") return "note";
  return result.blocking ? "error" : "warning";
}

function sarifRule(rule: RuleInfo) {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: rule.remediation ?? rule.description, markdown: `See docs/rules/${rule.id}.md\n\n${rule.remediation ?? ""}`.trim() },
    defaultConfiguration: { level: rule.enforcement === "mandatory" || rule.enforcement === "Deny" ? "error" : "warning" },
    properties: { tags: ["security", "kubernetes"], ...(rule.severity ? { "security-severity": SEVERITY_SCORE[rule.severity] } : {}) },
  };
}

/** The repository root above `dir` (nearest `.git`), else `dir`: SARIF paths are relative to it, as code scanning expects. */
export function repositoryRoot(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}

const NOT_JUDGED = "not-judged";
const INPUT_ERROR = "input-error";
const NOTIFICATION_DESCRIPTORS = [
  { id: NOT_JUDGED, shortDescription: { text: "A resource no rule judged (or a part of a file that could not be followed), and why." } },
  { id: INPUT_ERROR, shortDescription: { text: "A file that could not be read; the other files were still judged." } },
];

const RANK: Record<Verdict, number> = { fail: 4, unknown: 3, exempt: 2, pass: 1, "not-applicable": 0 };

/**
 * A result no engine fails or leaves undecided, because an exemption covers it: SARIF's suppression
 * (external, accepted), with the exemption as its justification. Code scanning shows it as a note.
 */
function suppressions(worst: Result) {
  const e = worst.exemption;
  if (worst.verdict !== "exempt" || !e) return {};
  const expiry = e.expiresOn ? `, expires ${expiryText(e.expiresOn)}` : "";
  return { suppressions: [{ kind: "external", status: "accepted", justification: `exemption '${e.name}' (${e.category}, ref ${e.reference}${expiry}): ${e.reason}` }] };
}

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: one result per rule and resource that fails or is
 * unknown, both engines' verdicts in its properties, located at the resource's declaration, with a
 * fingerprint of rule, file and resource identity (not line), so an alert survives edits around it.
 */
export function formatSarif(report: Report, version: string, cwd = process.cwd()): string {
  const rules = report.rules.map(sarifRule);
  const root = repositoryRoot(cwd);
  const uriOf = (file: string) => (file === STDIN ? "stdin" : path.relative(root, path.resolve(cwd, file)).split(path.sep).join("/"));
  const groups = new Map<string, Result[]>();
  for (const r of report.results) {
    const key = `${r.file}\0${r.id ?? r.resource}\0${r.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const results = [...groups.values()]
    .filter((g) => g.some((r) => r.verdict === "fail" || r.verdict === "unknown" || r.verdict === "exempt"))
    .map((g) => {
      const worst = [...g].sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || Number(b.blocking) - Number(a.blocking))[0];
      const uri = uriOf(worst.file);
      const identity = `${worst.rule}\0${uri}\0${worst.id ?? worst.resource}`;
      const verdicts = Object.fromEntries(g.map((r) => [r.engine, r.verdict + (r.verdict === "fail" && r.blocking ? " (blocking)" : "")]));
      const detail = g.find((r) => r.verdict === worst.verdict && r.message)?.message ?? worst.verdict;
      return {
        ruleId: worst.rule,
        ruleIndex: rules.findIndex((x) => x.id === worst.rule),
        level: level(worst),
        message: {
          text: `${worst.resource} (${worst.type}): ${Object.entries(verdicts)
            .map(([e, v]) => `${e} ${v}`)
            .join(", ")}. ${detail}`,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: worst.position?.line ?? 1, ...(worst.position ? { startColumn: worst.position.column } : {}) },
            },
            logicalLocations: [{ name: worst.resource, kind: "resource", fullyQualifiedName: `${worst.type}/${worst.resource}` }],
          },
        ],
        partialFingerprints: { "apiguardResource/v1": createHash("sha256").update(identity).digest("hex") },
        ...suppressions(worst),
        properties: { verdicts, resourceType: worst.type, ...(worst.exemption ? { exemption: worst.exemption } : {}) },
      };
    });
  // What was not judged, and files that could not be read, as the run's notifications.
  const notifications = [
    ...report.errors.map((e) => ({ descriptor: { id: INPUT_ERROR }, level: "error" as const, message: { text: e.message } })),
    ...report.notJudged.map((n) => ({
      descriptor: { id: NOT_JUDGED },
      level: "note" as const,
      message: { text: n.type === undefined ? n.reason : `${n.type} '${n.resource}': ${n.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(n.file) }, ...(n.position ? { region: { startLine: n.position.line, startColumn: n.position.column } } : {}) } }],
      ...(n.type !== undefined ? { properties: { resourceType: n.type, resource: n.resource } } : {}),
    })),
  ];
  return JSON.stringify(
    {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "apiguard", version, rules, notifications: NOTIFICATION_DESCRIPTORS } },
          invocations: [{ executionSuccessful: report.errors.length === 0, toolExecutionNotifications: notifications }],
          results,
        },
      ],
    },
    null,
    2,
  );
}
