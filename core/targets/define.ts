/**
 * What a target module declares, and the helpers that build its shapes. A target (core/targets/<id>.ts)
 * holds everything apiguard knows about one kind of resource: its logical fields, and for every
 * provider that can declare it the resource's type (Pulumi tokens, ARM type, Terraform type), where
 * each field lives, the cloud's default when it is absent and the document that says so.
 *
 * Every path is checked against the installed provider type definitions by test/core/targets.test.ts,
 * so a provider upgrade that renames a property fails CI.
 */

export type FieldType = "boolean" | "string" | "stringArray" | "objectArray" | "stringMap";
export type Scalar = boolean | string | number;
export type FieldValue = Scalar | string[] | null;

/** How one logical field is stored on one resource shape. */
export interface FieldBinding {
  /**
   * Property path below the resource's props (Pulumi) or below `properties` (ARM). Empty when the
   * provider cannot express the field: every resource of the shape then has the default.
   */
  path: string[];
  /** The value the cloud uses when the property is absent or null. */
  default: FieldValue;
  /** Where the default comes from (provider doc comment or cloud documentation). */
  defaultSource: string;
  /** The provider stores the logical value inverted (e.g. `runCommandEnabled` vs `disableRunCommand`). */
  inverted?: boolean;
  /** The provider stores an enum string for a logical boolean (case-insensitive keys). */
  valueMap?: Record<string, boolean>;
  /** The cloud treats an empty string like an absent property (`defaultSource` says why). */
  emptyIsDefault?: boolean;
  /**
   * ARM: the path starts at the resource itself (`sku.name`), not below `properties`. Its alias is
   * still `<resource type>/<path>` (e.g. `Microsoft.ContainerService/managedClusters/sku.name`).
   */
  envelope?: boolean;
  /**
   * A property of older API versions or provider majors that the installed provider types no longer
   * declare; the citation of where it is declared (test/core/targets.test.ts checks it instead of the .d.ts).
   */
  legacy?: string;
  /** The logical value is whether the property is set at all (a provider block whose presence enables a feature). */
  present?: boolean;
  /**
   * objectArray fields: how each element's fields are stored. An empty `path` means the resource
   * itself is the one element (a standalone child resource such as a network security rule).
   */
  elements?: Record<string, FieldBinding>;
  /** The Azure Policy alias path, where it is not the property path (ARM wraps array elements in `properties`). */
  aliasPath?: string[];
  /**
   * ARM: Azure Policy reads the property as this built-in field, not through an alias (`tags`:
   * "Azure Policy definition structure policy rule", fields, https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule#fields).
   */
  policyField?: string;
}

/** A TypeScript interface in an installed @pulumi provider package (path below node_modules/@pulumi). */
export interface Declaration {
  file: string;
  name: string;
  /** The `export declare namespace` holding the interface, where several modules declare one of that name. */
  namespace?: string;
}

/**
 * Who declares a shape: a Pulumi provider package (`azure` is the classic provider, bridged from
 * Terraform's azurerm), or `arm`, an Azure Resource Manager document (what Azure Policy evaluates).
 */
export type Provider = "azure-native" | "azure" | "aws" | "aws-native" | "arm";

/**
 * A Pulumi resource type in the spellings a program, a stack export or a preview may carry.
 * The type pattern a policy matches is derived from these (typePattern below), never written by hand.
 */
export interface PulumiTokens {
  /** The schema token, as the SDKs, stack exports and previews write it: `aws:eks/cluster:Cluster`. */
  full: string;
  /**
   * The token without its `/<camelCase type>` module part, as Pulumi YAML programs may write it:
   * `aws:eks:Cluster`. Pulumi YAML resolves `pkg:mod:Type` to `pkg:mod/type:Type` ("Token
   * Resolution", pulumi/pulumi-yaml pkg/pulumiyaml/README.md, step 4); test/core/targets.test.ts
   * holds every short token to that rule.
   */
  short?: string;
  /**
   * An example of the token in an API-versioned module (azure-native publishes every API version as a
   * module `<mod>/v<date>[preview]`): `azure-native:containerservice/v20240801:ManagedCluster`.
   */
  versioned?: string;
}

/** Terraform's type for a shape bridged from a Terraform provider, and how its plan attributes map onto the shape's inputs. */
export interface TerraformMapping {
  /** The Terraform resource type (`azurerm_kubernetes_cluster`). */
  type: string;
  /** Blocks with at most one item, a list in the plan and an object in the Pulumi inputs (snake_case names). */
  singleBlocks: string[];
  /**
   * Blocks that repeat, a list in the plan and in the Pulumi inputs, by Terraform name, with the input
   * name Pulumi's Terraform bridge gives them: it names a repeated block in the plural (azurerm
   * `security_rule` is @pulumi/azure `securityRules`).
   */
  repeatedBlocks?: Record<string, string>;
  /**
   * Older attribute spellings the provider still honours, as camelCase input paths: `old → current`.
   * The current spelling wins when both are set.
   */
  renamed?: Record<string, string>;
  /** Older lists the provider still honours, merged into the current list (`old → current`, camelCase input paths). */
  mergedInto?: Record<string, string>;
}

