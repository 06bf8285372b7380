/**
 * Loads catalog/<rule-id>/rule.yaml + examples into the rule IR. Every mistake becomes a
 * CatalogError naming file, line and column; all of a catalog's errors are reported together.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { type ErrorObject } from "ajv";
import { judgeStack, overallVerdict } from "../ir/judge";
import type { Backend, Condition, Example, ExampleResource, Literal, Operand, Parameter, Rule } from "../ir/types";
import { findOperator, OPERATOR_NAMES, type Operator } from "../operators";
import { armShape, findTarget, type Target } from "../targets";
import { ARM_ENVELOPE, canonicalEnvelope } from "../resources/convert";
import { CatalogError, CatalogErrors, SourceDocument } from "./yaml-source";

export { CatalogError, CatalogErrors } from "./yaml-source";

export const RULE_FILE = "rule.yaml";
export const SCHEMA_FILE = "rule.schema.json";
export const MIN_FAILING_EXAMPLES = 3;
export const MIN_PASSING_EXAMPLES = 2;

export interface Catalog {
  /** Absolute path of the catalog folder. */
  root: string;
  rules: Rule[];
}

type Path = (string | number)[];

/** Byte-order sort: independent of locale, so output is the same on every machine. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A catalog file larger than this is a mistake (a rule is a page of YAML), not a rule. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;

function readSchema(root: string, fallback?: string): object {
  const own = path.join(root, SCHEMA_FILE);
  const file = fallback && !fs.existsSync(own) ? fallback : own;
  if (!fs.existsSync(file)) throw new CatalogErrors([new CatalogError({ file: displayPath(file), line: 1, column: 1 }, `missing ${SCHEMA_FILE}: the catalog folder holds the rule schema beside the rules`)]);
  return JSON.parse(fs.readFileSync(file, "utf8")) as object;
}

/** Reads a catalog file as strict UTF-8 (a bad byte is an error, not a silent U+FFFD) within a size limit. */
export function readCatalogFile(file: string): SourceDocument {
  const shown = displayPath(file);
  const size = fs.statSync(file).size;
  if (size > MAX_CATALOG_FILE_BYTES) throw new CatalogError({ file: shown, line: 1, column: 1 }, `${size} bytes is larger than the ${MAX_CATALOG_FILE_BYTES}-byte limit for a catalog file`);
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    // The decoder also drops a leading byte order mark (WHATWG Encoding: `ignoreBOM` is false by default).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Where the first bad byte is: the first replacement character of a lenient decoding.
    const lenient = bytes.toString("utf8");
    const before = lenient.slice(0, lenient.indexOf("\uFFFD")).split("\n");
    throw new CatalogError({ file: shown, line: before.length, column: before[before.length - 1].length + 1 }, "the file is not valid UTF-8");
  }
  return SourceDocument.parse(shown, text);
}

export interface LoadOptions {
  /** The schema to use when the folder holds none: a team's catalog validates against the installed apiguard's. */
  schemaFallback?: string;
  /** A catalog that only adjusts bundled rules may hold none of its own. */
  allowEmpty?: boolean;
}

export function loadCatalog(root: string, options: LoadOptions = {}): Catalog {
  const absolute = path.resolve(root);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
    throw new CatalogErrors([new CatalogError({ file: displayPath(absolute), line: 1, column: 1 }, "catalog folder not found")]);
  }
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(readSchema(absolute, options.schemaFallback));
  const errors: CatalogError[] = [];
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const folder of ruleFolders(absolute, errors)) {
    try {
      rules.push(loadRule(absolute, folder, validate, seen));
    } catch (e) {
      if (e instanceof CatalogErrors) errors.push(...e.errors);
      else if (e instanceof CatalogError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length > 0) throw new CatalogErrors(errors);
  if (rules.length === 0 && !options.allowEmpty) {
    throw new CatalogErrors([new CatalogError({ file: displayPath(absolute), line: 1, column: 1 }, "the catalog holds no rules")]);
  }
  return { root: absolute, rules };
}

/**
 * The catalog's rule folders: its folders, and symbolic links to folders, followed as `examples/` is
 * (a rule shared from elsewhere), so no rule is dropped in silence. A link that leads nowhere (missing
 * target, a loop) is an error naming it. Nothing below a rule folder is listed recursively, so a link
 * back into the catalog cannot loop.
 */
function ruleFolders(root: string, errors: CatalogError[]): string[] {
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
      errors.push(new CatalogError({ file: displayPath(link), line: 1, column: 1 }, `symbolic link to ${fs.readlinkSync(link)}, which ${why}`));
    }
  }
  return folders.sort(byteOrder);
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return (relative.startsWith("..") ? file : relative).split(path.sep).join("/");
}

