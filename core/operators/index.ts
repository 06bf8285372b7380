/**
 * The closed operator set. Each operator has, side by side:
 *   - its reference semantics (a function of core/semantics/semantics.ts, also shipped in the pack),
 *   - its CrossGuard rendering (a call of that same function),
 *   - its Azure Policy rendering, plus what that rendering yields when the property is absent, so
 *     the generator can make Azure judge an absent property as the cloud default (see azure-policy.ts).
 * Adding an operator means adding all three here.
 */
import * as semantics from "../semantics/semantics";
import type { FieldType } from "../targets";
import type { Literal } from "../ir/types";

export type AzureCondition = Record<string, unknown>;

/** What an operator accepts as its operand, checked by the catalog loader. */
export type OperandKind = "scalar" | "list" | "boolean" | "integer";

export interface Operator {
  description: string;
  operand: OperandKind;
  /** May the operand be a rule parameter (`{param: name}`)? */
  acceptsParam: boolean;
  /** Field types the operator applies to. */
  fieldTypes: FieldType[];
  /** Reference semantics. */
  evaluate(actual: unknown, operand: unknown): semantics.Tri;
  /** Name of the semantics function the CrossGuard rendering calls. */
  tsFunction: keyof typeof semantics;
  /** Azure Policy condition over an alias; `operand` is a JSON literal or a `[parameters('x')]` expression. */
  azure(alias: string, operand: unknown): AzureCondition;
  /** What `azure()` evaluates to when the property is absent (Azure's own semantics). */
  azureWhenAbsent(operand: unknown): boolean;
}

/** The current element of a field count over `alias[*]`. */
const current = (alias: string) => `current('${alias}[*]')`;

/**
 * Template-function text for "x is a string". `string()` of an array is its compact JSON text
 * (`["a","b","c"]`, ARM template functions - string), so the one-element array `createArray(x)`
 * reads `["` exactly when x is a string: a number gives `[5`, a boolean `[t`, null `[n`, an object `[{`,
 * an array `[[`. `createArray()` takes a value of any JSON type: Bicep compiles every array literal
 * to it (Azure/bicep ExpressionConverter.ConvertArray). Not `equals(string(x), x)`: engines that
 * coerce in `equals()` (regorus: '5' equals 5) would let numbers and booleans through to trim().
 */
const isString = (x: string) => `startsWith(string(createArray(${x})), '["')`;

/**
 * x when it is a string, else ''. Azure's if() evaluates only the branch it selects, so a guard
 * alone keeps trim() away from numbers; engines that evaluate both branches (regorus: its if() is an
 * ordinary call, and a call on a wrongly typed value is undefined) also need the value itself to be text.
 */
const asText = (x: string) => `if(${isString(x)}, ${x}, '')`;

/** `[parameters('x')]` → `parameters('x')`; a literal → its JSON inside an expression. */
function inExpression(operand: unknown): string {
  return typeof operand === "string" && operand.startsWith("[") ? operand.slice(1, -1) : JSON.stringify(operand);
}

/**
 * Azure rendering of semantics.isBroaderThan for the element being counted; keep the two in step.
 * `if()` evaluates only the branch it selects ("When the condition is True, only the true value is
 * evaluated", ARM template functions - logical, https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-logical#if),
 * so every function below only ever sees a string and `int()` only a plain decimal: a template
 * function that failed would deny the request.
 */
/** An expression: whether a string expression holds decimal digits only (true for ''). */
function digitsOnlyExpression(text: string): string {
  return `empty(${["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"].reduce((acc, d) => `replace(${acc}, '${d}', '')`, text)})`;
}

