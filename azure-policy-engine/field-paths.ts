// Field references: a field string (`type`, `tags['x']`, `properties.a.b`, an alias such as
// `Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value`) resolves to a path over the
// ARM resource document, which is then read with case-insensitive keys, like ARM does.

import type { Operator } from "./operators";
import { PolicyError, type Scope } from "./scope";

/** The `[*]` segment; other segments are object keys (strings) or array indexes (numbers). */
export const STAR = -1;
export type Segment = string | number;

export interface Path {
  readonly segs: readonly Segment[];
  /** Case-folded and unambiguous: equal for equal paths, and a prefix of every path inside an enclosing `[*]` path. */
  readonly key: string;
  /** Whether the path crosses a `[*]`. */
  readonly wild: boolean;
  /** Read when the path itself is absent (`fullName` defaults to `name`). */
  readonly fallback?: readonly Segment[];
}

/** One alias as the providers API (`$expand=resourceTypes/aliases`) and `Get-AzPolicyAlias` report it. */
export interface AliasDefinition {
  name: string;
  defaultPath: string;
  paths?: readonly { path: string; apiVersions: readonly string[] }[];
  /** `attributes: "Modifiable"` marks aliases the modify effect may change. */
  defaultMetadata?: { attributes?: string };
}

export interface ProviderAliases {
  namespace: string;
  resourceTypes: readonly { resourceType: string; aliases?: readonly AliasDefinition[] }[];
}

/** Either alias name → path, or the providers API's alias listing (which adds per-API-version paths). */
export type AliasCatalog = Readonly<Record<string, string>> | readonly ProviderAliases[];

// Aliases whose path is not `properties.` + the text after the resource type.
const LEGACY_ALIASES: readonly AliasDefinition[] = [
  {
    name: "Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges",
    defaultPath: "properties.apiServerAccessProfile.authorizedIPRanges",
  },
  {
    name: "Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]",
    defaultPath: "properties.apiServerAccessProfile.authorizedIPRanges[*]",
  },
];

// A resource provider namespace (`Microsoft.Compute`, `Contoso.Service`) followed by `/`.
const ALIAS_PATTERN = /^[^./[\]']+(?:\.[^./[\]']+)+\//;

interface AliasPaths {
  readonly base: Path;
  /** Keyed by lower-cased API version. */
  readonly versions?: ReadonlyMap<string, Path>;
}

/**
 * A field resolved to its path. Aliases are defined per resource type (`Microsoft.Compute/
 * imagePublisher` differs for VMs and scale sets) and per API version, so the path depends on the
 * evaluated resource; for a type the catalog doesn't define the alias for, the generic path applies.
 */
export class FieldRef {
  constructor(
    private readonly generic: AliasPaths,
    private readonly byType?: ReadonlyMap<string, AliasPaths>,
  ) {}

  /** The path when nothing is known about the resource. */
  get base(): Path {
    return this.generic.base;
  }

  path(scope: Pick<Scope, "resourceType" | "apiVersion">): Path {
    const paths = (scope.resourceType !== undefined && this.byType?.get(scope.resourceType)) || this.generic;
    return (scope.apiVersion !== undefined && paths.versions?.get(scope.apiVersion)) || paths.base;
  }
}

export class FieldResolver {
  /** Alias name → resource type ("" for type-less catalog entries) → definition; keys lower-cased. */
  private readonly aliases = new Map<string, Map<string, AliasDefinition>>();
  private readonly refs = new Map<string, FieldRef>();

  constructor(catalog?: AliasCatalog) {
    for (const alias of LEGACY_ALIASES) this.define("", alias);
    if (Array.isArray(catalog)) {
      for (const provider of catalog as readonly ProviderAliases[]) {
        for (const type of provider.resourceTypes ?? []) {
          for (const alias of type.aliases ?? []) this.define(`${provider.namespace}/${type.resourceType}`, alias);
        }
      }
    } else if (catalog) {
      for (const [name, defaultPath] of Object.entries(catalog as Readonly<Record<string, string>>)) this.define("", { name, defaultPath });
    }
  }