/** `seen`: rule ids already loaded → the file that declared them. */
function loadRule(root: string, folder: string, validate: ReturnType<Ajv["compile"]>, seen: Map<string, string>): Rule {
  const relativeFile = `${folder}/${RULE_FILE}`;
  const file = path.join(root, folder, RULE_FILE);
  if (!fs.existsSync(file)) {
    throw new CatalogError({ file: displayPath(path.join(root, folder)), line: 1, column: 1 }, `missing ${RULE_FILE}: every catalog folder holds one rule`);
  }
  const doc = readCatalogFile(file);
  const data = doc.toJS();
  if (!validate(data)) throw new CatalogErrors(schemaErrors(doc, validate.errors ?? []));
  const raw = data as RawRule;
  const errors: CatalogError[] = [];
  const collect = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CatalogError) errors.push(e);
      else if (e instanceof CatalogErrors) errors.push(...e.errors);
      else throw e;
      return undefined;
    }
  };

  const previous = seen.get(raw.id);
  if (previous) errors.push(doc.error(["id"], `duplicate rule id '${raw.id}' (also declared in ${previous})`));
  else seen.set(raw.id, doc.file);
  if (raw.id !== folder) errors.push(doc.error(["id"], `rule id '${raw.id}' must equal its folder name '${folder}'`));
  const target = findTarget(raw.target)!;
  const parameters = collect(() => parseParameters(doc, raw.parameters ?? {})) ?? [];
  const used = new Set<string>();
  const context = { doc, parameters, used, stack: Boolean(raw.stack) };
  const when = raw.when === undefined ? undefined : collect(() => parseCondition(raw.when, ["when"], target, context));
  const failsWhen = collect(() => parseCondition(raw.failsWhen, ["failsWhen"], target, context));
  let stack: Rule["stack"];
  if (raw.stack) {
    const triggerTarget = findTarget(raw.stack.trigger.target)!;
    const condition = collect(() => parseCondition(raw.stack!.trigger.condition, ["stack", "trigger", "condition"], triggerTarget, context));
    if (condition) stack = { target: triggerTarget.id, condition };
  }
  for (const p of parameters) {
    if (!used.has(p.name)) errors.push(doc.error(["parameters", p.name], `parameter '${p.name}' is declared but no condition uses it`, { key: true }));
  }
  collect(() => checkBackends(doc, raw.backends, target, Boolean(raw.stack)));
  if (raw.fix) {
    const field = target.fields[raw.fix.field];
    if (!field) errors.push(doc.error(["fix", "field"], `unknown logical field '${raw.fix.field}' for target '${target.id}' (expected one of: ${Object.keys(target.fields).join(", ")})`));
    else if (field.type !== "boolean") errors.push(doc.error(["fix", "field"], `a fix can only set a boolean field; '${raw.fix.field}' is ${field.type}`));
    if (raw.stack) errors.push(doc.error(["fix"], "stack rules cannot remediate: a fix applies to one resource as it is created"));
  }
  if (errors.length > 0 || !failsWhen) throw new CatalogErrors(errors);

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
type RawRule = Pick<Rule, "id" | "version" | "title" | "description" | "message" | "rationale" | "remediation" | "accepts" | "severity" | "category" | "enforcement" | "target" | "backends"> & {
  controls?: string[];
  parameters?: Record<string, { type: Parameter["type"]; default: Literal | string[]; description: string; minimum?: number; maximum?: number }>;
  when?: unknown;
  failsWhen: unknown;
  stack?: { trigger: { target: string; condition: unknown } };
  fix?: { field: string; set: boolean };
};

