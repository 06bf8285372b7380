/**
 * ARM template resolution: every case is a small template with the value Resource Manager would
 * deploy written out by hand (from the ARM docs cited in arm-template/index.ts), or `UNKNOWN` where
 * the value is only known at deployment.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveTemplate } from "../../arm-template";
import { PartialString } from "../../azure-policy-engine";
import { readInput } from "../../cli/evaluate/formats";
import { readParameters } from "../../cli/evaluate/parameters";
import { UNKNOWN } from "../../cli/evaluate/unknowns";

const AKS = "Microsoft.ContainerService/managedClusters";
const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
// Made in a hook, not at load: a run that selects none of this file's tests skips afterAll too.
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-arm-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Obj = Record<string, unknown>;
const template = (body: Obj): Obj => ({ $schema: SCHEMA, contentVersion: "1.0.0.0", ...body });
const cluster = (properties: unknown, extra: Obj = {}): Obj => ({ type: AKS, apiVersion: "2024-08-01", name: "aks", properties, ...extra });
/** A partly known string as its text with each hole in braces, so expectations read as Resource Manager would build it. */
const shown = (v: unknown): unknown =>
  v instanceof PartialString ? `partial:${v.toString()}` : Array.isArray(v) ? v.map(shown) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shown(x)])) : v;
/** The deployed resources' `properties.apiServerAccessProfile` (or the named property path). */
function profiles(tpl: Obj, params: Map<string, unknown> = new Map()): unknown[] {
  return resolveTemplate(tpl, params, UNKNOWN)
    .resources.filter((f) => String(f.resource.type).toLowerCase() === AKS.toLowerCase())
    .map((f) => ((f.resource.properties as Obj | string) === UNKNOWN ? UNKNOWN : shown((f.resource.properties as Obj).apiServerAccessProfile)));
}

