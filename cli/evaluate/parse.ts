/**
 * Reading an input file into a value plus the source position of any node in it, so each result
 * can point at its resource's line and column (SARIF). JSON is read as ARM reads templates: `//`
 * and `/* *\/` comments are accepted ("Template syntax", Comments,
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#comments-and-metadata),
 * and so are trailing commas, which Resource Manager's parser tolerates: Microsoft's published
 * quickstart quickstarts/microsoft.kubernetes/aks-mariner/azuredeploy.json has one (test/cli/evaluate/corpus).
 */
import * as fs from "fs";
import { isatty } from "tty";
import { createScanner, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError } from "jsonc-parser";
import type { Document } from "yaml";

export class InputError extends Error {}

/** The largest input file read; a policy input this big is a mistake, not a stack. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type JsonPath = (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface Parsed {
  file: string;
  data: unknown;
  /** 1-based line and column where the value at `path` starts, when the file has it. */
  locate(path: JsonPath): Position | undefined;
}

/** The display name of standard input. */
export const STDIN = "-";

/**
 * How deep objects and arrays may nest in an input. Deeper than any template, plan or export seen in
 * practice (Azure Policy itself evaluates objects only up to 128 deep: "Azure Policy definition
 * structure policy rule", limits, https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule);
 * a limit keeps every reader's recursion far from the stack's end.
 */
export const MAX_DEPTH = 256;

/** How often a YAML alias may be expanded (the yaml library's own guard against alias bombs). */
const MAX_ALIASES = 100;

/**
 * Reads at most MAX_INPUT_BYTES + 1 bytes from an open descriptor: one byte more tells "too large".
 * `size` (a regular file's) sizes the buffer, so a file is read in one call and never copied; the
 * buffer grows when the file grows while read, or for standard input.
 */
function readCapped(fd: number, name: string, size = 0): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(Math.max(size + 1, 1 << 16), MAX_INPUT_BYTES + 1));
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_INPUT_BYTES + 1));
      buffer.copy(larger, 0, 0, total);
      buffer = larger;
    }
    let n: number;
    try {
      n = fs.readSync(fd, buffer, total, buffer.length - total, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking pipe with nothing buffered yet: wait a moment rather than spin.
      if (code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw new InputError(`${name}: cannot read (${code ?? "error"})`);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_BYTES) throw new InputError(`${name}: larger than the ${MAX_INPUT_BYTES}-byte limit`);
  }
  return buffer.subarray(0, total);
}

/** What a file that is not a regular file is, for the error that refuses it. */
function kindOf(stat: fs.Stats): string | undefined {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return stat.isFile() ? undefined : "not a regular file";
}

/**
 * The bytes of an input. A file must be a regular file: it is opened without blocking and checked
 * before anything is read, so a named pipe or a device is refused rather than waited on or read
 * without end. Standard input may be a pipe; it is read up to the size limit.
 */
function readBytes(file: string): Buffer {
  if (file === STDIN) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.fstatSync(0);
    } catch {
      stat = undefined;
    }
    // `< /dev/zero` would never end; a terminal, a pipe or a redirected file are what `-` is for.
    if (stat && (stat.isCharacterDevice() || stat.isBlockDevice()) && !isatty(0)) throw new InputError(`${file}: standard input is a device, expected a JSON or YAML document`);
    return readCapped(0, file);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === "EISDIR" ? `${file}: is a directory, expected a JSON or YAML file` : `${file}: cannot read (${code ?? "error"})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    const kind = kindOf(stat);
    if (kind) throw new InputError(`${file}: is ${kind}, expected a JSON or YAML file`);
    if (stat.size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${stat.size} bytes is larger than the ${MAX_INPUT_BYTES}-byte limit`);
    return readCapped(fd, file, stat.size);
  } finally {
    fs.closeSync(fd);
  }
}

function readText(file: string): string {
  const buffer = readBytes(file);
  if (buffer.length === 0) throw new InputError(`${file}: is empty`);
  if (buffer.includes(0)) throw new InputError(`${file}: is binary, expected a JSON or YAML file`);
  // A UTF-8 byte order mark is common in files saved by Windows tools (az CLI output, Visual Studio).
  return buffer.toString("utf8").replace(/^\uFEFF/, "");
}

