/** The generated Azure Policy JSON: schema-valid, stable names, parameters wired through the initiative. */
import { loadCatalog } from "../../core/catalog/load";
import { assignment, azureCondition, azureEffect, azurePolicyDocuments, definition, definitionParameters, generateAzurePolicy, initiativeParameterName, INITIATIVE_NAME } from "../../generators/azure-policy";
import { fullMessage, remediation } from "../../generators/common";
import { officialPolicyRuleSchema, policyRuleValidator, relaxedPolicyRuleSchema, RELAXED_OPERATORS } from "../helpers/azure-schema";
import { CATALOG } from "../helpers/paths";
import { armShape, armShapes, targetById, type ArmShape } from "../../core/targets";
import type { Condition, Parameter, Rule } from "../../core/ir/types";

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
    const childTypes = armShapes(targetById(rule.target)).filter((s) => s.arm.tagsAndLocation === false);
    expect(file.properties.mode).toBe(childTypes.length > 0 ? "All" : "Indexed");
    expect(file.properties.metadata.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(file.properties.metadata.category).toBe(rule.category);
  });

  test("exposes an effect parameter defaulting to the rule's enforcement, and every rule parameter", () => {
    const params = file.properties.parameters;
    expect(params.effect).toMatchObject({ type: "String", allowedValues: ["Audit", "Deny", "Disabled"], defaultValue: azureEffect(rule.enforcement) });
    expect(Object.keys(params).sort()).toEqual(["effect", ...rule.parameters.map((p) => p.name)].sort());
    for (const p of rule.parameters) expect(params[p.name].defaultValue).toEqual(p.default);
    expect(file.properties.policyRule.then).toEqual({ effect: "[parameters('effect')]" });
  });

  test("every parameter the rule references is declared", () => {
    const referenced = [...JSON.stringify(file.properties.policyRule).matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]);
    for (const name of referenced) expect(Object.keys(file.properties.parameters)).toContain(name);
  });

  test("judges the resource type first and counts arrays rather than testing their existence", () => {
    const types = armShapes(targetById(rule.target)).map((s) => s.arm.resourceType);
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
  // Azure Policy judges the ARM resource: the fix names its properties as ARM spells them.
  const arm = armShape(targetById(rule.target));
  const fix = remediation(rule, arm);

  test("a rule that fits gives its whole message, with why and how to fix in ARM's spelling", () => {
    expect(messageOf(rule)).toContain(rule.rationale.quote);
    expect(messageOf(rule)).toContain(fix);
    expect(messageOf(rule)).not.toContain("{{");
    expect(messageOf(rule)).toContain("`apiServerAccessProfile.authorizedIPRanges`");
  });

  test("too long with the rationale: the message and the fix", () => {
    const long = { ...rule, rationale: { ...rule.rationale, quote: "q".repeat(1024) } };
    expect(messageOf(long)).toBe(`${rule.message} Fix: ${fix}`);
  });

  test("too long even then: the message, cut at 1024", () => {
    const long = { ...rule, message: "m".repeat(1030) };
    expect(messageOf(long)).toBe("m".repeat(1024));
  });

  test("a whole message of exactly 1024 characters is kept whole", () => {
    const exact = { ...rule, rationale: { ...rule.rationale, quote: rule.rationale.quote + "q".repeat(1024 - fullMessage(rule, arm).length) } };
    expect(fullMessage(exact, arm)).toHaveLength(1024);
    expect(messageOf(exact)).toBe(fullMessage(exact, arm));
  });

  test("a message and fix of exactly 1024 characters are kept whole when the rationale does not fit", () => {
    const exact = { ...rule, message: "m".repeat(1024 - ` Fix: ${fix}`.length) };
    expect(messageOf(exact)).toBe(`${exact.message} Fix: ${fix}`);
    expect(messageOf(exact)).toHaveLength(1024);
  });
});

test.each([
  ["mandatory", "Deny"],
  ["advisory", "Audit"],
  ["disabled", "Disabled"],
] as const)("enforcement %s: the effect defaults to %s, in the definition and in the example assignment", (enforcement, effect) => {
  const rule = { ...azureRules[0], enforcement };
  expect(definition(rule).properties.parameters.effect.defaultValue).toBe(effect);
  expect(assignment([rule]).properties.parameters[initiativeParameterName(rule, "effect")]).toEqual({ value: effect });
});

