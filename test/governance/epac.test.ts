/** The EPAC layout: schema references, names EPAC keys on, and references that resolve. */
import * as path from "path";
import { loadCatalog } from "../../core/catalog/load";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { REPO } from "../helpers/paths";

const catalog = loadCatalog(path.join(REPO, "catalog"));
const files = generateAll(catalog, readGeneratorInputs(REPO));
const rules = catalog.rules.filter((r) => r.backends.includes("azure-policy"));
const ROOT = "azure-policy/epac/Definitions";
const SCHEMAS = "https://raw.githubusercontent.com/Azure/enterprise-azure-policy-as-code/main/Schemas";
const read = (file: string) => JSON.parse(files.get(`${ROOT}/${file}`)!);

test("one policy definition file per rule, named as the definition, with EPAC's schema", () => {
  const definitionFiles = [...files.keys()].filter((f) => f.startsWith(`${ROOT}/policyDefinitions/`)).sort();
  expect(definitionFiles).toEqual(rules.map((r) => `${ROOT}/policyDefinitions/apiguard/${r.id}.json`).sort());
  for (const rule of rules) {
    const d = read(`policyDefinitions/apiguard/${rule.id}.json`);
    const plain = JSON.parse(files.get(`azure-policy/definitions/${rule.id}.json`)!);
    expect(d.$schema).toBe(`${SCHEMAS}/policy-definition-schema.json`);
    expect(d.name).toBe(`apiguard-${rule.id}`);
    expect(d.properties).toEqual(plain.properties);
  }
});

test("the policy set references every definition by the name EPAC resolves, and exposes their parameters", () => {
  const set = read("policySetDefinitions/apiguard/apiguard-kubernetes-api-server.json");
  expect(set.$schema).toBe(`${SCHEMAS}/policy-set-definition-schema.json`);
  const definitionNames = rules.map((r) => read(`policyDefinitions/apiguard/${r.id}.json`).name);
  expect(set.properties.policyDefinitions.map((d: { policyDefinitionName: string }) => d.policyDefinitionName)).toEqual(definitionNames);
  for (const entry of set.properties.policyDefinitions) {
    expect(entry.policyDefinitionId).toBeUndefined();
    for (const ref of Object.values<{ value: string }>(entry.parameters)) {
      const exposed = /^\[parameters\('([^']+)'\)\]$/.exec(ref.value)![1];
      expect(set.properties.parameters[exposed]).toBeDefined();
    }
  }
});

test("the example assignment points at the set and sets only parameters the set exposes", () => {
  const a = read("policyAssignments/apiguard/apiguard-k8s-api.json");
  const set = read("policySetDefinitions/apiguard/apiguard-kubernetes-api-server.json");
  expect(a.$schema).toBe(`${SCHEMAS}/policy-assignment-schema.json`);
  expect(a.nodeName).toMatch(/^\//);
  expect(a.definitionEntry.policySetName).toBe(set.name);
  expect(a.assignment.name.length).toBeLessThanOrEqual(24);
  for (const [name, value] of Object.entries(a.parameters)) {
    expect(set.properties.parameters[name]).toBeDefined();
    expect(set.properties.parameters[name].allowedValues).toContain(value);
  }
  expect(Object.keys(a.scope).length).toBeGreaterThan(0);
});