export interface Shape {
  id: string;
  provider: Provider;
  /** Case-insensitive regular expression source matching the resource type token (derived: typePattern()). */
  typePattern: string;
  /** Human-readable type tokens, for docs (derived from the tokens or the ARM type). */
  typeNames: string[];
  /** Pulumi shapes: the resource's type tokens. */
  pulumi?: PulumiTokens;
  /**
   * The installed provider type definitions that declare this shape's properties, by path prefix
   * ("" = the resource's own arguments; `<field>[]` = one element of an array field, which for a
   * standalone child resource is the resource itself). test/core/targets.test.ts reads each property's
   * declaration there, so a provider upgrade that renames one fails CI. Absent only for shapes whose
   * provider package is not installed: their defaults cite the cloud's documentation instead.
   */
  declaredBy?: Record<string, Declaration>;
  /** ARM shapes are what Azure Policy evaluates; their paths sit below `properties`. */
  arm?: {
    resourceType: string;
    /** false for types without tags and location (child resources), which `Indexed` definitions never evaluate. */
    tagsAndLocation?: false;
  };
  fields: Record<string, FieldBinding>;
  /** Pulumi shapes: the id of the ARM shape that describes the same resource (default: the target's first ARM shape). */
  armPeer?: string;
  /**
   * azure-native shapes: the inputs that address the resource (its resource group and name) rather
   * than describe it; they are not ARM properties, so converting to ARM drops them.
   */
  addressing?: string[];
  /** Shapes of a provider bridged from Terraform: the Terraform type that maps onto them. */
  terraform?: TerraformMapping;
}

export interface LogicalField {
  type: FieldType;
  description: string;
  /** objectArray fields: the fields of one element. */
  elements?: Record<string, LogicalField>;
}

export interface Target<Id extends string = string> {
  id: Id;
  title: string;
  /**
   * The abbreviation the product names the target by, for Kubernetes clusters whose API server
   * apiguard guards (AKS, EKS): the pack's description lists them.
   */
  cluster?: string;
  fields: Record<string, LogicalField>;
  shapes: Shape[];
}

/** A target as its module writes it; `const` keeps its id a literal, so the registry can type target ids. */
export function defineTarget<const Id extends string>(target: Target<Id>): Target<Id> {
  return target;
}

/** Regular-expression source for a literal (lower-cased: patterns match case-insensitively). */
const literal = (text: string) => text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An azure-native API-versioned module segment: `v20240801`, `v20230102preview`. */
const VERSIONED_MODULE = "/v[0-9a-z]+";

/**
 * The type pattern of a Pulumi shape, from its tokens: the full token, plus the short one without its
 * `/<type>` module part, plus any API-versioned module. One helper, so no pattern is written by hand.
 */
export function pulumiTypePattern(tokens: PulumiTokens): string {
  const parsed = /^([^:/]+):([^:/]+)(?:\/([^:/]+))?:([^:/]+)$/.exec(tokens.full);
  if (!parsed) throw new Error(`'${tokens.full}' is not a Pulumi type token <package>:<module>[/<member>]:<Type>`);
  const [, pkg, mod, member, type] = parsed;
  const alternatives = [...(member !== undefined ? [`/${literal(member)}`] : []), ...(tokens.versioned ? [VERSIONED_MODULE] : [])];
  const optional = member === undefined || tokens.short !== undefined;
  const group = alternatives.length === 0 ? "" : optional || alternatives.length > 1 ? `(${alternatives.join("|")})${optional ? "?" : ""}` : alternatives[0];
  return `^${literal(pkg)}:${literal(mod)}${group}:${literal(type)}$`;
}

/** The token spellings docs list: the full token, its API-versioned form (`/v*`), and the short one. */
function pulumiTypeNames(tokens: PulumiTokens): string[] {
  const versioned = tokens.versioned?.replace(/\/v[0-9a-z]+:/i, "/v*:");
  return [tokens.full, ...(versioned ? [versioned] : []), ...(tokens.short ? [tokens.short] : [])];
}

type PulumiShapeSpec = Omit<Shape, "typePattern" | "typeNames" | "arm" | "pulumi" | "provider"> & { provider: Exclude<Provider, "arm">; pulumi: PulumiTokens };
type ArmShapeSpec = Omit<Shape, "typePattern" | "typeNames" | "pulumi" | "provider" | "arm" | "addressing" | "terraform" | "armPeer"> & { arm: NonNullable<Shape["arm"]> };

/** A shape a Pulumi provider declares, its type pattern and doc names derived from its tokens. */
export function pulumiShape(spec: PulumiShapeSpec): Shape {
  return { ...spec, typePattern: pulumiTypePattern(spec.pulumi), typeNames: pulumiTypeNames(spec.pulumi) };
}

/** The shape of an ARM resource type, as templates, what-if and Azure Policy see it. */
export function armTypeShape(spec: ArmShapeSpec): Shape {
  return { ...spec, provider: "arm", typePattern: `^${literal(spec.arm.resourceType)}$`, typeNames: [spec.arm.resourceType] };
}
