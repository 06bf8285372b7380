/**
 * Every operator's Azure Policy rendering decides as its reference semantics does, value by value,
 * under the local Azure Policy evaluator, and yields `azureWhenAbsent` for an absent property. The
 * table covers every operator in core/operators (a new operator without operands here fails the
 * first test), whether or not a catalog rule uses it yet.
 */
import { compilePolicy } from "../../azure-policy-engine";
import { operator, OPERATOR_NAMES } from "../../core/operators";
import type { FieldType } from "../../core/targets";

const ZONE = (name: string) => `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/${name}`;

/** Values a property of each type may hold on a real resource, the awkward ones included. */
const VALUES: Record<FieldType, unknown[]> = {
  boolean: [true, false, "true", "False", "TRUE", "yes", "", 0, 1],
  string: [
    "System",
    "system",
    "None",
    "",
    " ",
    "22",
    "3389",
    "*",
    "20-25",
    "3300-3400",
    "21-21",
    "1-65535",
    "0022",
    "22-",
    "-22",
    "22-23-24",
    "x",
    "privatelink.eastus.azmk8s.io",
    "sub.privatelink.eastus.azmk8s.io",
    "private.eastus.azmk8s.io",
    "a.b.private.eastus.azmk8s.io",
    "privatelink.eastus.cx.aks.containerservice.azure.us",
    "private.chinaeast2.cx.prod.service.azk8s.cn",
    "privatelink.eastus.azmk8s.io.evil.com",
    "privatelink..azmk8s.io",
    ".privatelink.eastus.azmk8s.io",
    "eastus.azmk8s.io",
    "PrivateLink.EastUS.AZMK8S.IO",
    ZONE("privatelink.eastus.azmk8s.io"),
    ZONE("Sub.PrivateLink.EastUS.azmk8s.io"),
    ZONE("private.eastus.azmk8s.io"),
    ZONE("x.y.private.eastus.azmk8s.io"),
    ZONE("privatelink.usgovvirginia.cx.aks.containerservice.azure.us"),
    ZONE("private.chinaeast2.cx.prod.service.azk8s.cn"),
    ZONE("privatelink.eastus.azmk8s.io.evil.com"),
    ZONE("privatelink.eastus.example.com"),
    ZONE("eastus.azmk8s.io"),
    ZONE("a.b.c.privatelink.eastus.azmk8s.io"),
    "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/dnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/",
    "/subscriptions/0000//resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroups//providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscription/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroup/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroups/rg/provider/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Networks/privateDnsZones/privatelink.eastus.azmk8s.io",
    "x/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io",
    "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io/extra",
    "00000000000000000000022",
    "00000000022",
    "22-30",
    "3389-3389",
    ["22"],
    "0000000000022-00000000000023",
    // Network security rule sources around the internet test's edges.
    "Internet",
    " ANY ",
    "VirtualNetwork",
    "0.0.0.0",
    "0.0.0.0/0",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "8.0.0.0/6",
    "10.0.0.0/8",
    "10.0.0.0/7",
    "010.0.0.0/6",
    "172.16.0.0/12",
    "172.32.0.0/11",
    "100.64.0.0/10",
    "100.128.0.0/10",
    "192.168.0.0/16",
    "192.169.0.0/15",
    "198.51.100.0/24",
    "198.51.100.0/23",
    "224.0.0.0/3",
    "224.0.0.0/2",
    "10.0.0.0/33",
    "10.0.0.0/x",
    "a/b/c",
    "::/0",
    "2000::/3",
    "fc00::/7",
    "FE80::/10",
    "4000::/2",
    "200::/6",
    "12345::/1",
    "::ffff:0.0.0.0/96",
    // Subzone labels at the documented 32-character limit and one past it.
    ZONE(`${"a".repeat(32)}.privatelink.eastus.azmk8s.io`),
    ZONE(`${"a".repeat(33)}.privatelink.eastus.azmk8s.io`),
    `${"b".repeat(32)}.private.eastus.azmk8s.io`,
    `${"b".repeat(33)}.private.eastus.azmk8s.io`,
    5,
    22,
    true,
  ],
  stringArray: [
    "10.0.0.0/8",
    "0.0.0.0/0",
    5,
    {},
    [],
    [""],
    [" ", ""],
    ["10.0.0.0/8"],
    ["10.0.0.0/24"],
    ["10.0.0.0/23"],
    ["203.0.113.7/32", "10.0.0.0/16"],
    ["0.0.0.0/0"],
    ["0.0.0.0"],
    ["0.0.0.0/32"],
    ["::/0"],
    ["::ffff:0.0.0.0/96"],
    ["2001:db8::/120"],
    ["2001:db8::/64"],
    ["203.0.113.7"],
    ["10.0.0.0/33"],
    ["10.0.0.0/024"],
    ["10.0.0.0/"],
    ["10.0.0.0/x"],
    [" 10.0.0.0/16 "],
    ["22"],
    ["3389", "80"],
    ["*"],
    ["20-25"],
    ["23-3388"],
    ["Internet"],
    ["internet", "10.0.0.0/8"],
    ["VirtualNetwork"],
    ["0.0.0.0/1", "128.0.0.0/1"],
    ["10.0.0.0/8", "fc00::/7", "172.16.0.0/12"],
    ["192.168.0.0/16", "2000::/3"],
    [5],
    [null],
  ],
  objectArray: [],
  // Tags: set, unset, in other casings, empty, null, not an object.
  stringMap: [
    { role: "jumpbox" },
    { Role: "JumpBox" },
    { ROLE: "jumpbox", env: "prod" },
    { role: "web" },
    { role: "" },
    { role: null },
    { env: "prod" },
    { "role=jumpbox": "x" },
    { a: "b=c" },
    { "it's": "x", "[role]": "jumpbox" },
    {},
    null,
    "role=jumpbox",
    ["role"],
    5,
  ],
};

