// The documented policy-language rules, one table row each, citing the Microsoft Learn page:
//   [rule]   "Azure Policy definition structure policy rule"
//   [arrays] "Author policies for array properties on Azure resources"
//   [arm]    "ARM template functions" (logical, string)
//   [aine]   "Azure Policy definitions auditIfNotExists effect"
// Rows marked [conformance] pin behaviour the docs leave open, with the regorus case that settles it;
// the rows of regorus-settled.ts do the same with the verdict Microsoft's regorus engine gives.

import fc from "fast-check";
import { compilePolicy, evaluatePolicy, type AliasCatalog, type EvaluateOptions } from "../../azure-policy-engine";
import { SETTLED } from "./regorus-settled";

const rule = (condition: object) => ({ if: condition, then: { effect: "audit" } });
const applies = (condition: object, resource: object, options?: EvaluateOptions) => {
  const result = evaluatePolicy(rule(condition), resource, options);
  expect(result.error).toBeUndefined();
  return result.matched;
};

type Row = [doc: string, condition: object, resource: object, expected: boolean];

const table = (rows: Row[]) => test.each(rows)("%s", (_doc, condition, resource, expected) => expect(applies(condition, resource)).toBe(expected));

describe("exists", () => {
  table([
    ["[rule] exists: an empty array exists", { field: "properties.items", exists: true }, { properties: { items: [] } }, true],
    ["[rule] exists: an empty string exists", { field: "properties.label", exists: true }, { properties: { label: "" } }, true],
    ["[rule] exists: false exists", { field: "properties.enabled", exists: true }, { properties: { enabled: false } }, true],
    ["[rule] exists: null does not exist", { field: "properties.label", exists: true }, { properties: { label: null } }, false],
    ["[rule] exists: an absent property does not exist", { field: "properties.label", exists: "false" }, { properties: {} }, true],
    ["[rule] exists: an absent parent does not exist", { field: "properties.a.b", exists: false }, {}, true],
  ]);
});

describe("[*] in a field condition means every member", () => {
  const allowed = { field: "properties.rules[*].action", equals: "Allow" };
  table([
    ["[arrays] all members must match", allowed, { properties: { rules: [{ action: "Allow" }, { action: "Deny" }] } }, false],
    ["[arrays] ...and do", allowed, { properties: { rules: [{ action: "Allow" }, { action: "allow" }] } }, true],
    ["[arrays] an empty array is vacuously true", allowed, { properties: { rules: [] } }, true],
    ["[conformance implicit_allof/allof_missing_array_is_false] an absent array acts as an absent value", allowed, { properties: {} }, false],
    ["[conformance] ...so exists:false holds for it", { field: "properties.rules[*].action", exists: false }, { properties: {} }, true],
    ["[arrays] not(... notEquals) means some member equals", { not: { field: "properties.ports[*]", notEquals: "*" } }, { properties: { ports: ["80", "*"] } }, true],
    ["[arrays] nested [*] flattens", { field: "properties.groups[*].tags[*]", notEquals: "bad" }, { properties: { groups: [{ tags: ["a"] }, { tags: ["bad"] }] } }, false],
  ]);
});

