/**
 * Reading an input file into a value plus the source position of any node in it, so each result
 * can point at its resource's line and column (SARIF). JSON is read as ARM reads templates: `//`
 * and `/* *\/` comments are accepted ("Template syntax", Comments,
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#comments-and-metadata),
 * and so are trailing commas, which Resource Manager's parser tolerates: Microsoft's published
 * quickstart quickstarts/microsoft.kubernetes/aks-mariner/azuredeploy.json has one (test/cli/evaluate/corpus).
 */
import * as fs from "fs";
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
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

function readText(file: string): string {
  let buffer: Buffer;
  if (file === STDIN) {
    try {
      buffer = fs.readFileSync(0);
    } catch (e) {
      throw new InputError(`${file}: cannot read standard input (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  } else {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a JSON or YAML file`);
    if (stat.size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${stat.size} bytes is larger than the ${MAX_INPUT_BYTES}-byte limit`);
    try {
      buffer = fs.readFileSync(file);
    } catch (e) {
      throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (buffer.length > MAX_INPUT_BYTES) throw new InputError(`${file}: larger than the ${MAX_INPUT_BYTES}-byte limit`);
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
    data = getNodeValue(tree.root);
  }
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
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new InputError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split("\n")[0]}`);
  }
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
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
