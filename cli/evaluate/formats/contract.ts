/**
 * The contract every input format of `apiguard evaluate` keeps. A format
 * - recognises its documents (the registry, index.ts, asks the formats in a fixed order; the first
 *   that says yes reads the file),
 * - reads the resources a document deploys or declares, in either shape (Pulumi inputs, ARM); a
 *   resource the cloud would refuse is an error at its position, the others are still read,
 * - reports positions: each resource carries the JSON path of its declaration, which the registry
 *   turns into a line and column of the file,
 * - normalises unknowns and secrets: every value not known yet (a deployment-time expression, a value
 *   known after apply, a Pulumi unknown, an encrypted or masked secret) becomes Pulumi's unknown
 *   sentinel (../unknowns.ts), with a note of its path and why; an ARM string only partly known
 *   stays a PartialString (azure-policy-engine), which the registry hands to each engine,
 * - says what it does not hand over, so nothing is dropped in silence: each resource it reads but
 *   will not judge (deleted by the change, a data source, a condition that is false …) with its type,
 *   name and why, and each part of the document it could not follow (a linked template …).
 *   Resources it hands over that no rule judges are reported by `evaluate` itself.
 */
import type { ParameterValues } from "../../../arm-template";
import type { JsonPath } from "../parse";
import type { UnknownNote } from "../unknowns";

export interface InputOptions {
  /** ARM parameter values by lower-cased name (parameters files, then name=value overrides). */
  parameters?: ParameterValues;
}

/**
 * Where an existing resource lives, as an inventory says it: the impact report groups by these. Formats
 * that read deployments (templates, plans) leave it out; the report then derives what it can (a
 * Pulumi URN's stack and project, a `location`).
 */
export interface Origin {
  /** The cloud's resource ID (an Azure resource ID). */
  resourceId?: string;
  subscription?: string;
  resourceGroup?: string;
  location?: string;
  stack?: string;
  project?: string;
}

/** A resource as a format found it, before the registry gives it both shapes and a position. */
export type Found =
  | {
      shape: "pulumi";
      type: string;
      name: string;
      urn?: string;
      props: Record<string, unknown>;
      /** Where the resource (or its inputs) is declared. */
      path: JsonPath;
      unknowns: UnknownNote[];
      origin?: Origin;
    }
  | {
      shape: "arm";
      /** The ARM resource as deployed: `type`, `name`, `properties` and envelope keys, in any casing. */
      resource: Record<string, unknown>;
      path: JsonPath;
      /** Stable identity within the file (declaration path plus copy indexes), where the path is not enough. */
      id?: string;
      unknowns: UnknownNote[];
      /** The name's source text, when the name is only known at deployment. */
      displayName?: string;
      origin?: Origin;
    };

/**
 * A resource the format read but does not hand over for judging, or a part of a document it could
 * not follow (then without type and name), with why.
 */
export interface NotJudged {
  path: JsonPath;
  /** Why it is not judged: `deleted by this plan`, `nested deployment links its template …`. */
  message: string;
  /** The resource's type and name, when what is not judged is one resource. */
  type?: string;
  name?: string;
}

/** A document a format recognised but cannot read at `path`: the registry names the file, line and column. */
export class DocumentError extends Error {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message);
  }
}

export interface FormatRead {
  resources: Found[];
  notJudged: NotJudged[];
  /** A page of a paged inventory: the rows it holds and the rows the whole query returned. */
  page?: { count: number; totalRecords: number };
  /**
   * Resources the document declares in a way the cloud would refuse (an ARM expression that fails,
   * a template limit exceeded): each is an input error at its position, and the document's other
   * resources are still judged.
   */
  errors?: { path: JsonPath; message: string }[];
}

export interface InputFormat {
  /** A stable name for the format. */
  id: string;
  /** What users call the format, for `evaluate --help`: `Terraform plans`. */
  title: string;
  /** How the error for an unrecognised document names it, with the key that tells it: `a Terraform plan (resource_changes[])`. */
  shape: string;
  /** One item of the README's list of what `evaluate` reads (Markdown, with the documents it follows). */
  readme: string;
  /**
   * Its documents list existing resources from many deployments (an inventory), not one stack or
   * template: rules that judge a whole stack do not apply to them.
   */
  inventory?: boolean;
  recognise(data: unknown): boolean;
  read(data: unknown, options: InputOptions): FormatRead;
}

/** A format whose reader takes the document type its recogniser establishes. */
export interface FormatSpec<D> extends Omit<InputFormat, "recognise" | "read"> {
  recognise(data: unknown): data is D;
  read(data: D, options: InputOptions): FormatRead;
}

/** Keeps the recogniser and the reader of a format together: a reader only ever gets what its recogniser accepted. */
export function inputFormat<D>(spec: FormatSpec<D>): InputFormat {
  return {
    ...spec,
    read: (data, options) => {
      if (!spec.recognise(data)) throw new Error(`input format ${spec.id}: read a document it does not recognise`);
      return spec.read(data, options);
    },
  };
}

export type Obj = Record<string, unknown>;
export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
