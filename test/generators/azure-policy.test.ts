/** The generated Azure Policy JSON: schema-valid, stable names, parameters wired through the initiative. */
import { loadCatalog } from "../../core/catalog/load";
import { assignment, azurePolicyDocuments, definition, EFFECTS, generateAzurePolicy, initiativeParameterName, INITIATIVE_NAME } from "../../generators/azure-policy";
import { officialPolicyRuleSchema, policyRuleValidator, relaxedPolicyRuleSchema, RELAXED_OPERATORS } from "../helpers/azure-schema";
import { CATALOG } from "../helpers/paths";
import { armShapes, findTarget } from "../../core/targets";

const catalog = loadCatalog(CATALOG);
const files = generateAzurePolicy(azurePolicyDocuments(catalog));
const azureRules = catalog.rules.filter((r) => r.backends.includes("azure-policy"));
const parse = (file: string) => JSON.parse(files.get(file)!);

describe("the schema relaxation", () => {
  test("touches exactly equals and notEquals", () => {
    expect(relaxedPolicyRuleSchema().touched.sort()).toEqual([...RELAXED_OPERATORS].sort());
  });
  test("is needed: the unrelaxed official schema rejects a boolean equals", () => {
    const strict = policyRuleValidator(officialPolicyRuleSchema());
    expect(strict({ if: { field: "type", equals: true }, then: { effect: "audit" } })).toBe(false);
  });
});

const validate = policyRuleValidator(relaxedPolicyRuleSchema().schema);

test("there is one definition file per rule with an Azure side", () => {
  expect([...files.keys()].filter((f) => f.startsWith("azure-policy/definitions/")).sort()).toEqual(azureRules.map((r) => `azure-policy/definitions/${r.id}.json`).sort());
});

