/**
 * No template failures in the generated definitions (issue #11, item 5): Azure denies a resource
 * whose evaluation fails, so every generated policyRule must evaluate without error whatever JSON
 * sits at the paths it reads — strings, numbers, booleans, null, objects, arrays, arrays of mixed
 * element types — and whatever its array parameters hold.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { loadDefinitions, type AzureDefinition } from "../../cli/evaluate/engines/azure-policy";
import { armAliasPaths } from "../../core/targets";
import { REPO } from "../helpers/paths";

const definitions = loadDefinitions(path.join(REPO, "azure-policy"));
const ALIAS_PATHS = armAliasPaths();

/** Every alias a policy rule reads: `field` keys, and `field('…')` / `current('…')` calls in expressions. */
function aliasesRead(policyRule: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === "string") for (const m of node.matchAll(/\b(?:field|current)\('((?:[^']|'')+)'\)/gi)) found.add(m[1].replace(/''/g, "'"));
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object")
      for (const [key, value] of Object.entries(node)) {
        if (key.toLowerCase() === "field" && typeof value === "string") found.add(value);
        walk(value);
      }
  };
  walk(policyRule);
  // Built-in fields (type, name, location, ...) and value-count names (`current('suffix')`) hold no `/`.
  return [...found].filter((f) => f.includes("/")).sort();
}

/** A tree of the resource paths read: object keys, and `[*]` for the elements of an array. */
interface PathTree {
  keys: Map<string, PathTree>;
  elements?: PathTree;
}
const tree = (): PathTree => ({ keys: new Map() });

function insert(root: PathTree, dotted: string): void {
  let node = root;
  for (const part of dotted.split(".")) {
    const [, key, stars] = /^([^[]+)((?:\[\*\])*)$/.exec(part) ?? [];
    if (key === undefined) throw new Error(`unsupported alias path ${dotted}`);
    node = node.keys.get(key) ?? node.keys.set(key, tree()).get(key)!;
    for (let i = 0; i < stars.length / 3; i++) node = node.elements ??= tree();
  }
}

/**
 * The paths a definition reads on each resource type it pins: each alias belongs to the longest
 * pinned type it starts with (`…/networkSecurityGroups/securityRules/access` is the standalone rule's,
 * `…/networkSecurityGroups/securityRules[*].access` the group's), resolved through armAliasPaths().
 */
function pathsByType(def: AzureDefinition): Map<string, string[]> {
  const types = def.resourceTypes ?? (def.resourceType ? [def.resourceType] : []);
  if (types.length === 0) throw new Error(`${def.ruleId}: the definition pins no resource type`);
  const byType = new Map<string, string[]>(types.map((t) => [t, []]));
  for (const alias of aliasesRead(def.definition.properties.policyRule)) {
    const resolved = ALIAS_PATHS[alias];
    if (resolved === undefined) throw new Error(`${def.ruleId}: alias ${alias} is not a field of any target`);
    const owner = types.filter((t) => alias.toLowerCase().startsWith(`${t.toLowerCase()}/`)).sort((a, b) => b.length - a.length)[0];
    if (owner === undefined) throw new Error(`${def.ruleId}: alias ${alias} belongs to none of its types ${types.join(", ")}`);
    byType.get(owner)!.push(resolved);
  }
  return byType;
}

const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "",
    " ",
    "/",
    "//",
    ".",
    "..",
    "[",
    "]",
    "::",
    "0.0.0.0/0",
    "0.0.0.0/32",
    "10.0.0.0/x",
    "1/2/3",
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/.azmk8s.io",
    "system",
    "none",
    "Automatic",
    "true",
    "False",
    "::ffff:0.0.0.0",
    "0x10",
    "1e3",
    "99999999999999999999/1",
    // Security-rule values: ports, port ranges, wildcards and service tags, well- and ill-formed.
    "*",
    "22",
    "3389",
    "020",
    "20-25",
    "22-",
    "-22",
    "1-2-3",
    "0-65535",
    "99999999999",
    "Internet",
    "Any",
    "Allow",
    "Inbound",
  ),
);
const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("name", "a", "authorizedIPRanges", "privateDNSZone"), tie("value"), { maxKeys: 3 })),
})).value;
/** Mixed arrays on purpose: an element of every JSON type beside strings. */
const mixedArray = fc.array(fc.oneof(scalar, json), { maxLength: 5 });
const anything = fc.oneof(scalar, json, mixedArray);

/**
 * Resources with random JSON at every path in the tree: an object's keys each absent or filled, an
 * array of up to four elements each random JSON or filled in turn; any node may instead hold any JSON.
 */
function valuesAt(node: PathTree): fc.Arbitrary<unknown> {
  const shaped: fc.Arbitrary<unknown>[] = [];
  if (node.keys.size > 0) shaped.push(fc.record(Object.fromEntries([...node.keys].map(([k, child]) => [k, valuesAt(child)])), { requiredKeys: [] }));
  if (node.elements) shaped.push(fc.array(fc.oneof(valuesAt(node.elements), anything), { maxLength: 4 }));
  return shaped.length === 0 ? anything : fc.oneof({ weight: 4, arbitrary: fc.oneof(...shaped) }, { weight: 1, arbitrary: anything });
}

/** Parameter values, array parameters with mixed elements included. */
function parameterArbitrary(parameters: Record<string, { type: string; allowedValues?: unknown[] }>) {
  const entries = Object.entries(parameters).filter(([name]) => name !== "effect");
  return fc.record(
    Object.fromEntries(entries.map(([name, p]) => [name, p.allowedValues ? fc.constantFrom(...p.allowedValues) : p.type === "Array" ? mixedArray : p.type === "Boolean" ? fc.boolean() : p.type === "Integer" ? fc.integer() : text])),
  );
}

describe.each(definitions.map((d) => [d.ruleId, d] as const))("%s", (_id, def) => {
  const byType = pathsByType(def);

  test("reads at least one property on every resource type it pins (the fuzz below reaches it)", () => {
    for (const [type, paths] of byType) expect([type, paths.length > 0]).toEqual([type, true]);
  });

  test.each([...byType.keys()])("evaluates %s without a template failure for any JSON at every path it reads", (type) => {
    const root = tree();
    for (const p of byType.get(type)!) insert(root, p);
    const resources = fc.record(Object.fromEntries([...root.keys].map(([k, child]) => [k, valuesAt(child)])), { requiredKeys: [] }).map((read) => ({ type, name: "r", location: "eastus", ...read }));
    fc.assert(
      fc.property(resources, parameterArbitrary(def.definition.properties.parameters as never), (resource, params) => {
        const result = def.evaluate(resource, { parameters: { ...params, effect: "Deny" } });
        if (result.error) throw new Error(`${result.error}\nresource: ${JSON.stringify(resource)}\nparameters: ${JSON.stringify(params)}`);
      }),
      { seed: 1111, numRuns: 1500 },
    );
  });
});

test("every definition file is fuzzed", () => {
  const files = fs.readdirSync(path.join(REPO, "azure-policy", "definitions")).filter((f) => f.endsWith(".json"));
  expect(definitions.map((d) => `${d.ruleId}.json`).sort()).toEqual(files.sort());
});