  private define(resourceType: string, alias: AliasDefinition): void {
    const name = alias.name.toLowerCase();
    const byType = this.aliases.get(name) ?? new Map<string, AliasDefinition>();
    byType.set(resourceType.toLowerCase(), alias);
    this.aliases.set(name, byType);
  }

  /** Whether the catalog marks an alias Modifiable; undefined when it carries no metadata for it. */
  modifiable(field: string): boolean | undefined {
    const described = [...(this.aliases.get(field.toLowerCase())?.values() ?? [])].filter((alias) => alias.defaultMetadata);
    if (described.length === 0) return undefined;
    return described.some((alias) => alias.defaultMetadata?.attributes?.toLowerCase() === "modifiable");
  }

  /** Resolves (once per distinct string) a field name; throws PolicyError on a malformed path. */
  ref(field: string): FieldRef {
    let ref = this.refs.get(field);
    if (!ref) {
      ref = this.resolve(field);
      this.refs.set(field, ref);
    }
    return ref;
  }

  private resolve(field: string): FieldRef {
    if (!ALIAS_PATTERN.test(field)) {
      const segs = parsePath(field);
      const fullName = segs.length === 1 && String(segs[0]).toLowerCase() === "fullname";
      return new FieldRef({ base: makePath(segs, fullName ? ["name"] : undefined) });
    }
    const byType = new Map<string, AliasPaths>();
    for (const [type, alias] of this.aliases.get(field.toLowerCase()) ?? []) byType.set(type, aliasPaths(alias));
    // Without a definition, an alias path is conventionally `properties.` + the part after the resource type.
    const generic = byType.get("") ?? { base: makePath(parsePath("properties." + field.slice(field.lastIndexOf("/") + 1))) };
    return new FieldRef(generic, byType.size ? byType : undefined);
  }
}

function aliasPaths(alias: AliasDefinition): AliasPaths {
  const versions = new Map<string, Path>();
  for (const versioned of alias.paths ?? []) {
    const path = makePath(parsePath(versioned.path));
    for (const version of versioned.apiVersions) versions.set(version.toLowerCase(), path);
  }
  return { base: makePath(parsePath(alias.defaultPath)), versions: versions.size ? versions : undefined };
}

/** Parses `a.b[0]['c.d'][*]`; `tags.<name>` takes the whole remainder as the tag name (tag names may contain dots). */
export function parsePath(text: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
    } else if (text[i] === "[") {
      i = parseBracket(text, i + 1, segs);
    } else {
      let end = i;
      while (end < text.length && text[end] !== "." && text[end] !== "[") end++;
      const key = text.slice(i, end);
      segs.push(key);
      if (segs.length === 1 && key.toLowerCase() === "tags" && text[end] === ".") {
        segs.push(text.slice(end + 1));
        break;
      }
      i = end;
    }
  }
  if (segs.length === 0) throw new PolicyError(`empty field path '${text}'`);
  return segs;
}

// Parses the inside of `[...]` starting at `i`; returns the index after `]`.
function parseBracket(text: string, i: number, segs: Segment[]): number {
  const quote = text[i];
  if (quote === "'" || quote === '"') {
    let key = "";
    let j = i + 1;
    for (;;) {
      if (j >= text.length) throw new PolicyError(`unterminated quote in field path '${text}'`);
      if (text[j] === quote) {
        if (quote === "'" && text[j + 1] === "'") {
          key += "'";
          j += 2;
          continue;
        }
        break;
      }
      key += text[j++];
    }
    if (text[j + 1] !== "]") throw new PolicyError(`expected ']' in field path '${text}'`);
    segs.push(key);
    return j + 2;
  }
  const close = text.indexOf("]", i);
  if (close < 0) throw new PolicyError(`unterminated '[' in field path '${text}'`);
  const inner = text.slice(i, close).trim();
  segs.push(inner === "*" ? STAR : /^\d+$/.test(inner) ? Number(inner) : inner);
  return close + 1;
}

