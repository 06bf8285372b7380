/**
 * Real previews for the tests: the Pulumi CLI built by scripts/install-pulumi.sh runs inline
 * TypeScript programs (Automation API) written with the typed provider SDKs, against a local file
 * backend, with the cloud replaced by the stand-in provider plugins of test/fixtures/standins (found
 * on PATH as ambient plugins, so nothing is downloaded). One backend and one PULUMI_HOME serve every
 * stack of a test file.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { REPO as HERE } from "../../helpers/paths";

// `npm run bench` runs this file compiled into dist/test/e2e/preview: the repository is then dist's parent.
const REPO = fs.existsSync(path.join(HERE, "package.json")) ? HERE : path.dirname(HERE);

export const PACK = path.join(REPO, "policypack");
const STANDINS = path.join(REPO, "test/fixtures/standins");
const PLUGINS = path.join(REPO, "scripts/plugins");
let pulumiBin: string | undefined;
/** The CLI's bin folder, built (or found in the cache) by scripts/install-pulumi.sh. */
function pulumiBinDir(): string {
  pulumiBin ??= execFileSync("bash", [path.join(REPO, "scripts/install-pulumi.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  return pulumiBin;
}

export interface Run {
  /** The CLI's exit code. */
  code: number;
  /** What the CLI printed, stdout then stderr, as a user sees it. */
  output: string;
}

export interface RunOptions {
  /** A policy-pack config, written to a file for `--policy-pack-config`. */
  config?: object;
  packs?: string[];
  /** Stack tags (`pulumi stack tag set`), set before the run. */
  tags?: Record<string, string>;
}

export interface Harness {
  work: string;
  preview(stack: string, program: PulumiFn, opts?: RunOptions): Promise<Run>;
  up(stack: string, program: PulumiFn, opts?: RunOptions): Promise<Run>;
  /** The resources in a stack's state (after `up`). */
  resources(stack: string): Promise<{ type: string; inputs: Record<string, unknown> }[]>;
  /** What `pulumi stack export` writes for a stack (after `up`). */
  exportStack(stack: string): Promise<unknown>;
  dispose(): void;
}

/**
 * Puts the stand-ins and the policy analyzer into the plugin cache of PULUMI_HOME, where the CLI
 * looks for the versions the programs ask for, as it would after `pulumi plugin install`. (On PATH
 * they would work too, but the CLI then prints a warning per plugin into every transcript.)
 */
function installPlugins(home: string): void {
  const sdkVersion = (pkg: string) => JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", pkg, "package.json"), "utf8")).version as string;
  const plugins: [string, string, string][] = [
    ["resource", "azure-native", sdkVersion("@pulumi/azure-native")],
    ["resource", "azure", sdkVersion("@pulumi/azure")],
    ["resource", "aws", sdkVersion("@pulumi/aws")],
    // No aws-native SDK is installed: its examples are created by type token, with no version asked.
    ["resource", "aws-native", "1.0.0"],
    ["analyzer", "policy-nodejs", sdkVersion("@pulumi/pulumi")],
  ];
  for (const [kind, name, version] of plugins) {
    const dir = path.join(home, "plugins", `${kind}-${name}-v${version}`);
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(kind === "resource" ? STANDINS : PLUGINS, `pulumi-${kind}-${name}`);
    const script = `#!/bin/sh\nAPIGUARD_STANDIN_VERSION=${version} exec ${JSON.stringify(target)} "$@"\n`;
    fs.writeFileSync(path.join(dir, `pulumi-${kind}-${name}`), script, { mode: 0o755 });
  }
}

export function harness(): Harness {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-preview-"));
  fs.mkdirSync(path.join(work, "state"));
  fs.mkdirSync(path.join(work, "project"));
  const envVars: Record<string, string> = {
    PATH: `${pulumiBinDir()}:${process.env.PATH}`,
    PULUMI_HOME: path.join(work, "home"),
    PULUMI_CONFIG_PASSPHRASE: "apiguard-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NO_COLOR: "1",
  };
  installPlugins(envVars.PULUMI_HOME);
  let command: Promise<PulumiCommand> | undefined;
  let configs = 0;
  const stacks = new Map<string, Stack>();

  async function run(kind: "preview" | "up", stackName: string, program: PulumiFn, opts: RunOptions = {}): Promise<Run> {
    command ??= PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName, projectName: "apiguard-preview", program },
      {
        pulumiCommand: await command,
        // Inside `work`, so dispose() removes it (by default each stack gets a temp folder that stays).
        workDir: path.join(work, "project"),
        envVars,
        secretsProvider: "passphrase",
        projectSettings: { name: "apiguard-preview", runtime: "nodejs", backend: { url: `file://${path.join(work, "state")}` } },
      },
    );
    stacks.set(stackName, stack);
    for (const [key, value] of Object.entries(opts.tags ?? {})) await stack.setTag(key, value);
    const policyPackConfigs: string[] = [];
    if (opts.config) {
      const file = path.join(work, `policy-config-${++configs}.json`);
      fs.writeFileSync(file, JSON.stringify(opts.config, null, 2));
      policyPackConfigs.push(file);
    }
    const options = { policyPacks: opts.packs ?? [PACK], policyPackConfigs, color: "never" as const };
    try {
      const result = kind === "preview" ? await stack.preview(options) : await stack.up(options);
      return { code: 0, output: result.stdout + result.stderr };
    } catch (e) {
      // The Automation API rethrows the failed command's error (execa's: exitCode, stdout, stderr).
      const failed = (e as { commandResult?: { err?: { exitCode?: number; stdout?: string; stderr?: string } } }).commandResult?.err;
      if (typeof failed?.exitCode !== "number") throw e;
      return { code: failed.exitCode, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  }

  return {
    work,
    preview: (s, p, o) => run("preview", s, p, o),
    up: (s, p, o) => run("up", s, p, o),
    resources: async (name) => (await stacks.get(name)!.exportStack()).deployment.resources ?? [],
    exportStack: (name) => stacks.get(name)!.exportStack(),
    dispose: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}

/** One line of the CLI's "Policies:" section. */
export interface Reported {
  level: string;
  policy: string;
  /** The resource the violation names, when it names one. */
  resource?: string;
}

/** The violations the CLI printed, as (level, policy, resource name). */
export function reported(output: string): Reported[] {
  const lines = output.split("\n").map((l) => /^\s+- \[(\w+)\] \[severity: \w+\]\s+(\S+)(?:\s+\(([^)]*): ([^)]*)\))?\s*$/.exec(l));
  return lines.filter((m) => m !== null).map((m) => ({ level: m[1], policy: m[2], ...(m[4] ? { resource: m[4] } : {}) }));
}
