/**
 * What the engine says about a definition it cannot evaluate, word for word: `apiguard evaluate`
 * and the tests show these messages, and a maintainer fixes a definition from them. Azure itself
 * refuses such definitions at creation, or fails the evaluation (an implicit deny for a Deny policy).
 */
import { compilePolicy, evaluatePolicy } from "../../azure-policy-engine";

const rule = (condition: unknown, then: unknown = { effect: "audit" }) => ({ if: condition, then });
const field = (extra: object) => ({ field: "type", ...extra });

describe("a malformed definition is refused when it is compiled", () => {
  test.each([
    ["a definition that is not an object", [], "a policy definition must be an object"],
    ["'properties' that are not an object", { properties: "x" }, "'properties' must be an object"],
    ["a policy rule that is not an object", { policyRule: "x" }, "'policyRule' must be an object"],
    ["parameters that are not an object", { properties: { parameters: [], policyRule: rule(field({ equals: "x" })) } }, "'parameters' must be an object"],
    ["a key given twice in different casing", { If: field({ equals: "x" }), if: field({ equals: "y" }), then: { effect: "audit" } }, "a policy definition has duplicate key 'if'"],
    ["a key both inside and outside 'properties'", { mode: "All", properties: { mode: "All", policyRule: rule(field({ equals: "x" })) } }, "'mode' appears both inside and outside the definition's 'properties'"],
    ["'properties' without a policy rule", { properties: { mode: "All" } }, "the definition has no 'policyRule'"],
    ["a mode that is not a string", { properties: { mode: 1, policyRule: rule(field({ equals: "x" })) } }, "'mode' must be a string"],
    ["a resource provider mode", { properties: { mode: "Microsoft.Network.Data", policyRule: rule(field({ equals: "x" })) } }, "resource provider mode 'Microsoft.Network.Data' is evaluated by its data plane, not here"],
    [
      "a mode that is neither All, Indexed nor a resource provider's",
      { properties: { mode: "Contoso.Microsoft.Data", policyRule: rule(field({ equals: "x" })) } },
      "mode 'Contoso.Microsoft.Data' is not All, Indexed or a resource provider mode",
    ],
    ["a parameter that is not an object", { properties: { parameters: { effect: "audit" }, policyRule: rule(field({ equals: "x" })) } }, "parameter 'effect' must be an object"],
    ["no 'if'", { then: { effect: "audit" } }, "the policy rule has no 'if'"],
    ["no 'then'", { if: field({ equals: "x" }) }, "the policy rule has no 'then'"],
    ["'then' that is not an object", rule(field({ equals: "x" }), "audit"), "'then' must be an object"],
    ["an effect that is not a string", rule(field({ equals: "x" }), { effect: 1 }), "'then.effect' must be a string"],
    ["a condition that is not an object", rule("type == x"), "a condition must be an object"],
    ["allOf beside another key", rule({ allOf: [], field: "type" }), "'allof' cannot be combined with other keys"],
    ["not with a list", rule({ not: [field({ equals: "x" })] }), "'not' takes a single condition object"],
    ["not with null", rule({ not: null }), "'not' takes a single condition object"],
    ["not with text", rule({ not: "type == x" }), "'not' takes a single condition object"],
    ["anyOf with an object", rule({ anyOf: field({ equals: "x" }) }), "'anyof' takes an array of conditions"],
    ["field and value together", rule({ field: "type", value: "x", equals: "x" }), "a condition needs exactly one of 'field', 'value' or 'count'"],
    ["neither field, value nor count", rule({ equals: "x" }), "a condition needs exactly one of 'field', 'value' or 'count'"],
    ["no operator", rule({ field: "type" }), "a condition needs exactly one operator, got none"],
    ["two operators", rule(field({ equals: "x", notEquals: "y" })), "a condition needs exactly one operator, got equals, notequals"],
    ["an unknown operator", rule(field({ equalz: "x" })), "unknown operator 'equalz'"],
    ["exists with a string", rule(field({ exists: "yes" })), "'exists' takes true or false, got \"yes\""],
    ["in with a string", rule(field({ in: "x" })), "'in' takes an array, got \"x\""],
    ["notIn with an object", rule(field({ notIn: { a: 1 } })), "'notin' takes an array, got {\"a\":1}"],
    ["a field that is not a string", rule({ field: 1, equals: "x" }), "'field' must be a string"],
    ["an empty field path", rule({ field: "", equals: "x" }), "empty field path ''"],
    ["an unterminated quote in a field path", rule({ field: "tags['env", equals: "x" }), "unterminated quote in field path 'tags['env'"],
    ["a double-quoted key followed by a single quote", rule({ field: 'tags["x"\']', equals: "x" }), "expected ']' in field path 'tags[\"x\"']'"],
    ["a quoted key not closed by ]", rule({ field: "tags['env'x", equals: "x" }), "expected ']' in field path 'tags['env'x'"],
    ["an unterminated [ in a field path", rule({ field: "properties.rules[*", equals: "x" }), "unterminated '[' in field path 'properties.rules[*'"],
    ["a count that is not an object", rule({ count: "properties.rules[*]", equals: 0 }), "'count' must be an object"],
    ["an unknown key in count", rule({ count: { field: "properties.rules[*]", filter: {} }, equals: 0 }), "unknown key 'filter' in 'count'"],
    ["count over a field and a value", rule({ count: { field: "properties.rules[*]", value: [1] }, equals: 0 }), "'count' needs exactly one of 'field' or 'value'"],
    ["count over nothing", rule({ count: {}, equals: 0 }), "'count' needs exactly one of 'field' or 'value'"],
    ["a name in a field count", rule({ count: { field: "properties.rules[*]", name: "rule" }, equals: 0 }), "'count.name' applies to value counts only"],
    ["a count field that is an expression", rule({ count: { field: "[concat('a', '[*]')]" }, equals: 0 }), "'count.field' must be an alias name"],
    ["a count field that is not a string", rule({ count: { field: 1 }, equals: 0 }), "'count.field' must be an alias name"],
    ["a count field that is not an array alias", rule({ count: { field: "properties.rules" }, equals: 0 }), "'count.field' must be an array alias ending in [*], got 'properties.rules'"],
    ["a count name with punctuation", rule({ count: { value: [1], name: "my-name" }, equals: 0 }), "'count.name' must consist of letters and digits"],
    ["a count name that is not a string", rule({ count: { value: [1], name: 1 }, equals: 0 }), "'count.name' must consist of letters and digits"],
    ["a modify operation that is not an object", rule(field({ equals: "x" }), { effect: "audit", details: { operations: ["x"] } }), "a modify operation must be an object"],
    ["details with a key given twice", rule(field({ equals: "x" }), { effect: "audit", details: { type: "a", Type: "b" } }), "'details' has duplicate key 'Type'"],
  ])("%s", (_name, definition, message) => {
    const check = compilePolicy(definition);
    expect(check.error).toBe(`invalid policy definition: ${message}`);
    expect(check({ type: "x" })).toEqual({ effect: undefined, matched: false, error: check.error });
  });
});

