/**
 * Partial evaluation of ARM templates: a value only the deployment knows stays where it is, and
 * everything known around it stays known; an expression that fails on known values is an error at
 * its resource (Resource Manager refuses the deployment), while one that may fail only in a branch
 * the deployment may not take is unknown. Expected values are written from the function pages of
 * "Template functions" (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions).
 */
import { resolveTemplate } from "../../arm-template";
import { PartialString } from "../../azure-policy-engine";
import { UNKNOWN } from "../../cli/evaluate/unknowns";

type Obj = Record<string, unknown>;
const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const AKS = "Microsoft.ContainerService/managedClusters";
const template = (body: Obj): Obj => ({ $schema: SCHEMA, contentVersion: "1.0.0.0", ...body });
/** A partly known string as its text with holes in braces. */
const shown = (v: unknown): unknown =>
  v instanceof PartialString ? `partial:${v.toString()}` : Array.isArray(v) ? v.map(shown) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shown(x)])) : v;

/** The `properties.p` of one resource given as `p: expression`, with the template's parameters and variables. */
function value(expression: unknown, body: Obj = {}): unknown {
  const { resources, errors } = resolveTemplate(template({ ...body, resources: [{ type: AKS, name: "aks", properties: { p: expression } }] }), new Map(), UNKNOWN);
  expect(errors).toEqual([]);
  return shown((resources[0].resource.properties as Obj).p);
}

const UNKNOWN_PARAMETER = { parameters: { u: { type: "bool" }, s: { type: "string" }, list: { type: "array" } } };

describe("object and array builders keep their known members", () => {
  test.each([
    ["union() with an if() whose condition is unknown", "[union(createObject('a', 1, 'b', createObject('c', 2)), if(parameters('u'), createObject('d', 3), createObject()))]", { a: 1, b: { c: 2 }, d: UNKNOWN }],
    ["union() merging nested objects, one member unknown", "[union(createObject('b', createObject('c', 2)), createObject('b', createObject('e', reference('x').e)))]", { b: { c: 2, e: UNKNOWN } }],
    ["union() with a wholly unknown object: any member may be overridden", "[union(createObject('a', 1), reference('x').props)]", UNKNOWN],
    ["createObject() with an unknown member", "[createObject('a', reference('x').a, 'b', true())]", { a: UNKNOWN, b: true }],
    ["createObject() with an unknown key: any key", "[createObject(reference('x').k, 1)]", UNKNOWN],
    ["createArray() with an unknown element", "[createArray('10.0.0.0/24', reference('pip').ip)]", ["10.0.0.0/24", UNKNOWN]],
    ["concat() of arrays, one element unknown", "[concat(createArray('a'), createArray(reference('x').b))]", ["a", UNKNOWN]],
    ["concat() of an array and a wholly unknown one: how many is unknown", "[concat(createArray('a'), parameters('list'))]", UNKNOWN],
    ["coalesce() whose first argument is known and not null", "[coalesce('a', reference('x').b)]", "a"],
    ["coalesce() whose first argument may be null", "[coalesce(reference('x').b, 'a')]", UNKNOWN],
    ["json() of known text", "[json('{\"a\": [1, 2]}')]", { a: [1, 2] }],
    ["json() of unknown text", "[json(reference('x').text)]", UNKNOWN],
    ["empty() of an object with an unknown member", "[empty(createObject('a', reference('x').a))]", false],
    ["length() of an array with unknown elements", "[length(createArray(reference('x').a, 1))]", 2],
    ["length() of an unknown array", "[length(parameters('list'))]", UNKNOWN],
    ["an element of an array with unknown ones", "[createArray(reference('x').a, 'b')[1]]", "b"],
    ["equals() on a value holding an unknown one", "[equals(createArray(reference('x').a), createArray('a'))]", UNKNOWN],
  ])("%s", (_name, expression, expected) => {
    expect(value(expression, UNKNOWN_PARAMETER)).toEqual(expected);
  });
});

