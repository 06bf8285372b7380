/**
 * The apiguard command line. Exit codes: 0 success, 1 drift (check) or a failing mandatory rule
 * (evaluate), 2 bad input or usage — with a one-line reason, and a stack trace only under --debug.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { FORMATS, formatJson, formatSarif, formatTable, notJudgedLines, type Format } from "./evaluate/format";
import { formatTitles, InputError } from "./evaluate/formats";
import { ENGINES, evaluateFiles, hasBlockingFailure, type Engine } from "./evaluate/run";
import { BUNDLED_CATALOG, PROJECT_ROOT } from "./project-paths";
import { DEFAULT_WAIT_MS, OutputError, settleOutputFolder, withOutputFolder } from "./fs-transaction";

// The catalog loader and generators load lazily: `evaluate` needs neither, and they dominate start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  catalog: () => require("../core/catalog/load") as typeof import("../core/catalog/load"),
  merge: () => require("../core/catalog/merge") as typeof import("../core/catalog/merge"),
  generators: () => require("../generators") as typeof import("../generators"),
  output: () => require("./write-files") as typeof import("./write-files"),
  inputs: () => require("./generator-inputs") as typeof import("./generator-inputs"),
  init: () => require("./init") as typeof import("./init"),
  target: () => require("./output-target") as typeof import("./output-target"),
  parameters: () => require("./evaluate/parameters") as typeof import("./evaluate/parameters"),
  impact: () => require("./impact/command") as typeof import("./impact/command"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

import { UsageError } from "./usage-error";
export { UsageError } from "./usage-error";

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") };

/** How every usage error ends: one line pointing at the help, rather than the whole help text. */
const HINT = "hint: run `apiguard --help` (or `apiguard <command> --help`) for usage";

const VERSION = require(path.join(PROJECT_ROOT, "package.json")).version as string;

/**
 * The folder whose policypack/ and azure-policy/ `evaluate` uses: --project if given, else the
 * current folder when it holds generated outputs, else the outputs bundled with apiguard.
 */
function evaluateProject(project: string | undefined): string {
  if (project !== undefined) return path.resolve(project);
  const here = process.cwd();
  return fs.existsSync(path.join(here, "policypack")) || fs.existsSync(path.join(here, "azure-policy")) ? here : PROJECT_ROOT;
}

interface OutputOptions {
  catalog?: string;
  out: string;
  wait: number;
}

/** The output folder, once it is known to be a safe place to write (see output-target.ts). */
function outputFolder(options: OutputOptions): string {
  const outDir = path.resolve(options.out);
  const catalogs = [options.catalog === undefined ? path.join(outDir, "catalog") : path.resolve(options.catalog), BUNDLED_CATALOG];
  lazy.target().checkOutputTarget(outDir, catalogs, "--out");
  return outDir;
}

/** Read inside the locked folder, after any interrupted write there is recovered: versions.json and the README are outputs too. */
function outputs(options: OutputOptions, outDir: string) {
  const catalog = lazy.merge().resolveCatalog(options.catalog, outDir, BUNDLED_CATALOG);
  return { catalog, files: lazy.generators().generateAll(catalog, lazy.inputs().readGeneratorInputs(outDir)) };
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("a number of seconds, 0 or more");
  return n * 1000;
}

