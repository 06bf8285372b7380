/**
 * Evaluator robustness: random and malformed definitions and resources never throw; problems come
 * back as `error` ("invalid policy definition: …" or "evaluation error: …").
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { compilePolicy, evaluatePolicy } from "../../azure-policy-engine";
import { REPO } from "../helpers/paths";

const definitions = fs.readdirSync(path.join(REPO, "azure-policy/definitions")).map((f) => JSON.parse(fs.readFileSync(path.join(REPO, "azure-policy/definitions", f), "utf8")));

const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("[concat(", "[parameters('nope')]", "[int('x')]", "[split(1)]", "[[escaped", "]", "[if(true(), 1)]"));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("field", "value", "count", "allOf", "anyOf", "not", "equals", "in", "where", "name", "exists", "like", "x"), tie("value"), { maxKeys: 4 }),
  ),
})).value;

test("random definitions never throw", () => {
  fc.assert(
    fc.property(json, json, (rule, resource) => {
      const result = evaluatePolicy({ if: rule, then: { effect: "deny" } }, resource);
      expect(typeof result.matched).toBe("boolean");
      if (result.error) expect(result.error).toMatch(/^(invalid policy definition|evaluation error): /);
    }),
    { seed: 1123, numRuns: 2000 },
  );
});

test("the generated definitions never throw on random resources", () => {
  const compiled = definitions.map((d) => compilePolicy(d));
  fc.assert(
    fc.property(json, (properties) => {
      for (const check of compiled) {
        const result = check({ type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAccessProfile: properties } });
        if (result.error) expect(result.error).toMatch(/^evaluation error: /);
      }
    }),
    { seed: 2311, numRuns: 1000 },
  );
});

test.each([
  ["not JSON-shaped", 42],
  ["no policyRule", { properties: {} }],
  ["an unknown operator", { if: { field: "type", equalz: "x" }, then: { effect: "deny" } }],
  ["an unterminated call", { if: { value: "[concat('a']", equals: "a" }, then: { effect: "deny" } }],
])("%s is reported as an invalid definition", (_name, definition) => {
  const result = evaluatePolicy(definition, { type: "x", name: "y" });
  expect(result.error).toMatch(/^invalid policy definition: /);
});
