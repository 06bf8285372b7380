/** Catalog text reaches generated files only through an escaping helper (DESIGN §2). */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../helpers/paths";

const TEMPLATES = path.join(REPO, "generators", "templates");
const HELPERS = ["json", "ts", "docComment", "shell", "tsString", "yamlString", "md", "mdCell", "blockquote", "code", "mdUrl"];
const BLOCKS = ["#each", "/each", "#if", "/if", "#unless", "/unless", "else"];

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templates(path.join(dir, e.name)) : e.name.endsWith(".hbs") ? [path.join(dir, e.name)] : []));
}

describe.each(templates(TEMPLATES).map((f) => [path.relative(REPO, f), f]))("%s", (_name, file) => {
  const source = fs.readFileSync(file, "utf8");
  test("uses no triple-stash", () => {
    expect(source).not.toContain("{{{");
  });
  test("inserts every value through an escaping helper", () => {
    const mustaches = [...source.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1].trim());
    const bare = mustaches.filter((m) => {
      const head = m.split(/\s+/)[0];
      return !HELPERS.includes(head) && !BLOCKS.includes(head) && !m.startsWith("#if (") && !m.startsWith("#unless @last");
    });
    expect(bare).toEqual([]);
  });
});