/** A new Option each time: commander keeps state on the options a command holds. */
const wait = () =>
  new Option("--wait <seconds>", "how long to wait for another apiguard writing the same folder").argParser(seconds).default(DEFAULT_WAIT_MS, String(DEFAULT_WAIT_MS / 1000));

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const debug = argv.includes("--debug");
  const program = new Command()
    .name("apiguard")
    .description("One rule catalog → Pulumi CrossGuard policy pack + Azure Policy definitions + docs, guarding Kubernetes API server exposure.")
    .version(VERSION, "-V, --version", "print apiguard's version")
    .option("--debug", "print stack traces for errors")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError(HINT);

  program
    .command("generate")
    .description("write policypack/, azure-policy/, docs/rules/ and the README rule table from the catalog")
    .option("--catalog <dir>", "rule catalog folder; with a bundled.yaml it builds on the bundled rules (default: <out>/catalog, else the bundled catalog)")
    .option("--out <dir>", "project folder to write into", ".")
    .addOption(wait())
    .action((options: OutputOptions) => {
      const outDir = outputFolder(options);
      withOutputFolder(outDir, { command: "generate", create: true, waitMs: options.wait, notice: io.err }, (folder) => {
        const { catalog, files } = outputs(options, outDir);
        const { written, removed } = lazy.output().commitOutputs(folder, files);
        io.out(`apiguard: ${catalog.rules.length} rules → ${files.size} files (${written.length} written, ${removed.length} removed, ${files.size - written.length} unchanged)`);
      });
    });

  program
    .command("check")
    .description("exit 1 if the committed outputs differ from what the catalog generates")
    .option("--catalog <dir>", "rule catalog folder; with a bundled.yaml it builds on the bundled rules (default: <out>/catalog, else the bundled catalog)")
    .option("--out <dir>", "project folder holding the generated outputs", ".")
    .addOption(wait())
    .action((options: OutputOptions) => {
      const outDir = outputFolder(options);
      withOutputFolder(outDir, { command: "check", readOnly: true, waitMs: options.wait, notice: io.err }, () => {
        const { files } = outputs(options, outDir);
        const { findDrift, formatDrift, hasDrift } = lazy.output();
        const drift = findDrift(outDir, files);
        if (hasDrift(drift)) {
          io.err(`apiguard check: generated outputs are out of date — run \`npm run generate\` and commit the result:\n${formatDrift(drift)}`);
          code = EXIT.failed;
        } else io.out(`apiguard check: ${files.size} generated files match the catalog`);
      });
    });

  program
    .command("evaluate")
    .description(
      `judge resources with the generated pack and definitions: ${formatTitles()} (\`-\` reads standard input)`,
    )
    .argument("<files...>", "input files, or - for standard input")
    .option("--engine <engine>", "crossguard, azure-policy or both", "both")
    .option("--format <format>", "table, json or sarif", "table")
    .option("--project <dir>", "folder holding policypack/ and azure-policy/ (default: the current folder if it has them, else the bundled outputs)")
    .option("--parameters <file|name=value>", "ARM template parameters: a parameters file or name=value (repeatable; later wins)", (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (files: string[], options: { engine: string; format: string; project?: string; parameters: string[] }) => {
      const engines: readonly Engine[] = options.engine === "both" ? ENGINES : ENGINES.filter((e) => e === options.engine);
      if (engines.length === 0) throw new UsageError(`--engine must be crossguard, azure-policy or both (got '${options.engine}')`);
      if (!FORMATS.includes(options.format as Format)) throw new UsageError(`--format must be ${FORMATS.join(", ")} (got '${options.format}')`);
      if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
      const parameters = options.parameters.length > 0 ? lazy.parameters().readParameters(options.parameters) : undefined;
      const projectDir = evaluateProject(options.project);
      // Judge with whole outputs: an interrupted generate there is completed (or undone) first.
      settleOutputFolder(projectDir, io.err);
      const report = await evaluateFiles(files, { engines, projectDir, parameters });
      const format = options.format as Format;
      io.out(format === "json" ? formatJson(report) : format === "sarif" ? formatSarif(report, VERSION) : formatTable(report, Boolean(process.stdout.isTTY)));
      for (const line of notJudgedLines(report)) io.err(`apiguard: not judged: ${line}`);
      for (const e of report.errors) io.err(`apiguard: ${e.message}` + (debug ? `\n${e.stack}` : ""));
      code = report.errors.length > 0 ? EXIT.usage : hasBlockingFailure(report) ? EXIT.failed : EXIT.ok;
    });

  program
    .command("impact")
    .description(
      "what switching rules to Deny / mandatory would block among resources that exist: Resource Graph pages, Azure CLI output, Pulumi Cloud search pages, stack exports (any mix, one file at a time)",
    )
    .argument("<files...>", "inventory files, or - for standard input")
    .option("--engine <engine>", "crossguard, azure-policy or both", "both")
    .option("--markdown <file>", "write the Markdown report (a pull-request comment) to a file, - for standard output (the default output)")
    .option("--html <file>", "write the self-contained HTML report to a file, - for standard output")
    .option("--json <file>", "write the JSON report to a file, - for standard output")
    .option("--fix-list <file>", "write every resource to fix, one JSON object per line")
    .option("--max-fixes <n>", "resources to fix held in the report (the fix list has all)", (v: string) => lazy.impact().count(v, "--max-fixes"), 1000)
    .option("--max-blocked <n>", "exit 1 when switching the rules to Deny would block more than n resources", (v: string) => lazy.impact().count(v, "--max-blocked"))
    .option("--rule <id>", "with --max-blocked: a rule to switch (repeatable; default: every rule)", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--project <dir>", "folder holding policypack/ and azure-policy/ (default: the current folder if it has them, else the bundled outputs)")
    .option("--parameters <file|name=value>", "ARM template parameters, for templates among the inputs (repeatable; later wins)", (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (files: string[], options: import("./impact/command").ImpactCommandOptions) => {
      const engines: readonly Engine[] = options.engine === "both" ? ENGINES : ENGINES.filter((e) => e === options.engine);
      if (engines.length === 0) throw new UsageError(`--engine must be crossguard, azure-policy or both (got '${options.engine}')`);
      if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
      const parameters = options.parameters.length > 0 ? lazy.parameters().readParameters(options.parameters) : undefined;
      const projectDir = evaluateProject(options.project);
      settleOutputFolder(projectDir, io.err);
      code = await lazy.impact().impactCommand(files, engines, projectDir, parameters, options, io);
    });

  program
    .command("init")
    .description("scaffold a policy repository: your own catalog beside the bundled rules, generated outputs, CI for GitHub Actions and Azure DevOps")
    .argument("[dir]", "folder to create or fill (must not hold any of the scaffold's files)", ".")
    .addOption(wait())
    .action((dir: string, options: { wait: number }) => {
      const { init, shellQuote } = lazy.init();
      const { root, created, catalog, files } = init(path.resolve(dir), VERSION, { waitMs: options.wait, notice: io.err });
      io.out(`apiguard init: ${created.length} files and ${files} generated files (${catalog} rules) in ${shellQuote(root)}\nnext: cd ${shellQuote(dir)} && npm install && git init && git add -A`);
    });

  try {
    await program.parseAsync(argv, { from: "node" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // An unsafe folder, another apiguard holding it, a write that failed (and was undone): the line says it all.
    if (e instanceof OutputError) {
      io.err(`apiguard: ${e.message}`);
      if (debug) io.err(String(e.stack));
      return EXIT.usage;
    }
    if (e instanceof UsageError || e instanceof InputError || (e instanceof Error && "code" in e && typeof (e as NodeJS.ErrnoException).code === "string")) {
      io.err(`apiguard: ${(e as Error).message}`);
      if (e instanceof UsageError) io.err(HINT);
      if (debug) io.err(String((e as Error).stack));
      return EXIT.usage;
    }
    // Only generate, check and init load the catalog, and only they can throw its errors.
    if (e instanceof lazy.catalog().CatalogErrors) {
      io.err(`apiguard: the catalog has ${e.errors.length} error${e.errors.length === 1 ? "" : "s"}; nothing was written:\n${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
  return code;
}
