/**
 * Microsoft's published Microsoft.Authorization deployment schemas (test/fixtures/azure-authorization)
 * and EPAC's file schemas (test/fixtures/epac), compiled for the tests. Microsoft's schemas leave
 * most objects open (no `additionalProperties: false`), so `undeclaredKeys` also names every key a
 * document holds that the schema does not declare: a misspelt property would otherwise pass.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
import { REPO } from "./paths";

const FIXTURES = path.join(REPO, "test", "fixtures");
type Schema = Record<string, unknown>;
const read = (file: string): Schema => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));

export type AuthorizationVersion = "2022-07-01-preview" | "2025-03-01" | "2026-01-01-preview";
export type AuthorizationType = "policyAssignments" | "policyExemptions" | "policyEnrollments";

const EXPRESSION = "https://schema.management.azure.com/schemas/common/definitions.json";

/** Errors of `resource` (an ARM resource: type, apiVersion, name, properties) against Microsoft's schema, as `path message`. */
export function armErrors(version: AuthorizationVersion, type: AuthorizationType, resource: object): string[] {
  const schema = read(`azure-authorization/Microsoft.Authorization.${version}.json`);
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  ajv.addSchema({ id: EXPRESSION, definitions: { expression: { type: "string", pattern: "^\\[(\\[)?[^\\[].*\\]$" } } });
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${String(schema.id).replace(/#$/, "")}#/resourceDefinitions/${type}`);
  if (!validate) throw new Error(`no ${type} in the ${version} schema`);
  const body = { type: `Microsoft.Authorization/${type}`, apiVersion: version, ...resource };
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Keys of `data` (under `properties`) that `resourceDefinitions.<type>.properties` of the schema does not declare, at any depth. */
export function undeclaredArmKeys(version: AuthorizationVersion, type: AuthorizationType, properties: object): string[] {
  const schema = read(`azure-authorization/Microsoft.Authorization.${version}.json`);
  const resource = (schema.resourceDefinitions as Record<string, Schema>)[type];
  return undeclaredKeys(schema, (resource.properties as Record<string, Schema>).properties, properties, "properties");
}

function resolve(root: Schema, node: Schema): Schema[] {
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    const target = node.$ref
      .slice(2)
      .split("/")
      .reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], root) as Schema;
    return resolve(root, target);
  }
  const branches = [...((node.oneOf as Schema[]) ?? []), ...((node.anyOf as Schema[]) ?? []), ...((node.allOf as Schema[]) ?? [])];
  return branches.length > 0 ? branches.flatMap((b) => resolve(root, b)) : [node];
}

export function undeclaredKeys(root: Schema, node: Schema, data: unknown, at: string): string[] {
  const candidates = resolve(root, node);
  if (Array.isArray(data)) {
    const items = candidates.find((c) => c.items)?.items as Schema | undefined;
    return items ? data.flatMap((d, i) => undeclaredKeys(root, items, d, `${at}[${i}]`)) : [];
  }
  if (data === null || typeof data !== "object") return [];
  const objects = candidates.filter((c) => c.properties || c.additionalProperties || c.type === "object");
  if (objects.length === 0) return [];
  const declared = Object.assign({}, ...objects.map((o) => o.properties ?? {})) as Record<string, Schema>;
  const additional = objects.map((o) => o.additionalProperties).find((a) => typeof a === "object") as Schema | undefined;
  const open = objects.some((o) => !o.properties && !o.additionalProperties);
  return Object.entries(data).flatMap(([key, value]) => {
    if (declared[key]) return undeclaredKeys(root, declared[key], value, `${at}.${key}`);
    if (additional) return undeclaredKeys(root, additional, value, `${at}.${key}`);
    return open ? [] : [`${at}.${key}`];
  });
}

/**
 * EPAC's assignment schema keys its PAC selectors by the pattern `^*$`, which JavaScript's regular
 * expressions refuse ("nothing to repeat"); it means any selector, so it is read as `^.*$`. That is
 * the one relaxation; every other pattern is compiled as written.
 */
const epacRegExp = Object.assign((pattern: string, flags: string) => new RegExp(pattern === "^*$" ? "^.*$" : pattern, flags), { code: "new RegExp" });

/** Errors of an EPAC file against EPAC's schema for it. */
export function epacErrors(kind: "assignment" | "exemption" | "enrollment", data: object): string[] {
  const schema = read(`epac/policy-${kind}-schema.json`);
  const options = { allErrors: true, strict: false, code: { regExp: epacRegExp } };
  const ajv = String(schema.$schema).includes("2020-12") ? new Ajv2020(options) : new Ajv(options);
  const validate = ajv.compile(schema);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
