/**
 * Every generated definition stays within the limits Azure Policy enforces on a policy rule ("Policy
 * rule limits", Azure Policy definition structure policy rule,
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#policy-rule-limits):
 * "Attempts to create or assign policy definitions that exceed these limits will fail", and a rule that
 * exceeds the evaluation limits "will effectively become a deny policy". Counted from the definition as
 * generated in the test, so a rendering that grows past a limit fails here, not in a tenant.
 */
import { loadCatalog } from "../../core/catalog/load";
import { definition } from "../../generators/azure-policy";
import { CATALOG } from "../helpers/paths";

const LIMITS = {
  conditions: 4096, // "Condition expressions in the if condition"
  functions: 2048, // "Policy functions per policy rule"
  parameters: 128, // "Policy function number of parameters"
  depth: 64, // "Nested policy functions depth"
  length: 81920, // "Policy functions expression string length"
  fieldCountsPerArray: 5, // "Field count expressions per array"
  valueCounts: 10, // "Value count expressions per policy rule"
  valueCountIterations: 100, // "Value count expression iteration count", nested ones included
};

/** The function calls of one template expression: how many, the most arguments one takes, the deepest nesting. */
export function expressionStats(expression: string): { functions: number; parameters: number; depth: number } {
  let functions = 0;
  let parameters = 0;
  let depth = 0;
  const args: number[] = [];
  const text = expression.slice(1, -1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      // A string literal; '' is a quote inside it.
      for (i++; i < text.length && !(text[i] === "'" && text[i + 1] !== "'"); i++) if (text[i] === "'") i++;
      continue;
    }
    if (c === "(") {
      if (/[A-Za-z0-9_]$/.test(text.slice(0, i))) functions++;
      args.push(/\)\s*$/.test(text.slice(i + 1, i + 2)) ? 0 : 1);
      depth = Math.max(depth, args.length);
    } else if (c === ",") {
      if (args.length > 0) args[args.length - 1]++;
    } else if (c === ")") {
      const n = args.pop() ?? 0;
      // `f()` takes no argument: the first `(` counted one only when something followed it.
      parameters = Math.max(parameters, /\(\s*$/.test(text.slice(0, i)) ? 0 : n);
    }
  }
  return { functions, parameters, depth };
}

const isExpression = (v: unknown): v is string => typeof v === "string" && v.startsWith("[") && !v.startsWith("[[") && v.endsWith("]");

interface Stats {
  conditions: number;
  functions: number;
  parameters: number;
  depth: number;
  length: number;
  valueCounts: number;
  fieldCounts: Map<string, number>;
  iterations: number;
}

/** Iterations of a value count: a literal createArray's members, or a parameter's default list. */
function iterationsOf(value: unknown, defaults: Record<string, unknown>): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value !== "string") return 1;
  const parameter = /^\[parameters\('([^']+)'\)\]$/.exec(value);
  if (parameter) return Array.isArray(defaults[parameter[1]]) ? (defaults[parameter[1]] as unknown[]).length : 1;
  return /^\[createArray\(.*\)\]$/.test(value) ? outerArguments(value) : 1;
}

/** How many arguments the outermost call of an expression takes (`[createArray(createArray(a, b))]`: 1). */
function outerArguments(expression: string): number {
  let depth = 0;
  let count = 0;
  const text = expression.slice(1, -1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      for (i++; i < text.length && !(text[i] === "'" && text[i + 1] !== "'"); i++) if (text[i] === "'") i++;
      continue;
    }
    if (c === "(" && ++depth === 1) count = /^\s*\)/.test(text.slice(i + 1)) ? 0 : 1;
    else if (c === ")") depth--;
    else if (c === "," && depth === 1) count++;
  }
  return count;
}

