/**
 * The README's samples and lists that come from the code, each between markers: the `evaluate`
 * sample (a real run), the list of what `evaluate` reads (the input-format registry), and the
 * targets and operators "Add a rule" names (their registries). `npm run readme` rewrites them all
 * (APIGUARD_WRITE_README=1), and the preview transcripts with them (test/e2e/preview/readme.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { main } from "../cli";
import { formatsMarkdown } from "../cli/evaluate/formats";
import { OPERATOR_NAMES } from "../core/operators";
import { TARGETS } from "../core/targets";
import { removeTeamProjects } from "./helpers/estate";
import { REPO } from "./helpers/paths";
import { readmeProject } from "./helpers/readme-estate";

afterAll(removeTeamProjects);

const README = path.join(REPO, "README.md");
const WRITE = Boolean(process.env.APIGUARD_WRITE_README);
const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(", ");

/** A README part: where it is and what the code says it holds. */
interface Part {
  name: string;
  pattern: RegExp;
  /** The part as the code has it, given the README's current match (groups as in `pattern`). */
  fresh: () => Promise<string> | string;
  /** The part as the README has it. */
  shown: (match: RegExpExecArray) => string;
  replace: (match: RegExpExecArray, fresh: string) => string;
}

const SAMPLE_COMMAND = "npx apiguard evaluate examples/arm/aks-clusters.json";

/** The sample as a reader sees it: the table, the first failure's detail cut short, the summary. */
async function evaluateSample(): Promise<string> {
  const out: string[] = [];
  const cwd = process.cwd();
  process.chdir(REPO); // the README runs it from the repository root
  try {
    await main(["node", "apiguard", "evaluate", "examples/arm/aks-clusters.json"], { out: (t) => out.push(...t.split("\n")), err: () => undefined });
  } finally {
    process.chdir(cwd);
  }
  const table = out.slice(0, out.indexOf(""));
  const [header, message] = out.slice(table.length + 1);
  const summary = out.filter((l) => l !== "").pop() ?? "";
  const short = `${message.slice(0, message.lastIndexOf(" ", 100))} ...`;
  return [`$ ${SAMPLE_COMMAND}`, ...table, "", header, short, "...", summary].join("\n");
}

/** The README's roll-out repository, generated once on first use. */
let estate: string | undefined;
const estateProject = () => (estate ??= readmeProject());

/** The canary ring's assignment as generated, cut to what the how-to shows. */
function ringAssignment(): string {
  const { name, properties } = JSON.parse(fs.readFileSync(path.join(estateProject(), "azure-policy", "rings", "canary.json"), "utf8"));
  return JSON.stringify({ name, properties: { enforcementMode: properties.enforcementMode, resourceSelectors: properties.resourceSelectors, overrides: properties.overrides } }, null, 2);
}

const ROLLOUT_COMMAND = "npx apiguard evaluate infra/aks-legacy.json";

/** `evaluate` in the README's roll-out repository: the table, the exempt detail, the summary. */
async function rolloutEvaluate(): Promise<string> {
  const out: string[] = [];
  const cwd = process.cwd();
  process.chdir(estateProject());
  try {
    await main(["node", "apiguard", "evaluate", "infra/aks-legacy.json"], { out: (t) => out.push(...t.split("\n")), err: () => undefined });
  } finally {
    process.chdir(cwd);
  }
  return [`$ ${ROLLOUT_COMMAND}`, ...out].join("\n");
}

const PARTS: Part[] = [
  {
    name: "the evaluate sample",
    pattern: /(<!-- apiguard:evaluate-sample[^\n]*-->\n```text\n)([\s\S]*?)\n```/,
    fresh: evaluateSample,
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}\n\`\`\``,
  },
  {
    name: "the roll-out's ring assignment",
    pattern: /(<!-- apiguard:rollout-assignment[^\n]*-->\n```json\n)([\s\S]*?)```/,
    fresh: () => `${ringAssignment()}\n`,
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}\`\`\``,
  },
  {
    name: "the roll-out's evaluate sample",
    pattern: /(<!-- apiguard:rollout-evaluate[^\n]*-->\n```text\n)([\s\S]*?)```/,
    fresh: async () => `${await rolloutEvaluate()}\n`,
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}\`\`\``,
  },
  {
    name: "the input formats",
    pattern: /(<!-- apiguard:input-formats:start[^\n]*-->\n)([\s\S]*?)(<!-- apiguard:input-formats:end -->)/,
    fresh: () => `${formatsMarkdown()}\n`,
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}${m[3]}`,
  },
  {
    name: "the targets of Add a rule",
    pattern: /( {3}- targets \(one module each in `core\/targets\/`, which lists each target's fields\): )([^\n]*)(\.\n)/,
    fresh: () => code(TARGETS.map((t) => t.id)),
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}${m[3]}`,
  },
  {
    name: "the operators of Add a rule",
    pattern: /( {3}- operators \(`core\/operators\/index\.ts`\): )([^\n]*)(\.\n)/,
    fresh: () => code(OPERATOR_NAMES),
    shown: (m) => m[2],
    replace: (m, fresh) => `${m[1]}${fresh}${m[3]}`,
  },
];

if (WRITE) {
  test("write the README parts from the code", async () => {
    let readme = fs.readFileSync(README, "utf8");
    for (const part of PARTS) {
      const match = part.pattern.exec(readme);
      if (!match) throw new Error(`README.md has no ${part.name}`);
      readme = readme.slice(0, match.index) + part.replace(match, await part.fresh()) + readme.slice(match.index + match[0].length);
    }
    fs.writeFileSync(README, readme);
  });
} else {
  const readme = fs.readFileSync(README, "utf8");
  test.each(PARTS.map((p) => [p.name, p] as const))("the README shows %s as the code has it (`npm run readme` refreshes it)", async (_name, part) => {
    const match = part.pattern.exec(readme);
    expect(match).not.toBeNull();
    expect(part.shown(match!)).toBe(await part.fresh());
  });
}
