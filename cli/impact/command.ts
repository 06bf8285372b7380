/**
 * The `impact` command's options and outputs: the Markdown report on standard output unless asked
 * otherwise, the HTML and JSON reports to files, and the exit code (0; 1 when the gate fails; 2 when a
 * file could not be read — the report still covers the others).
 */
import * as fs from "fs";
import type { ParameterValues } from "../../arm-template";
import type { Engine } from "../evaluate/run";
import { UsageError } from "../usage-error";
import { formatHtml } from "./html";
import { formatMarkdown } from "./markdown";
import type { ImpactReport } from "./model";
import { impactFiles } from "./run";

export interface ImpactCommandOptions {
  engine: string;
  markdown?: string;
  html?: string;
  json?: string;
  fixList?: string;
  maxFixes: number;
  maxBlocked?: number;
  rule: string[];
  ring: string[];
  project?: string;
  parameters: string[];
  jobs?: number;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A whole number of 0 or more, for a count option. */
export function count(value: string, option: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${option} must be a whole number, 0 or more (got '${value}')`);
  return n;
}

/** `--jobs`: 1 or more. */
export function jobs(value: string): number {
  const n = count(value, "--jobs");
  if (n === 0) throw new UsageError("--jobs must be 1 or more (1 judges one file at a time)");
  return n;
}

export const formatJson = (report: ImpactReport) => JSON.stringify(report, null, 2) + "\n";

export async function impactCommand(files: string[], engines: readonly Engine[], projectDir: string, parameters: ParameterValues | undefined, options: ImpactCommandOptions, io: Io): Promise<number> {
  if (options.rule.length > 0 && options.maxBlocked === undefined) throw new UsageError("--rule names the rules a gate switches to Deny: give --max-blocked too");
  if (options.ring.length > 0 && options.maxBlocked === undefined) throw new UsageError("--ring names the rings a gate counts: give --max-blocked too");
  const outputs = [
    ["markdown", options.markdown ?? (options.html === undefined && options.json === undefined ? "-" : undefined), formatMarkdown],
    ["html", options.html, formatHtml],
    ["json", options.json, formatJson],
  ] as const;
  const wanted = outputs.filter(([, file]) => file !== undefined);
  if (wanted.filter(([, file]) => file === "-").length > 1) throw new UsageError("only one report can go to standard output (-); write the others to files");
  const report = await impactFiles(files, {
    engines,
    projectDir,
    parameters,
    maxFixes: options.maxFixes,
    fixList: options.fixList,
    gate: options.maxBlocked === undefined ? undefined : { maxBlocked: options.maxBlocked, rules: options.rule, rings: options.ring },
    // Standard input is read on this thread.
    jobs: files.includes("-") ? 1 : options.jobs,
  });
  for (const [, file, render] of wanted) {
    const text = render(report);
    if (file === "-") io.out(text.trimEnd());
    else fs.writeFileSync(file!, text);
  }
  for (const w of report.inputs.warnings) io.err(`apiguard: warning: ${w}`);
  for (const e of report.inputs.errors) io.err(`apiguard: ${e}`);
  if (report.gate && !report.gate.passed) {
    const worst = Math.max(0, ...engines.map((e) => report.gate!.blocked[e] ?? 0));
    const rings = report.gate.rings ? ` in ring ${report.gate.rings.join(", ")}` : "";
    io.err(`apiguard impact: switching ${report.gate.rules.length === report.rules.length ? "every rule" : report.gate.rules.join(", ")} to Deny${rings} would block ${worst} resources, more than --max-blocked ${report.gate.maxBlocked}`);
  }
  if (report.inputs.errors.length > 0) return 2;
  return report.gate && !report.gate.passed ? 1 : 0;
}