function measure(rule: unknown, defaults: Record<string, unknown>): Stats {
  const stats: Stats = { conditions: 0, functions: 0, parameters: 0, depth: 0, length: 0, valueCounts: 0, fieldCounts: new Map(), iterations: 0 };
  const walk = (node: unknown, outerIterations: number): void => {
    if (isExpression(node)) {
      const e = expressionStats(node);
      stats.functions += e.functions;
      stats.parameters = Math.max(stats.parameters, e.parameters);
      stats.depth = Math.max(stats.depth, e.depth);
      stats.length = Math.max(stats.length, node.length + 2);
      return;
    }
    if (Array.isArray(node)) return node.forEach((n) => walk(n, outerIterations));
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if ("field" in o || "value" in o || "count" in o) stats.conditions++;
    let inner = outerIterations;
    const count = o.count as Record<string, unknown> | undefined;
    if (count && typeof count === "object") {
      if ("value" in count) {
        stats.valueCounts++;
        inner = outerIterations * iterationsOf(count.value, defaults);
        stats.iterations = Math.max(stats.iterations, inner);
      } else if (typeof count.field === "string") {
        const array = count.field.toLowerCase();
        stats.fieldCounts.set(array, (stats.fieldCounts.get(array) ?? 0) + 1);
      }
    }
    for (const [key, value] of Object.entries(o)) walk(value, key === "count" ? inner : outerIterations);
  };
  walk(rule, 1);
  return stats;
}

const rules = loadCatalog(CATALOG).rules.filter((r) => r.backends.includes("azure-policy"));

describe.each(rules.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
  test("stays within Azure Policy's policy rule limits", () => {
    const document = definition(rule);
    const defaults = Object.fromEntries(Object.entries(document.properties.parameters).map(([name, p]) => [name, p.defaultValue]));
    const stats = measure(document.properties.policyRule.if, defaults);
    expect({
      conditions: stats.conditions <= LIMITS.conditions,
      functions: stats.functions <= LIMITS.functions,
      parameters: stats.parameters <= LIMITS.parameters,
      depth: stats.depth <= LIMITS.depth,
      length: stats.length <= LIMITS.length,
      valueCounts: stats.valueCounts <= LIMITS.valueCounts,
      fieldCountsPerArray: [...stats.fieldCounts.values()].every((n) => n <= LIMITS.fieldCountsPerArray),
      valueCountIterations: stats.iterations <= LIMITS.valueCountIterations,
    }).toEqual({ conditions: true, functions: true, parameters: true, depth: true, length: true, valueCounts: true, fieldCountsPerArray: true, valueCountIterations: true });
  });
});

describe("the expression counter", () => {
  test.each([
    ["[concat('a', 'b')]", { functions: 1, parameters: 2, depth: 1 }],
    ["[if(equals(field('x'), 'it''s (not) a call'), true(), createArray())]", { functions: 5, parameters: 3, depth: 3 }],
    ["[current('source')[0]]", { functions: 1, parameters: 1, depth: 1 }],
    ["[parameters('p')]", { functions: 1, parameters: 1, depth: 1 }],
    ["[toLower(trim(if(startsWith(string(createArray(field('a'))), '[\"'), field('a'), '')))]", { functions: 8, parameters: 3, depth: 7 }],
  ])("%s: %j", (expression, stats) => {
    expect(expressionStats(expression)).toEqual(stats);
  });

  test("a rule over the limits is caught: 2049 functions, 129 arguments, 65 levels, 11 value counts", () => {
    const calls = Array.from({ length: 2049 }, () => "[true()]");
    expect(measure({ allOf: calls.map((value) => ({ value, equals: true })) }, {}).functions).toBe(2049);
    expect(expressionStats(`[createArray(${Array.from({ length: 129 }, (_, i) => i).join(", ")})]`).parameters).toBe(129);
    expect(expressionStats(`[${"not(".repeat(65)}true()${")".repeat(65)}]`).depth).toBe(66);
    const counts = Array.from({ length: 11 }, () => ({ count: { value: "[createArray(1, 2)]", name: "n" }, greater: 0 }));
    const stats = measure({ allOf: counts }, {});
    expect([stats.valueCounts, stats.iterations]).toEqual([11, 2]);
    const nested = { count: { value: "[parameters('list')]", name: "a", where: { count: { value: "[createArray(1, concat('2', ','), createArray(3, 4))]", name: "b" }, greater: 0 } }, greater: 0 };
    expect(measure(nested, { list: Array.from({ length: 40 }, (_, i) => i) }).iterations).toBe(120);
    const fieldCounts = measure({ allOf: Array.from({ length: 6 }, () => ({ count: { field: "Microsoft.X/y/list[*]" }, greater: 0 })) }, {}).fieldCounts;
    expect([...fieldCounts.values()]).toEqual([6]);
  });
});
