/**
 * The template functions a policy rule may call, each against the behaviour Microsoft documents:
 *   [arm]    "ARM template functions" (string, array, object, comparison, logical, numeric, date)
 *            https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions
 *   [policy] "Azure Policy definition structure policy rule", Policy functions
 *            https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#policy-functions
 * Each value is compared with ARM's own equals(): structural and case-sensitive, so "A" ≠ "a".
 */
import { evaluatePolicy, type EvaluateOptions } from "../../azure-policy-engine";

const rule = (condition: object) => ({ if: condition, then: { effect: "audit" } });
const literal = (v: unknown) => `json('${JSON.stringify(v).replace(/'/g, "''")}')`;

/** Whether `expression` evaluates to exactly `expected`. */
function valueOf(expression: string, expected: unknown, options?: EvaluateOptions): boolean | string {
  const result = evaluatePolicy(rule({ value: `[equals(${expression}, ${literal(expected)})]`, equals: true }), { type: "x", name: "aks" }, options);
  return result.error ?? result.matched;
}

describe("values", () => {
  test.each([
    // [policy] policy-only functions
    ["addDays('2024-01-31T00:00:00Z', 1)", "2024-02-01T00:00:00Z"],
    ["addDays('2024-01-01T10:00:00Z', -1)", "2023-12-31T10:00:00Z"],
    ["addDays('2024-01-01T00:00:00.5000000Z', 0)", "2024-01-01T00:00:00.5Z"],
    ["ipRangeContains('10.0.0.0/24', '10.0.0.255')", true],
    ["ipRangeContains('10.0.0.0/24', '10.0.1.0')", false],
    ["ipRangeContains('10.0.0.0/24', '10.0.0.0/25')", true],
    ["ipRangeContains('10.0.0.0/25', '10.0.0.0/24')", false],
    ["ipRangeContains('10.0.0.0-10.0.0.9', '10.0.0.5')", true],
    ["ipRangeContains('10.0.0.0 - 10.0.0.9', '10.0.0.10')", false],
    ["ipRangeContains('10.0.0.1', '10.0.0.1')", true],
    ["ipRangeContains('2001:db8::/120', '2001:db8::ff')", true],
    ["ipRangeContains('2001:db8::/120', '2001:db8::100')", false],
    // [arm] logical and comparison
    ["not(false)", true],
    ["bool('TRUE')", true],
    ["bool(' 0 ')", false],
    ["bool('1')", true],
    ["bool('false')", false],
    ["bool(0)", false],
    ["bool(2)", true],
    ["bool(true)", true],
    ["true()", true],
    ["false()", false],
    ["null()", null],
    ["null", null],
    ["equals(createArray(1, 'a'), createArray(1, 'a'))", true],
    ["equals(createArray(1), createArray(1, 2))", false],
    ["equals(createArray(1, 2), createArray(2, 1))", false],
    ["equals('a', 'A')", false],
    ["equals(json('{\"a\":1}'), json('{\"a\":1}'))", true],
    ["equals(json('{\"a\":1}'), json('{\"a\":2}'))", false],
    ["equals(json('{\"a\":1}'), json('{\"a\":1,\"b\":2}'))", false],
    ["equals(json('{\"a\":1}'), createArray(1))", false],
    ["less(1, 2)", true],
    ["less(2, 2)", false],
    ["less('a', 'B')", true],
    ["lessOrEquals(2, 2)", true],
    ["lessOrEquals(3, 2)", false],
    ["greater('b', 'a')", true],
    ["greater(2, 2)", false],
    ["greaterOrEquals(2, 2)", true],
    ["greaterOrEquals(1, 2)", false],
    ["coalesce(null(), null(), 'x', 'y')", "x"],
    ["coalesce(null())", null],
    ["if(true, 'a', 'b')", "a"],
    ["if(false, 'a', 'b')", "b"],
    ["and(true, true, false)", false],
    ["and(true, true)", true],
    ["or(false, false)", false],
    ["or(false, true)", true],
    // [arm] strings
    ["concat('a', 1, null(), true)", "a1true"],
    ["concat(createArray(1), createArray(2, 3))", [1, 2, 3]],
    ["toLower('AbC')", "abc"],
    ["toUpper('AbC')", "ABC"],
    ["trim('  a b  ')", "a b"],
    ["split('a,b', ',')", ["a", "b"]],
    ["split('a,b;c', createArray(',', ';'))", ["a", "b", "c"]],
    ["substring('hello', 1, 3)", "ell"],
    ["substring('hello', 2)", "llo"],
    ["substring('hello', 5, 0)", ""],
    ["replace('aXbX', 'X', '$&')", "a$&b$&"],
    ["indexOf('Hello', 'L')", 2],
    ["indexOf('Hello', 'z')", -1],
    ["lastIndexOf('hello', 'L')", 3],
    ["startsWith('Hello', 'he')", true],
    ["startsWith('Hello', 'lo')", false],
    ["endsWith('Hello', 'LO')", true],
    ["endsWith('Hello', 'he')", false],
    ["padLeft(7, 3, '0')", "007"],
    ["padLeft('ab', 4)", "  ab"],
    ["string(createArray(1, 'a'))", "[1,\"a\"]"],
    ["string('a')", "a"],
    ["string(true)", "true"],
    ["format('{0}-{1:N2}{{x}}', 'a', 2)", "a-2{x}"],
    ["base64('hi')", "aGk="],
    ["base64ToString('aGk=')", "hi"],
    ["base64ToJson('eyJhIjoxfQ==')", { a: 1 }],
    ["uriComponent('a b/c')", "a%20b%2Fc"],
    ["uriComponentToString('a%20b%2Fc')", "a b/c"],
    ["uri('https://example.com/a/', 'b')", "https://example.com/a/b"],
    ["dataUri('hi')", "data:text/plain;charset=utf8;base64,aGk="],
    ["dataUriToString('data:text/plain;charset=utf8;base64,aGk=')", "hi"],
    ["dataUriToString('data:,a%20b')", "a b"],
    // [arm] arrays and objects
    ["length('abc')", 3],
    ["length(createArray())", 0],
    ["length(json('{\"a\":1,\"b\":2}'))", 2],
    ["empty('')", true],
    ["empty(null())", true],
    ["empty(createArray(1))", false],
    ["empty(json('{}'))", true],
    ["contains('abc', 'b')", true],
    ["contains('abc', 'B')", false],
    ["contains('a1', 1)", true],
    ["contains(createArray(1, 2), 2)", true],
    ["contains(createArray(1, 2), 3)", false],
    ["contains(json('{\"A\":1}'), 'a')", true],
    ["contains(json('{\"A\":1}'), 'b')", false],
    ["first('abc')", "a"],
    ["first(createArray(4, 5))", 4],
    ["first(createArray())", null],
    ["last('abc')", "c"],
    ["last(createArray(4, 5))", 5],
    ["last(createArray())", null],
    ["take('abc', 2)", "ab"],
    ["take(createArray(1, 2, 3), 2)", [1, 2]],
    ["take(createArray(1, 2, 3), -1)", []],
    ["skip(createArray(1, 2, 3), 1)", [2, 3]],
    ["skip(createArray(1, 2, 3), -1)", [1, 2, 3]],
    ["skip('abc', 5)", ""],
    ["array(1)", [1]],
    ["array(createArray(1))", [1]],
    ["createArray()", []],
    ["createObject('a', 1, 'b', 'x')", { a: 1, b: "x" }],
    ["union(json('{\"a\":1,\"b\":1}'), json('{\"b\":2}'))", { a: 1, b: 2 }],
    ["union(createArray(1, 2), createArray(2, 3))", [1, 2, 3]],
    ["intersection(createArray(1, 2, 3, 2), createArray(2, 3, 4), createArray(3, 2))", [2, 3]],
    ["intersection(json('{\"a\":1,\"b\":2}'), json('{\"a\":1,\"b\":3}'))", { a: 1 }],
    ["range(5, 3)", [5, 6, 7]],
    ["range(1, -1)", []],
    ["json('{\"a\":[1]}')", { a: [1] }],
    ["join(createArray('a', 1), '-')", "a-1"],
    ["tryGet(json('{\"a\":{\"b\":[5]}}'), 'a', 'B', 0)", 5],
    ["tryGet(json('{\"a\":1}'), 'x')", null],
    ["tryGet(createArray(1), 'a')", null],
    ["tryGet(createArray(1), 3)", null],
    ["createArray(4, 5)[1]", 5],
    ["json('{\"Name\":1}').name", 1],
    ["json('{\"a\":null}').a.b", null],
    // [arm] numbers
    ["int('42')", 42],
    ["int(4.7)", 4],
    ["int(-4.7)", -4],
    ["float('1.5')", 1.5],
    ["add(1, 2)", 3],
    ["sub(5, 2)", 3],
    ["mul(2, 3)", 6],
    ["div(7, 2)", 3],
    ["div(-7, 2)", -3],
    ["mod(7, 3)", 1],
    ["min(3, 1, 2)", 1],
    ["min(createArray(3, 1, 2))", 1],
    ["max(3, 1, 2)", 3],
    ["max(createArray(3, 1, 2))", 3],
    // [arm] dates
    ["dateTimeAdd('2024-01-01T00:00:00Z', 'P1W')", "2024-01-08T00:00:00Z"],
    // [arm] "P1Y should be interpreted as P365D, while P1M should be interpreted as P30D", with its examples
    ["dateTimeAdd('2023-01-01 00:00:00Z', 'P1Y')", "2024-01-01T00:00:00Z"],
    ["dateTimeAdd('2024-01-01 00:00:00Z', 'P1Y')", "2024-12-31T00:00:00Z"],
    ["dateTimeAdd('2023-02-01 00:00:00Z', 'P1M')", "2023-03-03T00:00:00Z"],
    ["dateTimeAdd('2024-02-01 00:00:00Z', 'P1M')", "2024-03-02T00:00:00Z"],
    ["dateTimeAdd('2024-01-31T00:00:00Z', 'P1Y1M1DT1H1M1S')", "2025-03-02T01:01:01Z"],
    ["dateTimeAdd('2024-03-02T00:00:00Z', '-P1M')", "2024-02-01T00:00:00Z"],
    ["dateTimeAdd('2024-01-01T00:00:00Z', 'PT1H30M')", "2024-01-01T01:30:00Z"],
    ["dateTimeAdd('2024-01-01T00:00:00Z', '-P1D')", "2023-12-31T00:00:00Z"],
    ["dateTimeAdd('2024-01-01T00:00:00Z', 'PT0.5S')", "2024-01-01T00:00:00.5Z"],
    ["dateTimeFromEpoch(1704067200)", "2024-01-01T00:00:00Z"],
    ["dateTimeToEpoch('2024-01-01T00:00:01.9Z')", 1704067201],
  ])("%s → %j", (expression, expected) => {
    expect(valueOf(expression, expected)).toBe(true);
  });

  test.each([
    ["resourceGroup().name", "rg-aks", { context: { resourceGroup: { name: "rg-aks" } } }],
    ["subscription().subscriptionId", "0000", { context: { subscription: { subscriptionId: "0000" } } }],
    ["requestContext().apiVersion", "2024-01-01", { context: { requestContext: { apiVersion: "2024-01-01" } } }],
    ["policy().assignmentId", "a1", { context: { policy: { assignmentId: "a1" } } }],
    ["utcNow()", "2024-05-01T00:00:00.0000000Z", { context: { utcNow: "2024-05-01T00:00:00.0000000Z" } }],
    ["field('name')", "aks", {}],
    ["parameters('size')", 3, { parameters: { size: 3 } }],
  ] as [string, unknown, EvaluateOptions][])("%s reads the evaluation's context", (expression, expected, options) => {
    expect(valueOf(expression, expected, options)).toBe(true);
  });

  test("utcNow() without a context is the current time in policy's format", () => {
    const result = evaluatePolicy(rule({ value: "[utcNow()]", match: "####-##-##T##:##:##.#######Z" }), {});
    expect(result).toEqual({ effect: "audit", matched: true });
  });
});