const cases: [string, Obj, unknown[]][] = [
  [
    "parameter defaults, variables and template functions",
    template({
      parameters: { private: { type: "bool", defaultValue: false }, env: { type: "string", defaultValue: "Prod" } },
      variables: { isProd: "[equals(toLower(parameters('env')), 'prod')]", ranges: "[if(variables('isProd'), createArray('10.0.0.0/24'), createArray())]" },
      resources: [
        cluster({
          apiServerAccessProfile: {
            enablePrivateCluster: "[or(parameters('private'), and(variables('isProd'), not(empty(variables('ranges')))))]",
            authorizedIPRanges: "[variables('ranges')]",
            privateDNSZone: "[format('{0}-{1}', 'zone', toUpper(parameters('env')))]",
            disableRunCommand: "[bool('true')]",
            enablePrivateClusterPublicFQDN: "[contains(concat('a', 'b'), 'b')]",
          },
        }),
      ],
    }),
    [{ enablePrivateCluster: true, authorizedIPRanges: ["10.0.0.0/24"], privateDNSZone: "zone-PROD", disableRunCommand: true, enablePrivateClusterPublicFQDN: true }],
  ],
  [
    "a parameter default of 0.0.0.0/0 is judged, not the expression",
    template({ parameters: { ranges: { type: "array", defaultValue: ["0.0.0.0/0"] } }, resources: [cluster({ apiServerAccessProfile: { authorizedIPRanges: "[parameters('ranges')]" } })] }),
    [{ authorizedIPRanges: ["0.0.0.0/0"] }],
  ],
  [
    "reference(), a parameter without value and deployment functions are unknown; names and IDs the deployment fills in are partly known",
    template({
      parameters: { zone: { type: "string" } },
      resources: [
        cluster({
          apiServerAccessProfile: {
            privateDNSZone: "[parameters('zone')]",
            enablePrivateCluster: "[reference('x').private]",
            subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
            x: "[uniqueString(resourceGroup().id)]",
            y: "[concat('privatelink.', resourceGroup().location, '.azmk8s.io')]",
            z: "[toLower(parameters('zone'))]",
            p: "[and(reference('x').b, false)]",
            q: "[or(reference('x').b, false)]",
            r: "[if(reference('x').b, 1, 2)]",
            s: "[if(true, 1, reference('x').b)]",
            e: "[empty(parameters('zone'))]",
            f: "[equals(parameters('zone'), 'system')]",
            g: "[string(reference('x').b)]",
            k: "[createObject('a', 1)[reference('x').key]]",
          },
        }),
      ],
    }),
    [
      {
        privateDNSZone: UNKNOWN,
        enablePrivateCluster: UNKNOWN,
        subnetId: "partial:/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
        x: "partial:{uniqueString()}",
        y: "partial:privatelink.{resourceGroup().location}.azmk8s.io",
        z: UNKNOWN,
        p: false,
        q: UNKNOWN,
        r: UNKNOWN,
        s: 1,
        e: UNKNOWN,
        f: UNKNOWN,
        g: UNKNOWN,
        k: UNKNOWN,
      },
    ],
  ],
  [
    "resourceId() with an explicit subscription and group, and the [[ escape",
    template({ resources: [cluster({ apiServerAccessProfile: { privateDNSZone: "[resourceId('sub', 'rg', 'Microsoft.Network/privateDnsZones', 'privatelink.westeurope.azmk8s.io')]", literal: "[[not an expression]" } })] }),
    [{ privateDNSZone: "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io", literal: "[not an expression]" }],
  ],
  [
    "condition false is skipped, true and unknown are judged",
    template({
      parameters: { deploy: { type: "bool", defaultValue: false }, maybe: { type: "bool" } },
      resources: [
        cluster({ apiServerAccessProfile: { a: 1 } }, { condition: "[parameters('deploy')]" }),
        cluster({ apiServerAccessProfile: { a: 2 } }, { condition: "[not(parameters('deploy'))]" }),
        cluster({ apiServerAccessProfile: { a: 3 } }, { condition: "[parameters('maybe')]" }),
      ],
    }),
    [{ a: 2 }, { a: 3 }],
  ],
  ["properties given as one expression", template({ variables: { props: { apiServerAccessProfile: { enablePrivateCluster: true } } }, resources: [cluster("[variables('props')]")] }), [{ enablePrivateCluster: true }]],
  [
    "an unknown member of createObject() leaves its siblings known",
    template({ resources: [cluster("[createObject('apiServerAccessProfile', createObject('enablePrivateCluster', true(), 'subnetId', reference('net').id), 'pools', createArray(reference('p').x, 1))]")] }),
    [{ enablePrivateCluster: true, subnetId: UNKNOWN }],
  ],
  ["properties from reference() are wholly unknown", template({ resources: [cluster("[reference('other').properties]")] }), [UNKNOWN]],
  [
    "envelope keys in any casing",
    { $SCHEMA: SCHEMA, CONTENTVERSION: "1.0.0.0", PARAMETERS: { P: { TYPE: "bool", DEFAULTVALUE: true } }, RESOURCES: [{ TYPE: AKS, NAME: "aks", PROPERTIES: { apiServerAccessProfile: { enablePrivateCluster: "[parameters('p')]" } } }] },
    [],
  ],
  [
    "resource copy loop with copyIndex()",
    template({ resources: [cluster({ apiServerAccessProfile: { index: "[copyIndex(1)]" } }, { name: "[concat('aks', copyIndex())]", copy: { name: "loop", count: 3 } })] }),
    [{ index: 1 }, { index: 2 }, { index: 3 }],
  ],
  [
    "property copy loop",
    template({ resources: [cluster({ apiServerAccessProfile: { copy: [{ name: "authorizedIPRanges", count: 2, input: "[concat('10.0.', string(copyIndex('authorizedIPRanges')), '.0/24')]" }] } })] }),
    [{ authorizedIPRanges: ["10.0.0.0/24", "10.0.1.0/24"] }],
  ],
  [
    "languageVersion 2.0 symbolic names; existing resources are not deployed",
    {
      $schema: SCHEMA,
      languageVersion: "2.0",
      contentVersion: "1.0.0.0",
      resources: { vnet: { type: "Microsoft.Network/virtualNetworks", apiVersion: "2023-04-01", name: "v", existing: true }, aks: cluster({ apiServerAccessProfile: { enablePrivateCluster: true } }) },
    },
    [{ enablePrivateCluster: true }],
  ],
  [
    "nested deployment, inner scope: its own parameters, given by the parent",
    template({
      parameters: { private: { type: "bool", defaultValue: true } },
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          apiVersion: "2022-09-01",
          name: "module",
          properties: {
            expressionEvaluationOptions: { scope: "inner" },
            mode: "Incremental",
            parameters: { enablePrivate: { value: "[parameters('private')]" } },
            template: template({
              parameters: { enablePrivate: { type: "bool" }, private: { type: "bool", defaultValue: false } },
              resources: [cluster({ apiServerAccessProfile: { a: "[parameters('enablePrivate')]", b: "[parameters('private')]" } })],
            }),
          },
        },
      ],
    }),
    [{ a: true, b: false }],
  ],
  [
    "nested deployment, outer scope (the default): the parent's parameters",
    template({
      parameters: { private: { type: "bool", defaultValue: true } },
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          apiVersion: "2022-09-01",
          name: "nested",
          properties: { mode: "Incremental", template: template({ parameters: { private: { type: "bool", defaultValue: false } }, resources: [cluster({ apiServerAccessProfile: { b: "[parameters('private')]" } })] }) },
        },
      ],
    }),
    [{ b: true }],
  ],
  [
    "nested deployment whose template is an expression (Bicep loadJsonContent)",
    template({
      variables: { "$fxv#0": template({ parameters: { p: { type: "bool" } }, resources: [cluster({ apiServerAccessProfile: { a: "[[parameters('p')]" } })] }) },
      resources: [{ type: "Microsoft.Resources/deployments", name: "m", properties: { expressionEvaluationOptions: { scope: "inner" }, parameters: { p: { value: true } }, template: "[variables('$fxv#0')]" } }],
    }),
    [{ a: true }],
  ],
  [
    "nested deployment parameters given as one expression, and nullable parameters without a value",
    template({
      parameters: { private: { type: "bool", defaultValue: true } },
      resources: [
        {
          type: "Microsoft.Resources/deployments",
          name: "m",
          properties: {
            expressionEvaluationOptions: { scope: "Inner" },
            parameters: { zone: "[if(parameters('private'), createObject('value', 'none'), createObject('value', null()))]", other: "[createObject('value', reference('x').y)]" },
            template: template({
              parameters: { zone: { type: "string", nullable: true }, other: { type: "string" }, ranges: { type: "array", nullable: true } },
              resources: [cluster({ apiServerAccessProfile: { privateDNSZone: "[parameters('zone')]", o: "[parameters('other')]", authorizedIPRanges: "[parameters('ranges')]" } })],
            }),
          },
        },
      ],
    }),
    [{ privateDNSZone: "none", o: UNKNOWN, authorizedIPRanges: null }],
  ],
  [
    "a child resource gets its parent's type prefix",
    template({ resources: [{ type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAccessProfile: { x: 1 } }, resources: [{ type: "agentPools", name: "pool", properties: {} }] }] }),
    [{ x: 1 }],
  ],
];

