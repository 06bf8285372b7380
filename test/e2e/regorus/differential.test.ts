/**
 * Differential test against Microsoft's Azure Policy engine: every generated definition
 * (azure-policy/definitions) is judged by regorus (crates.io, `azure_policy` feature; harness built by
 * scripts/install-regorus.sh) with the published alias lists, on every catalog example converted to ARM
 * shape and on seeded random resources of every target with an Azure side (resources.ts, built from the
 * target table and the catalog), typed and odd-shaped, under
 * the definition defaults and the edge values of every rule parameter. Its verdict must equal the
 * reference semantics' (the catalog's own expectation) and the local evaluator's (azure-policy-engine, given
 * the same alias list).
 *
 * A template-function error is not a pass: Azure fails the evaluation and denies the request. regorus
 * cannot report one (its template functions return "undefined" and the condition reads as false, see
 * KNOWN_DEVIATIONS), so evaluation failures are found by the local evaluator, which models them as
 * Azure does; any such failure is a disagreement with the reference semantics and fails this test.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { loadCatalog } from "../../../core/catalog/load";
import { loadDefinitions, type AzureDefinition } from "../../../cli/evaluate/engines/azure-policy";
import { compilePolicy, type AliasCatalog, type CompiledPolicy } from "../../../azure-policy-engine";
import { judgeResource, parameterValues, type ParameterValues } from "../../../core/ir/judge";
import type { ExampleResource, Rule } from "../../../core/ir/types";
import { pulumiToArm, type ArmResource } from "../../../core/resources/convert";
import { atRequestApiVersion, randomResources } from "./resources";
import { armAliasPaths, armShapes, shapeOfType, targetById, type TargetId } from "../../../core/targets";
import { readInput } from "../../../cli/evaluate/formats";
import { REPO } from "../../helpers/paths";
import { KNOWN_DEVIATIONS, type Case, type Judged, type Verdict } from "./deviations";
import { effective, runRegorus as runWithAliases, type RegorusCase } from "./harness";

const DATA = path.join(__dirname, "data");
/** Random resources per target and kind (typed, odd-shaped), shared among the target's ARM types. */
const RANDOM_RESOURCES = 5000;

type Published = { namespace: string; resourceTypes: { resourceType: string; aliases: { name: string; defaultPath: string; paths: { path: string; apiVersions: string[] }[] }[] }[] }[];
/** The published alias dumps (data/*.aliases.json), with the versioned paths of data/versioned-paths.json added. */
function loadAliases(): Published {
  const dumps = fs
    .readdirSync(DATA)
    .filter((f) => f.endsWith(".aliases.json"))
    .sort()
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(DATA, f), "utf8")) as Published);
  const additions = (JSON.parse(fs.readFileSync(path.join(DATA, "versioned-paths.json"), "utf8")) as { aliases: { name: string; paths: Published[0]["resourceTypes"][0]["aliases"][0]["paths"] }[] }).aliases;
  for (const addition of additions) {
    const found = dumps.flatMap((p) => p.resourceTypes.flatMap((t) => t.aliases)).filter((a) => a.name.toLowerCase() === addition.name.toLowerCase());
    if (found.length !== 1) throw new Error(`versioned-paths.json: ${addition.name} is not in the alias dumps`);
    found[0].paths = [...found[0].paths, ...addition.paths];
  }
  return dumps;
}
const aliases = loadAliases();
const catalog = loadCatalog(path.join(REPO, "catalog"));
const definitions = loadDefinitions(path.join(REPO, "azure-policy"));
const azureRules = catalog.rules.filter((r) => r.backends.includes("azure-policy"));

/**
 * The definition defaults, then each rule parameter at its edges with the others at their defaults:
 * both booleans, an integer's minimum and maximum, a list's empty list and each of its elements alone.
 */
export function parameterSets(rule: Rule): Record<string, unknown>[] {
  const defaults: Record<string, unknown> = parameterValues(rule);
  const sets: Record<string, unknown>[] = [{}];
  for (const p of rule.parameters) {
    const d: unknown = p.default;
    const edges: unknown[] = p.type === "boolean" ? [true, false] : p.type === "integer" ? [p.minimum ?? 0, p.maximum ?? 128, d] : Array.isArray(d) ? [d, [], ...d.map((x) => [x])] : [d];
    for (const value of edges) sets.push({ ...defaults, [p.name]: value });
  }
  return sets;
}

