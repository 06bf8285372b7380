/**
 * Strings only partly known before deployment: a condition or function decides on one only when
 * every completion gives the same answer, else the evaluation throws UnknownValue; and the limits
 * and merges that keep template evaluation bounded and right (ARM template best practices,
 * Template limits; Array and Object functions for ARM templates; Azure Policy's evaluation limits).
 */
import { compileExpression, evaluatePolicy, FUNCTIONS, PartialString, PolicyError, UnknownValue, Unresolved, containsPartial, firstPartial, joinText, mapText, partialString, type Env, type Part } from "../../azure-policy-engine";
import { decide, equalsAutomaton, globAutomaton, jsonText, splitText, textAutomaton } from "../../azure-policy-engine/partial";

const seg = (label = "sub"): Part => ({ label, segment: true });
const any = (label = "x"): Part => ({ label, segment: false });
const text = (...parts: Part[]) => new PartialString(parts, "only known at deployment");

describe("building partly known strings", () => {
  test("known runs are joined and empty ones dropped; without a hole it is plain text", () => {
    expect(text("a", "", "b", seg(), "", "c", "d").parts).toEqual(["ab", seg(), "cd"]);
    expect(partialString(["a", "b"], "r")).toBe("ab");
    expect(partialString([], "r")).toBe("");
    expect(partialString(["", ""], "r")).toBe("");
    expect(partialString(["a", seg()], "r")).toEqual(new PartialString(["a", seg()], "r"));
    expect(joinText(["/subscriptions/", text(seg()), "/x"])).toEqual(text("/subscriptions/", seg(), "/x"));
    expect(joinText(["a", "b"])).toBe("ab");
    expect(joinText(["a", text(seg())]) instanceof PartialString && (joinText(["a", new PartialString([seg()], "why")]) as PartialString).reason).toBe("why");
  });

  test("shown with each hole in braces; placed at a path", () => {
    const t = text("/subscriptions/", seg("subscription().subscriptionId"), "/x");
    expect(t.toString()).toBe("/subscriptions/{subscription().subscriptionId}/x");
    expect(t.path).toBeUndefined();
    const placed = t.at("properties.zone");
    expect([placed.path, placed.parts, placed.reason]).toEqual(["properties.zone", t.parts, t.reason]);
  });

  test("found anywhere in a value, the first one reported", () => {
    const a = text("a", seg());
    const b = text("b", seg());
    expect(containsPartial({ x: [1, { y: a }] })).toBe(true);
    expect(containsPartial({ x: [1, { y: "a" }] })).toBe(false);
    expect(containsPartial(null)).toBe(false);
    expect(firstPartial([{ x: "a" }, a, b])).toBe(a);
    expect(firstPartial({ x: { y: b } })).toBe(b);
    expect(firstPartial([1, "a", null])).toBeUndefined();
    // Any member of an object will do.
    expect(containsPartial({ x: 1, y: a })).toBe(true);
    expect(firstPartial({ x: 1, y: a })).toBe(a);
  });

  test("values never nest deeper than 256 levels: deeper, nothing is looked for", () => {
    const wrapped = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : [wrapped(levels - 1, inner)]);
    const t = text("a", seg());
    // The array at depth 256 is still looked into; one at depth 257 is not.
    expect([containsPartial(wrapped(257, t)), firstPartial(wrapped(257, t))]).toEqual([true, t]);
    expect([containsPartial(wrapped(258, t)), firstPartial(wrapped(258, t))]).toEqual([false, undefined]);
    expect([containsPartial({ x: wrapped(257, t) }), firstPartial({ x: wrapped(257, t) })]).toEqual([false, undefined]);
  });

  test("toLower/toUpper map the known text only; holes stay holes", () => {
    expect(mapText(text("AbC", seg(), "dE"), (s) => s.toLowerCase()).parts).toEqual(["abc", seg(), "de"]);
  });

  test("split() by a character no segment hole holds is exact; else how many pieces there are is unknown", () => {
    expect(splitText(text("/subscriptions/", seg(), "/rg/x"), "/")).toEqual(["", "subscriptions", text(seg()), "rg", "x"]);
    expect(splitText(text("a/b", seg(), "c/d"), "/")).toEqual(["a", text("b", seg(), "c"), "d"]);
    expect(splitText(text("a/", any(), "/b"), "/")).toBeUndefined();
    expect(splitText(text("a.", seg(), ".b"), ".")).toBeUndefined();
    expect(splitText(text("a/", seg()), "")).toBeUndefined();
    // A delimiter with one character a segment never holds is enough.
    expect(splitText(text("a-/", seg(), "-/b"), "-/")).toEqual(["a", text(seg()), "b"]);
  });

  test("JSON text: known runs escaped, segment holes unchanged, any other hole may become anything", () => {
    expect(jsonText([text('say "', seg(), '"')])).toEqual(text('["say \\"', seg(), '\\""]'));
    expect(jsonText({ k: text("a", any()), n: 1, z: null, b: [true] })).toEqual(text('{"k":"a', any(), '","n":1,"z":null,"b":[true]}'));
    expect(jsonText(["a", 1])).toBe('["a",1]');
    // What JSON has no text for is null, as JSON.stringify writes it in an array.
    expect(jsonText([undefined, text(seg())])).toEqual(text('[null,"', seg(), '"]'));
  });
});