export function parseFile(file: string): Parsed {
  const text = readText(file);
  // JSON is parsed as JSON with comments (YAML would accept `"name": }` as null); everything else as YAML.
  return /\.json$/i.test(file) || /^\s*(?:[[{]|\/[/*])/.test(text) ? parseJson(file, text) : parseYaml(file, text);
}

const tooDeep = (file: string) => new InputError(`${file}: nested more than ${MAX_DEPTH} levels deep`);

/**
 * The one shape every reader gets: plain objects and arrays of this realm, whatever the parser built.
 * The JSON parser builds objects without a prototype, which @pulumi/policy's unknown-checking proxy
 * does not wrap (it wraps only `instanceof Object`), so an unknown value inside one would be read as
 * text; rebuilt here, an unknown is unknown in every syntax. Keys are defined, never assigned, so a
 * key `__proto__` stays data. Nesting is limited to MAX_DEPTH.
 */
function plainValue(value: unknown, file: string): unknown {
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (depth >= MAX_DEPTH) throw tooDeep(file);
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, depth + 1)]));
  };
  return copy(value, 0);
}

/** `value` itself, once it is known to nest no deeper than MAX_DEPTH (JSON.parse builds plain objects already). */
function withinDepth(value: unknown, file: string): unknown {
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== "object") return;
    if (depth >= MAX_DEPTH) throw tooDeep(file);
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return value;
}

/** The deepest nesting of a JSON text, counted without building anything (the parser itself recurses). */
function jsonDepth(text: string): number {
  const scanner = createScanner(text, false);
  let depth = 0;
  let deepest = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) deepest = Math.max(deepest, ++depth);
    else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) depth--;
  }
  return deepest;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function toPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** Follows `path` with object keys matched exactly, else case-insensitively (ARM envelope keys). */
function findNode(root: JsonNode, path: JsonPath): JsonNode | undefined {
  const exact = findNodeAtLocation(root, path);
  if (exact) return exact;
  let node: JsonNode | undefined = root;
  for (const seg of path) {
    if (!node?.children) return undefined;
    if (typeof seg === "number") node = node.type === "array" ? node.children[seg] : undefined;
    else {
      const lower = seg.toLowerCase();
      const prop: JsonNode | undefined = node.children.find((p) => p.children?.[0] && String(p.children[0].value).toLowerCase() === lower);
      node = prop?.children?.[1];
    }
  }
  return node;
}

function parseTreeOf(file: string, text: string): { root: JsonNode; starts: number[] } {
  if (jsonDepth(text) > MAX_DEPTH) throw tooDeep(file);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: false });
  const starts = lineStarts(text);
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = e ? toPosition(starts, e.offset) : { line: 1, column: 1 };
    throw new InputError(`${file}:${at.line}:${at.column}: invalid JSON: ${e ? printParseErrorCode(e.error) : "no value"}`);
  }
  return { root, starts };
}

function parseJson(file: string, text: string): Parsed {
  // Strict JSON (every inventory page, most files) is parsed natively; the tree that gives positions is
  // built only when a position is asked for. Comments and trailing commas take the tree's path at once.
  let data: unknown;
  let tree: ReturnType<typeof parseTreeOf> | undefined;
  try {
    data = JSON.parse(text);
  } catch {
    tree = parseTreeOf(file, text);
    data = plainValue(getNodeValue(tree.root), file);
  }
  if (!tree) withinDepth(data, file);
  return {
    file,
    data,
    locate: (path) => {
      tree ??= parseTreeOf(file, text);
      const node = findNode(tree.root, path);
      return node ? toPosition(tree.starts, node.offset) : undefined;
    },
  };
}

function parseYaml(file: string, text: string): Parsed {
  // Loaded on first use: most inputs are JSON, and the YAML parser is a large part of start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMap, isSeq, LineCounter, parseDocument } = require("yaml") as typeof import("yaml");
  const lines = new LineCounter();
  let doc: Document;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lines.linePos(e.pos[0]);
      throw new InputError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split("\n")[0]}`);
    }
    // An alias repeated past this is a "billion laughs" document, not a stack or a template.
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof RangeError) throw tooDeep(file);
    if (e instanceof ReferenceError && /alias/i.test(e.message)) throw new InputError(`${file}: YAML aliases expand past ${MAX_ALIASES} copies (a document that grows without bound when read)`);
    throw e;
  }
  return {
    file,
    data: plainValue(data, file),
    locate: (path) => {
      let node: unknown = doc.contents;
      for (const seg of path) {
        if (isSeq(node) && typeof seg === "number") node = node.items[seg];
        else if (isMap(node)) {
          const lower = String(seg).toLowerCase();
          const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key).toLowerCase() === lower);
          node = pair?.value;
        } else return undefined;
      }
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (!range) return undefined;
      const pos = lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    },
  };
}