/** Runs one batch through regorus with the published alias lists. */
const runRegorus = (definitions: Record<string, unknown>, resources: unknown[], cases: RegorusCase[]) => runWithAliases(aliases, definitions, resources, cases);

/** An ARM resource as the catalog loader reads an ARM-shaped example: properties, and the envelope (`sku`, ...) beside them. */
function asExample(resource: ArmResource): ExampleResource {
  const { type, name, properties, apiVersion: _apiVersion, ...envelope } = resource;
  return { type, name, props: properties, arm: true, ...(Object.keys(envelope).length ? { envelope } : {}) };
}

/** The ARM resource of a catalog example: its own (with its envelope) or converted from Pulumi inputs. */
function exampleArm(r: ExampleResource): ArmResource | undefined {
  const arm = r.arm ? { type: r.type, name: r.name, ...(r as { envelope?: object }).envelope, properties: r.props } : pulumiToArm({ type: r.type, name: r.name, props: r.props });
  return arm && atRequestApiVersion(arm);
}

/**
 * The local evaluator given the same alias list as regorus, so both engines resolve every alias as
 * Azure does (apiguard's own engine, cli/evaluate/engines, assumes `properties.` + the alias's property path).
 */
const compiled = new Map<AzureDefinition, CompiledPolicy>();
const withAliases = (d: AzureDefinition) => compiled.get(d) ?? compiled.set(d, compilePolicy(d.definition, { aliases: aliases as AliasCatalog })).get(d)!;

/** Judges every case with the three engines. */
export function judgeAll(cases: Case[]): Judged[] {
  const defs = Object.fromEntries(cases.map((c) => [c.definition.ruleId, c.definition.definition]));
  const resources: ArmResource[] = [];
  const index = new Map<ArmResource, number>();
  const at = (r: ArmResource) => index.get(r) ?? (index.set(r, resources.push(r) - 1), resources.length - 1);
  const answers = runRegorus(
    defs,
    resources,
    cases.map((c) => ({ definition: c.definition.ruleId, resource: at(c.resource), parameters: c.parameters })),
  );
  return cases.map((c, i) => {
    const regorus: Verdict = effective(answers[i]) ? "fail" : "not-fail";
    const ref = judgeResource(c.rule, asExample(c.resource), parameterValues(c.rule, c.parameters as Partial<ParameterValues>));
    const local = withAliases(c.definition)(c.resource, { parameters: c.parameters });
    return {
      ...c,
      reference: ref === "fail" ? "fail" : "not-fail",
      local: local.error ? "evaluation-failure" : local.effect && local.effect !== "disabled" ? "fail" : "not-fail",
      regorus,
    };
  });
}

function casesFor(resources: { resource: ArmResource; origin: string }[], rules = azureRules): Case[] {
  return rules.flatMap((rule) => {
    const definition = definitions.find((d) => d.ruleId === rule.id)!;
    return parameterSets(rule).flatMap((parameters) => resources.map(({ resource, origin }) => ({ rule, definition, resource, parameters, origin })));
  });
}

const describeCase = (j: Judged) =>
  `${j.rule.id} ${j.origin} params=${JSON.stringify(j.parameters)} reference=${j.reference} local=${j.local} regorus=${j.regorus}\n    ${JSON.stringify({ sku: j.resource.sku, properties: j.resource.properties })}`;

/**
 * Cases where the engines disagree: the reference semantics and the local evaluator must always agree
 * (an evaluation failure is a disagreement: item 5 of issue #11), and regorus must agree with them
 * unless a recorded deviation explains its verdict.
 */
function disagreements(judged: Judged[]): string[] {
  return judged.filter((j) => j.reference !== j.local || (j.regorus !== j.local && !KNOWN_DEVIATIONS.some((d) => d.explains(j)))).map(describeCase);
}

