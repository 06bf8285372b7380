/** The rule IR: plain data loaded from catalog/<rule-id>/rule.yaml. Backends render it; nothing mutates it. */
import type { OperatorName } from "../operators";
import type { TargetId } from "../targets";

export type Enforcement = "mandatory" | "advisory" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";
export type Backend = "crossguard" | "azure-policy";
export type ParameterType = "boolean" | "integer" | "string" | "array";
export type Literal = boolean | number | string;

/** A position in a catalog file, 1-based, for error messages and docs. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface Parameter {
  name: string;
  type: ParameterType;
  /** `array` parameters hold a list of strings. */
  default: Literal | string[];
  description: string;
  minimum?: number;
  maximum?: number;
}

/** An operand: a literal, a list of literals, or a reference to a rule parameter. */
export type Operand = Literal | Literal[] | { param: string };

/** A comparison. `subject` is a logical field of the rule's target, or a rule parameter. */
export interface Leaf {
  kind: "leaf";
  subject: { field: string } | { param: string };
  operator: OperatorName;
  operand: Operand;
  at: SourcePosition;
}

export type Condition =
  | { kind: "allOf"; conditions: Condition[] }
  | { kind: "anyOf"; conditions: Condition[] }
  | { kind: "not"; condition: Condition }
  /** Some element of an objectArray field satisfies `where`, whose fields are the element's fields. */
  | { kind: "anyElement"; field: string; where: Condition; at: SourcePosition }
  /** Stack rules: no resource of `target` in the stack has `field` equal to this resource's `equalsField`. */
  | { kind: "noneRelated"; target: TargetId; field: string; equalsField: string; at: SourcePosition }
  | Leaf;

export interface Example {
  /** Path relative to the catalog root, e.g. `aks-private-cluster/examples/fail/public.yaml`. */
  file: string;
  expect: "pass" | "fail" | "not-applicable";
  description: string;
  /** A single Pulumi- or ARM-shaped resource, or for stack rules the resources of one stack. */
  resources: ExampleResource[];
}

export interface ExampleResource {
  type: string;
  name: string;
  /** Pulumi inputs (`props`) or ARM `properties`, whichever the example used. */
  props: Record<string, unknown>;
  /** Set when the example was ARM-shaped (`properties`), so converters know which way to go. */
  arm: boolean;
  /** ARM only: the resource's other top-level keys (`sku`, `location`, ...), read by envelope fields. */
  envelope?: Record<string, unknown>;
}

export interface StackTrigger {
  target: TargetId;
  condition: Condition;
}

/** The public page a rule's rationale quotes. */
export interface RationaleSource {
  title: string;
  url: string;
}

export interface Rule {
  id: string;
  version: string;
  title: string;
  description: string;
  message: string;
  rationale: { quote: string; source: RationaleSource };
  remediation: string;
  /** Docs only: the cluster modes, clouds and property shapes the rule accepts, and why. */
  accepts?: string;
  severity: Severity;
  category: string;
  controls: string[];
  enforcement: Enforcement;
  target: TargetId;
  backends: Backend[];
  parameters: Parameter[];
  /** Precondition: the rule is not applicable when this is false. Absent = always applies. */
  when?: Condition;
  failsWhen: Condition;
  /** A safe automatic fix (CrossGuard `remediate`): set one boolean field on a failing resource. */
  fix?: { field: string; value: boolean };
  /** Stack rules judge `target` resources only in stacks holding a resource matching the trigger. */
  stack?: StackTrigger;
  examples: Example[];
  /** catalog/<id>/rule.yaml, relative to the catalog root. */
  file: string;
}