function broaderThanExpression(alias: string, minPrefix: unknown): string {
  const c = current(alias);
  const text = `trim(${asText(c)})`;
  const prefix = `last(split(${text}, '/'))`;
  const digitsOnly = digitsOnlyExpression(prefix);
  const canonical = `and(not(empty(${prefix})), lessOrEquals(length(${prefix}), 3), ${digitsOnly}, or(equals(${prefix}, '0'), not(startsWith(${prefix}, '0'))))`;
  const ipv6 = `contains(${text}, ':')`;
  const tooWide = `greater(int(${prefix}), if(${ipv6}, 128, 32))`;
  const effective = `sub(int(${prefix}), if(${ipv6}, 96, 0))`;
  const narrowEnough = `if(${tooWide}, false, greaterOrEquals(${effective}, max(${inExpression(minPrefix)}, 1)))`;
  const allZero = `empty(${["0", ".", ":"].reduce((acc, ch) => `replace(${acc}, '${ch}', '')`, `replace(toLower(${text}), ':ffff:', ':')`)})`;
  return `[if(not(${isString(c)}), true, if(empty(${text}), false, ` + `if(not(contains(${text}, '/')), ${allZero}, ` + `if(${canonical}, not(${narrowEnough}), true))))]`;
}

/** Azure rendering of semantics.isBlankRange for the element being counted. */
function nonBlankExpression(alias: string): string {
  const c = current(alias);
  return `[if(${isString(c)}, not(empty(trim(${asText(c)}))), true)]`;
}

/**
 * Azure rendering of semantics.isAksZoneId as plain conditions; keep the two in step. The field is
 * read as lower-case text, '' when absent or not a string, so no function ever fails on it.
 */
function aksZoneIdConditions(alias: string, label: string, suffixes: unknown): AzureCondition[] {
  const raw = `coalesce(field('${alias}'), '')`;
  const id = `toLower(if(${isString(raw)}, ${raw}, ''))`;
  const segments = `split(${id}, '/')`;
  const nineSegments = `equals(length(${segments}), 9)`;
  const seg = (i: number) => `${segments}[${i}]`;
  return [
    { value: `[length(${segments})]`, equals: 9 },
    { value: `[${id}]`, like: "/*" },
    { value: `[${id}]`, notContains: "//" },
    {
      value: `[if(${nineSegments}, concat(${[1, 3, 5, 6, 7].map(seg).join(", '/', ")}), '')]`,
      equals: "subscriptions/resourceGroups/providers/Microsoft.Network/privateDnsZones",
    },
    ...aksZoneNameConditions(`last(${segments})`, label, suffixes),
  ];
}

/** Azure rendering of semantics.isAksZoneName over a lower-case string expression `zone`. */
function aksZoneNameConditions(zone: string, label: string, suffixes: unknown): AzureCondition[] {
  const suffix = "toLower(current('suffix'))";
  const rest = `substring(${zone}, 0, sub(length(${zone}), add(length(${suffix}), 1)))`;
  const labels = `split(${rest}, '.')`;
  const count = `length(${labels})`;
  const labelMatches = `if(or(equals(${count}, 2), equals(${count}, 3)), equals(${labels}[sub(${count}, 2)], '${label}'), false)`;
  const suffixMatches = `[if(${isString("current('suffix')")}, if(empty(current('suffix')), false, ` + `if(endsWith(${zone}, concat('.', ${suffix})), ${labelMatches}, false)), false)]`;
  return [
    { value: `[${zone}]`, notLike: ".*" },
    { value: `[${zone}]`, notContains: ".." },
    // The subzone, when there is one, is the first label, at most MAX_SUBZONE_LENGTH characters; without
    // one the first label is `label` itself, which is shorter. A condition of its own: regorus compiles
    // each expression into at most 255 registers, and the suffix match below is near that.
    { value: `[length(first(split(${zone}, '.')))]`, lessOrEquals: semantics.MAX_SUBZONE_LENGTH },
    { count: { value: suffixes, name: "suffix", where: { value: suffixMatches, equals: true } }, greater: 0 },
  ];
}

/** Azure rendering of semantics.isAksPrivateDnsZoneName; keep the two in step. */
function aksPrivateDnsZoneNameCondition(alias: string): AzureCondition {
  const raw = `coalesce(field('${alias}'), '')`;
  const zone = `toLower(if(${isString(raw)}, ${raw}, ''))`;
  return { anyOf: ["privatelink", "private"].map((label) => ({ allOf: aksZoneNameConditions(zone, label, [...semantics.AKS_ZONE_SUFFIXES]) })) };
}