test("every alias the generated definitions use is in the published alias list", () => {
  /** Alias name → every path Azure reads it at: the default path and the versioned ones. */
  const published = new Map<string, string[]>();
  for (const provider of aliases) for (const type of provider.resourceTypes) for (const a of type.aliases) published.set(a.name.toLowerCase(), [a.defaultPath, ...a.paths.map((p) => p.path)]);
  const used = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === "string") for (const m of node.matchAll(/(?:field|current)\('([^']+)'\)/g)) used.add(m[1]);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        if (k === "field" && typeof v === "string") used.add(v);
        walk(v);
      }
  };
  for (const d of definitions) walk(d.definition.properties.policyRule);
  // Built-in fields (type, name, location, ...) are not aliases; every Microsoft.* path is.
  const aliasNames = [...used].filter((f) => f.includes("/")).sort();
  expect(aliasNames.length).toBeGreaterThan(0);
  expect(aliasNames.filter((a) => !published.has(a.toLowerCase()))).toEqual([]);
  // And apiguard's own engine (cli/evaluate/engines, armAliasPaths()) reads each where Azure reads it at some API version.
  const assumed = armAliasPaths();
  for (const a of aliasNames) expect([a, published.get(a.toLowerCase())]).toEqual([a, expect.arrayContaining([assumed[a]])]);
});

test("regorus, the reference semantics and the local evaluator agree on every catalog example (ARM shape)", () => {
  const resources = catalog.rules.flatMap((rule) =>
    rule.examples.flatMap((e) =>
      e.resources
        .map(exampleArm)
        .filter((r): r is ArmResource => r !== undefined)
        .map((resource) => ({ resource, origin: `catalog/${e.file}` })),
    ),
  );
  expect(resources.length).toBeGreaterThan(50);
  const judged = judgeAll(casesFor(resources));
  expect(disagreements(judged)).toEqual([]);
  // The examples' own verdicts hold under regorus too (default parameters).
  const own = judged.filter((j) => j.origin.startsWith(`catalog/${j.rule.id}/`) && Object.keys(j.parameters).length === 0);
  expect(own.length).toBeGreaterThan(0);
});

/** Every target with an Azure side, and its rules. */
const azureTargets = [...new Set(azureRules.map((r) => r.target))].map((id: TargetId) => ({ target: targetById(id), rules: azureRules.filter((r) => r.target === id) }));

test("the random resources cover every target with an Azure side", () => {
  expect(azureTargets.map((t) => t.target.id).sort()).toEqual([...new Set(azureRules.map((r) => r.target))].sort());
  expect(azureTargets.length).toBeGreaterThan(1);
});

describe.each(
  azureTargets.flatMap(
    ({ target, rules }) =>
      [
        ["typed", target.id, target, rules, false, 20261124],
        ["odd-shaped", target.id, target, rules, true, 116],
      ] as const,
  ),
)("%s random resources of %s", (kind, _id, target, rules, odd, seed) => {
  test(`regorus, the reference semantics and the local evaluator agree on ${RANDOM_RESOURCES} seeded ${kind} resources`, () => {
    const shapes = armShapes(target);
    const resources = shapes.flatMap((shape, s) =>
      fc.sample(randomResources(catalog, target, shape, odd), { seed: seed + s, numRuns: Math.ceil(RANDOM_RESOURCES / shapes.length) }).map((resource, i) => ({ resource, origin: `${kind} ${shape.id} #${i} (seed ${seed + s})` })),
    );
    const judged = judgeAll(casesFor(resources, [...rules]));
    expect(judged.length).toBeGreaterThanOrEqual(RANDOM_RESOURCES * rules.length);
    // Not a trivial corpus: every definition both fails and passes some of these resources.
    for (const rule of rules) expect([rule.id, new Set(judged.filter((j) => j.rule === rule).map((j) => j.reference))]).toEqual([rule.id, new Set(["fail", "not-fail"])]);
    const problems = disagreements(judged);
    expect({ count: problems.length, first: problems.slice(0, 15) }).toEqual({ count: 0, first: [] });
  });
});

