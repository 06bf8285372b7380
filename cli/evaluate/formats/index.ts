/**
 * The input formats of `apiguard evaluate`, one module each behind one contract (contract.ts), and
 * what every format shares: reading the file (JSON with comments, or YAML: ../parse.ts), giving each
 * resource both shapes (CrossGuard judges Pulumi inputs, Azure Policy ARM resources) and a position.
 * `evaluate --help`, the error for an unrecognised document and the README's list of what `evaluate`
 * reads come from this registry. Each file is one stack for the stack rules.
 */
import { containsPartial, isPartial } from "../../../azure-policy-engine";
import { armToPulumi, caseProblems, pulumiToArm, type ArmResource, type PulumiResource } from "../../../core/resources/convert";
import { PARTIAL_TEXT } from "../../../core/semantics/semantics";
import { shapeOfType } from "../../../core/targets";
import { InputError, parseFile, type JsonPath, type Parsed, type Position } from "../parse";
import { UNKNOWN, isUnknownSentinel, sentinelNotes, type UnknownNote } from "../unknowns";
import { armTemplate } from "./arm-template";
import { DocumentError, isObject, type Found, type InputFormat, type InputOptions } from "./contract";
import { preview } from "./preview";
import { resources } from "./resources";
import { stackExport } from "./stack-export";
import { terraformPlan } from "./terraform-plan";
import { whatIf } from "./what-if";

export { InputError, MAX_INPUT_BYTES } from "../parse";
export type { InputOptions } from "./contract";

/**
 * Every format, in the order they are asked whether they recognise a document; the first that does
 * reads it. The order matters only where two could: a Terraform plan, stack export, preview and
 * what-if output are told by keys no template or resource has; an ARM template (or a list of ARM
 * resources) before plain resources, which would also take a `resources` list; plain resources last,
 * as they take any document with a `type`.
 */
export const FORMATS: readonly InputFormat[] = [terraformPlan, stackExport, preview, whatIf, armTemplate, resources];

export interface InputResource {
  file: string;
  /** The resource's name (or URN's last segment for a stack export). */
  name: string;
  urn?: string;
  /** The shape CrossGuard judges. */
  pulumi: PulumiResource;
  /** The shape Azure Policy judges; absent for types apiguard cannot express in ARM. */
  arm?: ArmResource;
  /** Where the resource is declared in its file. */
  position?: Position;
  /** Stable identity within the file (declaration path, copy index). */
  id: string;
  /** Values only known at deployment, and why. */
  unknowns: UnknownNote[];
  /** The ARM shape holds strings only partly known before deployment (PartialString), which the Azure Policy engine is told of. */
  partial?: boolean;
}

/** A resource of a file that is not judged, or a part of it that could not be followed, and why. */
export interface NotJudgedInput {
  file: string;
  position?: Position;
  /** The resource's type and name; absent for a part of the file that is not one resource (a linked template). */
  type?: string;
  resource?: string;
  reason: string;
}

export interface FileInput {
  resources: InputResource[];
  /** What the format read but does not hand over, and what it could not follow. */
  notJudged: NotJudgedInput[];
  /** Resources the cloud would refuse, each at its position; the file's other resources are still judged. */
  errors: InputError[];
}

function at(parsed: Parsed, path: JsonPath): string {
  const pos = parsed.locate(path);
  return pos ? `${parsed.file}:${pos.line}:${pos.column}` : parsed.file;
}

/** Notes for Pulumi's unknown values already in the document that the format did not note itself. */
function withSentinelNotes(props: unknown, notes: UnknownNote[], prefix = ""): UnknownNote[] {
  const noted = new Set(notes.map((n) => n.path));
  return [...notes, ...sentinelNotes(props, "unknown in the input (Pulumi's unknown value)", prefix).filter((n) => !noted.has(n.path))];
}

/**
 * A resource whose keys the two engines could read differently (case variants on a path a rule reads)
 * cannot be judged: it is an error at its position, naming the keys.
 */
function checkKeys(parsed: Parsed, f: Found, resource: Record<string, unknown>, arm: boolean): void {
  const problems = caseProblems(resource, arm);
  if (problems.length > 0) throw new InputError(`${at(parsed, f.path)}: ${problems.join("; ")}`);
}

/**
 * The Pulumi props of a value holding partly known strings: each one written as the pack's semantics
 * reads it (`{"apiguard:partly-known-text": parts, value: <unknown>}`), an unknown that knows some text.
 */
function partialMarkers(value: unknown): unknown {
  if (isPartial(value)) {
    const parts = value.parts.map((p) => (typeof p === "string" ? p : { hole: p.label, segment: p.segment }));
    return { [PARTIAL_TEXT]: parts, value: UNKNOWN };
  }
  if (Array.isArray(value)) return value.map(partialMarkers);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, partialMarkers(v)]));
}