describe("deciding a predicate for every completion", () => {
  // [text, automaton, every completion accepted (true), none (false), some (undefined)]
  test.each([
    ["/a/{seg}/b equals /a//b: a segment is never empty", text("/a/", seg(), "/b"), equalsAutomaton("/a//b"), false],
    ["/a/{any}/b equals /a//b: an unknown run may be empty", text("/a/", any(), "/b"), equalsAutomaton("/a//b"), undefined],
    ["/a/{seg}/b equals /a/x/y/b: a segment never holds a /", text("/a/", seg(), "/b"), equalsAutomaton("/a/x/y/b"), false],
    ["/a/{seg}/b equals /a/x/b", text("/a/", seg(), "/b"), equalsAutomaton("/a/x/b"), undefined],
    ['["{seg}"] starts with ["', text('["', seg(), '"]'), textAutomaton("startsWith", '["'), true],
    ["{seg}x starts with ab", text(seg(), "x"), textAutomaton("startsWith", "ab"), undefined],
    ["x{seg} starts with y", text("x", seg()), textAutomaton("startsWith", "y"), false],
    ["{seg}.azmk8s.io ends with .azmk8s.io", text(seg(), ".azmk8s.io"), textAutomaton("endsWith", ".azmk8s.io"), true],
    ["{seg}.io ends with x.io", text(seg(), ".io"), textAutomaton("endsWith", "x.io"), undefined],
    ["{seg}/y ends with /x", text(seg(), "/y"), textAutomaton("endsWith", "/x"), false],
    ["/a/{seg}/b contains //", text("/a/", seg(), "/b"), textAutomaton("contains", "//"), false],
    ["/a/{any}/b contains //", text("/a/", any(), "/b"), textAutomaton("contains", "//"), undefined],
    ["a{seg}b contains a", text("a", seg(), "b"), textAutomaton("contains", "a"), true],
    ["/{seg} contains /x: the segment may start with x", text("/", seg()), textAutomaton("contains", "/x"), undefined],
    ["{seg} contains a/b: a segment never holds /", text(seg()), textAutomaton("contains", "a/b"), false],
    ["the needle's * and ? are themselves", text("a*", seg()), textAutomaton("contains", "a*"), true],
    ["/{seg} like /*", text("/", seg()), globAutomaton("/*"), true],
    ["{seg} like .*", text(seg()), globAutomaton(".*"), undefined],
    ["x{seg} like ?x*", text("x", seg()), globAutomaton("?x*"), undefined],
    ["{seg}b like ?b: a segment of one character", text(seg(), "b"), globAutomaton("?b"), undefined],
    ["ab{seg} like a?: never just two", text("ab", seg()), globAutomaton("a?"), false],
    ["{any} like *", text(any()), globAutomaton("*"), true],
    ["a/x{seg} ends with /x: a match must stay at the end", text("a/x", seg()), textAutomaton("endsWith", "/x"), false],
    ["a/x{seg} contains /x", text("a/x", seg()), textAutomaton("contains", "/x"), true],
    ["y{seg} starts with y, {seg}y does not surely", text(seg(), "y"), textAutomaton("startsWith", "y"), undefined],
    ["a{any} equals ab: an unknown run may be just b, or not", text("a", any()), equalsAutomaton("ab"), undefined],
    // Sets of twelve and more states tell {0,1,2} from {0,12}.
    ["long needles keep their states apart", text("aaa", seg(), "aba//", seg(), "ab//abbba/bb", seg()), textAutomaton("contains", "aaabbaabaabb"), undefined],
    ["an empty needle", text(seg()), textAutomaton("endsWith", ""), true],
  ])("%s", (_name, t, automaton, expected) => {
    expect(decide(t, automaton)).toBe(expected);
  });

  test("the automata, step by step", () => {
    const ab = equalsAutomaton("ab");
    expect([ab.step(0, "a"), ab.step(1, "b"), ab.step(2, "b"), ab.accepts(1), ab.accepts(2), ab.size]).toEqual([[1], [2], [], false, true, 3]);
    const starts = textAutomaton("startsWith", "ab");
    expect([starts.step(0, "x"), starts.step(2, "x"), starts.accepts(2)]).toEqual([[], [2], true]);
    const ends = textAutomaton("endsWith", "ab");
    expect([ends.step(0, "a"), ends.step(2, "x"), ends.accepts(1)]).toEqual([[0, 1], [0], false]);
    const contains = textAutomaton("contains", "ab");
    expect([contains.step(1, "x"), contains.step(2, "x")]).toEqual([[0], [0, 2]]);
    const glob = globAutomaton("a*?");
    expect([glob.step(0, "a"), glob.step(1, "x"), glob.step(3, "x"), glob.accepts(3), glob.accepts(1), glob.size]).toEqual([[1, 2], [1, 2, 3], [], true, false, 4]);
    expect(globAutomaton("**").accepts(0)).toBe(true);
  });
});

