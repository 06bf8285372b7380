// Runs Microsoft's Azure Policy conformance cases (from the regorus engine) against the evaluator.
//
// Included: `cases/` (evaluation) and `parser_tests/cases/` (definitions that must compile or be
// rejected, plus evaluation cases). Excluded: `normalization/`, which tests regorus' own resource
// normalizer/denormalizer API (flattening `properties`, data-plane manifests), not policy semantics.
// The harness conventions mirror regorus' tests/azure_policy/mod.rs: a default context when a case
// has none, `request_context` / `api_version` feeding requestContext(), `host_await` responses as
// the related resources of auditIfNotExists/deployIfNotExists.

import * as fs from "fs";
import * as path from "path";
import { SHARED } from "../helpers/paths";
import YAML from "yaml";
import { compilePolicy, type AliasCatalog, type EvaluateOptions, type EvaluationContext } from "../../azure-policy-engine";
import { CONFORMANCE_SKIPS } from "./conformance-skips";

const ROOT = path.join(SHARED, "azure", "regorus-cases");
const SUITES = ["cases", "parser_tests/cases"];

interface ConformanceCase {
  note: string;
  policy_rule?: string;
  policy_definition?: string;
  parse_level?: string;
  resource?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  context?: EvaluationContext;
  request_context?: Record<string, unknown>;
  api_version?: string;
  host_await?: { response: unknown }[];
  want_effect?: string | null;
  want_undefined?: boolean;
  want_parse_error?: boolean;
  want_compile_error?: boolean;
  want_details?: unknown;
}

interface ConformanceFile {
  aliases?: string;
  policy_rule?: string;
  policy_definition?: string;
  cases: ConformanceCase[];
}

// regorus' default test context, used when a case brings none.
const DEFAULT_CONTEXT: EvaluationContext = {
  resourceGroup: { name: "myResourceGroup", location: "eastus" },
  subscription: { subscriptionId: "00000000-0000-0000-0000-000000000000" },
};

// A case without a request models a compliance scan, which "always uses the latest API version"
// (policy rule docs, requestContext().apiVersion); regorus leaves it undefined instead.
const LATEST_API_VERSION = "9999-12-31";

function options(c: ConformanceCase): EvaluateOptions {
  const context: EvaluationContext = { ...(c.context ?? DEFAULT_CONTEXT) };
  context.requestContext ??= c.request_context ?? { apiVersion: c.api_version ?? LATEST_API_VERSION };
  return {
    parameters: c.parameters,
    context,
    relatedResources: c.host_await?.length ? c.host_await.map((h) => h.response).filter((r) => r !== null) : undefined,
  };
}

function run(file: ConformanceFile, c: ConformanceCase, aliases: AliasCatalog | undefined): void {
  const source = c.policy_definition ?? c.policy_rule ?? file.policy_definition ?? file.policy_rule;
  if (source === undefined) throw new Error("case has no policy");
  if (c.want_details !== undefined) throw new Error("effect details are not evaluated: list this case in conformance-skips.ts");
  const policy = compilePolicy(JSON.parse(source), { aliases });
  if (c.want_parse_error || c.want_compile_error) {
    expect(policy.error).toBeDefined();
    return;
  }
  expect(policy.error).toBeUndefined();
  if (c.resource === undefined) return; // a parse-level case: compiling is the whole check

  const resource = c.api_version ? { ...c.resource, apiVersion: c.api_version } : c.resource;
  const result = policy(resource, options(c));
  expect(result.error).toBeUndefined();
  // `want_effect: ~` marks a compliant resource, like want_undefined.
  if (c.want_undefined || c.want_effect === null) expect(result.effect).toBeUndefined();
  else if (c.want_effect !== undefined) expect(result.effect).toBe(c.want_effect.toLowerCase());
}

const summary: { file: string; passed: number; failed: number; skipped: number }[] = [];
const caseKeys = new Set<string>();

for (const suite of SUITES) {
  const dir = path.join(ROOT, suite);
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const id = `${suite}/${name}`;
    const file = YAML.parse(fs.readFileSync(path.join(dir, name), "utf8")) as ConformanceFile;
    const aliases: AliasCatalog | undefined = file.aliases ? JSON.parse(fs.readFileSync(path.join(ROOT, "aliases", file.aliases), "utf8")) : undefined;
    const row = { file: id, passed: 0, failed: 0, skipped: 0 };
    summary.push(row);

    describe(id, () => {
      for (const c of file.cases) {
        const key = `${id}: ${c.note}`;
        caseKeys.add(key);
        const reason = CONFORMANCE_SKIPS[key];
        if (reason) {
          row.skipped++;
          test.skip(`${c.note} (${reason})`, () => undefined);
          continue;
        }
        test(c.note, () => {
          try {
            run(file, c, aliases);
            row.passed++;
          } catch (e) {
            row.failed++;
            throw e;
          }
        });
      }
    });
  }
}

test("every skip-list entry names a conformance case", () => {
  expect(Object.keys(CONFORMANCE_SKIPS).filter((key) => !caseKeys.has(key))).toEqual([]);
});

afterAll(() => {
  const total = { file: "TOTAL", passed: 0, failed: 0, skipped: 0 };
  for (const row of summary) {
    total.passed += row.passed;
    total.failed += row.failed;
    total.skipped += row.skipped;
  }
  const width = Math.max(...summary.map((row) => row.file.length));
  const line = (cells: (string | number)[]) => cells.map((cell, i) => (i ? String(cell).padStart(8) : String(cell).padEnd(width))).join("");
  const table = [["conformance file", "passed", "failed", "skipped"], ...[...summary, total].map((r) => [r.file, r.passed, r.failed, r.skipped])];
  console.log(table.map(line).join("\n"));
});