/** A Pulumi-shaped resource, with its ARM shape where apiguard can express it. */
function fromPulumi(parsed: Parsed, f: Extract<Found, { shape: "pulumi" }>): InputResource {
  const pulumi = { type: f.type, name: f.name, props: f.props };
  checkKeys(parsed, f, pulumi, false);
  return { file: parsed.file, position: parsed.locate(f.path), id: f.path.join("/"), name: f.name, urn: f.urn, pulumi, arm: pulumiToArm(pulumi), unknowns: withSentinelNotes(f.props, f.unknowns) };
}

/** An ARM resource in both shapes; a wholly unknown `properties` stays unknown in both. */
function fromArm(parsed: Parsed, f: Extract<Found, { shape: "arm" }>): InputResource {
  const r = f.resource;
  const type = String(r.type ?? Object.entries(r).find(([k]) => k.toLowerCase() === "type")?.[1]);
  const rawName = r.name ?? Object.entries(r).find(([k]) => k.toLowerCase() === "name")?.[1];
  const name = f.displayName ?? (typeof rawName === "string" && !isUnknownSentinel(rawName) ? rawName : "(unnamed)");
  const propsKey = Object.keys(r).find((k) => k.toLowerCase() === "properties");
  const properties = propsKey ? r[propsKey] : {};
  const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !["type", "name", "properties"].includes(k.toLowerCase())));
  if (properties !== undefined && properties !== null && !isObject(properties) && !isUnknownSentinel(properties)) {
    throw new InputError(`${at(parsed, f.path)}: \`properties\` must be an object`);
  }
  const known = isObject(properties);
  checkKeys(parsed, f, r, true);
  const arm: ArmResource = { ...rest, type, name, properties: known ? properties : {} };
  // CrossGuard reads a partly known string as the pack's semantics writes it; Azure Policy's engine reads it as is.
  const partial = containsPartial(arm);
  const pulumi = armToPulumi(partial ? (partialMarkers(arm) as ArmResource) : arm);
  if (!known && properties === UNKNOWN) {
    // Every field the targets read lives under `properties`: each is unknown.
    arm.properties = UNKNOWN as never;
    for (const binding of Object.values(shapeOfType(pulumi.type)?.shape.fields ?? {})) pulumi.props[binding.path[0]] = UNKNOWN;
  }
  return { file: parsed.file, name, arm, pulumi, position: parsed.locate(f.path), id: f.id ?? f.path.join("/"), unknowns: withSentinelNotes(r, f.unknowns), ...(partial ? { partial } : {}) };
}

/** `a, b or c` */
const either = (items: readonly string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);

/** The formats for `evaluate --help`. */
export function formatTitles(): string {
  return FORMATS.map((f) => f.title).join(", ");
}

/** Words wrapped at `width` columns, continued lines indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines = [""];
  for (const word of text.split(" ")) {
    const last = lines[lines.length - 1];
    if (last.trim() !== "" && last.length + 1 + word.length > width) lines.push(indent + word);
    else lines[lines.length - 1] = last.trim() === "" ? last + word : `${last} ${word}`;
  }
  return lines.join("\n");
}

/** The README's list of what `evaluate` reads: one item per format, in the order they are recognised. */
export function formatsMarkdown(): string {
  return FORMATS.map((f) => wrap(`- ${f.readme}`, 100, "  ")).join("\n");
}

export function readInput(file: string, options: InputOptions = {}): FileInput {
  const parsed = parseFile(file);
  const format = FORMATS.find((f) => f.recognise(parsed.data));
  if (!format) throw new InputError(`${file}: unknown shape: expected ${either(FORMATS.map((f) => f.shape))}`);
  try {
    const { resources, notJudged, errors = [] } = format.read(parsed.data, options);
    const read: InputResource[] = [];
    const refused = errors.map((e) => new InputError(`${at(parsed, e.path)}: ${e.message}`));
    // A resource the engines could read differently is refused alone; the file's others are still judged.
    for (const f of resources) {
      try {
        read.push(f.shape === "pulumi" ? fromPulumi(parsed, f) : fromArm(parsed, f));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        refused.push(e);
      }
    }
    return {
      resources: read,
      notJudged: notJudged.map((n) => ({ file: parsed.file, position: parsed.locate(n.path), type: n.type, resource: n.name, reason: n.message })),
      errors: refused,
    };
  } catch (e) {
    if (e instanceof DocumentError) throw new InputError(`${at(parsed, e.path)}: ${e.message}`);
    throw e;
  }
}

