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
import { InputError, parseFile, type JsonPath, type Parsed, type Position } from "../parse";
import { UNKNOWN, fieldRoots, isUnknownSentinel, sentinelNotes, type UnknownNote } from "../unknowns";
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

/**
 * The position of a resource, found on first use: finding positions means building the file's syntax
 * tree, most of what reading a large inventory costs, and most uses never ask. The file's text is let
 * go once the position is known.
 */
function lazyPosition(parsed: Parsed, path: JsonPath): () => Position | undefined {
  let source: Parsed | undefined = parsed;
  let position: Position | undefined;
  return () => {
    if (source) {
      position = source.locate(path);
      source = undefined;
    }
    return position;
  };
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
  const position = lazyPosition(parsed, f.path);
  return {
    file: parsed.file,
    id: f.path.join("/"),
    name: f.name,
    urn: f.urn,
    pulumi,
    arm: pulumiToArm(pulumi),
    unknowns: withSentinelNotes(f.props, f.unknowns),
    origin: f.origin,
    get position() {
      return position();
    },
  };
}

const ARM_OWN = new Set(["type", "name", "properties"]);

/**
 * An ARM resource in both shapes; a wholly unknown `properties` stays unknown in both. The Pulumi shape
 * is made when first asked for: only CrossGuard reads it.
 */
function fromArm(parsed: Parsed, f: Extract<Found, { shape: "arm" }>, inventory: boolean): InputResource {
  const r = f.resource;
  let type: unknown = r.type;
  let rawName: unknown = r.name;
  let propsKey: string | undefined = "properties" in r ? "properties" : undefined;
  // The envelope (every other key), then `type`, `name` and `properties` in their canonical casing.
  const arm = {} as ArmResource;
  for (const key in r) {
    if (!Object.hasOwn(r, key)) continue;
    const lower = ARM_OWN.has(key) ? key : key.toLowerCase();
    if (!ARM_OWN.has(lower)) arm[key] = r[key];
    else if (lower === "type") type ??= r[key];
    else if (lower === "name") rawName ??= r[key];
    else propsKey ??= key;
  }
  const name = f.displayName ?? (typeof rawName === "string" && !isUnknownSentinel(rawName) ? rawName : "(unnamed)");
  const properties = propsKey ? r[propsKey] : {};
  if (properties !== undefined && properties !== null && !isObject(properties) && !isUnknownSentinel(properties)) {
    throw new InputError(`${at(parsed, f.path)}: \`properties\` must be an object`);
  }
  const known = isObject(properties);
  checkKeys(parsed, f, r, true);
  arm.type = String(type);
  arm.name = name;
  arm.properties = known ? properties : {};
  const wholeUnknown = !known && properties === UNKNOWN;
  // CrossGuard reads a partly known string as the pack's semantics writes it; Azure Policy's engine reads it as is.
  // An inventory holds values as the cloud returned them, parsed from JSON: none is a template expression's partly known string.
  const partial = !inventory && containsPartial(arm);
  let pulumi: PulumiResource | undefined;
  const toPulumi = () => {
    const source = wholeUnknown ? { ...arm, properties: {} } : arm;
    const converted = armToPulumi(partial ? (partialMarkers(source) as ArmResource) : source);
    // Every field the targets read lives under `properties`: each is unknown.
    if (wholeUnknown) for (const key of fieldRoots(converted.type)) converted.props[key] = UNKNOWN;
    return converted;
  };
  if (wholeUnknown) arm.properties = UNKNOWN as never;
  const position = lazyPosition(parsed, f.path);
  return {
    file: parsed.file,
    name,
    arm,
    id: f.id ?? f.path.join("/"),
    unknowns: withSentinelNotes(r, f.unknowns),
    origin: f.origin,
    ...(partial ? { partial } : {}),
    get pulumi() {
      return (pulumi ??= toPulumi());
    },
    get position() {
      return position();
    },
  };
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
    const { resources, notJudged, errors = [], page } = format.read(parsed.data, options);
    const read: InputResource[] = [];
    const refused = errors.map((e) => new InputError(`${at(parsed, e.path)}: ${e.message}`));
    // A resource the engines could read differently is refused alone; the file's others are still judged.
    for (const f of resources) {
      try {
        read.push(f.shape === "pulumi" ? fromPulumi(parsed, f) : fromArm(parsed, f, format.inventory === true));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        refused.push(e);
      }
    }
    return {
      resources: read,
      notJudged: notJudged.map((n) => {
        const position = lazyPosition(parsed, n.path);
        return {
          file: parsed.file,
          type: n.type,
          resource: n.name,
          reason: n.message,
          get position() {
            return position();
          },
        };
      }),
      errors: refused,
      format: format.id,
      inventory: format.inventory === true,
      ...(page ? { page } : {}),
    };
  } catch (e) {
    if (e instanceof DocumentError) throw new InputError(`${at(parsed, e.path)}: ${e.message}`);
    throw e;
  }
}
