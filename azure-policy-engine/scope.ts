// Shared evaluation state and the error type every stage reports through.

import type { Path } from "./field-paths";

/** A malformed rule (compile time) or a failed template function / operator (evaluation time). */
export class PolicyError extends Error {}

/** Host facts that template functions such as resourceGroup() and requestContext() read. */
export interface EvaluationContext {
  resourceGroup?: Record<string, unknown>;
  subscription?: Record<string, unknown>;
  /** `requestContext()`: `{ apiVersion, identity }` of the triggering request. */
  requestContext?: Record<string, unknown>;
  /** `policy()`: `{ assignmentId, definitionId, setDefinitionId, definitionReferenceId }`. */
  policy?: Record<string, unknown>;
  /** Fixed clock for `utcNow()` (ISO 8601); the real clock when absent. */
  utcNow?: string;
}

/** One level of `count` iteration: the counted field path (field count) or index name (value count). */
export interface Frame {
  readonly path?: Path;
  readonly name?: string;
  value: unknown;
}

export interface Scope {
  /** The document `field` conditions read: the evaluated resource, or a related resource inside `existenceCondition`. */
  resource: unknown;
  /** The document `field()` reads: always the evaluated resource. */
  subject: unknown;
  /** Parameter values keyed by lower-cased name (assignment value, else definition default). */
  params: ReadonlyMap<string, unknown>;
  context: EvaluationContext;
  /** Lower-cased type and API version of `resource`: they select alias paths. */
  resourceType: string | undefined;
  apiVersion: string | undefined;
  /** Enclosing `count` iterations, innermost last. */
  frames: Frame[];
  /** The resource holds partly known strings (partial.ts): calls and operators check their arguments for them. */
  partial?: boolean;
}

/** A compiled expression or value. */
export type Evaluator = (scope: Scope) => unknown;