/** `true` when the field is not a zone ID of the form `[<subzone>.]<label>.<region>.<suffix>`. */
function notZoneIdOperator(tsFunction: "notPrivateLinkZoneId" | "notVnetIntegrationZoneId", label: string, description: string): Operator {
  return {
    description,
    operand: "list",
    acceptsParam: true,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics[tsFunction](a, o),
    tsFunction,
    azure: (alias, o) => ({ not: { allOf: aksZoneIdConditions(alias, label, o) } }),
    azureWhenAbsent: () => true,
  };
}

/**
 * Azure rendering of semantics.isPortCovered for any of `ports`; keep the two in step. `value` is an
 * expression for the port specification; `if()` is lazy, which keeps `int()` away from non-numbers.
 */
function portCoveredExpression(value: string, ports: unknown): string {
  const list = (ports as number[]).map(Number);
  const s = `string(coalesce(${value}, ''))`;
  const bounds = `split(${s}, '-')`;
  const short = `lessOrEquals(length(${s}), 11)`;
  const single = `if(and(not(empty(${s})), ${short}, ${digitsOnlyExpression(s)}), contains(createArray(${list.join(", ")}), int(${s})), false)`;
  const lo = `first(${bounds})`;
  const hi = `last(${bounds})`;
  const isRange = `and(${short}, equals(length(${bounds}), 2), not(empty(${lo})), not(empty(${hi})), ${digitsOnlyExpression(lo)}, ${digitsOnlyExpression(hi)})`;
  const inRange = `or(${list.map((p) => `and(lessOrEquals(int(${lo}), ${p}), greaterOrEquals(int(${hi}), ${p}))`).join(", ")})`;
  return `[or(equals(${s}, '*'), ${single}, if(${isRange}, ${inRange}, false))]`;
}

/** An ARM expression string literal: single quotes, a quote inside doubled. */
const armString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** `createArray('a', 'b', ...)`: a literal list of texts inside an expression. */
const textList = (texts: readonly string[]) => `createArray(${texts.map(armString).join(", ")})`;

/**
 * Azure rendering of semantics.isInternetSource for the value `raw` (a field() or current() call);
 * keep the two in step. Azure Policy has no variables, so two value counts over a one-element array
 * stand in for them ("Azure Policy definition structure policy rule", value count: `name` and
 * current(name), https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#value-count):
 * `source` holds the trimmed, lower-cased text, its address and its prefix text; `sourceParts` the
 * prefix as a number (-1 when it is no number of at most three digits), the first three octets and
 * the first hex digit. That keeps the rule within the 2048 functions and 10 value counts Azure allows
 * it ("Policy rule limits", same page), and the tests hold every definition to those limits. The rest
 * are conditions, which call no function and keep each expression small (regorus compiles one
 * expression into at most 255 registers). No function here can fail: text reaches split(), int()
 * only sees one to three digits (if() selects them; the other branch is '-1' for engines that
 * evaluate both), indexes stay inside texts padded with separators, and no address is parsed
 * (ipRangeContains fails on text it cannot parse, so it is not used).
 */