export function makePath(segs: readonly Segment[], fallback?: readonly Segment[]): Path {
  let key = "";
  for (const s of segs) key += typeof s === "string" ? "\u0000" + s.toLowerCase() : s === STAR ? "\u0002" : "\u0001" + s;
  return { segs, key, wild: segs.includes(STAR), fallback };
}

/** The member `s` of `v` (case-insensitive key match), or undefined. */
export function child(v: unknown, s: Segment): unknown {
  if (typeof s === "number") return Array.isArray(v) ? v[s] : undefined;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  return getKey(v as Record<string, unknown>, s);
}

export function getKey(obj: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.length === key.length && k.toLowerCase() === lower) return obj[k];
  return undefined;
}

// Where reading `path` starts: at the member the innermost `count` over an enclosing array is
// visiting (a where clause sees only that member), else at `root` (segment 0).
function start(frames: readonly { path?: Path; value: unknown }[], root: unknown, path: Path): [unknown, number] {
  for (let i = frames.length - 1; i >= 0; i--) {
    const p = frames[i].path;
    if (p && path.key.startsWith(p.key)) return [frames[i].value, p.segs.length];
  }
  return [root, 0];
}

/**
 * A `field` condition: `test(value, operand)` must hold for the selected value, or for every member selected by a
 * `[*]` outside the enclosing counts (vacuously true for an empty array). An absent array selects a
 * single undefined member, so it behaves like an absent property rather than an empty array.
 */
export function testField(scope: Scope, path: Path, test: Operator, operand: unknown): boolean {
  const [root, from] = start(scope.frames, scope.resource, path);
  if (path.fallback && from === 0) return test(read(root, path.segs, 0) ?? read(root, path.fallback, 0), operand);
  return every(root, path.segs, from, test, operand);
}

function every(v: unknown, segs: readonly Segment[], i: number, test: Operator, operand: unknown): boolean {
  for (; i < segs.length; i++) {
    if (segs[i] === STAR) {
      if (!Array.isArray(v)) return test(undefined, operand);
      for (const member of v) if (!every(member, segs, i + 1, test, operand)) return false;
      return true;
    }
    v = child(v, segs[i]);
  }
  return test(v, operand);
}

function read(v: unknown, segs: readonly Segment[], i: number): unknown {
  for (; i < segs.length && v !== undefined; i++) v = child(v, segs[i]);
  return v;
}

/**
 * `field()`: the value ("" when absent, as the docs specify), or for a path crossing `[*]` the array
 * of selected values without absent ones — a single-member array for the member a `count` is visiting.
 */
export function fieldValue(scope: Scope, path: Path): unknown {
  // Count frames walk scope.resource; inside existenceCondition field() reads the evaluated resource instead.
  const frames = scope.subject === scope.resource ? scope.frames : [];
  const [root, from] = start(frames, scope.subject, path);
  if (!path.wild) return read(root, path.segs, from) ?? (path.fallback && read(root, path.fallback, 0)) ?? "";
  const out: unknown[] = [];
  collect(root, path.segs, from, out);
  return out;
}

/** The members a `count.field` path enumerates (absent arrays contribute none). */
export function members(scope: Scope, path: Path): unknown[] {
  const [root, from] = start(scope.frames, scope.resource, path);
  const out: unknown[] = [];
  collect(root, path.segs, from, out);
  return out;
}

function collect(v: unknown, segs: readonly Segment[], i: number, out: unknown[]): void {
  for (; i < segs.length; i++) {
    if (segs[i] === STAR) {
      if (Array.isArray(v)) for (const member of v) collect(member, segs, i + 1, out);
      return;
    }
    v = child(v, segs[i]);
  }
  if (v !== undefined) out.push(v);
}

/** `current('<alias>')`: the member a field count is visiting, or a value relative to it; undefined outside such a count. */
export function currentOf(scope: Scope, path: Path): unknown {
  const [member, from] = start(scope.frames, undefined, path);
  if (from === 0) return undefined;
  if (path.segs.indexOf(STAR, from) < 0) return read(member, path.segs, from) ?? null;
  const out: unknown[] = [];
  collect(member, path.segs, from, out);
  return out;
}
