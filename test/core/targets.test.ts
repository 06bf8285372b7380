/**
 * Every property path and provider-documented default in core/targets is checked against the
 * installed provider packages' type definitions, so a provider upgrade that renames a property fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { TARGETS, type FieldBinding, type Shape } from "../../core/targets";
import { OPERATOR_NAMES } from "../../core/operators";
import { REPO } from "../helpers/paths";

const NODE_MODULES = path.join(REPO, "node_modules", "@pulumi");

/** The body of `interface <name> {…}` in a .d.ts file (nested braces balanced). */
function interfaceBody(file: string, name: string): string {
  const text = fs.readFileSync(path.join(NODE_MODULES, file), "utf8");
  const start = text.search(new RegExp(`interface ${name} \\{`));
  if (start < 0) throw new Error(`interface ${name} not found in ${file}`);
  let depth = 0;
  for (let i = text.indexOf("{", start); i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced interface ${name} in ${file}`);
}

/** The doc comment and declaration of one property inside an interface body. */
function propertyDeclaration(body: string, property: string): string | undefined {
  const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*(?:readonly\\s+)?${property}\\??:`).exec(body);
  return match?.[0];
}

const shapes: [string, Shape][] = TARGETS.flatMap((t) => t.shapes.map((s) => [`${t.id}/${s.id}`, s] as [string, Shape]));

describe.each(shapes)("target shape %s", (_key, shape) => {
  const interfaces = shape.declaredBy;
  if (!interfaces) {
    // A provider package that is not installed: nothing to read, so every default cites the cloud's docs.
    test("cites the cloud documentation for every default", () => {
      for (const b of Object.values(shape.fields)) expect(b.defaultSource).toMatch(/^https:\/\//);
    });
    return;
  }

  // Legacy properties (older API versions, older provider majors) cite where they are declared instead;
  // a field the provider cannot express (empty path) says why in its default source.
  // (A standalone child resource is its own array element: an empty path with element fields.)
  const isUndeclared = (b: FieldBinding) => Boolean(b.legacy) || (b.path.length === 0 && !b.elements);
  const undeclared = Object.entries(shape.fields).filter(([, b]) => isUndeclared(b));
  const declared = Object.entries(shape.fields).filter(([, b]) => !isUndeclared(b));
  if (undeclared.length > 0) {
    test.each(undeclared)("field %s: is absent from the installed provider, and says where it comes from", (_field, binding) => {
      if (binding.legacy) expect(binding.legacy).toMatch(/(ARM API|azure-native v1|@pulumi\/azure before v6)/);
      else expect(binding.defaultSource).toMatch(/no .*name|cannot/);
      const owner = interfaces[binding.path.slice(0, -1).join(".")];
      // Legacy properties really are gone from the installed types (else bind them normally).
      if (binding.legacy && owner) expect(propertyDeclaration(interfaceBody(owner.file, owner.name), binding.path[binding.path.length - 1])).toBeUndefined();
    });
  }

  test.each(declared)("field %s: every path segment is a declared property", (field, binding) => {
    binding.path.forEach((segment, i) => {
      const owner = interfaces[binding.path.slice(0, i).join(".")];
      expect(owner).toBeDefined();
      expect(propertyDeclaration(interfaceBody(owner.file, owner.name), segment)).toBeDefined();
    });
    for (const element of Object.values(binding.elements ?? {})) {
      const owner = interfaces[`${field}[]`];
      expect(owner).toBeDefined();
      for (const segment of element.aliasPath ?? element.path) expect(propertyDeclaration(interfaceBody(owner.file, owner.name), segment)).toBeDefined();
    }
  });

  const quotedDefaults = Object.entries(shape.fields).filter(([, b]) => b.defaultSource.startsWith("@pulumi/") && b.defaultSource.includes('"'));
  if (quotedDefaults.length === 0) return;
  test.each(quotedDefaults)(
    "field %s: the quoted provider documentation of its default is real",
    (_field, binding) => {
      const quoted = binding.defaultSource.slice(binding.defaultSource.indexOf('"') + 1, binding.defaultSource.lastIndexOf('"'));
      const leaf = binding.path[binding.path.length - 1];
      const owner = interfaces[binding.path.slice(0, -1).join(".")];
      expect(propertyDeclaration(interfaceBody(owner.file, owner.name), leaf)).toContain(quoted);
    },
  );
});

describe("the rule schema agrees with the code", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, "catalog", "rule.schema.json"), "utf8"));
  test("condition operators are exactly the operator registry", () => {
    const keys = Object.keys(schema.definitions.condition.properties).filter((k) => !["allOf", "anyOf", "not", "anyElement", "noneRelated", "field", "param"].includes(k));
    expect(keys.sort()).toEqual([...OPERATOR_NAMES].sort());
  });
  test("targets are exactly the target table", () => {
    expect([...schema.properties.target.enum].sort()).toEqual(TARGETS.map((t) => t.id).sort());
    expect([...schema.properties.stack.properties.trigger.properties.target.enum].sort()).toEqual(TARGETS.map((t) => t.id).sort());
  });
});
