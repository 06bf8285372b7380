/**
 * Input files of `apiguard evaluate`: JSON or YAML holding one resource, an array of resources, an
 * ARM template (`resources[]`) or a `pulumi stack export` (`deployment.resources[]`). Each file is
 * one stack for the stack rules. Anything else is a UsageError naming the file (and line, for
 * syntax errors).
 */
import * as fs from "fs";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { LineCounter, parseDocument } from "yaml";
import { armToPulumi, canonicalEnvelope, isArmType, pulumiToArm, type ArmResource, type PulumiResource } from "../resources/convert";

export class InputError extends Error {}

/** The largest input file read; a policy input this big is a mistake, not a stack. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputResource {
  file: string;
  /** The resource's name (or URN's last segment for a stack export). */
  name: string;
  urn?: string;
  /** The shape CrossGuard judges. */
  pulumi: PulumiResource;
  /** The shape Azure Policy judges; absent for types apiguard cannot express in ARM. */
  arm?: ArmResource;
}

function parse(file: string): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a JSON or YAML file`);
  if (stat.size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${stat.size} bytes is larger than the ${MAX_INPUT_BYTES}-byte limit`);
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (buffer.length === 0) throw new InputError(`${file}: is empty`);
  if (buffer.includes(0)) throw new InputError(`${file}: is binary, expected a JSON or YAML file`);
  const text = buffer.toString("utf8");
  // JSON is parsed as strict JSON (YAML would accept `"name": }` as null); everything else as YAML.
  return /\.json$/i.test(file) || /^\s*[[{]/.test(text) ? parseJson(file, text) : parseYaml(file, text);
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function parseJson(file: string, text: string): unknown {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0];
    throw new InputError(`${file}:${position(text, e.offset)}: invalid JSON: ${printParseErrorCode(e.error)}`);
  }
  return value;
}

function parseYaml(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new InputError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split("\n")[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function fromPulumi(file: string, r: PulumiResource, urn?: string): InputResource {
  return { file, name: r.name, urn, pulumi: r, arm: pulumiToArm(r) };
}

function fromArm(file: string, r: ArmResource): InputResource {
  return { file, name: r.name, arm: r, pulumi: armToPulumi(r) };
}

/** One resource object, in either shape. ARM resources are recognised whatever the casing of their keys. */
function resource(file: string, given: unknown, where: string): InputResource {
  const arm = isObject(given) ? canonicalEnvelope(given) : undefined;
  if (arm && typeof arm.type === "string" && isArmType(arm.type)) {
    if (arm.properties !== undefined && !isObject(arm.properties)) throw new InputError(`${file}: ${where}: \`properties\` must be an object`);
    const name = typeof arm.name === "string" ? arm.name : "(unnamed)";
    return fromArm(file, { ...arm, type: arm.type, name, properties: (arm.properties as Record<string, unknown>) ?? {} });
  }
  const raw = given;
  if (!isObject(raw) || typeof raw.type !== "string") throw new InputError(`${file}: ${where} is not a resource (expected an object with a string \`type\`)`);
  const name = typeof raw.name === "string" ? raw.name : "(unnamed)";
  const props = raw.props ?? raw.inputs ?? {};
  if (!isObject(props)) throw new InputError(`${file}: ${where}: \`props\` must be an object`);
  return fromPulumi(file, { type: raw.type, name, props });
}

/** Resources of a `pulumi stack export`: inputs are what the policy pack judges at preview. */
function stackExport(file: string, deployment: Record<string, unknown>): InputResource[] {
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) throw new InputError(`${file}: deployment.resources must be an array`);
  return resources
    .filter((r) => isObject(r) && typeof r.type === "string" && !String(r.type).startsWith("pulumi:"))
    .map((r, i) => {
      const urn = typeof r.urn === "string" ? r.urn : undefined;
      const name = urn ? urn.slice(urn.lastIndexOf("::") + 2) : `resource ${i}`;
      const props = r.inputs ?? r.outputs ?? {};
      if (!isObject(props)) throw new InputError(`${file}: deployment.resources[${i}].inputs must be an object`);
      return fromPulumi(file, { type: r.type as string, name, props }, urn);
    });
}

export function readInput(file: string): InputResource[] {
  const data = parse(file);
  if (Array.isArray(data)) return data.map((r, i) => resource(file, r, `item ${i}`));
  if (!isObject(data)) throw new InputError(`${file}: expected a resource, an array of resources, an ARM template or a stack export`);
  if (isObject(data.deployment)) return stackExport(file, data.deployment);
  if (Array.isArray(data.resources)) {
    // An ARM template (`resources[]`, expressions judged as written) or a catalog stack example.
    return data.resources.map((r, i) => resource(file, r, `resources[${i}]`));
  }
  if (isObject(data.resource)) return [resource(file, data.resource, "resource")]; // a catalog example
  if (typeof data.type === "string") return [resource(file, data, "the document")];
  throw new InputError(`${file}: unknown shape: expected a resource ({type, name, props|properties}), an array, an ARM template (resources[]) or a stack export (deployment.resources[])`);
}