describe("a function that cannot produce a value fails the evaluation, naming itself", () => {
  test.each([
    ["ipRangeContains('10.0.0.0/24', '2001:db8::1')", "ipRangeContains(): cannot mix IPv4 and IPv6"],
    ["ipRangeContains('10.0.0.0/33', '10.0.0.1')", "ipRangeContains(): not an IP address or range: \"10.0.0.0/33\""],
    ["ipRangeContains('10.0.0.9-10.0.0.1', '10.0.0.5')", "ipRangeContains(): not an IP address or range: \"10.0.0.9-10.0.0.1\""],
    ["ipRangeContains('10.0.0.1-2001:db8::1', '10.0.0.5')", "ipRangeContains(): not an IP address or range: \"10.0.0.1-2001:db8::1\""],
    ["ipRangeContains('10.1', '10.0.0.5')", "ipRangeContains(): not an IP address or range: \"10.1\""],
    ["ipRangeContains('10.0.0.0/x', '10.0.0.5')", "ipRangeContains(): not an IP address or range: \"10.0.0.0/x\""],
    ["addDays('soon', 1)", "addDays(): not an ISO 8601 date-time: \"soon\""],
    ["addDays('2024-01-01T00:00:00Z', 1.5)", "addDays(): expected an integer, got 1.5"],
    ["not(1)", "not(): expected a boolean, got 1"],
    ["bool('yes')", "bool(): cannot convert \"yes\""],
    ["less(1, 'a')", "less(): cannot compare 1 with \"a\""],
    ["greaterOrEquals(createArray(), 1)", "greaterOrEquals(): cannot compare [] with 1"],
    ["concat('a', createArray(1))", "concat(): expects only strings or only arrays"],
    ["toLower(1)", "toLower(): expected a string, got 1"],
    ["substring('abc', 2, 5)", "substring(): index and length must lie within the string"],
    ["substring('abc', -1, 1)", "substring(): index and length must lie within the string"],
    ["substring('abc', 1, -1)", "substring(): index and length must lie within the string"],
    ["replace('abc', '', 'x')", "replace(): the string to replace is empty"],
    ["padLeft('a', 3, 'xy')", "padLeft(): the padding must be a single character"],
    ["format('{1}', 'a')", "format(): no argument {1}"],
    ["dataUriToString('hi')", "dataUriToString(): not a data URI: \"hi\""],
    ["length(1)", "length(): expected a string, array or object, got 1"],
    ["contains(1, 1)", "contains(): expected a string, array or object, got 1"],
    ["contains(json('{\"a\":1}'), 1)", "contains(): expected a string, got 1"],
    ["first(1)", "first(): expected an array, got 1"],
    ["take(createArray(1), 'a')", "take(): expected an integer, got \"a\""],
    ["createObject('a')", "createObject(): expects key/value pairs"],
    ["union(createArray(1), 1)", "union(): expected an array, got 1"],
    ["intersection(createArray(1), 1)", "intersection(): expected an array, got 1"],
    ["json('{')", "json(): invalid JSON: \"{\""],
    ["join('a', ',')", "join(): expected an array, got \"a\""],
    ["int('x')", "int(): cannot convert \"x\" to a number"],
    ["add('a', 1)", "add(): expected a number, got \"a\""],
    ["div(1, 0)", "div(): division by zero"],
    ["mod(1, 0)", "mod(): division by zero"],
    ["min(createArray())", "min(): expects at least one number"],
    ["max('a')", "max(): expected a number, got \"a\""],
    ["dateTimeAdd('2024-01-01T00:00:00Z', 'P')", "dateTimeAdd(): not an ISO 8601 duration: P"],
    ["dateTimeAdd('2024-01-01T00:00:00Z', 'P1DT')", "dateTimeAdd(): not an ISO 8601 duration: P1DT"],
    ["dateTimeAdd('2024-01-01T00:00:00Z', '1D')", "dateTimeAdd(): not an ISO 8601 duration: 1D"],
    ["resourceGroup()", "resourceGroup(): no resourceGroup in the evaluation context"],
    ["parameters('missing')", "parameters(): parameter 'missing' has no value"],
    ["current()", "current(): only available inside a count expression"],
    ["current('rules')", "current(): no enclosing count named 'rules'"],
  ])("%s", (expression, message) => {
    const result = evaluatePolicy(rule({ value: `[${expression}]`, equals: "x" }), { type: "x" });
    expect(result.error).toBe(`evaluation error: ${message} (in [${expression}])`);
  });
});