describe("an expression that cannot compile names itself and where it failed", () => {
  test.each([
    ["[concat('a']", "expected ')' at offset 10"],
    ["[concat('a'))]", "unexpected input at offset 11"],
    ["[concat('a)]", "unterminated string at offset 10"],
    ["['a'']", "unterminated string at offset 4"],
    ["[concat]", "expected '(' after 'concat' at offset 6"],
    ["[concat(.)]", "malformed number at offset 7"],
    ["[(1)]", "expected a function name or property at offset 0"],
    ["[!abc()]", "expected a function name or property at offset 0"],
    ["[add(-, 1)]", "malformed number at offset 4"],
    ["[resourceGroup().]", "expected a function name or property at offset 16"],
    ["[noSuchFunction()]", "function 'nosuchfunction' is not available in policy rules"],
    ["[reference('x')]", "function 'reference' is not available in policy rules"],
    ["[and()]", "and() takes at least 1 argument, got 0"],
    ["[toLower('a', 'b')]", "tolower() takes 1 argument, got 2"],
    ["[substring('a')]", "substring() takes 2 to 3 arguments, got 1"],
    ["[if(true, 1)]", "if() takes 3 arguments, got 2"],
    ["[intersection(createArray(1))]", "intersection() takes at least 2 arguments, got 1"],
    ["[]", "expected a function name or property at offset 0"],
  ])("%s", (expression, message) => {
    expect(compilePolicy(rule({ value: expression, equals: "x" })).error).toBe(`invalid policy definition: invalid expression ${expression}: ${message}`);
  });
});