describe.each(azureRules.map((r) => [r.id, r] as const))("definition %s", (id, rule) => {
  const file = parse(`azure-policy/definitions/${id}.json`);

  test("the file is exactly the definition object, as JSON", () => {
    expect(file).toEqual(definition(rule));
  });

  test("its policyRule validates against the official schema", () => {
    const ok = validate(file.properties.policyRule);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  test("has a stable name, display name, mode, version and category", () => {
    expect(file.name).toBe(`apiguard-${id}`);
    expect(file.properties.displayName).toBe(rule.title);
    expect(file.properties.displayName.length).toBeLessThanOrEqual(128);
    expect(file.properties.description.length).toBeLessThanOrEqual(512);
    // Indexed unless a type the rule judges has no tags and location (a child resource), as for Microsoft's built-ins.
    const childTypes = armShapes(findTarget(rule.target)!).filter((s) => s.arm!.tagsAndLocation === false);
    expect(file.properties.mode).toBe(childTypes.length > 0 ? "All" : "Indexed");
    expect(file.properties.metadata.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(file.properties.metadata.category).toBe(rule.category);
  });

  test("exposes an effect parameter defaulting to the rule's enforcement, and every rule parameter", () => {
    const params = file.properties.parameters;
    expect(params.effect).toMatchObject({ type: "String", allowedValues: ["Audit", "Deny", "Disabled"], defaultValue: EFFECTS[rule.enforcement] });
    expect(Object.keys(params).sort()).toEqual(["effect", ...rule.parameters.map((p) => p.name)].sort());
    for (const p of rule.parameters) expect(params[p.name].defaultValue).toEqual(p.default);
    expect(file.properties.policyRule.then).toEqual({ effect: "[parameters('effect')]" });
  });

  test("every parameter the rule references is declared", () => {
    const referenced = [...JSON.stringify(file.properties.policyRule).matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]);
    for (const name of referenced) expect(Object.keys(file.properties.parameters)).toContain(name);
  });

  test("judges the resource type first and counts arrays rather than testing their existence", () => {
    const types = armShapes(findTarget(rule.target)!).map((s) => s.arm!.resourceType);
    const branches = types.length === 1 ? [file.properties.policyRule.if] : file.properties.policyRule.if.anyOf;
    expect(branches.map((b: { allOf: unknown[] }) => b.allOf[0])).toEqual(types.map((t) => ({ field: "type", equals: t })));
    const text = JSON.stringify(file.properties.policyRule);
    expect(text).not.toMatch(/authorizedIPRanges(\[\*\])?","exists"/);
  });
});

describe("the initiative", () => {
  const initiative = parse("azure-policy/initiative.json");
  test("references every definition once, by a scope-relative id", () => {
    expect(initiative.name).toBe(INITIATIVE_NAME);
    expect(initiative.properties.policyDefinitions.map((d: { policyDefinitionReferenceId: string }) => d.policyDefinitionReferenceId)).toEqual(azureRules.map((r) => r.id));
    for (const d of initiative.properties.policyDefinitions) {
      expect(d.policyDefinitionId).toBe(`{definitionScope}/providers/Microsoft.Authorization/policyDefinitions/apiguard-${d.policyDefinitionReferenceId}`);
    }
  });
  test("exposes every definition parameter under a unique name and passes it through", () => {
    for (const rule of azureRules) {
      const ref = initiative.properties.policyDefinitions.find((d: { policyDefinitionReferenceId: string }) => d.policyDefinitionReferenceId === rule.id);
      for (const name of ["effect", ...rule.parameters.map((p) => p.name)]) {
        const exposed = initiativeParameterName(rule, name);
        expect(initiative.properties.parameters[exposed]).toBeDefined();
        expect(ref.parameters[name]).toEqual({ value: `[parameters('${exposed}')]` });
      }
    }
  });
});

describe("the example assignment", () => {
  const assignment = parse("azure-policy/assignment.json");
  test("assigns the initiative with a non-compliance message per rule", () => {
    expect(assignment.name.length).toBeLessThanOrEqual(24); // management-group assignment names are capped at 24
    expect(assignment.properties.policyDefinitionId).toBe(`{definitionScope}/providers/Microsoft.Authorization/policySetDefinitions/${INITIATIVE_NAME}`);
    expect(assignment.properties.nonComplianceMessages.map((m: { policyDefinitionReferenceId: string }) => m.policyDefinitionReferenceId)).toEqual(azureRules.map((r) => r.id));
    for (const m of assignment.properties.nonComplianceMessages) expect(m.message.length).toBeLessThanOrEqual(1024);
  });
});

describe("the assignment's non-compliance message fits Azure's 1024 characters", () => {
  const rule = azureRules[0];
  const messageOf = (r: typeof rule) => assignment([r]).properties.nonComplianceMessages[0].message;

  test("a rule that fits gives its whole message, with why and how to fix", () => {
    expect(messageOf(rule)).toContain(rule.rationale.quote);
    expect(messageOf(rule)).toContain(rule.remediation);
  });

  test("too long with the rationale: the message and the fix", () => {
    const long = { ...rule, rationale: { ...rule.rationale, quote: "q".repeat(1024) } };
    expect(messageOf(long)).toBe(`${rule.message} Fix: ${rule.remediation}`);
  });

  test("too long even then: the message, cut at 1024", () => {
    const long = { ...rule, message: "m".repeat(1030) };
    expect(messageOf(long)).toBe("m".repeat(1024));
  });
});

test("a stack rule has no Azure Policy rendering, even when its IR asks for one", () => {
  const stackRule = loadCatalog(CATALOG).rules.find((r) => r.failsWhen.kind === "noneRelated")!;
  // On a target Azure Policy can judge, so only the relation stands in the way.
  expect(() => definition({ ...stackRule, target: "aks", when: undefined, backends: ["azure-policy"] })).toThrow(`${stackRule.file}: noneRelated relates resources of a stack; Azure Policy judges one resource at a time`);
});