describe("if() whose condition only the deployment knows keeps what both branches agree on", () => {
  test.each([
    ["the same value either way", "[if(parameters('u'), 'same', 'same')]", "same"],
    ["objects: equal members known, others unknown, one-sided members unknown", "[if(parameters('u'), createObject('a', 1, 'b', 2, 'c', 3), createObject('a', 1, 'b', 9))]", { a: 1, b: UNKNOWN, c: UNKNOWN }],
    ["arrays of one length: element by element", "[if(parameters('u'), createArray(1, 2), createArray(1, 3))]", [1, UNKNOWN]],
    ["arrays of two lengths", "[if(parameters('u'), createArray(1), createArray(1, 2))]", UNKNOWN],
    ["a branch that would fail may not be taken: unknown, not an error", "[if(parameters('u'), createArray()[0], 'x')]", UNKNOWN],
    ["a known condition takes its branch only", "[if(true(), 'x', createArray()[0])]", "x"],
  ])("%s", (_name, expression, expected) => {
    expect(value(expression, UNKNOWN_PARAMETER)).toEqual(expected);
  });
});

describe("strings built from known and unknown parts keep their known text", () => {
  test.each([
    [
      "resourceId() of the deployment's resource group",
      "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.eastus.azmk8s.io')]",
      "partial:/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    ],
    ["resourceId() with a resource group only", "[resourceId('rg', 'Microsoft.Network/privateDnsZones', 'z')]", "partial:/subscriptions/{subscription().subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z"],
    ["resourceId() with both", "[resourceId('s', 'rg', 'Microsoft.Network/virtualNetworks/subnets', 'v', 'n')]", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/n"],
    ["subscriptionResourceId()", "[subscriptionResourceId('Microsoft.Network/x', 'n')]", "partial:/subscriptions/{subscription().subscriptionId}/providers/Microsoft.Network/x/n"],
    ["tenantResourceId()", "[tenantResourceId('Microsoft.Network/x', 'n')]", "/providers/Microsoft.Network/x/n"],
    [
      "extensionResourceId() of a partly known scope",
      "[extensionResourceId(resourceGroup().id, 'Microsoft.Network/x', 'n')]",
      "partial:/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/x/n",
    ],
    ["format() with an unknown argument", "[format('{0}/32', reference('pip').ipAddress)]", "partial:{reference()}/32"],
    ["format() with a partly known argument", "[format('privatelink.{0}.azmk8s.io', resourceGroup().location)]", "partial:privatelink.{resourceGroup().location}.azmk8s.io"],
    ["format() with known arguments", "[format('{0}-{1}', 'a', 1)]", "a-1"],
    ["concat() of strings, one unknown", "[concat('aks-', reference('x').suffix)]", "partial:aks-{reference()}"],
    ["toLower() of one", "[toLower(concat('AKS-', uniqueString('x')))]", "partial:aks-{uniqueString()}"],
    ["uniqueString() and guid() are names", "[concat(uniqueString(resourceGroup().id), '-', guid('a'))]", "partial:{uniqueString()}-{guid()}"],
    ["what the deployment's functions know: resourceGroup().type", "[resourceGroup().type]", "Microsoft.Resources/resourceGroups"],
    ["and what they do not: resourceGroup().tags", "[resourceGroup().tags]", UNKNOWN],
    ["a function that cannot decide on one: unknown", "[substring(resourceGroup().name, 0, 2)]", UNKNOWN],
    ["startsWith() decided on the known text", "[startsWith(resourceId('Microsoft.Network/x', 'n'), '/subscriptions/')]", true],
    ["a member by a partly known key", "[createObject('a', 1)[resourceGroup().name]]", UNKNOWN],
  ])("%s", (_name, expression, expected) => {
    expect(value(expression, UNKNOWN_PARAMETER)).toEqual(expected);
  });

  test("its note says it is partly known, with its text", () => {
    const { resources } = resolveTemplate(template({ resources: [{ type: AKS, name: "aks", properties: { zone: "[resourceId('Microsoft.Network/privateDnsZones', 'z')]" } }] }), new Map(), UNKNOWN);
    const zone = (resources[0].resource.properties as Obj).zone as PartialString;
    expect(zone.path).toBe("properties.zone");
    expect(resources[0].unknowns).toEqual([{ path: "properties.zone", reason: `only partly known before deployment: ${zone.toString()}` }]);
  });
});

describe("failures and unknowns", () => {
  const resolve = (resources: unknown[], body: Obj = {}) => resolveTemplate(template({ ...body, resources }), new Map(), UNKNOWN);

  test("an expression that fails on known values is an error at its resource; the template's other resources are read", () => {
    const { resources, errors } = resolve([
      { type: AKS, name: "bad", properties: { p: "[createObject('odd')]" } },
      { type: AKS, name: "good", properties: {} },
    ]);
    expect(errors).toEqual([{ path: ["resources", 0], message: "Resource Manager would reject this resource: createObject(): expects key/value pairs (in [createObject('odd')])" }]);
    expect(resources.map((r) => r.resource.name)).toEqual(["good"]);
  });

  test("a variable that fails fails wherever it is used, and nowhere else", () => {
    const body = { parameters: { u: { type: "bool" } }, variables: { broken: "[createArray()[0]]" } };
    expect(resolve([{ type: AKS, name: "a", properties: { p: "[variables('broken')]" } }], body).errors).toEqual([{ path: ["resources", 0], message: expect.stringContaining("index 0 is out of range for an array of length 0") }]);
    expect(resolve([{ type: AKS, name: "a", properties: { p: "[if(parameters('u'), variables('broken'), 1)]" } }], body).errors).toEqual([]);
    expect(resolve([{ type: AKS, name: "a", properties: {} }], body).errors).toEqual([]);
  });

  test("a syntax error is an error; an unknown function name is unknown (a function this resolver does not know)", () => {
    expect(resolve([{ type: AKS, name: "a", properties: { p: "[concat('a']" } }]).errors).toEqual([{ path: ["resources", 0], message: expect.stringContaining("invalid expression [concat('a']: expected ')'") }]);
    expect(value("[items(createObject('a', 1))]")).toBe(UNKNOWN);
  });

  test("a parameter given null takes its default (as modules passing tryGet() rely on); without a default it is null", () => {
    const nested = (value: unknown) => ({
      type: "Microsoft.Resources/deployments",
      name: "m",
      properties: {
        expressionEvaluationOptions: { scope: "inner" },
        parameters: { flag: { value }, other: { value } },
        template: template({
          parameters: { flag: { type: "bool", defaultValue: false }, other: { type: "bool", nullable: true } },
          resources: [{ type: AKS, name: "aks", properties: { p: "[if(parameters('flag'), 'on', 'off')]", q: "[parameters('other')]" } }],
        }),
      },
    });
    expect(resolve([nested(null)]).resources[0].resource.properties).toEqual({ p: "off", q: null });
    expect(resolve([nested(true)]).resources[0].resource.properties).toEqual({ p: "on", q: true });
  });
});

describe("what is deployed, and what is not", () => {
  const resolve = (resources: unknown, body: Obj = {}) => resolveTemplate(template({ ...body, resources }), new Map(), UNKNOWN);

  test("a false condition and an existing resource are not deployed; their children are ('Conditional deployment doesn't cascade to child resources')", () => {
    const { resources, notJudged } = resolve([
      { type: "Microsoft.Network/networkSecurityGroups", name: "off", condition: "[equals(1, 2)]", properties: {}, resources: [{ type: "securityRules", name: "ssh", properties: {} }] },
      { type: "Microsoft.Network/virtualNetworks", name: "hub", existing: true, resources: [{ type: "subnets", name: "new", properties: {} }] },
    ]);
    expect(resources.map((r) => [r.resource.type, r.resource.name])).toEqual([
      ["Microsoft.Network/networkSecurityGroups/securityRules", "off/ssh"],
      ["Microsoft.Network/virtualNetworks/subnets", "hub/new"],
    ]);
    expect(notJudged).toEqual([
      { path: ["resources", 0], type: "Microsoft.Network/networkSecurityGroups", name: "off", message: "its `condition` is false: not deployed" },
      { path: ["resources", 1], type: "Microsoft.Network/virtualNetworks", name: "hub", message: "an `existing` resource: a reference to one deployed elsewhere, not deployed here" },
    ]);
  });

  test("a copy loop past 800 or below 0 is an error; an unknown count judges one instance", () => {
    const loop = (count: unknown) => resolve([{ type: AKS, name: "[concat('a', copyIndex())]", copy: { name: "c", count }, properties: {} }], { parameters: { n: { type: "int" } } });
    expect(loop(801).errors).toEqual([{ path: ["resources", 0], message: expect.stringContaining("copy count 801 is not an integer from 0 to 800") }]);
    expect(loop(-1).errors).toHaveLength(1);
    expect(loop("[parameters('n')]").resources.map((r) => r.id)).toEqual(["resources/0#?"]);
    expect(loop(800).resources).toHaveLength(800);
  });

  test("each nested template may deploy 800 resources of its own; the nested deployment counts in its parent", () => {
    const many = (name: string, count: number) => ({ type: "Microsoft.Network/networkSecurityGroups", name: `[concat('${name}', copyIndex())]`, copy: { name: "c", count }, properties: {} });
    const nested = { type: "Microsoft.Resources/deployments", name: "m", properties: { expressionEvaluationOptions: { scope: "inner" }, template: template({ resources: [many("inner", 800)] }) } };
    const within = resolve([many("outer", 799), nested]);
    expect([within.errors, within.resources.length]).toEqual([[], 1599]);
    expect(resolve([many("outer", 800), nested]).errors).toEqual([{ path: ["resources", 1], message: expect.stringContaining("more than 800 resources in one template") }]);
  });

  test("a partly known name shows its known text", () => {
    const { resources } = resolve([{ type: AKS, name: "[concat('aks-', uniqueString(resourceGroup().id))]", properties: {} }]);
    expect(resources[0].displayName).toBe("aks-{uniqueString()}");
  });
});

describe("Blueprint template artifacts are resolved as their template", () => {
  const inner = template({
    parameters: { private: { type: "bool", defaultValue: false }, zone: { type: "string", defaultValue: "system" } },
    resources: [{ type: AKS, name: "aks", properties: { apiServerAccessProfile: { enablePrivateCluster: "[parameters('private')]", privateDNSZone: "[parameters('zone')]" } } }],
  });
  const artifact = (parameters: Obj) => ({ type: "Microsoft.Blueprint/blueprints/artifacts", kind: "template", name: "aksArtifact", properties: { template: inner, parameters } });

  test("a document: its parameter values apply; one set to a blueprint parameter is known only at assignment; given values win", () => {
    const profile = (params: Map<string, unknown>, parameters: Obj) => (resolveTemplate(artifact(parameters), params, UNKNOWN).resources[0].resource.properties as Obj).apiServerAccessProfile;
    expect(profile(new Map(), { private: { value: true } })).toEqual({ enablePrivateCluster: true, privateDNSZone: "system" });
    expect(profile(new Map(), { private: { value: "[parameters('bpPrivate')]" } })).toEqual({ enablePrivateCluster: UNKNOWN, privateDNSZone: "system" });
    expect(profile(new Map([["private", true]]), { private: { value: false } })).toEqual({ enablePrivateCluster: true, privateDNSZone: "system" });
    expect(resolveTemplate(artifact({}), new Map(), UNKNOWN).resources[0].path).toEqual(["properties", "template", "resources", 0]);
  });

  test("an artifact declared in a template", () => {
    const { resources } = resolveTemplate(template({ resources: [{ ...artifact({ private: { value: "[[parameters('bp')]" }, zone: { value: "none" } }), apiVersion: "2018-11-01-preview" }] }), new Map(), UNKNOWN);
    expect(resources.map((r) => [r.resource.name, (r.resource.properties as Obj).apiServerAccessProfile])).toEqual([["aks", { enablePrivateCluster: UNKNOWN, privateDNSZone: "none" }]]);
  });

  test("an artifact or a nested deployment whose template only the deployment knows is reported, never read as a template", () => {
    const { resources, notJudged } = resolveTemplate(
      template({
        parameters: { t: { type: "object" } },
        resources: [
          { type: "Microsoft.Blueprint/blueprints/artifacts", kind: "template", name: "a", properties: { template: "[parameters('t')]" } },
          { type: "Microsoft.Resources/deployments", name: "d", properties: { template: "[reference('x').template]" } },
        ],
      }),
      new Map(),
      UNKNOWN,
    );
    expect(resources).toEqual([]);
    expect(notJudged.map((n) => n.message)).toEqual([
      "Blueprint template artifact whose template is not given inline; resources inside it are not judged",
      expect.stringMatching(/^nested deployment its template is only known at deployment \(\[reference\('x'\)\.template\]: reference\(\) is only known at deployment\); resources inside it are not judged$/),
    ]);
  });

  test("an artifact of another kind is a resource like any other", () => {
    const { resources } = resolveTemplate(template({ resources: [{ type: "Microsoft.Blueprint/blueprints/artifacts", kind: "policyAssignment", name: "p", properties: {} }] }), new Map(), UNKNOWN);
    expect(resources.map((r) => r.resource.type)).toEqual(["Microsoft.Blueprint/blueprints/artifacts"]);
  });
});