function schemaErrors(doc: SourceDocument, errors: ErrorObject[]): CatalogError[] {
  // A failed `oneOf` also reports each branch's complaint; the oneOf message alone is the clear one.
  const oneOfPaths = errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath);
  // A refused property name is reported by its own pattern error; ajv's summary adds nothing.
  const relevant = errors.filter((e) => e.keyword !== "propertyNames" && (e.keyword === "oneOf" || !oneOfPaths.some((p) => e.instancePath.startsWith(p))));
  const seen = new Set<string>();
  const out: CatalogError[] = [];
  for (const e of relevant) {
    const at = pointerToPath(e.instancePath);
    let error: CatalogError;
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String(e.params.additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
        const detail = allowed.includes("allOf")
          ? `unknown operator '${key}' (expected one of: ${OPERATOR_NAMES.join(", ")}; a condition may also hold field, param, allOf, anyOf, not, anyElement or noneRelated)`
          : `unknown key '${key}' (expected one of: ${allowed.join(", ")})`;
        error = doc.error([...at, key], detail, { key: true });
        break;
      }
      case "required":
        error = doc.error(at, `missing required key '${String(e.params.missingProperty)}'`);
        break;
      case "enum":
        error = doc.error(at, `${describe(at)} must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(", ")} (got ${JSON.stringify(e.data)})`);
        break;
      case "oneOf":
        error = doc.error(at, `${describe(at)} must be ${(e.schema as SchemaBranch[]).map(describeBranch).join(", or ")} (got ${JSON.stringify(e.data)})`);
        break;
      case "pattern":
        error = doc.error(at, `${describe(at)} ${JSON.stringify(e.data)} does not match ${String(e.params.pattern)}`);
        break;
      default:
        // ajv sets a message on every error (its `messages` option is on by default).
        error = doc.error(at, `${describe(at)} ${e.message}`);
    }
    if (!seen.has(error.message)) out.push(error);
    seen.add(error.message);
  }
  return out;
}

/** The part of a schema node a `oneOf` alternative is told by. */
interface SchemaBranch {
  $ref?: string;
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: { type?: string };
}

/** One `oneOf` alternative in words: "an integer from 0 to 32", "a non-empty list of strings", ... */
function describeBranch(branch: SchemaBranch): string {
  if (branch.$ref === "#/definitions/paramRef") return "a parameter reference {param: <name>}";
  // A catalog may carry its own schema, whose alternatives need not name a type.
  if (branch.type === undefined) return "a value the schema describes";
  const types = [branch.type].flat();
  const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
  if (types.length === 1 && types[0] === "array") return `a ${branch.minItems ? "non-empty " : ""}list of ${branch.items?.type ?? "value"}s`;
  if (types.length === 1 && branch.minimum !== undefined && branch.maximum !== undefined) return `${article(types[0])} from ${branch.minimum} to ${branch.maximum}`;
  return article(types.join(", ").replace(/, (\w+)$/, " or $1"));
}