describe("conditions and functions decide on partly known strings, or report them unknown", () => {
  const ZONE = text("/subscriptions/", seg("subscription().subscriptionId"), "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io").at("properties.zone");
  // A string that may be empty, and one that starts with "S".
  const MAYBE = text(any()).at("properties.maybe");
  const S = text("S", any()).at("properties.s");
  const resource = { type: "Microsoft.Test/things", name: "t", properties: { zone: ZONE, list: ["a", ZONE], maybe: MAYBE, s: S, object: { k: ZONE } } };
  const run = (condition: object, partial = true) => evaluatePolicy({ if: condition, then: { effect: "audit" } }, resource, { partial });
  const outcome = (condition: object) => {
    const r = run(condition);
    return r.thrown instanceof UnknownValue ? "unknown" : (r.error ?? r.matched);
  };
  const field = "Microsoft.Test/things/zone";
  const value = (expression: string) => `[${expression.replace(/ZONE/g, `field('${field}')`)}]`;

  test.each([
    [{ field, exists: true }, true],
    [{ field, exists: false }, false],
    [{ field, equals: "" }, false],
    [{ field, notEquals: "" }, true],
    [{ field, equals: "/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.network/privatednszones/privatelink.eastus.azmk8s.io" }, "unknown"],
    [{ field, equals: "/subscriptions//resourceGroups/rg" }, false],
    [{ field, equals: null }, false],
    [{ field, equals: 5 }, "unknown"],
    [{ field, notEquals: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io" }, "unknown"],
    [{ field, in: ["system", "none"] }, false],
    [{ field, notIn: ["system", "none"] }, true],
    [{ field, in: ["system", null, "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io"] }, "unknown"],
    [{ field, like: "/subscriptions/*" }, true],
    [{ field, notLike: "*.azmk8s.io" }, false],
    [{ field, like: 5 }, "unknown"],
    [{ field, contains: "//" }, false],
    [{ field, notContains: "privatelink" }, false],
    // A number is read as its text, which the subscription ID may hold; "x/y" it cannot: a `/` there is followed by "resourceGroups".
    [{ field, contains: 5 }, "unknown"],
    [{ field, contains: "x/y" }, false],
    [{ field, contains: { a: 1 } }, "unknown"],
    [{ field, greater: "a" }, "unknown"],
    [{ field, match: "/#" }, "unknown"],
    // An operand that holds one cannot be decided, nor an array that holds one.
    [{ value: "x", equals: value("ZONE") }, "unknown"],
    [{ value: value("createArray(ZONE)"), contains: "x" }, "unknown"],
    // Functions the generated definitions use on a zone ID.
    [{ value: value("length(split(toLower(ZONE), '/'))"), equals: 9 }, true],
    [{ value: value("split(toLower(ZONE), '/')[1]"), equals: "subscriptions" }, true],
    [{ value: value("concat(split(ZONE, '/')[3], '/', split(ZONE, '/')[5])"), equals: "resourceGroups/providers" }, true],
    [{ value: value("last(split(ZONE, '/'))"), equals: "privatelink.eastus.azmk8s.io" }, true],
    [{ value: value("first(split(ZONE, '/'))"), equals: "" }, true],
    [{ value: value("split(ZONE, createArray('/'))[7]"), equals: "privateDnsZones" }, true],
    [{ value: value("startsWith(string(createArray(coalesce(ZONE, ''))), '[\"')"), equals: true }, true],
    [{ value: value("endsWith(ZONE, '.AZMK8S.IO')"), equals: true }, true],
    [{ value: value("startsWith(ZONE, '/subscriptions/a')"), equals: true }, "unknown"],
    [{ value: value("toUpper(ZONE)"), like: "/SUBSCRIPTIONS/*" }, true],
    [{ value: value("concat('x', ZONE)"), like: "x/*" }, true],
    [{ value: value("empty(ZONE)"), equals: false }, true],
    [{ value: value("empty(createArray(ZONE))"), equals: false }, true],
    [{ value: value("length(createArray(ZONE, ZONE))"), equals: 2 }, true],
    [{ value: value("equals(ZONE, 'x')"), equals: false }, true],
    [{ value: value("equals(ZONE, 1)"), equals: false }, true],
    [{ value: value("equals(createArray(ZONE), createArray('x'))"), equals: false }, true],
    [{ value: value("equals(createArray(ZONE, 'a'), createArray(ZONE, 'a'))"), equals: true }, "unknown"],
    [{ value: value("equals(createArray(ZONE), createArray('x', 'y'))"), equals: false }, true],
    [{ value: value("equals(ZONE, ZONE)"), equals: true }, "unknown"],
    [{ value: value("contains(ZONE, '/resourceGroups/rg/')"), equals: true }, true],
    // Numbers, booleans and null join a partly known string as their text (null as nothing).
    [{ value: value("concat(ZONE, 5, true, null())"), like: "*.io5true" }, true],
    [{ value: value("concat(null(), ZONE)"), like: "/subscriptions/*" }, true],
    [{ value: value("concat(ZONE, createArray(1))"), exists: true }, "evaluation error: concat(): expects only strings or only arrays (in [concat(field('Microsoft.Test/things/zone'), createArray(1))])"],
    [{ value: value("concat(createArray(ZONE), createArray('x'))[1]"), equals: "x" }, true],
    // contains() is case-sensitive; startsWith()/endsWith() are not; toUpper() changes the known text.
    [{ value: value("contains(toUpper(ZONE), 'SUBSCRIPTIONS')"), equals: true }, true],
    [{ value: value("contains(ZONE, '/RESOURCEGROUPS/RG/')"), equals: false }, true],
    [{ value: value("startsWith(ZONE, '/SUBSCRIPTIONS/')"), equals: true }, true],
    [{ value: value("toUpper(createArray(ZONE))"), exists: true }, "unknown"],
    [{ value: value("split(createArray(ZONE), '/')"), exists: true }, "unknown"],
    // Arrays of different lengths, or with an element that differs, are unequal; objects holding one are unsure.
    [{ value: value("equals(createArray(ZONE), createArray(ZONE, 'y'))"), equals: false }, true],
    [{ value: value("equals(createArray(ZONE, 1), createArray(ZONE, 2))"), equals: false }, true],
    [{ value: value("equals(createArray(createObject('k', ZONE)), createArray(createObject('k', 'x')))"), exists: true }, "unknown"],
    [{ value: value("equals(createObject('a', ZONE), createObject('a', 'x'))"), exists: true }, "unknown"],
    [{ value: "[equals(field('Microsoft.Test/things/object'), createObject('k', 'x'))]", exists: true }, "unknown"],
    [{ value: "[equals(createObject('k', 'x'), field('Microsoft.Test/things/object'))]", exists: true }, "unknown"],
    [{ value: "[equals(createArray(field('Microsoft.Test/things/object')), createArray(createObject('k', 'x')))]", exists: true }, "unknown"],
    // null equals only "", which a string starting with "S" is not; in [null] nothing is ever in (null is skipped).
    [{ field: "Microsoft.Test/things/s", equals: null }, false],
    [{ field: "Microsoft.Test/things/maybe", equals: null }, "unknown"],
    [{ field: "Microsoft.Test/things/maybe", in: [null] }, false],
    [{ field: "Microsoft.Test/things/maybe", in: [null, "x"] }, "unknown"],
    [{ field, notContains: { a: 1 } }, "unknown"],
    // What no function here can decide on is unknown, never read as an object.
    [{ value: value("substring(ZONE, 0, 3)"), equals: "/su" }, "unknown"],
    [{ value: value("length(ZONE)"), greater: 0 }, "unknown"],
    [{ value: value("split(ZONE, 'rg')"), exists: true }, "unknown"],
    [{ value: value("split(ZONE, 5)"), exists: true }, "unknown"],
    [{ value: value("createObject('a', 1)[ZONE]"), exists: true }, "unknown"],
    [{ value: value("contains(createArray(ZONE), 'x')"), equals: false }, "unknown"],
    [{ value: value("startsWith(ZONE, 5)"), equals: true }, "unknown"],
    [{ value: value("tolower(createArray(ZONE))"), exists: true }, "unknown"],
    [{ value: value("last(ZONE)"), exists: true }, "unknown"],
    [{ value: value("empty(5)"), exists: true }, "evaluation error: empty(): expected a string, array or object, got 5 (in [empty(5)])"],
    // A string has no members, whatever its text.
    [{ value: value("ZONE.name"), exists: true }, expect.stringMatching(/^evaluation error: cannot access "name" on a string/)],
  ])("%j", (condition, expected) => {
    expect(outcome(condition)).toEqual(expected);
  });

  test("startsWith() on a partly known string folds case as it does on a known one", () => {
    // "ſ" (long s) upper-cases to "S" but lower-cases to itself: both paths lower-case.
    const known = evaluatePolicy({ if: { value: "[startsWith('/subscriptions/x', '/ſubscriptions')]", equals: true }, then: { effect: "audit" } }, resource);
    expect(outcome({ value: value("startsWith(ZONE, '/ſubscriptions')"), equals: true })).toBe(known.matched);
    expect(known.matched).toBe(false);
  });

  test("empty() of one is false when its known text is not empty, else unknown; a partial() given none is a bug", () => {
    const env: Env = { resolver: undefined as never, template: { lookup: (name) => FUNCTIONS[name] } };
    expect(FUNCTIONS.empty.partial!([text("S", any())], {} as never, env)).toBe(false);
    expect(() => FUNCTIONS.empty.partial!([text(any())], {} as never, env)).toThrow(UnknownValue);
    expect(() => FUNCTIONS.tolower.partial!([5], {} as never, env)).toThrow(new PolicyError("expected a partly known argument"));
  });

  test("counting over a list holding one: each member on its own", () => {
    expect(outcome({ count: { field: "Microsoft.Test/things/list[*]", where: { field: "Microsoft.Test/things/list[*]", like: "/subscriptions/*" } }, equals: 1 })).toBe(true);
  });

  test("the unknown names where the string sits and what it is", () => {
    const r = run({ field, equals: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io" });
    expect((r.thrown as UnknownValue).value).toBe(ZONE);
    expect((r.thrown as Error).message).toBe(`properties.zone is only partly known (${ZONE.toString()}), and its completions differ on this`);
    expect(new UnknownValue(text("a", seg())).message).toBe("a value is only partly known (a{sub}), and its completions differ on this");
  });

  test("without `partial`, an evaluation does not look for them (a caller that puts none in pays nothing)", () => {
    expect(run({ field, exists: true }, false).matched).toBe(true);
  });

  test("a function's partial() is declared only where it decides", () => {
    const deciding = Object.keys(FUNCTIONS).filter((name) => FUNCTIONS[name].partial);
    expect(deciding.sort()).toEqual(["coalesce", "concat", "contains", "createarray", "empty", "endswith", "equals", "first", "last", "length", "split", "startswith", "string", "tolower", "toupper"]);
  });
});

describe("limits and merges", () => {
  const valueOf = (expression: string) => {
    const r = evaluatePolicy({ if: { value: `[${expression}]`, equals: "never" }, then: { effect: "audit" } }, { type: "x" });
    return r.error ?? "ok";
  };
  const templateEnv: Env = { resolver: undefined as never, template: { lookup: (name) => FUNCTIONS[name] } };

  test.each([
    ["range(0, 10000)", "ok"],
    ["range(0, 10001)", "evaluation error: range(): a count of 10001 is more than 10000 (in [range(0, 10001)])"],
    ["range(2147483640, 7)", "ok"],
    ["range(2147483640, 8)", "evaluation error: range(): startIndex + count is more than 2147483647 (in [range(2147483640, 8)])"],
    ["padLeft('x', 131072)", "ok"],
    ["padLeft('x', 131073)", "evaluation error: padLeft(): a length of 131073 is more than a policy function's result may hold (131072) (in [padLeft('x', 131073)])"],
    ["replace(padLeft('', 65536, 'a'), 'a', 'aa')", "ok"],
    ["replace(padLeft('', 65537, 'a'), 'a', 'aa')", expect.stringContaining("replace(): the result of 131074 characters is more than a policy function's result may hold (131072)")],
    ["uriComponentToString('%')", expect.stringContaining('uriComponentToString(): not a valid URI component: "%"')],
    ["dataUriToString('data:,%E0')", expect.stringContaining('dataUriToString(): not a valid URI component: "%E0"')],
    [`${"not(".repeat(32)}true${")".repeat(32)}`, "ok"],
    [`${"not(".repeat(64)}true${")".repeat(64)}`, expect.stringMatching(/^invalid policy definition: invalid expression .*: nested more than 64 levels deep/)],
  ])("%s", (expression, expected) => {
    expect(valueOf(expression)).toEqual(expected);
  });

  test("a template allows its own bounds: 1 MB strings and 256 nested calls", () => {
    expect(compileExpression(`[${"not(".repeat(200)}true${")".repeat(200)}]`, templateEnv).value).toBe(true);
    expect(() => compileExpression(`[${"not(".repeat(257)}true${")".repeat(257)}]`, templateEnv)).toThrow(/nested more than 256 levels deep/);
    expect((compileExpression("[padLeft('x', 1048576)]", templateEnv).fn({} as never) as string).length).toBe(1048576);
    expect(() => compileExpression("[padLeft('x', 1048577)]", templateEnv).fn({} as never)).toThrow(PolicyError);
  });

  test("min() and max() of a list longer than a call takes arguments", () => {
    const numbers = Array.from({ length: 200_000 }, (_, i) => i);
    expect(FUNCTIONS.max.call([numbers], {} as never, templateEnv)).toBe(199_999);
    expect(FUNCTIONS.min.call([numbers], {} as never, templateEnv)).toBe(0);
  });

  test("union() merges nested objects and replaces nested arrays, as Object functions for ARM templates shows", () => {
    const first = { property: { one: "a", two: "b", three: "c1" }, nestedArray: [1, 2] };
    const second = { property: { three: "c2", four: "d", five: "e" }, nestedArray: [3, 4] };
    expect(FUNCTIONS.union.call([first, second], {} as never, templateEnv)).toEqual({ property: { one: "a", two: "b", three: "c2", four: "d", five: "e" }, nestedArray: [3, 4] });
    // Names match without regard to case; the first spelling stays.
    expect(FUNCTIONS.union.call([{ Prop: { a: 1 } }, { prop: { b: 2 } }], {} as never, templateEnv)).toEqual({ Prop: { a: 1, b: 2 } });
    // A template's unknown object merged with a known one stays unknown; a known one replaced by an unknown one is unknown.
    const unknown = new Unresolved("u");
    expect(FUNCTIONS.union.call([{ p: unknown }, { p: { b: 2 } }], {} as never, templateEnv)).toEqual({ p: unknown });
    expect(FUNCTIONS.union.call([{ p: { a: 1 } }, { p: unknown }], {} as never, templateEnv)).toEqual({ p: unknown });
    expect(FUNCTIONS.union.call([{ p: text("a", seg()) }, { p: { b: 2 } }], {} as never, templateEnv)).toEqual({ p: { b: 2 } });
    // A member named __proto__ is data, in union() and createObject() alike.
    const merged = FUNCTIONS.union.call([{ a: 1 }, JSON.parse('{"__proto__": {"x": 1}}')], {} as never, templateEnv) as object;
    expect([Object.keys(merged), Object.getPrototypeOf(merged)]).toEqual([["a", "__proto__"], Object.prototype]);
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")).toEqual({ value: { x: 1 }, enumerable: true, writable: true, configurable: true });
    const created = FUNCTIONS.createobject.call(["__proto__", { x: 1 }], {} as never, templateEnv) as object;
    expect([Object.keys(created), Object.getPrototypeOf(created)]).toEqual([["__proto__"], Object.prototype]);
    expect(FUNCTIONS.union.call([{ a: 1 }, { b: 2 }], {} as never, templateEnv)).toEqual({ a: 1, b: 2 });
  });

  test("an unknown member of resourceGroup() is what the deployment knows; a known one is known", () => {
    const group = new Unresolved("resourceGroup() is only known at deployment", { type: "Microsoft.Resources/resourceGroups" });
    const env: Env = { resolver: undefined as never, template: { lookup: (name) => (name === "rg" ? { arity: [0, 0], call: () => group, contextual: true } : FUNCTIONS[name]) } };
    expect(compileExpression("[rg().type]", env).fn({} as never)).toBe("Microsoft.Resources/resourceGroups");
    expect(compileExpression("[rg().location]", env).fn({} as never)).toBe(group);
    expect(compileExpression("[rg()[1]]", env).fn({} as never)).toBe(group);
    expect(compileExpression("[createObject('a', 1)[rg().type]]", env).fn({} as never)).toBe(null);
  });
});
