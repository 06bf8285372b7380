/**
 * Handlebars, configured so catalog text can only reach output through an escaping helper for the
 * target language. Templates never use `{{{ }}}` or a bare `{{value}}` (test/generators/templates.test.ts).
 */
import * as fs from "fs";
import * as path from "path";

/** generators/templates, found from this file both in the sources (generators/) and compiled (dist/generators/). */
function findTemplates(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "generators", "templates");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`apiguard: cannot find generators/templates above ${__dirname}`);
  }
}

const TEMPLATES_DIR = findTemplates();
import Handlebars from "handlebars";

const hb = Handlebars.create();

/** A JSON string literal; also a valid TypeScript and YAML double-quoted string. U+2028/2029 escaped for older parsers. */
export function quote(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** JSON with the given indentation applied to every line after the first, so it nests inside templates. */
export function json(value: unknown, indent = 0): string {
  const text = JSON.stringify(value, null, 2)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return text.split("\n").join("\n" + " ".repeat(indent));
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A TypeScript literal for JSON-like data, formatted as a person would write it: 4-space indents,
 * unquoted identifier keys, short scalar arrays on one line.
 */
export function tsLiteral(value: unknown, indent = 0): string {
  const pad = " ".repeat(indent);
  const inner = " ".repeat(indent + 4);
  if (typeof value === "string") return quote(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => tsLiteral(v, indent + 4));
    const oneLine = `[${items.join(", ")}]`;
    if (value.every((v) => v === null || typeof v !== "object") && oneLine.length <= 100) return oneLine;
    return `[\n${items.map((i) => inner + i).join(",\n")},\n${pad}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (IDENTIFIER.test(k) ? k : quote(k));
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${tsLiteral(v, indent + 4)}`).join(",\n")},\n${pad}}`;
}

/** Text inside a /** *\/ comment: one line, and no way to close the comment early. */
export function docComment(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\*\//g, "*\\/");
}

/**
 * A CommonMark code span: a run of n backticks up to the next run of exactly n
 * (https://spec.commonmark.org/0.31.2/#code-spans). Its content renders literally, entities included.
 */
const CODE_SPAN = /(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Markdown text: angle brackets escaped outside code spans (no raw HTML from the catalog); inside a
 * code span they stay as written, since `&lt;` there would show literally. No `<` is left outside a
 * span, so no HTML tag or autolink can start before a span and take precedence over it.
 */
export function markdown(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    out += escapeHtml(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** One Markdown table cell: no line breaks, pipes escaped. */
export function markdownCell(text: string): string {
  return markdown(text)
    .replace(/\r?\n|\u2028|\u2029/g, " ")
    .replace(/\|/g, "\\|");
}

/** A Markdown link destination: characters that would end or break `(…)` are percent-encoded. */
export function markdownUrl(url: string): string {
  return url.replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** A Markdown blockquote of possibly multi-line text. */
export function blockquote(text: string): string {
  return markdown(text)
    .split(/\r?\n|\u2028|\u2029/)
    .map((line) => `> ${line}`.trimEnd())
    .join("\n");
}

const safe = (s: string) => new hb.SafeString(s);
hb.registerHelper("json", (value: unknown, indent: unknown) => safe(json(value, typeof indent === "number" ? indent : 0)));
hb.registerHelper("ts", (value: unknown, indent: unknown) => safe(tsLiteral(value, typeof indent === "number" ? indent : 0)));
hb.registerHelper("docComment", (value: unknown) => safe(docComment(String(value))));
hb.registerHelper("tsString", (value: unknown) => safe(quote(String(value))));
hb.registerHelper("yamlString", (value: unknown) => safe(quote(String(value))));
hb.registerHelper("md", (value: unknown) => safe(markdown(String(value))));
hb.registerHelper("mdCell", (value: unknown) => safe(markdownCell(String(value))));
hb.registerHelper("mdUrl", (value: unknown) => safe(markdownUrl(String(value))));
hb.registerHelper("blockquote", (value: unknown) => safe(blockquote(String(value))));
/** A POSIX shell word: single-quoted, so nothing in it is expanded. */
export function shellWord(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
hb.registerHelper("shell", (value: unknown) => safe(shellWord(String(value))));
hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
/** Identifiers and code the generator built itself (never raw catalog text). */
hb.registerHelper("code", (value: unknown) => safe(String(value)));

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Renders generators/templates/<name> with `view`; strict mode turns a missing view property into an error. */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = fs.readFileSync(path.join(TEMPLATES_DIR, name), "utf8");
    template = hb.compile(source, { strict: true, noEscape: false });
    cache.set(name, template);
  }
  return template(view);
}

/** The plain text of generators/templates/<name>, for files that are copied rather than rendered. */
export function readTemplate(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, name), "utf8");
}