function pointerToPath(pointer: string): Path {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(at: Path): string {
  return at.length === 0 ? "the rule" : `'${at.join(".")}'`;
}

function parseParameters(doc: SourceDocument, raw: NonNullable<RawRule["parameters"]>): Parameter[] {
  const errors: CatalogError[] = [];
  const parameters: Parameter[] = [];
  for (const name of Object.keys(raw).sort(byteOrder)) {
    const p = raw[name];
    // The schema admits a boolean, an integer, a string or a list of strings.
    const actual = typeof p.default === "number" ? "integer" : Array.isArray(p.default) ? "array" : typeof p.default;
    if (actual !== p.type) {
      errors.push(doc.error(["parameters", name, "default"], `default of parameter '${name}' must be of type ${p.type} (got ${JSON.stringify(p.default)})`));
    } else if (typeof p.default === "number" && ((p.minimum !== undefined && p.default < p.minimum) || (p.maximum !== undefined && p.default > p.maximum))) {
      errors.push(doc.error(["parameters", name, "default"], `default of parameter '${name}' is outside [${p.minimum ?? "-∞"}, ${p.maximum ?? "∞"}]`));
    }
    parameters.push({ name, type: p.type, default: p.default, description: p.description.trim(), minimum: p.minimum, maximum: p.maximum });
  }
  if (errors.length > 0) throw new CatalogErrors(errors);
  return parameters;
}

interface ConditionContext {
  doc: SourceDocument;
  /** Whether the rule is a stack rule (noneRelated needs the stack). */
  stack: boolean;
  parameters: Parameter[];
  used: Set<string>;
}

const LOGICAL_KEYS = ["allOf", "anyOf", "not", "anyElement", "noneRelated"] as const;
/** Operators a `param` subject may use: parameters are scalars. */
const PARAM_SUBJECT_OPERATORS = ["equals", "notEquals", "in", "notIn"];

function parseCondition(raw: unknown, at: Path, target: Target, ctx: ConditionContext): Condition {
  const { doc } = ctx;
  const node = raw as Record<string, unknown>;
  const keys = Object.keys(node);
  const logical = keys.filter((k) => (LOGICAL_KEYS as readonly string[]).includes(k));
  if (logical.length > 0) {
    if (keys.length > 1) throw doc.error(at, `a condition is either one of allOf/anyOf/not or a comparison; found keys: ${keys.join(", ")}`);
    const key = logical[0] as (typeof LOGICAL_KEYS)[number];
    if (key === "not") return { kind: "not", condition: parseCondition(node.not, [...at, "not"], target, ctx) };
    if (key === "noneRelated") return parseNoneRelated(node.noneRelated as { target: string; field: string; equalsField: string }, [...at, "noneRelated"], target, ctx);
    if (key === "anyElement") return parseAnyElement(node.anyElement as { field: string; where: unknown }, [...at, "anyElement"], target, ctx);
    const items = node[key] as unknown[];
    const errors: CatalogError[] = [];
    const conditions: Condition[] = [];
    items.forEach((item, i) => {
      try {
        conditions.push(parseCondition(item, [...at, key, i], target, ctx));
      } catch (e) {
        if (e instanceof CatalogError) errors.push(e);
        else if (e instanceof CatalogErrors) errors.push(...e.errors);
        else throw e;
      }
    });
    if (errors.length > 0) throw new CatalogErrors(errors);
    return { kind: key, conditions };
  }

  const hasField = "field" in node;
  const hasParam = "param" in node;
  if (hasField === hasParam) {
    throw doc.error(at, hasField ? "a comparison has either `field` or `param`, not both" : "a comparison needs `field` (a logical field) or `param` (a rule parameter)");
  }
  const operators = keys.filter((k) => k !== "field" && k !== "param");
  if (operators.length !== 1) {
    throw doc.error(at, `a comparison needs exactly one operator (one of: ${OPERATOR_NAMES.join(", ")}); found ${operators.length === 0 ? "none" : operators.join(", ")}`);
  }
  const operatorName = operators[0];
  const operator = findOperator(operatorName);
  if (!operator) throw doc.error([...at, operatorName], `unknown operator '${operatorName}' (expected one of: ${OPERATOR_NAMES.join(", ")})`, { key: true });
  const operand = parseOperand(node[operatorName], [...at, operatorName], operator, ctx);

  if (hasField) {
    const field = String(node.field);
    const logicalField = target.fields[field];
    if (!logicalField) {
      throw doc.error([...at, "field"], `unknown logical field '${field}' for target '${target.id}' (expected one of: ${Object.keys(target.fields).join(", ")})`);
    }
    if (!operator.fieldTypes.includes(logicalField.type)) {
      throw doc.error([...at, operatorName], `operator '${operatorName}' does not apply to ${logicalField.type} field '${field}' (it applies to: ${operator.fieldTypes.join(", ")})`, { key: true });
    }
    if (logicalField.type === "boolean" && !isBooleanOperand(operand)) {
      throw doc.error([...at, operatorName], `'${field}' is a boolean field: compare it with true or false`);
    }
    return { kind: "leaf", subject: { field }, operator: operatorName, operand, at: doc.at(at) };
  }
  const param = requireParameter(String(node.param), [...at, "param"], ctx);
  if (!PARAM_SUBJECT_OPERATORS.includes(operatorName)) {
    throw doc.error([...at, operatorName], `a parameter can only be compared with ${PARAM_SUBJECT_OPERATORS.join(", ")}`, { key: true });
  }
  return { kind: "leaf", subject: { param: param.name }, operator: operatorName, operand, at: doc.at(at) };
}

/** `anyElement: {field, where}`: `where` is parsed against the element's fields, as if they were a target's. */
function parseAnyElement(raw: { field: string; where: unknown }, at: Path, target: Target, ctx: ConditionContext): Condition {
  const logical = target.fields[raw.field];
  if (!logical?.elements) {
    const arrays = Object.keys(target.fields).filter((f) => target.fields[f].elements);
    throw ctx.doc.error([...at, "field"], `'${raw.field}' is not an array-of-objects field of target '${target.id}' (expected one of: ${arrays.join(", ") || "none"})`);
  }
  const element: Target = { id: `${target.id}.${raw.field}[*]`, title: logical.description, fields: logical.elements, shapes: [] };
  return { kind: "anyElement", field: raw.field, where: parseCondition(raw.where, [...at, "where"], element, ctx), at: ctx.doc.at(at) };
}

/** `noneRelated: {target, field, equalsField}`: only stack rules see the other resources of a stack. */
function parseNoneRelated(raw: { target: string; field: string; equalsField: string }, at: Path, target: Target, ctx: ConditionContext): Condition {
  if (!ctx.stack) throw ctx.doc.error(at, "noneRelated relates the resources of a stack: only a stack rule (with `stack:`) may use it", { key: true });
  const other = findTarget(raw.target)!;
  const scalar = (t: Target, f: string, key: string) => {
    const logical = t.fields[f];
    if (!logical || logical.type === "objectArray" || logical.type === "stringArray") {
      const allowed = Object.keys(t.fields).filter((n) => t.fields[n].type === "string" || t.fields[n].type === "boolean");
      throw ctx.doc.error([...at, key], `'${f}' is not a scalar field of target '${t.id}' (expected one of: ${allowed.join(", ") || "none"})`);
    }
  };
  scalar(other, raw.field, "field");
  scalar(target, raw.equalsField, "equalsField");
  return { kind: "noneRelated", target: other.id, field: raw.field, equalsField: raw.equalsField, at: ctx.doc.at(at) };
}

function isBooleanOperand(operand: Operand): boolean {
  return Array.isArray(operand) ? operand.every((o) => typeof o === "boolean") : typeof operand === "boolean";
}

function parseOperand(raw: unknown, at: Path, operator: Operator, ctx: ConditionContext): Operand {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const name = String((raw as { param: unknown }).param);
    if (!operator.acceptsParam) throw ctx.doc.error(at, `operator '${operator.name}' takes a literal, not a parameter reference`);
    const param = requireParameter(name, [...at, "param"], ctx);
    if (operator.operand === "integer" && param.type !== "integer") {
      throw ctx.doc.error([...at, "param"], `operator '${operator.name}' needs an integer parameter; '${name}' is ${param.type}`);
    }
    if (operator.operand === "list" && param.type !== "array") {
      throw ctx.doc.error([...at, "param"], `operator '${operator.name}' needs an array parameter; '${name}' is ${param.type}`);
    }
    return { param: name };
  }
  return raw as Operand;
}