describe("a definition that fails on a resource fails that evaluation only", () => {
  test.each([
    ["an index past the end", rule({ value: "[createArray(1, 2)[2]]", equals: 1 }), {}, "index 2 is out of range for an array of length 2 (in [createArray(1, 2)[2]])"],
    ["a negative index", rule({ value: "[createArray(1, 2)[-1]]", equals: 1 }), {}, "index -1 is out of range for an array of length 2 (in [createArray(1, 2)[-1]])"],
    ["a fractional index", rule({ value: "[createArray(1, 2)[0.5]]", equals: 1 }), {}, "index 0.5 is out of range for an array of length 2 (in [createArray(1, 2)[0.5]])"],
    ["a property of a string", rule({ value: "[field('name').length]", equals: 1 }), { name: "aks" }, 'cannot access "length" on "aks" (in [field(\'name\').length])'],
    ["an index into null", rule({ value: "[json(field('name'))[0]]", equals: 1 }), { name: "null" }, "cannot access 0 on null (in [json(field('name'))[0]])"],
    ["a name index into an array", rule({ value: "[createArray(1)['a']]", equals: 1 }), {}, "cannot access \"a\" on [1] (in [createArray(1)['a']])"],
    ["a field expression that is not a name", rule({ field: "[createArray('type')]", equals: "x" }), { type: "x" }, "field expression [createArray('type')] returned [\"type\"], not a field name"],
    ["a value count over a non-array", rule({ count: { value: "[field('name')]" }, equals: 1 }), { name: "aks" }, "'count.value' must be an array, got \"aks\""],
    [
      "an effect parameter that is not a string",
      { properties: { parameters: { effect: { type: "String", defaultValue: 1 } }, policyRule: rule(field({ equals: "x" }), { effect: "[parameters('effect')]" }) } },
      { type: "x" },
      "the effect must be a string, got 1",
    ],
    ["a resource that is a list", rule(field({ equals: "x" })), [], "the resource must be an object"],
    ["a resource that is null", rule(field({ equals: "x" })), null, "the resource must be an object"],
    ["a resource that is text", rule(field({ equals: "x" })), "x", "the resource must be an object"],
    ["if() on text", rule({ value: "[if(field('name'), 1, 2)]", equals: 1 }), { name: "aks" }, "if(): expected a boolean, got \"aks\" (in [if(field('name'), 1, 2)])"],
    ["and() on text", rule({ value: "[and(field('name'), true)]", equals: true }), { name: "aks" }, "and(): expected a boolean, got \"aks\" (in [and(field('name'), true)])"],
    ["or() on text", rule({ value: "[or(field('name'), true)]", equals: true }), { name: "aks" }, "or(): expected a boolean, got \"aks\" (in [or(field('name'), true)])"],
    ["in with an expression that gives text", rule(field({ in: "[field('name')]" })), { type: "x", name: "aks" }, "'in'/'notIn' expects an array, got \"aks\""],
    ["exists with an expression that gives other text", rule(field({ exists: "[field('name')]" })), { type: "x", name: "maybe" }, "'exists' expects true or false, got \"maybe\""],
  ])("%s", (_name, definition, resource, message) => {
    const check = compilePolicy(definition);
    expect(check.error).toBeUndefined();
    expect(check(resource)).toEqual({ effect: undefined, matched: false, error: `evaluation error: ${message}` });
  });

  test("a failing template function names itself", () => {
    expect(evaluatePolicy(rule({ value: "[substring('abc', 2, 5)]", equals: "c" }), {}).error).toMatch(/^evaluation error: substring\(\): .+ \(in \[substring\('abc', 2, 5\)\]\)$/);
  });
});