describe("known regorus deviations", () => {
  test.each(KNOWN_DEVIATIONS.map((d) => [d.id, d] as const))("%s: regorus still deviates, the local evaluator follows Microsoft", (_id, d) => {
    const definition = { properties: { mode: "Indexed", parameters: {}, policyRule: d.example.policyRule } };
    const [answer] = runRegorus({ example: definition }, [d.example.resource], [{ definition: "example", resource: 0, parameters: {} }]);
    const local = compilePolicy(definition, { aliases: aliases as AliasCatalog })(d.example.resource);
    expect({
      regorus: effective(answer) ? "fail" : "not-fail",
      local: local.error ? "evaluation-failure" : local.effect ? "fail" : "not-fail",
    }).toEqual({ regorus: d.example.regorus, local: d.example.azure });
  });
});

/**
 * apiguard's own engine (cli/evaluate/engines, armAliasPaths()) reads the legacy alias at the top-level
 * `apiServerAuthorizedIPRanges` whatever the API version (issue #11 item 3: either place non-empty =
 * ranges set). Azure reads it there only at the 2019 API versions that had the property
 * (data/versioned-paths.json) and at the access profile otherwise. On realistic requests — the top-level
 * property only at a 2019 version — the two agree; a request at a current API version that still sends
 * the top-level property is where they part (documented deviation: apiguard judges the property the
 * request carries, Azure the property the API version defines).
 */
