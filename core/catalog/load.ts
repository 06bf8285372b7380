/**
 * Loads catalog/<rule-id>/rule.yaml + examples into the rule IR. Every mistake becomes a
 * CatalogError naming file, line and column; all of a catalog's errors are reported together.
 * The jobs live beside this file: reading files (files.ts), schema validation (schema.ts), the
 * semantic checks of conditions (conditions.ts) and the examples (examples.ts); errors.ts collects.
 */
import * as fs from "fs";
import * as path from "path";
import type { ValidateFunction } from "ajv";
import type { Backend, Literal, Parameter, Rule } from "../ir/types";
import type { Rollout } from "../rollout/rollout";
import { armShape, isTargetId, referenceProblems, targetById, type Target, type TargetId } from "../targets";
import { parseCondition, unknownTarget, type ConditionContext } from "./conditions";
import { ErrorCollector } from "./errors";
import { loadEstate, type CatalogExemption } from "./estate";
import { loadExamples } from "./examples";
import { byteOrder, displayPath, readCatalogFile, readSchema, RULE_FILE } from "./files";
import { compileRuleSchema, schemaErrors } from "./schema";
import { CatalogError, CatalogErrors, SourceDocument } from "./yaml-source";

export { CatalogError, CatalogErrors } from "./yaml-source";
export { byteOrder, displayPath, MAX_CATALOG_FILE_BYTES, readCatalogFile, RULE_FILE, SCHEMA_FILE } from "./files";
export { MIN_FAILING_EXAMPLES, MIN_PASSING_EXAMPLES } from "./examples";

export interface Catalog {
  /** Absolute path of the catalog folder. */
  root: string;
  rules: Rule[];
  /** catalog/rollout.yaml: the rings, when the catalog has one. */
  rollout?: Rollout;
  /** catalog/exemptions.yaml. */
  exemptions?: CatalogExemption[];
}

export interface LoadOptions {
  /** The schema to use when the folder holds none: a team's catalog validates against the installed apiguard's. */
  schemaFallback?: string;
  /** A catalog that only adjusts bundled rules may hold none of its own. */
  allowEmpty?: boolean;
  /** Whether to read rollout.yaml and exemptions.yaml; a merged catalog reads them against the merged rules. */
  estate?: boolean;
}

export function loadCatalog(root: string, options: LoadOptions = {}): Catalog {
  const absolute = path.resolve(root);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
    throw new CatalogErrors([new CatalogError({ file: displayPath(absolute), line: 1, column: 1 }, "catalog folder not found")]);
  }
  const validate = compileRuleSchema(readSchema(absolute, options.schemaFallback));
  const errors = new ErrorCollector();
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const folder of ruleFolders(absolute, errors)) errors.run(() => rules.push(loadRule(absolute, folder, validate, seen)));
  errors.throwIfAny();
  if (rules.length === 0 && !options.allowEmpty) {
    throw new CatalogErrors([new CatalogError({ file: displayPath(absolute), line: 1, column: 1 }, "the catalog holds no rules")]);
  }
  if (options.estate === false) return { root: absolute, rules };
  const estate = loadEstate(absolute, rules, options.schemaFallback && path.dirname(options.schemaFallback));
  return { root: absolute, rules, ...(estate.rollout ? { rollout: estate.rollout } : {}), ...(estate.exemptions.length > 0 ? { exemptions: estate.exemptions } : {}) };
}

/**
 * The catalog's rule folders: its folders, and symbolic links to folders, followed as `examples/` is
 * (a rule shared from elsewhere), so no rule is dropped in silence. A link that leads nowhere (missing
 * target, a loop) is an error naming it. Nothing below a rule folder is listed recursively, so a link
 * back into the catalog cannot loop.
 */
function ruleFolders(root: string, errors: ErrorCollector): string[] {
  const folders: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const link = path.join(root, entry.name);
    if (!entry.isSymbolicLink()) {
      if (entry.isDirectory()) folders.push(entry.name);
      continue;
    }
    try {
      if (fs.statSync(link).isDirectory()) folders.push(entry.name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "ELOOP" ? "leads back to itself" : code === "ENOENT" || code === "ENOTDIR" ? "does not exist" : `cannot be followed (${code})`;
      errors.add(new CatalogError({ file: displayPath(link), line: 1, column: 1 }, `symbolic link to ${fs.readlinkSync(link)}, which ${why}`));
    }
  }
  return folders.sort(byteOrder);
}