function requireParameter(name: string, at: Path, ctx: ConditionContext): Parameter {
  const param = ctx.parameters.find((p) => p.name === name);
  if (!param) {
    const declared = ctx.parameters.map((p) => p.name);
    throw ctx.doc.error(at, `parameter '${name}' is not declared under 'parameters' (declared: ${declared.length > 0 ? declared.join(", ") : "none"})`);
  }
  ctx.used.add(name);
  return param;
}

function checkBackends(doc: SourceDocument, backends: Backend[], target: Target, isStack: boolean): void {
  if (!backends.includes("azure-policy")) return;
  const at = ["backends", backends.indexOf("azure-policy")];
  if (isStack) throw doc.error(at, "stack rules have no Azure Policy rendering (a definition judges one resource at a time)");
  if (!armShape(target)) throw doc.error(at, `target '${target.id}' has no ARM resource type, so it has no Azure Policy rendering`);
}

const EXAMPLE_FOLDERS = [
  { folder: "pass", expect: "pass" },
  { folder: "fail", expect: "fail" },
] as const;

function loadExamples(root: string, folder: string, rule: Rule): Example[] {
  const errors: CatalogError[] = [];
  const examples: Example[] = [];
  const ruleDoc = () => readCatalogFile(path.join(root, rule.file));
  for (const { folder: kind, expect } of EXAMPLE_FOLDERS) {
    const dir = path.join(root, folder, "examples", kind);
    const files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort(byteOrder)
      : [];
    for (const name of files) {
      try {
        examples.push(loadExample(root, `${folder}/examples/${kind}/${name}`, expect, rule));
      } catch (e) {
        if (e instanceof CatalogErrors) errors.push(...e.errors);
        else if (e instanceof CatalogError) errors.push(e);
        else throw e;
      }
    }
  }
  const failing = examples.filter((e) => e.expect === "fail").length;
  const passing = examples.length - failing;
  if (errors.length === 0 && (failing < MIN_FAILING_EXAMPLES || passing < MIN_PASSING_EXAMPLES)) {
    errors.push(
      ruleDoc().error(
        ["id"],
        `rule '${rule.id}' needs at least ${MIN_FAILING_EXAMPLES} examples in examples/fail/ and ${MIN_PASSING_EXAMPLES} in examples/pass/ (found ${failing} and ${passing})`,
      ),
    );
  }
  if (errors.length > 0) throw new CatalogErrors(errors);
  return examples;
}

