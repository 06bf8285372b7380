/**
 * No template failures in the generated definitions (issue #11, item 5): Azure denies a resource
 * whose evaluation fails, so every generated policyRule must evaluate without error whatever JSON
 * sits at the paths it reads — strings, numbers, booleans, null, objects, arrays, arrays of mixed
 * element types — and whatever its array parameters hold.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { loadDefinitions } from "../../src/engines/azure-policy";
import { armAliasPaths } from "../../src/targets";
import { REPO } from "../helpers/paths";

const definitions = loadDefinitions(path.join(REPO, "azure-policy"));
const ALIAS_PATHS = armAliasPaths();

/** The resource paths a definition reads: every alias in it, resolved, with every parent path. */
function pathsRead(definition: unknown): string[] {
  const text = JSON.stringify(definition);
  const aliases = [...text.matchAll(/Microsoft\.[A-Za-z]+\/[A-Za-z]+\/[A-Za-z0-9_.]+/g)].map((m) => m[0]);
  const paths = new Set<string>();
  for (const alias of aliases) {
    const resolved = ALIAS_PATHS[alias];
    if (resolved === undefined) throw new Error(`alias ${alias} is not a field of any target`);
    const segments = resolved.split(".");
    for (let i = 1; i <= segments.length; i++) paths.add(segments.slice(0, i).join("."));
  }
  return [...paths].sort((a, b) => a.split(".").length - b.split(".").length);
}

const text = fc.oneof(
  fc.string(),
  fc.constantFrom("", " ", "/", "//", ".", "..", "[", "]", "::", "0.0.0.0/0", "0.0.0.0/32", "10.0.0.0/x", "1/2/3", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/.azmk8s.io", "system", "none", "Automatic", "true", "False", "::ffff:0.0.0.0", "0x10", "1e3", "99999999999999999999/1"),
);
const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("name", "a", "authorizedIPRanges", "privateDNSZone"), tie("value"), { maxKeys: 3 })),
})).value;
/** Mixed arrays on purpose: an element of every JSON type beside strings. */
const mixedArray = fc.array(fc.oneof(scalar, json), { maxLength: 5 });
const anything = fc.oneof(scalar, json, mixedArray);

function setPath(resource: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node: Record<string, unknown> = resource;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== "object" || Array.isArray(next)) return; // the parent's random value stands
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Parameter values, array parameters with mixed elements included. */
function parameterArbitrary(parameters: Record<string, { type: string; allowedValues?: unknown[] }>) {
  const entries = Object.entries(parameters).filter(([name]) => name !== "effect");
  return fc.record(
    Object.fromEntries(
      entries.map(([name, p]) => [
        name,
        p.allowedValues ? fc.constantFrom(...p.allowedValues) : p.type === "Array" ? mixedArray : p.type === "Boolean" ? fc.boolean() : p.type === "Integer" ? fc.integer() : text,
      ]),
    ),
  );
}

describe.each(definitions.map((d) => [d.ruleId, d] as const))("%s", (_id, def) => {
  const paths = pathsRead(def.definition);

  test("reads at least one property (the fuzz below reaches it)", () => expect(paths.length).toBeGreaterThan(0));

  test("evaluates without a template failure for any JSON at every path it reads", () => {
    const values = fc.record(Object.fromEntries(paths.map((p) => [p, fc.option(anything, { nil: undefined, freq: 3 })])));
    fc.assert(
      fc.property(values, parameterArbitrary(def.definition.properties.parameters as never), (at, params) => {
        const resource: Record<string, unknown> = { type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "eastus" };
        for (const p of paths) if (at[p] !== undefined) setPath(resource, p, at[p]);
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
