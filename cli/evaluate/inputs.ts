/**
 * Input files of `apiguard evaluate` (or `-` for standard input): JSON (comments allowed) or YAML
 * holding one resource, an array of resources, an ARM template (resolved: see arm.ts), the JSON of
 * `az deployment … what-if`, a `pulumi stack export`, `pulumi preview --json` output (pulumi.ts) or
 * a `terraform show -json` plan (terraform.ts). Each file is one stack for the stack rules.
 * Anything else is an InputError naming the file (and line:column where there is one).
 */
import { armToPulumi, canonicalEnvelope, isArmType, pulumiToArm, type ArmResource, type PulumiResource } from "../../core/resources/convert";
import { matchShape } from "../../core/semantics/semantics";
import { TARGETS } from "../../core/targets";
import { isArmTemplate, isWhatIf, resolveTemplate, whatIfResources, type ArmFound, type ParameterValues } from "./arm";
import { InputError, parseFile, type JsonPath, type Parsed, type Position } from "./parse";
import { isPreview, isStackExport, previewResources, stackExportResources, type PulumiFound } from "./pulumi";
import { isTerraformPlan, terraformResources } from "./terraform";
import { UNKNOWN, isUnknownSentinel, type UnknownNote } from "./unknowns";

export { InputError, MAX_INPUT_BYTES } from "./parse";

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
}

export interface FileInput {
  resources: InputResource[];
  /** Parts of the file that could not be followed (a linked template …): one line each. */
  warnings: string[];
}

export interface InputOptions {
  /** ARM parameter values by lower-cased name (parameters files, then name=value overrides). */
  parameters?: ParameterValues;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function make(parsed: Parsed, path: JsonPath, base: Omit<InputResource, "file" | "position" | "id">): InputResource {
  return { file: parsed.file, position: parsed.locate(path), id: path.join("/"), ...base };
}

function fromPulumiFound(parsed: Parsed, f: PulumiFound | (Omit<PulumiFound, "urn"> & { urn?: string })): InputResource {
  const pulumi = { type: f.type, name: f.name, props: f.props };
  return make(parsed, f.path, { name: f.name, urn: f.urn, pulumi, arm: pulumiToArm(pulumi), unknowns: f.unknowns });
}

/** A resolved ARM resource in both shapes; a wholly unknown `properties` stays unknown in both. */
function fromArmFound(parsed: Parsed, f: ArmFound): InputResource {
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
  const arm: ArmResource = { ...rest, type, name, properties: isObject(properties) ? properties : properties === UNKNOWN ? (UNKNOWN as never) : {} };
  let pulumi: PulumiResource;
  if (isObject(arm.properties)) pulumi = armToPulumi(arm);
  else {
    // Every field the targets read lives under `properties`: each is unknown.
    pulumi = armToPulumi({ ...arm, properties: {} });
    const shape = TARGETS.map((t) => matchShape(t.shapes, pulumi.type)).find((s) => s);
    for (const binding of Object.values(shape?.fields ?? {})) pulumi.props[binding.path[0]] = UNKNOWN;
  }
  return { file: parsed.file, name, arm, pulumi, position: parsed.locate(f.path), id: f.id, unknowns: f.unknowns };
}

function at(parsed: Parsed, path: JsonPath): string {
  const pos = parsed.locate(path);
  return pos ? `${parsed.file}:${pos.line}:${pos.column}` : parsed.file;
}

/** One resource object, in either shape, judged as written (no template around it). */
function plainResource(parsed: Parsed, given: unknown, path: JsonPath, where: string): InputResource {
  // ARM reads a resource's own keys (`Type`, `Properties`, …) whatever their casing; Pulumi's are exact.
  const raw = isObject(given) ? canonicalEnvelope(given) : given;
  if (!isObject(raw) || typeof raw.type !== "string") throw new InputError(`${at(parsed, path)}: ${where} is not a resource (expected an object with a string \`type\`)`);
  const name = typeof raw.name === "string" ? raw.name : "(unnamed)";
  if (isArmType(raw.type)) return fromArmFound(parsed, { resource: raw, path, id: path.join("/"), unknowns: [] });
  const props = raw.props ?? raw.inputs ?? {};
  if (!isObject(props)) throw new InputError(`${at(parsed, path)}: ${where}: \`props\` must be an object`);
  return fromPulumiFound(parsed, { type: raw.type, name, props, path, unknowns: [] });
}

function template(parsed: Parsed, data: Obj, options: InputOptions): FileInput {
  const { resources, warnings } = resolveTemplate(data, options.parameters ?? new Map());
  return { resources: resources.map((f) => fromArmFound(parsed, f)), warnings: warnings.map((w) => `${at(parsed, w.path)}: ${w.message}`) };
}

export function readInput(file: string, options: InputOptions = {}): FileInput {
  const parsed = parseFile(file);
  const data = parsed.data;
  const none: string[] = [];
  if (Array.isArray(data)) return { resources: data.map((r, i) => plainResource(parsed, r, [i], `item ${i}`)), warnings: none };
  if (!isObject(data)) throw new InputError(`${file}: expected a resource, an array of resources, an ARM template, a stack export, a preview or a plan`);
  if (isTerraformPlan(data)) return { resources: terraformResources(data).map((f) => fromPulumiFound(parsed, f)), warnings: none };
  if (isStackExport(data)) return { resources: stackExportResources(data).map((f) => fromPulumiFound(parsed, f)), warnings: none };
  if (isPreview(data)) return { resources: previewResources(data).map((f) => fromPulumiFound(parsed, f)), warnings: none };
  if (isWhatIf(data)) return { resources: whatIfResources(data).map((f) => fromArmFound(parsed, f)), warnings: none };
  if (isArmTemplate(data)) return template(parsed, data, options);
  if (Array.isArray(data.resources)) {
    // ARM resources without the template envelope are still resolved as a template; Pulumi-shaped ones (a catalog stack example) are read as written.
    const all = data.resources as unknown[];
    if (all.length > 0 && all.every((r) => isObject(r) && isArmType(String(canonicalEnvelope(r).type)))) return template(parsed, data, options);
    return { resources: all.map((r, i) => plainResource(parsed, r, ["resources", i], `resources[${i}]`)), warnings: none };
  }
  if (isObject(data.resource)) return { resources: [plainResource(parsed, data.resource, ["resource"], "resource")], warnings: none }; // a catalog example
  if (typeof canonicalEnvelope(data).type === "string") return { resources: [plainResource(parsed, data, [], "the document")], warnings: none };
  throw new InputError(
    `${file}: unknown shape: expected a resource ({type, name, props|properties}), an array, an ARM template (resources[]), what-if output (changes[]), a stack export (deployment.resources[]), a preview (steps[]) or a Terraform plan (resource_changes[])`,
  );
}