/** Operands per operator, from the operator's own domain (a port list for ports, DNS suffixes for zones). */
const OPERANDS: Record<string, unknown[]> = {
  equals: [true, false, "System", "none"],
  notEquals: [true, false, "System", "none"],
  notIn: [["System", "None"], [true], ["private"]],
  isEmpty: [true, false],
  anyBroaderThan: [1, 16, 24, 32],
  validAksPrivateDnsZoneId: [true, false],
  notPrivateLinkZoneId: [["azmk8s.io"], ["azmk8s.io", "cx.aks.containerservice.azure.us", "cx.prod.service.azk8s.cn"], [], [5, "", "AZMK8S.IO"]],
  notVnetIntegrationZoneId: [["azmk8s.io"], ["azmk8s.io", "cx.aks.containerservice.azure.us", "cx.prod.service.azk8s.cn"], [], [5, "", "AZMK8S.IO"]],
  anyIn: [["internet", "*", "0.0.0.0/0"], ["10.0.0.0/8"]],
  coversPort: [[22, 3389], [22], [25]],
  anyCoversPort: [[22, 3389], [22], [25]],
  aksPrivateDnsZoneName: [true, false],
  admitsInternet: [1, 8, 16, 24, 32, 0],
  anyAdmitsInternet: [1, 8, 16, 24, 32, 0],
  hasTag: ["role=jumpbox", "role", "ROLE=JUMPBOX", "role=", "=jumpbox", "a=b=c", "env", "it's=x", "x[role]=jumpbox", 'say"=x'],
  in: [["System", "None"], [true], ["private"], "[parameters('allowed')]"],
};

const TYPE = "Microsoft.Test/things";
/** Where a value of each field type sits: a property, or (tags) Azure Policy's built-in `tags` field. */
const aliasOf = (type: FieldType) => (type === "stringMap" ? "tags" : "properties.probe");
const place = (type: FieldType, value: unknown): object => (type === "stringMap" ? { tags: value, properties: {} } : { properties: { probe: value } });
/** A parameter operand (`[parameters('allowed')]`) and the value the test assigns it. */
const PARAMETER_VALUES = { allowed: ["System", "private"] };
const resolved = (operand: unknown) => (operand === "[parameters('allowed')]" ? PARAMETER_VALUES.allowed : operand);

function azureMatches(condition: object, resource: object): boolean {
  const policy = compilePolicy({
    properties: { mode: "All", parameters: { allowed: { type: "Array" } }, policyRule: { if: { allOf: [{ field: "type", equals: TYPE }, condition] }, then: { effect: "deny" } } },
  });
  const result = policy({ type: TYPE, name: "thing", location: "eastus", ...resource }, { parameters: PARAMETER_VALUES });
  if (result.error) throw new Error(`${JSON.stringify(condition)} on ${JSON.stringify(resource)}: ${result.error}`);
  return result.effect === "deny";
}

const rows = OPERATOR_NAMES.flatMap((name) => {
  const op = operator(name);
  return op.fieldTypes.flatMap((type) => (OPERANDS[name] ?? []).flatMap((operand) => VALUES[type].map((value) => [name, type, operand, value] as const)));
});

test("every operator has values and operands to be checked with", () => {
  const unchecked = OPERATOR_NAMES.filter((name) => !rows.some(([n]) => n === name));
  expect(unchecked).toEqual([]);
});

describe.each(OPERATOR_NAMES.map((name) => [name]))("%s", (name) => {
  test.each(rows.filter(([n]) => n === name).map(([, type, operand, value]) => [type, JSON.stringify(operand), JSON.stringify(value), operand, value] as const))(
    "%s with operand %s: Azure Policy decides %s as the reference semantics",
    (_type, _operandText, _valueText, operand, value) => {
      const op = operator(name);
      const reference = op.evaluate(value, resolved(operand));
      expect(typeof reference).toBe("boolean");
      expect(azureMatches(op.azure(aliasOf(_type), operand), place(_type, value))).toBe(reference);
    },
  );

  test.each((OPERANDS[name] ?? []).map((operand) => [JSON.stringify(operand), operand]))("operand %s: an absent property yields azureWhenAbsent", (_text, operand) => {
    const op = operator(name);
    const type = op.fieldTypes[0];
    expect(azureMatches(op.azure(aliasOf(type), operand), type === "stringMap" ? { properties: {} } : { properties: {} })).toBe(op.azureWhenAbsent(operand));
  });
});
