/** Schema validation of rule files: ajv's findings as one clear `file:line:column` error each. */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { OPERATOR_NAMES } from "../operators";
import { CatalogError, SourceDocument } from "./yaml-source";

type Path = (string | number)[];

export function compileRuleSchema(schema: object): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schema);
}

export function schemaErrors(doc: SourceDocument, errors: ErrorObject[]): CatalogError[] {
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