describe("an integer rule parameter lists its values as allowedValues when its range is at most 128 wide", () => {
  const rule = azureRules[0];
  const parameter = (p: Partial<Parameter>): Parameter => ({ name: "size", type: "integer", default: 8, description: "A size.", ...p });
  test.each([
    ["minimum 1 and maximum 32: 1..32", parameter({ minimum: 1, maximum: 32 }), Array.from({ length: 32 }, (_, i) => 1 + i)],
    // 120 wide, though the two bounds add up to more than 128.
    ["minimum 8 and maximum 128: 8..128", parameter({ minimum: 8, maximum: 128 }), Array.from({ length: 121 }, (_, i) => 8 + i)],
    ["exactly 128 wide: all 129 values", parameter({ minimum: 0, maximum: 128 }), Array.from({ length: 129 }, (_, i) => i)],
    ["129 wide: none", parameter({ minimum: 0, maximum: 129 }), undefined],
    ["a minimum alone: none", parameter({ minimum: 1 }), undefined],
    ["a maximum alone: none", parameter({ maximum: 32 }), undefined],
    // The schema admits bounds on any parameter; they restrict only an integer.
    ["a boolean with bounds: none", parameter({ type: "boolean", default: true, minimum: 0, maximum: 1 }), undefined],
  ])("%s", (_name, p, allowed) => {
    expect(definitionParameters({ ...rule, parameters: [p] }).size.allowedValues).toEqual(allowed);
  });
});

describe("a comparison with a parameter renders only if every value of the parameter gives the same result at the field's default", () => {
  // No target field has a default a parameter can change (AKS's authorizedIpRanges defaults to []), so
  // the AKS ARM shape is given a non-empty default here, as a future field might have.
  const rule = azureRules.find((r) => r.parameters.some((p) => p.type === "integer"))!;
  const aks = armShape(targetById("aks"))!;
  const withDefault = (ranges: string[]): ArmShape => ({ ...aks, fields: { ...aks.fields, authorizedIpRanges: { ...aks.fields.authorizedIpRanges, default: ranges } } });
  const alias = "Microsoft.ContainerService/managedClusters/apiServerAccessProfile.authorizedIPRanges";
  const leaf: Condition = { kind: "leaf", subject: { field: "authorizedIpRanges" }, operator: "anyBroaderThan", operand: { param: "minPrefix" }, at: { file: rule.file, line: 1, column: 1 } };
  // A boolean parameter comes first, so the operand's own parameter has to be looked up by name.
  const withParameter = (bounds: Partial<Parameter>): Rule => ({
    ...rule,
    parameters: [
      { name: "aStrict", type: "boolean", default: true, description: "x" },
      { name: "minPrefix", type: "integer", default: 8, description: "x", ...bounds },
    ],
  });
  const render = (ranges: string[], bounds: Partial<Parameter>) => () => azureCondition(withParameter(bounds), withDefault(ranges), leaf);
  // The rendering for AKS's real default ([], never broader), which needs no absent-property pin.
  const plain = azureCondition(withParameter({}), aks, leaf);

  test("a /8 default is broader than every value from 16 to 24: rendered, an absent property pinned as failing", () => {
    expect(render(["10.0.0.0/8"], { minimum: 16, default: 16, maximum: 24 })()).toEqual({ anyOf: [{ field: alias, exists: false }, plain] });
  });

  test("a /16 default is broader than no value from 8 to 16: rendered as is (Azure counts an absent list as 0, not broader)", () => {
    expect(render(["10.0.0.0/16"], { minimum: 8, default: 8, maximum: 16 })()).toEqual(plain);
  });

  test.each([
    ["broader than 24 but not than 8", { minimum: 8, default: 8, maximum: 24 }],
    // Without bounds the parameter runs from 0 to 128: /16 is broader than 128, not than 8.
    ["with no bounds, broader than 128 but not than the default 8", { default: 8 }],
  ])("a /16 default %s: refused", (_name, bounds) => {
    expect(render(["10.0.0.0/16"], bounds)).toThrow(`${rule.file}: cannot render 'anyBroaderThan' on 'authorizedIpRanges' for Azure Policy: its result at the default value depends on the parameter`);
  });
});

