/**
 * The input formats of `apiguard evaluate`, one module each behind one contract (contract.ts), and
 * what every format shares: reading the file (JSON with comments, or YAML: ../parse.ts), giving each
 * resource both shapes (CrossGuard judges Pulumi inputs, Azure Policy ARM resources) and a position.
 * `evaluate --help`, the error for an unrecognised document and the README's list of what `evaluate`
 * reads come from this registry. Each file is one stack for the stack rules.
 */
import { armToPulumi, pulumiToArm, type ArmResource, type PulumiResource } from "../../../core/resources/convert";
import { shapeOfType } from "../../../core/targets";
import { InputError, parseFile, type JsonPath, type Parsed, type Position } from "../parse";
import { UNKNOWN, isUnknownSentinel, type UnknownNote } from "../unknowns";
import { armTemplate } from "./arm-template";
import { azCli } from "./az-cli";
import { DocumentError, isObject, type Found, type InputFormat, type InputOptions, type Origin } from "./contract";
import { preview } from "./preview";
import { pulumiCloud } from "./pulumi-cloud";
import { resourceGraph } from "./resource-graph";
import { resources } from "./resources";
import { stackExport } from "./stack-export";
import { terraformPlan } from "./terraform-plan";
import { whatIf } from "./what-if";

export { InputError, MAX_INPUT_BYTES } from "../parse";
export type { InputOptions, Origin } from "./contract";

/**
 * Every format, in the order they are asked whether they recognise a document; the first that does
 * reads it. The order matters only where two could: a Terraform plan, stack export, preview and
 * what-if output are told by keys no template or resource has; the inventories (Resource Graph rows,
 * Azure CLI output, a Pulumi Cloud search page) before templates and plain resources, which would
 * read them as written — an inventory's projected row or flattened properties would then look like a
 * resource with every default; Resource Graph before the Azure CLI, whose output a projected row could
 * resemble; an ARM template (or a list of ARM resources) before plain resources, which would also take
 * a `resources` list; plain resources last, as they take any document with a `type`.
 */
export const FORMATS: readonly InputFormat[] = [terraformPlan, stackExport, preview, whatIf, resourceGraph, azCli, pulumiCloud, armTemplate, resources];

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
  /** Where an existing resource lives, when its inventory says so. */
  origin?: Origin;
}

export interface FileInput {
  resources: InputResource[];
  /** Parts of the file that could not be followed (a linked template …), so nothing in them was judged: one line each. */
  notJudged: string[];
  /** The id of the format that read the file. */
  format: string;
  /** The file is an inventory of existing resources (see InputFormat.inventory), not one stack. */
  inventory: boolean;
  /** A page of a paged inventory: its rows and the rows of the whole query. */
  page?: { count: number; totalRecords: number };
}

function at(parsed: Parsed, path: JsonPath): string {
  const pos = parsed.locate(path);
  return pos ? `${parsed.file}:${pos.line}:${pos.column}` : parsed.file;
}

/** A Pulumi-shaped resource, with its ARM shape where apiguard can express it. */
function fromPulumi(parsed: Parsed, f: Extract<Found, { shape: "pulumi" }>): InputResource {
  const pulumi = { type: f.type, name: f.name, props: f.props };
  return { file: parsed.file, position: parsed.locate(f.path), id: f.path.join("/"), name: f.name, urn: f.urn, pulumi, arm: pulumiToArm(pulumi), unknowns: f.unknowns, origin: f.origin };
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
  const arm: ArmResource = { ...rest, type, name, properties: known ? properties : {} };
  const pulumi = armToPulumi(arm);
  if (!known && properties === UNKNOWN) {
    // Every field the targets read lives under `properties`: each is unknown.
    arm.properties = UNKNOWN as never;
    for (const binding of Object.values(shapeOfType(pulumi.type)?.shape.fields ?? {})) pulumi.props[binding.path[0]] = UNKNOWN;
  }
  return { file: parsed.file, name, arm, pulumi, position: parsed.locate(f.path), id: f.id ?? f.path.join("/"), unknowns: f.unknowns, origin: f.origin };
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
    const { resources, notJudged, page } = format.read(parsed.data, options);
    return {
      resources: resources.map((f) => (f.shape === "pulumi" ? fromPulumi(parsed, f) : fromArm(parsed, f))),
      notJudged: notJudged.map((n) => `${at(parsed, n.path)}: ${n.message}`),
      format: format.id,
      inventory: format.inventory === true,
      ...(page ? { page } : {}),
    };
  } catch (e) {
    if (e instanceof DocumentError) throw new InputError(`${at(parsed, e.path)}: ${e.message}`);
    throw e;
  }
}