test.each(cases)("%s", (_name, tpl, expected) => {
  if (_name.startsWith("envelope keys")) {
    // Upper-case keys: the resource is found and its parameter resolved.
    const [found] = resolveTemplate(tpl, new Map(), UNKNOWN).resources;
    expect((found.resource.PROPERTIES as Obj).apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
    return;
  }
  expect(profiles(tpl)).toEqual(expected);
});

test("unknown values name the expression they come from", () => {
  const tpl = template({
    parameters: { zone: { type: "string" } },
    resources: [cluster({ apiServerAccessProfile: { privateDNSZone: "[parameters('zone')]", enablePrivateCluster: "[reference('x').private]", subnetId: "[createObject('a', 1)[reference('x').key]]" } })],
  });
  const [found] = resolveTemplate(tpl, new Map(), UNKNOWN).resources;
  expect(found.unknowns).toEqual([
    { path: "properties.apiServerAccessProfile.privateDNSZone", reason: expect.stringContaining("[parameters('zone')]") },
    { path: "properties.apiServerAccessProfile.enablePrivateCluster", reason: expect.stringMatching(/\[reference\('x'\)\.private\].*reference\(\)/) },
    // A member whose key is unknown is unknown for the key's reason (not an error about the member).
    { path: "properties.apiServerAccessProfile.subnetId", reason: "[createObject('a', 1)[reference('x').key]]: reference() is only known at deployment" },
  ]);
});

test("a child resource's full type and name", () => {
  const tpl = template({ resources: [{ type: AKS, name: "aks", properties: {}, resources: [{ type: "agentPools", name: "pool", properties: {} }] }] });
  expect(resolveTemplate(tpl, new Map(), UNKNOWN).resources.map((f) => [f.resource.type, f.resource.name])).toEqual([
    [AKS, "aks"],
    [`${AKS}/agentPools`, "aks/pool"],
  ]);
});

test("a linked template is reported, not silently skipped", () => {
  const tpl = template({ resources: [{ type: "Microsoft.Resources/deployments", name: "linked", properties: { templateLink: { uri: "https://example.com/t.json" } } }] });
  expect(resolveTemplate(tpl, new Map(), UNKNOWN).notJudged.map((w) => w.message)).toEqual([expect.stringContaining("https://example.com/t.json")]);
});

describe("parameters from outside", () => {
  const tpl = template({
    parameters: { private: { type: "bool", defaultValue: false }, ranges: { type: "array" }, count: { type: "int", defaultValue: 1 }, secret: { type: "securestring" } },
    resources: [cluster({ apiServerAccessProfile: { enablePrivateCluster: "[parameters('private')]", authorizedIPRanges: "[parameters('ranges')]", n: "[add(parameters('count'), 1)]", s: "[parameters('secret')]" } })],
  });

  test("a deploymentParameters file, then name=value overrides typed by the declaration; later wins", () => {
    const file = path.join(tmp, "params.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        contentVersion: "1.0.0.0",
        parameters: { ranges: { value: ["1.2.3.0/24"] }, private: { value: false }, secret: { reference: { keyVault: { id: "kv" }, secretName: "s" } } },
      }),
    );
    const params = readParameters([file, "PRIVATE=true", "count=41"]);
    expect(profiles(tpl, params)).toEqual([{ enablePrivateCluster: true, authorizedIPRanges: ["1.2.3.0/24"], n: 42, s: UNKNOWN }]);
  });

  test("@file is a file, and a name=value override beats a file given before it", () => {
    const file = path.join(tmp, "bare.json");
    fs.writeFileSync(file, JSON.stringify({ parameters: { ranges: { value: ["1.2.3.0/24"] } } }));
    expect(profiles(tpl, readParameters([`@${file}`, 'ranges=["9.9.9.0/24"]']))).toEqual([{ enablePrivateCluster: false, authorizedIPRanges: ["9.9.9.0/24"], n: 2, s: UNKNOWN }]);
  });
});