/** `seen`: rule ids already loaded → the file that declared them. */
function loadRule(root: string, folder: string, validate: ValidateFunction, seen: Map<string, string>): Rule {
  const relativeFile = `${folder}/${RULE_FILE}`;
  const file = path.join(root, folder, RULE_FILE);
  if (!fs.existsSync(file)) {
    throw new CatalogError({ file: displayPath(path.join(root, folder)), line: 1, column: 1 }, `missing ${RULE_FILE}: every catalog folder holds one rule`);
  }
  const doc = readCatalogFile(file);
  const data = doc.toJS();
  if (!validate(data)) throw new CatalogErrors(schemaErrors(doc, validate.errors ?? []));
  // The schema has checked every key and type RawRule declares.
  const raw = data as RawRule;
  const errors = new ErrorCollector();

  const previous = seen.get(raw.id);
  if (previous) errors.add(doc.error(["id"], `duplicate rule id '${raw.id}' (also declared in ${previous})`));
  else seen.set(raw.id, doc.file);
  if (raw.id !== folder) errors.add(doc.error(["id"], `rule id '${raw.id}' must equal its folder name '${folder}'`));
  const target = requireTarget(doc, raw.target, ["target"]);
  const parameters = errors.run(() => parseParameters(doc, raw.parameters ?? {})) ?? [];
  const context: ConditionContext = { doc, parameters, used: new Set<string>(), stack: Boolean(raw.stack) };
  const when = raw.when === undefined ? undefined : errors.run(() => parseCondition(raw.when, ["when"], target, context));
  const failsWhen = errors.run(() => parseCondition(raw.failsWhen, ["failsWhen"], target, context));
  let stack: Rule["stack"];
  if (raw.stack) {
    const trigger = raw.stack.trigger;
    stack = errors.run(() => {
      const triggerTarget = requireTarget(doc, trigger.target, ["stack", "trigger", "target"]);
      return { target: triggerTarget.id, condition: parseCondition(trigger.condition, ["stack", "trigger", "condition"], triggerTarget, context) };
    });
  }
  for (const p of parameters) {
    if (!context.used.has(p.name)) errors.add(doc.error(["parameters", p.name], `parameter '${p.name}' is declared but no condition uses it`, { key: true }));
  }
  errors.run(() => checkBackends(doc, raw.backends, target, Boolean(raw.stack)));
  // Properties named in the remediation are spelled per provider from the target, so each must be one of its fields.
  for (const problem of referenceProblems(raw.remediation, target)) errors.add(doc.error(["remediation"], problem));
  if (raw.fix) {
    const field = target.fields[raw.fix.field];
    if (!field) errors.add(doc.error(["fix", "field"], `unknown logical field '${raw.fix.field}' for target '${target.id}' (expected one of: ${Object.keys(target.fields).join(", ")})`));
    else if (field.type !== "boolean") errors.add(doc.error(["fix", "field"], `a fix can only set a boolean field; '${raw.fix.field}' is ${field.type}`));
    if (raw.stack) errors.add(doc.error(["fix"], "stack rules cannot remediate: a fix applies to one resource as it is created"));
  }
  if (errors.errors.length > 0 || !failsWhen) throw new CatalogErrors(errors.errors);

  const rule: Rule = {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    description: raw.description.trim(),
    message: raw.message.trim(),
    // The schema's URL pattern admits no whitespace.
    rationale: { quote: raw.rationale.quote.trim(), source: { title: raw.rationale.source.title.trim(), url: raw.rationale.source.url } },
    remediation: raw.remediation.trim(),
    ...(raw.accepts ? { accepts: raw.accepts.trim() } : {}),
    severity: raw.severity,
    category: raw.category,
    controls: raw.controls ?? [],
    enforcement: raw.enforcement,
    target: target.id,
    backends: [...raw.backends].sort(byteOrder),
    parameters,
    when,
    failsWhen,
    fix: raw.fix ? { field: raw.fix.field, value: raw.fix.set } : undefined,
    stack,
    examples: [],
    file: relativeFile,
  };
  rule.examples = loadExamples(root, folder, rule);
  return rule;
}

/** rule.yaml as written: the IR's text fields as they are, the structured ones still raw. */
type RawRule = Pick<Rule, "id" | "version" | "title" | "description" | "message" | "rationale" | "remediation" | "accepts" | "severity" | "category" | "enforcement" | "backends"> & {
  target: string;
  controls?: string[];
  parameters?: Record<string, { type: Parameter["type"]; default: Literal | string[]; description: string; minimum?: number; maximum?: number }>;
  when?: unknown;
  failsWhen: unknown;
  stack?: { trigger: { target: string; condition: unknown } };
  fix?: { field: string; set: boolean };
};

/** The target a rule names; the bundled schema lists the ids, but a catalog's own schema might not. */
function requireTarget(doc: SourceDocument, id: string, at: (string | number)[]): Target<TargetId> {
  if (!isTargetId(id)) throw doc.error(at, unknownTarget(id));
  return targetById(id);
}

function parseParameters(doc: SourceDocument, raw: NonNullable<RawRule["parameters"]>): Parameter[] {
  const errors = new ErrorCollector();
  const parameters: Parameter[] = [];
  for (const name of Object.keys(raw).sort(byteOrder)) {
    const p = raw[name];
    // The schema admits a boolean, an integer, a string or a list of strings.
    const actual = typeof p.default === "number" ? "integer" : Array.isArray(p.default) ? "array" : typeof p.default;
    if (actual !== p.type) {
      errors.add(doc.error(["parameters", name, "default"], `default of parameter '${name}' must be of type ${p.type} (got ${JSON.stringify(p.default)})`));
    } else if (typeof p.default === "number" && ((p.minimum !== undefined && p.default < p.minimum) || (p.maximum !== undefined && p.default > p.maximum))) {
      errors.add(doc.error(["parameters", name, "default"], `default of parameter '${name}' is outside [${p.minimum ?? "-∞"}, ${p.maximum ?? "∞"}]`));
    }
    parameters.push({ name, type: p.type, default: p.default, description: p.description.trim(), minimum: p.minimum, maximum: p.maximum });
  }
  errors.throwIfAny();
  return parameters;
}

function checkBackends(doc: SourceDocument, backends: Backend[], target: Target, isStack: boolean): void {
  if (!backends.includes("azure-policy")) return;
  const at = ["backends", backends.indexOf("azure-policy")];
  if (isStack) throw doc.error(at, "stack rules have no Azure Policy rendering (a definition judges one resource at a time)");
  if (!armShape(target)) throw doc.error(at, `target '${target.id}' has no ARM resource type, so it has no Azure Policy rendering`);
}