describe("legacy authorized ranges: apiguard and Azure by API version", () => {
  const rule = "aks-authorized-ip-ranges-restrictive";
  const NARROW = ["73.140.245.0/24"];
  const ANYWHERE = ["0.0.0.0/0"];
  test.each([
    // [API version, properties, apiguard, Azure (local evaluator), regorus]
    ["2019-06-01", { apiServerAuthorizedIPRanges: ANYWHERE }, "fail", "fail", "fail"],
    ["2019-04-01", { apiServerAuthorizedIPRanges: NARROW }, "not-fail", "not-fail", "not-fail"],
    ["2019-06-01", { apiServerAccessProfile: { authorizedIPRanges: NARROW }, apiServerAuthorizedIPRanges: ANYWHERE }, "fail", "fail", "fail"],
    // Deviations: at a current version Azure reads only apiServerAccessProfile.authorizedIPRanges. regorus
    // follows it, except that with no access-profile ranges it reads the top-level property by the
    // alias's name (KNOWN_DEVIATIONS alias-read-at-its-name-not-its-path).
    ["2024-08-01", { apiServerAccessProfile: { authorizedIPRanges: NARROW }, apiServerAuthorizedIPRanges: ANYWHERE }, "fail", "not-fail", "not-fail"],
    ["2024-08-01", { apiServerAuthorizedIPRanges: NARROW }, "not-fail", "fail", "not-fail"],
  ] as const)("API %s, %j: apiguard %s, Azure %s, regorus %s", (apiVersion, properties, apiguard, azure, regorus) => {
    const definition = definitions.find((d) => d.ruleId === rule)!;
    const resource = { type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", apiVersion, properties: JSON.parse(JSON.stringify(properties)) };
    const verdict = (r: { effect?: string; error?: string }) => (r.error ? "evaluation-failure" : r.effect ? "fail" : "not-fail");
    const [answer] = runRegorus({ [rule]: definition.definition }, [resource], [{ definition: rule, resource: 0, parameters: {} }]);
    expect({
      apiguard: verdict(definition.evaluate(resource)),
      azure: verdict(withAliases(definition)(resource)),
      regorus: effective(answer) ? "fail" : "not-fail",
    }).toEqual({ apiguard, azure, regorus });
  });
});

/**
 * The string guard of the generated definitions (core/operators isString): `string()` of an array is
 * its compact JSON text (ARM template functions - string, arrayOutput `["a","b","c"]`), so the text of
 * `createArray(x)` opens with `["` exactly when x is a string — in Azure's evaluator and in regorus.
 */
describe("string guard: startsWith(string(createArray(x)), '[\"')", () => {
  const RANGES = "Microsoft.ContainerService/managedClusters/apiServerAccessProfile.authorizedIPRanges[*]";
  const guard = { if: { count: { field: RANGES, where: { value: `[startsWith(string(createArray(current('${RANGES}'))), '["')]`, equals: true } }, greater: 0 }, then: { effect: "deny" } };
  const definition = { properties: { mode: "Indexed", parameters: {}, policyRule: guard } };
  test.each([
    ["a", true],
    ["", true],
    ["5", true],
    ["true", true],
    ['["x"]', true],
    [5, false],
    [0, false],
    [true, false],
    [false, false],
    [null, false],
    [{}, false],
    [{ a: "b" }, false],
    [[], false],
    [["a"], false],
  ] as const)("%j is a string: %s", (value, isString) => {
    const resource = { type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", properties: { apiServerAccessProfile: { authorizedIPRanges: [value] } } };
    const [answer] = runRegorus({ guard: definition }, [resource], [{ definition: "guard", resource: 0, parameters: {} }]);
    const local = compilePolicy(definition, { aliases: aliases as AliasCatalog })(resource);
    expect({ local: !local.error && !!local.effect, regorus: effective(answer) }).toEqual({ local: isString, regorus: isString });
  });
});

/**
 * Existing resources, judged as Azure Policy's compliance scan judges them: the provider's GET response,
 * defaults filled in, read-only properties, `null` where the provider returned nothing ("The latest API
 * version is always used during compliance evaluation on existing resources", Azure Policy definition
 * structure policy rule, https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule).
 * Every resource of the inventory corpus as `evaluate` reads it (Resource Graph rows, Azure CLI output put
 * back in its GET shape, Pulumi Cloud state converted), and each again with every profile a rule reads
 * set to `null` (a response's "aadProfile": null): regorus, the reference semantics and the local
 * evaluator agree, and so does the engine `evaluate` and `impact` run.
 */
describe("inventory rows (the GET shape of existing resources)", () => {
  const INVENTORIES = path.join(REPO, "test/cli/evaluate/corpus/inventories");
  const files = ["resource-graph", "az-cli", "pulumi-cloud"].flatMap((d) =>
    fs
      .readdirSync(path.join(INVENTORIES, d))
      .filter((f) => f.endsWith(".json") && !f.endsWith("-keys.json") && !f.startsWith("rest-"))
      .map((f) => path.join(d, f)),
  );
  const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
  const read = files.flatMap((f) =>
    readInput(path.join(INVENTORIES, f))
      .resources.filter((r) => r.arm && r.unknowns.length === 0)
      .map((r) => ({ resource: plain(r.arm) as ArmResource, origin: `${f} ${r.name}` })),
  );
  /** The same resource with one object on a bound path set to null, for every object any binding of its shape passes through. */
  const nulled = read.flatMap(({ resource, origin }) => {
    const shape = armShapes(targetById(shapeOfType(resource.type)!.target.id)).find((s) => s.arm.resourceType.toLowerCase() === resource.type.toLowerCase());
    const prefixes = new Set<string>();
    for (const b of Object.values(shape?.fields ?? {})) {
      const at = b.envelope ? b.path : ["properties", ...b.path];
      for (let i = b.envelope ? 1 : 2; i <= at.length; i++) prefixes.add(at.slice(0, i).join("."));
    }
    return [...prefixes].map((p) => {
      const copy = plain(resource) as Record<string, unknown>;
      const keys = p.split(".");
      let node = copy;
      for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
      node[keys[keys.length - 1]] = null;
      return { resource: copy as ArmResource, origin: `${origin} with ${p}: null` };
    });
  });

  test("the corpus gives rows of every inventory format and of every target with an Azure side it holds", () => {
    expect(read.length).toBeGreaterThanOrEqual(10);
    expect(nulled.length).toBeGreaterThan(read.length);
  });

  test("regorus, the reference semantics and the local evaluator agree on every row, and with every profile null", () => {
    const judged = judgeAll(casesFor([...read, ...nulled]));
    expect(disagreements(judged)).toEqual([]);
    // Not trivial: rows that fail and rows that pass.
    expect(new Set(judged.map((j) => j.regorus))).toEqual(new Set(["fail", "not-fail"]));
    // apiguard's own engine (the one `evaluate` and `impact` run) agrees with regorus too.
    const own = judged.map((j) => {
      const r = j.definition.evaluate(j.resource, { parameters: j.parameters });
      return { case: `${j.rule.id} ${j.origin}`, apiguard: r.error ? "evaluation-failure" : r.effect && r.effect !== "disabled" ? "fail" : "not-fail", regorus: j.regorus };
    });
    expect(own.filter((o) => o.apiguard !== o.regorus)).toEqual([]);
  });
});
