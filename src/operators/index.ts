/**
 * The closed operator set. Each operator has, side by side:
 *   - its reference semantics (a function of src/semantics/semantics.ts, also shipped in the pack),
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
  name: string;
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
 * Azure rendering of semantics.isBroaderThan for the element being counted; keep the two in step.
 * `if()` is lazy in Azure Policy, which keeps `int()` away from prefixes that are not numbers.
 */
/** An expression: whether a string expression holds decimal digits only (true for ''). */
function digitsOnlyExpression(text: string): string {
  return `empty(${["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"].reduce((acc, d) => `replace(${acc}, '${d}', '')`, text)})`;
}

function broaderThanExpression(alias: string, minPrefix: unknown): string {
  const c = current(alias);
  const prefix = `last(split(${c}, '/'))`;
  const digitsOnly = digitsOnlyExpression(prefix);
  const canonical = `and(not(empty(${prefix})), lessOrEquals(length(${prefix}), 3), ${digitsOnly}, or(equals(${prefix}, '0'), not(startsWith(${prefix}, '0'))))`;
  const ipv6 = `contains(${c}, ':')`;
  const tooWide = `greater(int(${prefix}), if(${ipv6}, 128, 32))`;
  const effective = `sub(int(${prefix}), if(${ipv6}, 96, 0))`;
  const min = typeof minPrefix === "string" && minPrefix.startsWith("[") ? minPrefix.slice(1, -1) : JSON.stringify(minPrefix);
  const narrowEnough = `if(${tooWide}, false, greaterOrEquals(${effective}, max(${min}, 1)))`;
  return (
    `[if(not(contains(${c}, '/')), or(equals(${c}, '0.0.0.0'), equals(${c}, '::')), ` +
    `if(${canonical}, not(${narrowEnough}), true))]`
  );
}

/** Azure rendering of semantics.isAksPrivateDnsZoneId as plain conditions; keep the two in step. */
function aksPrivateDnsZoneIdConditions(alias: string): AzureCondition[] {
  const id = `coalesce(field('${alias}'), '')`;
  const segments = `split(${id}, '/')`;
  const nineSegments = `equals(length(${segments}), 9)`;
  const zoneLabels = `split(last(${segments}), '.')`;
  const labelCount = `length(${zoneLabels})`;
  const seg = (i: number) => `${segments}[${i}]`;
  return [
    { value: `[length(${segments})]`, equals: 9 },
    { field: alias, like: "/*" },
    { field: alias, notContains: "//" },
    {
      value: `[if(${nineSegments}, concat(${[1, 3, 5, 6, 7].map(seg).join(", '/', ")}), '')]`,
      equals: "subscriptions/resourceGroups/providers/Microsoft.Network/privateDnsZones",
    },
    { field: alias, like: "*.azmk8s.io" },
    { field: alias, notContains: ".." },
    { field: alias, notContains: "/." },
    { value: `[${labelCount}]`, in: [4, 5] },
    { value: `[if(greaterOrEquals(${labelCount}, 4), ${zoneLabels}[sub(${labelCount}, 4)], '')]`, equals: "privatelink" },
  ];
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

/** Azure rendering of semantics.isAksPrivateDnsZoneName; keep the two in step. */
function aksPrivateDnsZoneNameConditions(alias: string): AzureCondition[] {
  const labels = `split(coalesce(field('${alias}'), ''), '.')`;
  const count = `length(${labels})`;
  return [
    { field: alias, like: "*.azmk8s.io" },
    { field: alias, notLike: ".*" },
    { field: alias, notContains: ".." },
    { value: `[${count}]`, in: [4, 5] },
    { value: `[if(greaterOrEquals(${count}, 4), ${labels}[sub(${count}, 4)], '')]`, equals: "privatelink" },
  ];
}

const OPERATORS: readonly Operator[] = [
  {
    name: "equals",
    description: "The value equals the operand (strings case-insensitive; \"true\"/\"false\" strings equal booleans).",
    operand: "scalar",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.equals(a, o),
    tsFunction: "equals",
    azure: (alias, o) => ({ field: alias, equals: o }),
    azureWhenAbsent: () => false,
  },
  {
    name: "notEquals",
    description: "The value does not equal the operand.",
    operand: "scalar",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.notEquals(a, o),
    tsFunction: "notEquals",
    azure: (alias, o) => ({ field: alias, notEquals: o }),
    azureWhenAbsent: () => true,
  },
  {
    name: "in",
    description: "The value equals one of the operands.",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.isIn(a, o as Literal[]),
    tsFunction: "isIn",
    azure: (alias, o) => ({ field: alias, in: o }),
    azureWhenAbsent: () => false,
  },
  {
    name: "notIn",
    description: "The value equals none of the operands.",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["boolean", "string"],
    evaluate: (a, o) => semantics.notIn(a, o as Literal[]),
    tsFunction: "notIn",
    azure: (alias, o) => ({ field: alias, notIn: o }),
    azureWhenAbsent: () => true,
  },
  {
    name: "isEmpty",
    description: "`true`: the list has no elements (absent and `[]` alike). `false`: it has at least one.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.isEmpty(a, o as boolean),
    tsFunction: "isEmpty",
    // `count`, not `exists`: an empty array exists.
    azure: (alias, o) => (o ? { count: { field: `${alias}[*]` }, equals: 0 } : { count: { field: `${alias}[*]` }, greater: 0 }),
    azureWhenAbsent: (o) => o === true,
  },
  {
    name: "anyBroaderThan",
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
  {
    name: "validAksPrivateDnsZoneId",
    description: "`true`: the value is a private DNS zone resource ID named `[<subzone>.]privatelink.<region>.azmk8s.io`.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.validAksPrivateDnsZoneId(a, o as boolean),
    tsFunction: "validAksPrivateDnsZoneId",
    azure: (alias, o) => (o ? { allOf: aksPrivateDnsZoneIdConditions(alias) } : { not: { allOf: aksPrivateDnsZoneIdConditions(alias) } }),
    azureWhenAbsent: (o) => o === false,
  },
  {
    name: "anyIn",
    description: "Some element of the list equals one of the operands (strings case-insensitive).",
    operand: "list",
    acceptsParam: false,
    fieldTypes: ["stringArray"],
    evaluate: (a, o) => semantics.anyIn(a, o as Literal[]),
    tsFunction: "anyIn",
    azure: (alias, o) => ({ count: { field: `${alias}[*]`, where: { field: `${alias}[*]`, in: o } }, greater: 0 }),
    azureWhenAbsent: () => false,
  },
  {
    name: "coversPort",
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
  {
    name: "anyCoversPort",
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
  {
    name: "aksPrivateDnsZoneName",
    description: "`true`: the value is a private DNS zone name AKS uses, `[<subzone>.]privatelink.<region>.azmk8s.io`.",
    operand: "boolean",
    acceptsParam: false,
    fieldTypes: ["string"],
    evaluate: (a, o) => semantics.aksPrivateDnsZoneName(a, o as boolean),
    tsFunction: "aksPrivateDnsZoneName",
    azure: (alias, o) => (o ? { allOf: aksPrivateDnsZoneNameConditions(alias) } : { not: { allOf: aksPrivateDnsZoneNameConditions(alias) } }),
    azureWhenAbsent: (o) => o === false,
  },
];

export function findOperator(name: string): Operator | undefined {
  return OPERATORS.find((o) => o.name === name);
}

export const OPERATOR_NAMES: readonly string[] = OPERATORS.map((o) => o.name);