function loadExample(root: string, relative: string, folderExpect: "pass" | "fail", rule: Rule): Example {
  const absolute = path.join(root, relative);
  const doc = readCatalogFile(absolute);
  const data = doc.toJS() as Record<string, unknown> | null;
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw doc.error([], "an example is a mapping with `description` and `resource` (or `resources` for a stack rule)");
  const allowed = ["description", "expect", "resource", "resources"];
  const unknown = Object.keys(data).find((k) => !allowed.includes(k));
  if (unknown) throw doc.error([unknown], `unknown key '${unknown}' in example (expected one of: ${allowed.join(", ")})`, { key: true });
  if (typeof data.description !== "string" || data.description.trim() === "") throw doc.error(["description"], "an example needs a `description` saying what it shows");
  let expect: Example["expect"] = folderExpect;
  if (data.expect !== undefined) {
    if (folderExpect !== "pass" || data.expect !== "not-applicable") {
      throw doc.error(["expect"], "`expect` may only say `not-applicable`, and only in examples/pass/ (the folder says pass or fail)");
    }
    expect = "not-applicable";
  }
  if (("resource" in data) === ("resources" in data)) throw doc.error([], "an example has either `resource` or `resources` (a stack), not both and not neither");
  const rawResources = "resource" in data ? [data.resource] : data.resources;
  if (!Array.isArray(rawResources) || rawResources.length === 0) throw doc.error(["resources"], "`resources` is a non-empty list of resources");
  const base = "resource" in data ? ["resource"] : ["resources"];
  const resources = rawResources.map((r, i) => parseExampleResource(doc, r, "resource" in data ? base : [...base, i]));
  const example: Example = { file: relative, expect, description: data.description.trim(), resources };

  const verdict = overallVerdict(judgeStack(rule, resources).map((v) => v.verdict));
  if (verdict !== expect) {
    throw doc.error(base, `example expects '${expect}' but the rule says '${verdict}': fix the example or the rule's conditions`);
  }
  return example;
}

function parseExampleResource(doc: SourceDocument, raw: unknown, at: Path): ExampleResource {
  const given = raw as Record<string, unknown>;
  if (typeof given !== "object" || given === null) throw doc.error(at, "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)");
  // ARM resources may spell their keys in any casing (Azure Resource Manager ignores it); Pulumi's may not.
  const isArm = Object.keys(given).some((k) => k.toLowerCase() === "properties");
  const r = isArm ? canonicalEnvelope(given) : given;
  if (typeof r.type !== "string" || typeof r.name !== "string") {
    throw doc.error(at, "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)");
  }
  const hasProps = "props" in r;
  const hasProperties = "properties" in r;
  if (hasProps === hasProperties) throw doc.error(at, "a resource has either `props` (Pulumi inputs) or `properties` (ARM), not both and not neither");
  // An error points at the key as the file spells it (ARM keys in any casing); r's keys come from given's.
  const spelt = (key: string) => Object.keys(given).find((k) => k.toLowerCase() === key.toLowerCase())!;
  const props = (hasProps ? r.props : r.properties) ?? {};
  if (typeof props !== "object" || Array.isArray(props)) throw doc.error([...at, spelt(hasProps ? "props" : "properties")], "must be a mapping");
  const allowed = ["type", "name", ...(isArm ? ["properties", "apiVersion", ...ARM_ENVELOPE] : ["props"])];
  const unknown = Object.keys(r).find((k) => !allowed.includes(k));
  if (unknown) {
    const key = spelt(unknown);
    throw doc.error([...at, key], `unknown key '${key}' in resource (expected ${isArm ? "type, name, properties, apiVersion or an ARM envelope key: " + ARM_ENVELOPE.join(", ") : "type, name, props or properties"})`, { key: true });
  }
  const envelope = isArm ? Object.fromEntries(ARM_ENVELOPE.filter((k) => r[k] !== undefined).map((k) => [k, r[k]])) : undefined;
  return { type: r.type, name: r.name, props: props as Record<string, unknown>, arm: hasProperties, ...(envelope && Object.keys(envelope).length ? { envelope } : {}) };
}