test("the elements of an array field are aliased below that field, their nested path joined with dots", () => {
  // Two fields, the array not the first; its elements nest their setting two levels deep.
  const shape: ArmShape = {
    id: "arm-example",
    provider: "arm",
    typePattern: "^microsoft\\.example/things$",
    typeNames: ["Microsoft.Example/things"],
    arm: { resourceType: "Microsoft.Example/things" },
    fields: {
      label: { path: ["label"], default: "", defaultSource: "test" },
      rules: { path: ["rules"], default: [], defaultSource: "test", elements: { port: { path: ["properties", "settings", "port"], aliasPath: ["settings", "port"], default: "", defaultSource: "test" } } },
    },
  };
  const at = { file: "x", line: 1, column: 1 };
  const condition: Condition = { kind: "anyElement", field: "rules", where: { kind: "leaf", subject: { field: "port" }, operator: "equals", operand: "22", at }, at };
  expect(azureCondition(azureRules[0], shape, condition)).toEqual({
    count: { field: "Microsoft.Example/things/rules[*]", where: { field: "Microsoft.Example/things/rules[*].settings.port", equals: "22" } },
    greater: 0,
  });
});

test("a stack rule has no Azure Policy rendering, even when its IR asks for one", () => {
  const stackRule = loadCatalog(CATALOG).rules.find((r) => r.failsWhen.kind === "noneRelated")!;
  // On a target Azure Policy can judge, so only the relation stands in the way.
  expect(() => definition({ ...stackRule, target: "aks", when: undefined, backends: ["azure-policy"] })).toThrow(`${stackRule.file}: noneRelated relates resources of a stack; Azure Policy judges one resource at a time`);
});

describe("a presence field (whether a property is set) renders as exists, for the one of set and unset its comparison holds for", () => {
  const shape: ArmShape = {
    id: "arm-example",
    provider: "arm",
    typePattern: "^microsoft\\.example/things$",
    typeNames: ["Microsoft.Example/things"],
    arm: { resourceType: "Microsoft.Example/things" },
    fields: { hub: { path: ["hubProfile"], present: true, default: false, defaultSource: "test" } },
  };
  const at = { file: "x", line: 1, column: 1 };
  const leaf = (operator: "equals" | "notEquals" | "in" | "notIn", operand: boolean | boolean[] | { param: string }): Condition => ({ kind: "leaf", subject: { field: "hub" }, operator, operand, at });
  const rule = azureRules[0];
  test.each([
    ["equals true", leaf("equals", true), true],
    ["equals false", leaf("equals", false), false],
    ["notEquals true", leaf("notEquals", true), false],
    ["notEquals false", leaf("notEquals", false), true],
    ["in [true]", leaf("in", [true]), true],
    ["notIn [true]", leaf("notIn", [true]), false],
  ])("%s: exists %s", (_name, condition, exists) => {
    expect(azureCondition(rule, shape, condition)).toEqual({ field: "Microsoft.Example/things/hubProfile", exists });
  });
  test.each([
    ["holds whether set or not", leaf("in", [true, false])],
    ["holds for neither", leaf("in", [])],
  ])("a comparison that %s is refused", (_name, condition) => {
    expect(() => azureCondition(rule, shape, condition)).toThrow(`${rule.file}: cannot render '${(condition as { operator: string }).operator}' on 'hub' for Azure Policy: a presence field must be compared so that set and unset differ`);
  });
  test("a comparison whose result for a set property depends on a parameter is refused", () => {
    const withList: Rule = { ...rule, parameters: [{ name: "allowed", type: "array", default: ["true"], description: "x" }] };
    expect(() => azureCondition(withList, shape, leaf("in", { param: "allowed" }))).toThrow(`${rule.file}: cannot render 'in' on 'hub' for Azure Policy: a presence field must be compared so that set and unset differ`);
  });
});
