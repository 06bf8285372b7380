/** YAML/JSON documents that remember where every value came from, so errors can name line and column. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { SourcePosition } from "../ir/types";

export class CatalogError extends Error {
  constructor(readonly at: SourcePosition, readonly detail: string) {
    super(`${at.file}:${at.line}:${at.column}: ${detail}`);
    this.name = "CatalogError";
  }
}

/** Several catalog errors at once: a maintainer fixes them in one pass rather than one per run. */
export class CatalogErrors extends Error {
  constructor(readonly errors: CatalogError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "CatalogErrors";
  }
}

export class SourceDocument {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML (JSON is YAML); syntax errors become CatalogErrors with the parser's position. */
  static parse(file: string, text: string): SourceDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new CatalogErrors(
        problems.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          return new CatalogError({ file, line: pos.line, column: pos.col }, `invalid YAML: ${firstLine(e.message)}`);
        }),
      );
    }
    return new SourceDocument(file, doc, lines);
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Position of the value at `path`, or of its closest existing ancestor. `key: true` points at the map key. */
  at(path: readonly (string | number)[], options: { key?: boolean } = {}): SourcePosition {
    let node: Node | null = this.doc.contents;
    let keyNode: Node | null = null;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
        if (node === null) {
          node = keyNode;
          break;
        }
      } else if (isSeq(node) && typeof step === "number" && node.items[step]) {
        keyNode = null;
        node = node.items[step] as Node;
      } else break;
    }
    const target = options.key && keyNode ? keyNode : node;
    const offset = target?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  error(path: readonly (string | number)[], detail: string, options: { key?: boolean } = {}): CatalogError {
    return new CatalogError(this.at(path, options), detail);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