function internetSourceCondition(raw: string, prefixLength: unknown): AzureCondition {
  const text = `toLower(trim(${asText(raw)}))`;
  const source = (i: number) => `current('source')[${i}]`;
  const [s, address, prefixText] = [source(0), source(1), source(2)];
  const digits = textList(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  const shortNumber = `and(not(empty(${prefixText})), lessOrEquals(length(${prefixText}), 3), equals(length(split(${prefixText}, ${digits})), add(length(${prefixText}), 1)))`;
  // Padded with three dots, so the first three parts always exist (regorus's concat() joins only text).
  const octets = `split(concat(${address}, '...'), '.')`;
  const group = `first(split(${address}, ':'))`;
  const nibble = `if(equals(length(${group}), 4), take(${group}, 1), if(less(length(${group}), 4), '0', 'x'))`;
  const part = (i: number) => `[current('sourceParts')[${i}]]`;
  const value = (expression: string, rest: object): AzureCondition => ({ value: `[${expression}]`, ...rest });
  const ipv6 = `contains(${address}, ':')`;
  // semantics.sourceParts: a prefix counts only as one '/' followed by a canonical decimal within the family's width.
  const canonicalPrefix: AzureCondition = {
    allOf: [
      { value: `[length(split(${s}, '/'))]`, equals: 2 },
      { value: part(0), greaterOrEquals: 0 },
      { anyOf: [value(prefixText, { equals: "0" }), value(`startsWith(${prefixText}, '0')`, { equals: false })] },
      { value: part(0), lessOrEquals: `[if(${ipv6}, 128, 32)]` },
    ],
  };
  const inV4Block = (b: (typeof semantics.NON_INTERNET_IPV4)[number]): AzureCondition => ({
    allOf: [{ value: part(0), greaterOrEquals: b.prefix }, ...b.octets.map((texts, i) => ({ value: part(i + 1), in: [...texts] }))],
  });
  const inV6Block = (b: (typeof semantics.NON_INTERNET_IPV6)[number]): AzureCondition => ({
    allOf: [
      { value: part(0), greaterOrEquals: b.prefix },
      { value: part(4), in: [...b.nibbles] },
    ],
  });
  const inBlock: AzureCondition = {
    allOf: [
      canonicalPrefix,
      {
        anyOf: [{ allOf: [value(ipv6, { equals: false }), { anyOf: semantics.NON_INTERNET_IPV4.map(inV4Block) }] }, { allOf: [value(ipv6, { equals: true }), { anyOf: semantics.NON_INTERNET_IPV6.map(inV6Block) }] }],
      },
    ],
  };
  // A prefix that is no canonical decimal reads as /0, which is always broad.
  const broad: AzureCondition = { anyOf: [{ not: canonicalPrefix }, value(`less(current('sourceParts')[0], max(${inExpression(prefixLength)}, 1))`, { equals: true })] };
  const allZero = `and(not(empty(${s})), empty(${["0", ".", ":"].reduce((acc, ch) => `replace(${acc}, '${ch}', '')`, `replace(${s}, ':ffff:', ':')`)}))`;
  const internet: AzureCondition = {
    anyOf: [
      value(s, { in: [...semantics.INTERNET_KEYWORDS] }),
      { allOf: [value(`contains(${s}, '/')`, { equals: false }), value(allZero, { equals: true })] },
      { allOf: [value(`contains(${s}, '/')`, { equals: true }), broad, { not: inBlock }] },
    ],
  };
  return {
    count: {
      value: `[createArray(createArray(${text}, first(split(${text}, '/')), last(split(${text}, '/'))))]`,
      name: "source",
      where: {
        count: {
          value: `[createArray(createArray(int(if(${shortNumber}, ${prefixText}, '-1')), ${octets}[0], ${octets}[1], ${octets}[2], ${nibble}))]`,
          name: "sourceParts",
          where: internet,
        },
        greater: 0,
      },
    },
    greater: 0,
  };
}

/**
 * Azure rendering of semantics.isTagged; `spec` is an expression for the `name[=value]` text. Tags are
 * Azure Policy's `tags[<name>]` fields, named by an expression as Microsoft's tag built-ins do
 * ("[concat('tags[', parameters('tagName'), ']')]"). A name the field syntax cannot hold (empty, or with
 * a quote or bracket) becomes `<apiguard:no-tag>`, which no tag can carry (Azure refuses `<` in tag
 * names), so the field always parses and names no tag. The value is skip() past the first `=` (not
 * substring() without a length, which regorus does not evaluate); a spec without `=` gives indexOf()
 * -1, so skip() keeps it whole: every function here only ever reads text.
 */
function taggedCondition(tags: string, spec: string): AzureCondition {
  const name = `first(split(${spec}, '='))`;
  const unusable = `or(empty(${name}), ${semantics.UNADDRESSABLE_TAG_CHARACTERS.map((c) => `contains(${name}, ${armString(c)})`).join(", ")})`;
  const field = `[concat('${tags}[', if(${unusable}, '${semantics.NO_TAG}', ${name}), ']')]`;
  return {
    anyOf: [
      {
        allOf: [
          { value: `[contains(${spec}, '=')]`, equals: false },
          { field, exists: true },
        ],
      },
      {
        allOf: [
          { value: `[contains(${spec}, '=')]`, equals: true },
          { field, equals: `[skip(${spec}, add(indexOf(${spec}, '='), 1))]` },
        ],
      },
    ],
  };
}

/** The operators by name, in the order the schema and error messages list them. */
const OPERATORS = {
  equals: {
    description: 'The value equals the operand (strings case-insensitive; "true"/"false" strings equal booleans).',
    operand: "scalar",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.equals(a, o),
    tsFunction: "equals",
    azure: (alias, o) => ({ field: alias, equals: o }),
    azureWhenAbsent: () => false,
  },
  notEquals: {
    description: "The value does not equal the operand.",
    operand: "scalar",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.notEquals(a, o),
    tsFunction: "notEquals",
    azure: (alias, o) => ({ field: alias, notEquals: o }),
    azureWhenAbsent: () => true,
  },
  in: {
    description: "The value equals one of the operands.",
    operand: "list",
    acceptsParam: true,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.isIn(a, o as Literal[]),
    tsFunction: "isIn",
    azure: (alias, o) => ({ field: alias, in: o }),
    azureWhenAbsent: () => false,
  },
  notIn: {
    description: "The value equals none of the operands.",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.notIn(a, o as Literal[]),
    tsFunction: "notIn",
    azure: (alias, o) => ({ field: alias, notIn: o }),
    azureWhenAbsent: () => true,
  },
  isEmpty: {
    description: "`true`: the list has no elements (absent, `[]` and blank strings alike). `false`: it has at least one.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.isEmpty(a, o as boolean),
    tsFunction: "isEmpty",
    // `count`, not `exists`: an empty array exists.
    azure: (alias, o) => {
      const nonBlank = { count: { field: `${alias}[*]`, where: { value: nonBlankExpression(alias), equals: true } } };
      return o ? { ...nonBlank, equals: 0 } : { ...nonBlank, greater: 0 };
    },
    azureWhenAbsent: (o) => o === true,
  },
  anyBroaderThan: {
    description: "Some CIDR admits more addresses than a /N IPv4 block (see semantics.isBroaderThan).",
    operand: "integer",
    acceptsParam: true,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.anyBroaderThan(a, o),
    tsFunction: "anyBroaderThan",
    azure: (alias, o) => ({
      count: { field: `${alias}[*]`, where: { value: broaderThanExpression(alias, o), equals: true } },
      greater: 0,
    }),
    azureWhenAbsent: () => false,
  },
  validAksPrivateDnsZoneId: {
    description: "`true`: the value is a private DNS zone resource ID named `[<subzone>.]privatelink.<region>.azmk8s.io`.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.validAksPrivateDnsZoneId(a, o as boolean),
    tsFunction: "validAksPrivateDnsZoneId",
    azure: (alias, o) => {
      const conditions = aksZoneIdConditions(alias, "privatelink", [semantics.AZURE_PUBLIC_ZONE_SUFFIX]);
      return o ? { allOf: conditions } : { not: { allOf: conditions } };
    },
    azureWhenAbsent: (o) => o === false,
  },
  notPrivateLinkZoneId: notZoneIdOperator(
    "notPrivateLinkZoneId",
    "privatelink",
    "The value is not a private DNS zone resource ID named `[<subzone>.]privatelink.<region>.<suffix>` for one of the listed DNS suffixes (Private Link clusters).",
  ),
  notVnetIntegrationZoneId: notZoneIdOperator(
    "notVnetIntegrationZoneId",
    "private",
    "The value is not a private DNS zone resource ID named `[<subzone>.]private.<region>.<suffix>` for one of the listed DNS suffixes (API Server VNet Integration clusters).",
  ),
  anyIn: {
    description: "Some element of the list equals one of the operands (strings case-insensitive).",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.anyIn(a, o as Literal[]),
    tsFunction: "anyIn",
    azure: (alias, o) => ({ count: { field: `${alias}[*]`, where: { field: `${alias}[*]`, in: o } }, greater: 0 }),
    azureWhenAbsent: () => false,
  },
  coversPort: {
    description: "The port specification (`*`, `22`, `20-25`) admits one of the operand ports (see semantics.isPortCovered).",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.coversPort(a, o as Literal[]),
    tsFunction: "coversPort",
    // Inside a count over the rules (`…securityRules[*].destinationPortRange`) the element's value is current(), not field().
    azure: (alias, o) => ({ value: portCoveredExpression(alias.includes("[*]") ? `current('${alias}')` : `field('${alias}')`, o), equals: true }),
    azureWhenAbsent: () => false,
  },
  anyCoversPort: {
    description: "Some port specification of the list admits one of the operand ports.",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.anyCoversPort(a, o as Literal[]),
    tsFunction: "anyCoversPort",
    azure: (alias, o) => ({
      count: { field: `${alias}[*]`, where: { value: portCoveredExpression(current(alias), o), equals: true } },
      greater: 0,
    }),
    azureWhenAbsent: () => false,
  },
  admitsInternet: {
    description: "The source (`*`, `Internet`, a CIDR, ...) admits the internet: see semantics.isInternetSource; the operand is the prefix length broader than which a block of public addresses counts as the internet.",
    operand: "integer",
    acceptsParam: true,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.admitsInternet(a, o),
    tsFunction: "admitsInternet",
    // Inside a count over the rules (`…securityRules[*].sourceAddressPrefix`) the element's value is current(), not field().
    azure: (alias, o) => internetSourceCondition(alias.includes("[*]") ? `current('${alias}')` : `field('${alias}')`, o),
    azureWhenAbsent: () => false,
  },
  anyAdmitsInternet: {
    description: "Some source of the list admits the internet (see admitsInternet).",
    operand: "integer",
    acceptsParam: true,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.anyAdmitsInternet(a, o),
    tsFunction: "anyAdmitsInternet",
    azure: (alias, o) => ({ count: { field: `${alias}[*]`, where: internetSourceCondition(current(alias), o) }, greater: 0 }),
    azureWhenAbsent: () => false,
  },
  hasTag: {
    description: "The resource carries the tag the operand names: `name=value` (that value, any casing) or `name` (any value). Tag names ignore case.",
    operand: "scalar",
    acceptsParam: true,
    fieldTypes: ["stringMap"],
    evaluate: (a, o) => semantics.hasTag(a, o),
    tsFunction: "hasTag",
    azure: (alias, o) => taggedCondition(alias, typeof o === "string" && o.startsWith("[") ? o.slice(1, -1) : armString(String(o))),
    azureWhenAbsent: () => false,
  },
  aksPrivateDnsZoneName: {
    description: "`true`: the value is a private DNS zone name AKS uses, `[<subzone>.]privatelink|private.<region>.<suffix>` in Azure's public, US Government or China cloud.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.aksPrivateDnsZoneName(a, o as boolean),
    tsFunction: "aksPrivateDnsZoneName",
    azure: (alias, o) => (o ? aksPrivateDnsZoneNameCondition(alias) : { not: aksPrivateDnsZoneNameCondition(alias) }),
    azureWhenAbsent: (o) => o === false,
  },
} satisfies Record<string, Operator>;

export type OperatorName = keyof typeof OPERATORS;

export function isOperatorName(name: string): name is OperatorName {
  return Object.hasOwn(OPERATORS, name);
}

/** A named operator: the name is a type, so the lookup cannot fail. */
export function operator(name: OperatorName): Operator {
  return OPERATORS[name];
}

export const OPERATOR_NAMES: readonly OperatorName[] = Object.keys(OPERATORS).filter(isOperatorName);
