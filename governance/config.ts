/**
 * The governance program's stack configuration, checked in full before any resource is declared:
 * a mistake reports every problem at once and deploys nothing.
 */
export type ScopeKind = "managementGroup" | "subscription";

export interface DefinitionInfo {
  ruleId: string;
  /** Allowed effects and every other parameter, as the generated definition declares them. */
  parameters: Record<string, { type: string; allowedValues?: unknown[] }>;
}

export interface GovernanceConfig {
  scope: { kind: ScopeKind; id: string; resourceId: string };
  assignmentName: string;
  enforcementMode: "Default" | "DoNotEnforce";
  /** Rule id → parameter name → value (the effect is the parameter `effect`). */
  parameters: Record<string, Record<string, unknown>>;
  notScopes: string[];
  /** Rule id → non-compliance message, overriding the generated ones. */
  nonComplianceMessages: Record<string, string>;
}

export class GovernanceConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid apiguard-governance stack config:\n  - ${problems.join("\n  - ")}`);
    this.name = "GovernanceConfigError";
  }
}

/** Raw stack config values: strings, or parsed objects for the structured keys. */
export interface RawConfig {
  scope?: string;
  assignmentName?: string;
  enforcementMode?: string;
  effects?: unknown;
  parameters?: unknown;
  notScopes?: unknown;
  nonComplianceMessages?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  integer: (v) => Number.isInteger(v),
};

/** `defaultEnforcementMode`: DoNotEnforce (a first roll-out only reports), or a roll-out's own mode for the rest of the estate. */
export function parseConfig(raw: RawConfig, definitions: DefinitionInfo[], defaultAssignmentName: string, defaultEnforcementMode: GovernanceConfig["enforcementMode"] = "DoNotEnforce"): GovernanceConfig {
  const problems: string[] = [];
  const known = new Map(definitions.map((d) => [d.ruleId, d]));

  const scopeMatch = /^(managementGroup|subscription):([A-Za-z0-9._()-]{1,90})$/.exec(raw.scope ?? "");
  if (!scopeMatch) problems.push(`scope must be "managementGroup:<id>" or "subscription:<id>" (got ${JSON.stringify(raw.scope ?? null)})`);
  const kind = (scopeMatch?.[1] ?? "subscription") as ScopeKind;
  const id = scopeMatch?.[2] ?? "";
  const resourceId = kind === "managementGroup" ? `/providers/Microsoft.Management/managementGroups/${id}` : `/subscriptions/${id}`;

  const assignmentName = raw.assignmentName ?? defaultAssignmentName;
  const maxName = kind === "managementGroup" ? 24 : 64;
  if (!/^[^<>*%&:\\?.+/]+$/.test(assignmentName) || assignmentName.length > maxName) {
    problems.push(`assignmentName must be 1–${maxName} characters without <>*%&:\\?.+/ (got ${JSON.stringify(assignmentName)})`);
  }

  const enforcementMode = raw.enforcementMode ?? defaultEnforcementMode;
  if (enforcementMode !== "Default" && enforcementMode !== "DoNotEnforce") problems.push(`enforcementMode must be Default or DoNotEnforce (got ${JSON.stringify(enforcementMode)})`);

  const parameters: GovernanceConfig["parameters"] = {};
  const setParameter = (ruleId: string, name: string, value: unknown, where: string) => {
    const definition = known.get(ruleId);
    if (!definition) return problems.push(`${where}: unknown rule '${ruleId}' (expected one of: ${[...known.keys()].join(", ")})`);
    const spec = definition.parameters[name];
    if (!spec) return problems.push(`${where}: rule '${ruleId}' has no parameter '${name}' (it has: ${Object.keys(definition.parameters).join(", ")})`);
    const type = spec.type.toLowerCase();
    if (TYPES[type] && !TYPES[type](value)) return problems.push(`${where}: '${ruleId}.${name}' must be ${type} (got ${JSON.stringify(value)})`);
    if (spec.allowedValues && !spec.allowedValues.includes(value)) return problems.push(`${where}: '${ruleId}.${name}' must be one of ${spec.allowedValues.join(", ")} (got ${JSON.stringify(value)})`);
    (parameters[ruleId] ??= {})[name] = value;
  };

  if (raw.effects !== undefined && !isObject(raw.effects)) problems.push("effects must be an object: rule id → Audit | Deny | Disabled");
  for (const [ruleId, effect] of Object.entries(isObject(raw.effects) ? raw.effects : {})) setParameter(ruleId, "effect", effect, "effects");
  if (raw.parameters !== undefined && !isObject(raw.parameters)) problems.push("parameters must be an object: rule id → { parameter: value }");
  for (const [ruleId, values] of Object.entries(isObject(raw.parameters) ? raw.parameters : {})) {
    if (!isObject(values)) problems.push(`parameters: '${ruleId}' must map parameter names to values`);
    else for (const [name, value] of Object.entries(values)) setParameter(ruleId, name, value, "parameters");
  }

  const notScopes = raw.notScopes ?? [];
  if (!Array.isArray(notScopes) || !notScopes.every((s) => typeof s === "string" && /^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\//i.test(s))) {
    problems.push("notScopes must be a list of resource IDs under /subscriptions/ or /providers/Microsoft.Management/managementGroups/");
  }

  const nonComplianceMessages: Record<string, string> = {};
  if (raw.nonComplianceMessages !== undefined && !isObject(raw.nonComplianceMessages)) problems.push("nonComplianceMessages must be an object: rule id → message");
  for (const [ruleId, message] of Object.entries(isObject(raw.nonComplianceMessages) ? raw.nonComplianceMessages : {})) {
    if (!known.has(ruleId)) problems.push(`nonComplianceMessages: unknown rule '${ruleId}'`);
    else if (typeof message !== "string" || message.length === 0 || message.length > 1024) problems.push(`nonComplianceMessages: '${ruleId}' must be a message of 1–1024 characters`);
    else nonComplianceMessages[ruleId] = message;
  }

  if (problems.length > 0) throw new GovernanceConfigError(problems);
  return { scope: { kind, id, resourceId }, assignmentName, enforcementMode: enforcementMode as GovernanceConfig["enforcementMode"], parameters, notScopes: notScopes as string[], nonComplianceMessages };
}