describe("case-insensitivity", () => {
  table([
    ["[rule] equals is case-insensitive", { field: "type", equals: "microsoft.compute/VIRTUALMACHINES" }, { type: "Microsoft.Compute/virtualMachines" }, true],
    ["[rule] in is case-insensitive", { field: "location", in: ["EASTUS"] }, { location: "eastus" }, true],
    ["[rule] like is case-insensitive", { field: "name", like: "PROD-*" }, { name: "prod-vm" }, true],
    ["[rule] contains is case-insensitive", { field: "name", contains: "PROD" }, { name: "my-prod-vm" }, true],
    ["[rule] containsKey is case-insensitive", { field: "tags", containsKey: "Env" }, { tags: { env: "x" } }, true],
    ["[rule] match is case-sensitive", { field: "name", match: "abc-##" }, { name: "ABC-12" }, false],
    ["[rule] matchInsensitively is not", { field: "name", matchInsensitively: "abc-##" }, { name: "ABC-12" }, true],
    ["[rule] notMatch is case-sensitive", { field: "name", notMatch: "abc-##" }, { name: "ABC-12" }, true],
    ["[rule] notMatchInsensitively is not", { field: "name", notMatchInsensitively: "abc-##" }, { name: "ABC-12" }, false],
    ["[rule] match: # digit, ? letter, . anything", { field: "name", match: "?#.x" }, { name: "a1-x" }, true],
    ["[rule] match: # takes 0 and 9", { field: "name", match: "#-#" }, { name: "0-9" }, true],
    ["[rule] match: # takes no letter", { field: "name", match: "#" }, { name: "a" }, false],
    ["[rule] match: # takes no character below 0", { field: "name", match: "#" }, { name: "/" }, false],
    ["[rule] match: the text must be as long as the pattern", { field: "name", match: "ab" }, { name: "abc" }, false],
    ["[rule] like: * takes a run that repeats the character before it", { field: "name", like: "x*y" }, { name: "xxy" }, true],
    ["[rule] string ordering is case-insensitive (InvariantCultureIgnoreCase)", { field: "name", greaterOrEquals: "HELLO" }, { name: "hello" }, true],
    ["[conformance casing/property_key_case_insensitive] property keys match case-insensitively", { field: "properties.httpsOnly", equals: true }, { properties: { HttpsOnly: true } }, true],
    ["[conformance casing/tag_name_case_insensitive_*] tag names match case-insensitively", { field: "tags['CostCenter']", equals: "x" }, { tags: { costcenter: "x" } }, true],
    ["[conformance casing/equals_unicode_sharp_s] full case folding", { field: "name", equals: "STRASSE" }, { name: "Straße" }, true],
  ]);
});

describe("type coercion", () => {
  table([
    ["[conformance type_coercion] 'true' equals true", { field: "properties.f", equals: true }, { properties: { f: "true" } }, true],
    ["[conformance type_coercion] 'TRUE' equals true", { field: "properties.f", equals: true }, { properties: { f: "TRUE" } }, true],
    ["[conformance type_coercion] 'yes' does not equal true", { field: "properties.f", equals: true }, { properties: { f: "yes" } }, false],
    ["[conformance type_coercion] '80' equals 80", { field: "properties.port", equals: 80 }, { properties: { port: "80" } }, true],
    ["[conformance type_coercion] '8080' greater 1024 compares numerically", { field: "properties.port", greater: 1024 }, { properties: { port: "8080" } }, true],
    ["[rule] exists takes the string 'true'", { field: "properties.x", exists: "true" }, { properties: { x: 1 } }, true],
    ["[conformance operators/equals_null] an absent field equals null", { field: "properties.x", equals: null }, { properties: {} }, true],
  ]);

  test.each(SETTLED)("[regorus] %s", (_label, condition, matched) => expect(applies(condition, {})).toBe(matched));

  test.each([
    ["an object and a number", { a: 1 }, 5],
    ["a boolean and a number", true, 0],
    ["a number and a boolean", 1, true],
    ["text and a boolean", "abc", true],
  ])("[rule] less/greater on mismatched types is an evaluation error: %s", (_types, x, operand) => {
    expect(evaluatePolicy(rule({ field: "properties.x", greater: operand }), { properties: { x } }).error).toBe(`evaluation error: cannot compare ${JSON.stringify(x)} with ${JSON.stringify(operand)}`);
  });
});