describe("files", () => {
  test("// and /* */ comments are accepted, and each resource knows its line and column", () => {
    const file = path.join(tmp, "commented.json");
    fs.writeFileSync(
      file,
      `{\n  // a comment ARM accepts\n  "$schema": "${SCHEMA}",\n  "contentVersion": "1.0.0.0",\n  /* block */\n  "resources": [\n    { "type": "${AKS}", "name": "a", "properties": {} },\n      {\n        "type": "${AKS}", "name": "b", "properties": {} }\n  ]\n}\n`,
    );
    const { resources } = readInput(file);
    expect(resources.map((r) => [r.name, r.position])).toEqual([
      ["a", { line: 7, column: 5 }],
      ["b", { line: 8, column: 7 }],
    ]);
  });

  test("what-if output: the `after` of resources that will exist", () => {
    const file = path.join(tmp, "whatif.json");
    const after = (name: string) => ({ id: `/subscriptions/s/resourceGroups/g/providers/${AKS}/${name}`, type: AKS, name, apiVersion: "2024-08-01", properties: { apiServerAccessProfile: { enablePrivateCluster: true } } });
    fs.writeFileSync(
      file,
      JSON.stringify({
        status: "Succeeded",
        changes: [
          { resourceId: "x", changeType: "Create", after: after("created"), before: null },
          { resourceId: "y", changeType: "Delete", before: after("deleted"), after: null },
          { resourceId: "z", changeType: "Modify", after: after("modified"), before: after("modified") },
          { resourceId: "w", changeType: "Ignore", after: after("ignored"), before: after("ignored") },
        ],
      }),
    );
    expect(readInput(file).resources.map((r) => r.name)).toEqual(["created", "modified"]);
  });
});