// [rule] lists "dateValue" as an operand of less, lessOrEquals, greater and greaterOrEquals, beside
// "stringValue" and intValue: ISO 8601 dates compare as the instants they name. regorus compares
// their text instead, which orders offsets wrongly; these rows follow the docs.
describe("dates compare as instants", () => {
  table([
    ["[rule] a later offset can be the earlier instant", { field: "properties.start", less: "2024-01-01T00:00:00Z" }, { properties: { start: "2024-01-01T00:30:00+01:00" } }, true],
    ["[rule] ...and an earlier text the later instant", { field: "properties.start", greater: "2024-01-01T20:00:00Z" }, { properties: { start: "2024-01-02T00:00:00+05:00" } }, false],
  ]);
});

describe("fields", () => {
  table([
    ["[rule] tags['name'] with punctuation", { field: "tags['Acct.CostCenter']", equals: "1" }, { tags: { "Acct.CostCenter": "1" } }, true],
    ["[rule] tags['''name'''] escapes apostrophes", { field: "tags['''My.Tag''']", equals: "1" }, { tags: { "'My.Tag'": "1" } }, true],
    ["[rule] tags.name", { field: "tags.env", equals: "prod" }, { tags: { env: "prod" } }, true],
    ["[rule] location is normalized: 'East US 2' equals eastus2", { field: "location", in: ["eastus2"] }, { location: "East US 2" }, true],
    ["[rule] fullName (defaults to name)", { field: "fullName", equals: "server/db" }, { name: "server/db" }, true],
    ["[rule] tags[<name>]: spaces around an unquoted name are dropped (regorus agrees)", { field: "tags[ env ]", equals: "x" }, { tags: { env: "x" } }, true],
    ["[rule] ...a name with digits is a name (regorus agrees)", { field: "tags[a1]", equals: "x" }, { tags: { a1: "x" } }, true],
    ["[rule] ...also when it starts with them (regorus agrees)", { field: "tags[1a]", equals: "x" }, { tags: { "1a": "x" } }, true],
    ["[rule] [n] is an index, of any number of digits", { field: "properties.l[10]", equals: 10 }, { properties: { l: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }, true],
    ["[rule] a key in its exact casing wins over another casing (regorus agrees)", { field: "tags.env", equals: "b" }, { tags: { Env: "a", env: "b" } }, true],
    ["[rule] keys match by ordinal case (İ is not i̇; regorus agrees)", { field: "tags['i̇']", exists: false }, { tags: { İ: "x" } }, true],
    ["[rule] tags.<name>: the rest of the path is the tag name, dots and all (regorus agrees)", { field: "Tags.cost.center", equals: "x" }, { tags: { "cost.center": "x" } }, true],
    ["[rule] ...only for tags: other dotted paths go down the object", { field: "properties.a.b", equals: 1 }, { properties: { a: { b: 1 } } }, true],
    ["[rule] ...and only for the top-level tags: properties.tags.a.b goes down the object too", { field: "properties.tags.a.b", equals: 1 }, { properties: { tags: { a: { b: 1 } } } }, true],
    ["[rule] tags['<name>'] may hold ] in quotes (regorus agrees)", { field: "tags['a]b']", equals: "x" }, { tags: { "a]b": "x" } }, true],
    ["[rule] ...in double quotes too (regorus agrees)", { field: 'tags["a]b"]', equals: "x" }, { tags: { "a]b": "x" } }, true],
    ["[rule] ...only as the whole field: fullName.x is a path like any other", { field: "fullName.x", exists: false }, { name: "server/db" }, true],
    ["[rule] ...and only fullName falls back to the name: an absent location does not exist", { field: "location", exists: false }, { name: "server/db" }, true],
    [
      "[rule] kind and id",
      {
        allOf: [
          { field: "kind", equals: "StorageV2" },
          { field: "id", like: "/subscriptions/*" },
        ],
      },
      { kind: "StorageV2", id: "/subscriptions/s/x" },
      true,
    ],
    ["[rule] an alias is properties + the part after the type", { field: "Microsoft.Storage/storageAccounts/networkAcls.defaultAction", equals: "Deny" }, { properties: { networkAcls: { defaultAction: "Deny" } } }, true],
    [
      "legacy alias apiServerAuthorizedIPRanges[*] reads apiServerAccessProfile.authorizedIPRanges",
      { field: "Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]", equals: "10.0.0.0/8" },
      { properties: { apiServerAccessProfile: { authorizedIPRanges: ["10.0.0.0/8"] } } },
      true,
    ],
  ]);
});

describe("count", () => {
  const nsg = {
    properties: {
      securityRules: [{ properties: { direction: "Inbound", access: "Allow", destinationPortRange: "3389" } }, { properties: { direction: "Inbound", access: "Deny", destinationPortRange: "22" } }],
    },
  };
  const rules = "properties.securityRules[*]";
  table([
    ["[rule] count without where is the array length", { count: { field: rules }, equals: 2 }, nsg, true],
    ["[rule] count of an absent array is 0", { count: { field: rules }, equals: 0 }, {}, true],
    ["[arrays] in where, an indexed path into the counted array reads the resource, not the member", { count: { field: rules, where: { field: "properties.securityRules[0].properties.access", equals: "Allow" } }, equals: 2 }, nsg, true],
    [
      "[arrays] ...as does a [*] path into another array whose name runs on from it",
      { count: { field: "properties.ab[*]", where: { field: "properties.a.b[*].c", equals: 5 } }, equals: 1 },
      { properties: { ab: [{ x: 1 }], a: { b: [{ c: 5 }] } } },
      true,
    ],
    [
      "[arrays] ...and one through another index of the counted array's parent",
      { count: { field: "properties.a[0].b[*]", where: { field: "properties.a[1].b[*].c", equals: 5 } }, equals: 1 },
      { properties: { a: [{ b: [{ c: 1 }] }, { b: [{ c: 5 }] }] } },
      true,
    ],
    [
      "[arrays] ...and one whose index runs on into another name",
      { count: { field: "properties.a[0].b[*]", where: { field: "properties.a0.b[*].c", equals: 5 } }, equals: 1 },
      { properties: { a: [{ b: [{ x: 1 }] }], a0: { b: [{ c: 5 }] } } },
      true,
    ],
    [
      "[rule] where evaluates each member alone (example 5)",
      {
        count: {
          field: rules,
          where: {
            allOf: [
              { field: `${rules}.properties.access`, equals: "Allow" },
              { field: `${rules}.properties.destinationPortRange`, equals: "3389" },
            ],
          },
        },
        equals: 1,
      },
      nsg,
      true,
    ],
    ["[arrays] where can read fields outside the array", { count: { field: rules, where: { field: "tags.env", equals: "prod" } }, equals: 2 }, { ...nsg, tags: { env: "prod" } }, true],
    [
      "[arrays] nested count: value2's nestedArray has a member equal to 3",
      {
        count: {
          field: "properties.objectArray[*]",
          where: {
            allOf: [
              { field: "properties.objectArray[*].property", equals: "value2" },
              { count: { field: "properties.objectArray[*].nestedArray[*]", where: { field: "properties.objectArray[*].nestedArray[*]", equals: 3 } }, greater: 0 },
            ],
          },
        },
        equals: 1,
      },
      {
        properties: {
          objectArray: [
            { property: "value1", nestedArray: [1, 2] },
            { property: "value2", nestedArray: [3, 4] },
          ],
        },
      },
      true,
    ],
    ["[arrays] field() of the counted alias inside where is a one-member array", { count: { field: "properties.a[*]", where: { value: "[field('properties.a[*]')]", equals: ["x"] } }, equals: 1 }, { properties: { a: ["x", "y"] } }, true],
    ["[rule] value count with name and current('name')", { count: { value: ["prefix1_*", "prefix2_*"], name: "pattern", where: { field: "name", like: "[current('pattern')]" } }, greater: 0 }, { name: "prefix2_vm" }, true],
    [
      "[rule] current('<alias>.property') of a member lacking it is null, not an error",
      { count: { field: "properties.a[*]", where: { value: "[current('properties.a[*].x')]", equals: null } }, equals: 1 },
      { properties: { a: [{ x: 1 }, {}] } },
      true,
    ],
    ["[rule] current() without a name in a value count", { count: { value: ["a", "b"], where: { value: "[current()]", equals: "b" } }, equals: 1 }, {}, true],
    [
      "[rule] current('<alias>') in a field count, and a field count nested in a value count (example 5)",
      {
        count: {
          value: [{ access: "allow", port: "3389" }],
          name: "reserved",
          where: {
            count: {
              field: rules,
              where: {
                allOf: [
                  { field: `${rules}.properties.access`, equals: "[current('reserved').access]" },
                  { value: `[current('${rules}').properties.destinationPortRange]`, equals: "[current('reserved').port]" },
                ],
              },
            },
            equals: 1,
          },
        },
        equals: 1,
      },
      nsg,
      true,
    ],
  ]);
});

describe("expressions in values", () => {
  table([
    ["[arm] only text that starts with [ and ends with ] is an expression", { value: "[not an expression", equals: "[not an expression" }, {}, true],
    ["[arm] [[ escapes a literal [", { value: "[[ab]", like: "?ab]" }, {}, true],
    ["[rule] expressions inside an object value are evaluated", { value: { a: "[concat('x', 'y')]", b: ["[toUpper(field('name'))]"] }, equals: { a: "xy", b: ["AKS"] } }, { name: "aks" }, true],
    ["[arm] number literals: several digits, a fraction, a leading point, a sign", { value: "[createArray(12.5, .25, -3)]", equals: [12.5, 0.25, -3] }, {}, true],
    ["[arm] a property of a function's result", { value: "[field('tags').env]", equals: "prod" }, { tags: { env: "prod" } }, true],
  ]);
});

describe("current() names a count", () => {
  // The name is computed (field() is not constant), so it is looked up when evaluated, not bound once.
  const computedName = "[current(if(equals(field('type'), 'x'), 'outer', 'inner'))]";
  table([
    [
      "[rule] current('<name>') reads that count's member, not the innermost one",
      { count: { value: [10], name: "outer", where: { count: { value: [1], name: "inner", where: { value: computedName, equals: 10 } }, equals: 1 } }, equals: 1 },
      { type: "x" },
      true,
    ],
  ]);
});

describe("template functions", () => {
  const shortName = { name: "ab" };
  test("[rule] 'avoiding template failures': substring() on a short name is an evaluation error", () => {
    const result = evaluatePolicy(rule({ value: "[substring(field('name'), 0, 3)]", equals: "abc" }), shortName);
    expect(result).toEqual({ effect: undefined, matched: false, error: expect.stringMatching(/^evaluation error: substring\(\)/) });
  });
  test("[arm] if() evaluates only the branch taken, so the guarded form succeeds", () => {
    const guarded = { value: "[if(greaterOrEquals(length(field('name')), 3), substring(field('name'), 0, 3), 'not starting with abc')]", equals: "abc" };
    expect(applies(guarded, shortName)).toBe(false);
    expect(applies(guarded, { name: "abcdef" })).toBe(true);
  });
  table([
    ["[arrays] field() of an absent property is ''", { value: "[field('properties.missing')]", equals: "" }, {}, true],
    ["[arrays] field() of an absent [*] alias is []", { value: "[length(field('properties.missing[*]'))]", equals: 0 }, {}, true],
    ["[rule] ipRangeContains: CIDR within CIDR", { value: "[ipRangeContains('10.0.0.0/16', '10.0.1.0/24')]", equals: true }, {}, true],
    ["[rule] ipRangeContains: start-end ranges", { value: "[ipRangeContains('192.168.0.1-192.168.0.9', '192.168.0.5')]", equals: true }, {}, true],
    ["[arm] startsWith is case-insensitive", { value: "[startsWith('AbC', 'ab')]", equals: true }, {}, true],
    ["[arm] contains() on strings is case-sensitive", { value: "[contains('AbC', 'ab')]", equals: false }, {}, true],
    [
      "[arm] '' escapes a quote; [[ escapes a literal [",
      {
        allOf: [
          { value: "[concat('it''s')]", equals: "it's" },
          { field: "name", equals: "[[x]" },
        ],
      },
      { name: "[x]" },
      true,
    ],
  ]);
  test.each([
    ["an empty range", "[ipRangeContains('10.0.0.9-10.0.0.1', '10.0.0.5')]"],
    ["mixed IP families", "[ipRangeContains('10.0.0.0/8', '2001:db8::1')]"],
  ])("[rule] ipRangeContains: %s is an evaluation error", (_name, expression) => {
    expect(evaluatePolicy(rule({ value: expression, equals: true }), {}).error).toMatch(/evaluation error: ipRangeContains\(\)/);
  });
  test("[rule] an unknown or deployment-only function (guid) is rejected when compiling", () => {
    expect(compilePolicy(rule({ value: "[guid('a')]", equals: "x" })).error).toMatch(/invalid policy definition: .*guid/);
  });
  test("[rule] resourceGroup(), requestContext() and utcNow() read the evaluation context", () => {
    const context = { resourceGroup: { name: "rg-net" }, requestContext: { apiVersion: "2024-01-01" }, utcNow: "2025-01-01T00:00:00Z" };
    const condition = {
      allOf: [
        { value: "[resourceGroup().name]", like: "*net" },
        { value: "[requestContext().apiVersion]", greaterOrEquals: "2021-04-01" },
        { value: "[addDays(utcNow(), 1)]", equals: "2025-01-02T00:00:00Z" },
      ],
    };
    expect(applies(condition, {}, { context })).toBe(true);
    expect(evaluatePolicy(rule(condition), {}).error).toMatch(/no resourceGroup in the evaluation context/);
  });
});

describe("effects and parameters", () => {
  const definition = {
    properties: {
      mode: "Indexed",
      parameters: { effect: { type: "String", defaultValue: "Audit" }, allowed: { type: "Array", defaultValue: ["eastus"] } },
      policyRule: { if: { field: "location", notIn: "[parameters('allowed')]" }, then: { effect: "[parameters('effect')]" } },
    },
  };
  const check = compilePolicy(definition);
  test.each([
    ["defaultValue applies when the assignment omits a parameter", undefined, { effect: "audit", matched: true }],
    ["assignment values win, matched case-insensitively by name", { EFFECT: "Deny" }, { effect: "deny", matched: true }],
    ["disabled means the rule is not evaluated", { effect: "Disabled" }, { effect: undefined, matched: false }],
  ])("%s", (_doc, parameters, expected) => expect(check({ location: "westus" }, { parameters })).toEqual(expected));

  test("[aine] auditIfNotExists is withheld when a related resource satisfies existenceCondition", () => {
    const aine = compilePolicy({
      if: { field: "type", equals: "Microsoft.Compute/virtualMachines" },
      then: { effect: "auditIfNotExists", details: { type: "Microsoft.Compute/virtualMachines/extensions", existenceCondition: { field: "Microsoft.Compute/virtualMachines/extensions/publisher", equals: "Microsoft.Azure.Security" } } },
    });
    const vm = { type: "Microsoft.Compute/virtualMachines" };
    expect(aine(vm).effect).toBe("auditifnotexists"); // no lookup supplied: not checked
    expect(aine(vm, { relatedResources: [] }).effect).toBe("auditifnotexists");
    expect(aine(vm, { relatedResources: [{ properties: { publisher: "Other" } }] }).effect).toBe("auditifnotexists");
    expect(aine(vm, { relatedResources: [{ properties: { publisher: "Microsoft.Azure.Security" } }] })).toEqual({ effect: undefined, matched: true });
    // A related "resource" that is not an object satisfies nothing and breaks nothing.
    expect(aine(vm, { relatedResources: [null, undefined, "x", []] })).toEqual({ effect: "auditifnotexists", matched: true });
  });

  test("[aine] in existenceCondition, field() reads the evaluated resource, also inside a count over the related one", () => {
    const aine = compilePolicy({
      if: { field: "type", equals: "Microsoft.Test/things" },
      then: {
        effect: "auditIfNotExists",
        details: {
          type: "Microsoft.Test/things/children",
          existenceCondition: { count: { field: "properties.rules[*]", where: { value: "[field('properties.rules[*].name')]", contains: "evaluated" } }, greater: 0 },
        },
      },
    });
    const thing = { type: "Microsoft.Test/things", properties: { rules: [{ name: "evaluated" }] } };
    const related = { type: "Microsoft.Test/things/children", properties: { rules: [{ name: "related" }] } };
    expect(aine(thing, { relatedResources: [related] })).toEqual({ effect: undefined, matched: true });
  });

  test("details: null is no details", () => {
    const check = compilePolicy({ if: { field: "type", equals: "x" }, then: { effect: "audit", details: null } });
    expect(check.error).toBeUndefined();
    expect(check({ type: "x" })).toEqual({ effect: "audit", matched: true });
  });

  test("a failed evaluation keeps what was thrown, for callers that tell causes apart", () => {
    const cause = new Error("unreadable");
    const resource = Object.defineProperty({ type: "x" }, "properties", {
      enumerable: true,
      get: () => {
        throw cause;
      },
    });
    const result = evaluatePolicy(rule({ field: "properties.a", equals: 1 }), resource);
    expect(result.error).toBe("evaluation error: unreadable");
    expect(result.thrown).toBe(cause);
    expect(Object.keys(result)).not.toContain("thrown");
  });
});

describe("[modify] an operation may only change an alias the catalog marks Modifiable", () => {
  const alias = (type: string, name: string, attributes?: string) => ({
    resourceType: type,
    aliases: [{ name: `Microsoft.Test/things/${name}`, defaultPath: `properties.${name}`, ...(attributes ? { defaultMetadata: { type: "String", attributes } } : {}) }],
  });
  // "Modifiable" on one resource type of the alias is enough; an alias without metadata is not refused.
  const catalog: AliasCatalog = [
    { namespace: "Microsoft.Test", resourceTypes: [alias("things", "tier", "Modifiable"), alias("things", "sku", "None"), alias("others", "mixed", "None"), alias("things", "mixed", "Modifiable"), alias("things", "plain")] },
  ];
  const modify = (field: string) => ({ if: { field: "type", equals: "Microsoft.Test/things" }, then: { effect: "modify", details: { roleDefinitionIds: [], operations: [{ operation: "addOrReplace", field, value: "x" }] } } });
  test.each([
    ["marked Modifiable", "tier", undefined],
    ["marked Modifiable on one of its types", "mixed", undefined],
    ["without metadata", "plain", undefined],
    ["marked otherwise", "sku", "invalid policy definition: alias 'Microsoft.Test/things/sku' is not modifiable"],
  ])("an alias %s", (_how, name, error) => expect(compilePolicy(modify(`Microsoft.Test/things/${name}`), { aliases: catalog }).error).toBe(error));
});

describe("aliases from a catalog", () => {
  const catalog = [
    {
      namespace: "Microsoft.Test",
      resourceTypes: [
        {
          resourceType: "things",
          aliases: [{ name: "Microsoft.Test/things/tier", defaultPath: "sku.tier", paths: [{ path: "properties.pricingTier", apiVersions: ["2015-01-01"] }] }],
        },
      ],
    },
  ];
  const check = compilePolicy(rule({ field: "Microsoft.Test/things/tier", equals: "Premium" }), { aliases: catalog });
  const thing = { type: "Microsoft.Test/things", sku: { tier: "Standard" }, properties: { pricingTier: "Premium" } };
  test("the default path applies", () => expect(check(thing).matched).toBe(false));
  test("the resource's apiVersion selects a versioned path", () => expect(check({ ...thing, apiVersion: "2015-01-01" }).matched).toBe(true));
  test("the apiVersion option overrides it", () => expect(check(thing, { apiVersion: "2015-01-01" }).matched).toBe(true));
  test("API versions match case-insensitively", () => {
    const preview = structuredClone(catalog);
    preview[0].resourceTypes[0].aliases[0].paths[0].apiVersions = ["2015-01-01-Preview"];
    const withPreview = compilePolicy(rule({ field: "Microsoft.Test/things/tier", equals: "Premium" }), { aliases: preview });
    expect(withPreview({ ...thing, apiVersion: "2015-01-01-preview" }).matched).toBe(true);
    expect(withPreview(thing, { apiVersion: "2015-01-01-PREVIEW" }).matched).toBe(true);
  });
  test("a related resource's own type and apiVersion pick its alias paths", () => {
    const aine = compilePolicy(
      {
        if: { field: "type", equals: "Microsoft.Test/parents" },
        // details.type names a type the catalog has no alias for: only the related resource's own type finds sku.tier.
        then: { effect: "auditIfNotExists", details: { type: "Microsoft.Test/others", existenceCondition: { field: "Microsoft.Test/things/tier", equals: "Premium" } } },
      },
      { aliases: catalog },
    );
    const parent = { type: "Microsoft.Test/parents" };
    expect(aine(parent, { relatedResources: [{ type: "Microsoft.Test/things", sku: { tier: "Premium" } }] }).effect).toBeUndefined();
    expect(aine(parent, { relatedResources: [{ type: "Microsoft.Test/things", apiVersion: "2015-01-01", properties: { pricingTier: "Premium" } }] }).effect).toBeUndefined();
    expect(aine(parent, { relatedResources: [{ type: "Microsoft.Test/things", properties: { pricingTier: "Premium" } }] }).effect).toBe("auditifnotexists");
  });
  test("providers without resource types and types without aliases are skipped", () => {
    const sparse = [{ namespace: "Microsoft.Empty" }, { namespace: "Microsoft.Test", resourceTypes: [{ resourceType: "bare" }, ...catalog[0].resourceTypes] }];
    // As read from a listing file, whose JSON need not hold every key the type declares.
    const withSparse = compilePolicy(rule({ field: "Microsoft.Test/things/tier", equals: "Premium" }), { aliases: sparse as unknown as AliasCatalog });
    expect(withSparse.error).toBeUndefined();
    expect(withSparse({ ...thing, apiVersion: "2015-01-01" }).matched).toBe(true);
  });
});

describe("errors are returned, never thrown", () => {
  test.each([
    ["unknown operator", rule({ field: "type", equalz: "x" }), /unknown operator 'equalz'/],
    ["two operators", rule({ field: "type", equals: "x", in: ["x"] }), /exactly one operator/],
    ["field and value together", rule({ field: "type", value: "x", equals: "x" }), /exactly one of 'field', 'value' or 'count'/],
    ["allOf that is not an array", rule({ allOf: {} }), /'allof' takes an array/],
    ["malformed expression", rule({ value: "[concat('a']", equals: "a" }), /invalid expression/],
    ["missing then", { if: { field: "type", equals: "x" } }, /no 'then'/],
    ["data-plane mode", { properties: { mode: "Microsoft.Kubernetes.Data", policyRule: rule({ field: "type", equals: "x" }) } }, /resource provider mode/],
  ])("%s", (_name, definition, message) => {
    const check = compilePolicy(definition);
    expect(check.error).toMatch(message);
    expect(check({}).error).toBe(check.error);
  });

  test("arbitrary JSON as definition and resource", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (definition, resource) => {
        const result = evaluatePolicy(definition, resource);
        expect(typeof result.matched).toBe("boolean");
      }),
    );
  });
});
