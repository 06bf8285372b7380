/**
 * A rule's examples: examples/pass/ and examples/fail/, each judged by the reference interpreter
 * against the verdict its folder states, so a rule whose examples disagree with it never generates.
 */
import * as fs from "fs";
import * as path from "path";
import { judgeStack, overallVerdict } from "../ir/judge";
import type { Example, ExampleResource, Rule } from "../ir/types";
import { ARM_ENVELOPE, canonicalEnvelope } from "../resources/convert";
import { ErrorCollector } from "./errors";
import { byteOrder, readCatalogFile } from "./files";
import type { SourceDocument } from "./yaml-source";

export const MIN_FAILING_EXAMPLES = 3;
export const MIN_PASSING_EXAMPLES = 2;

type Path = (string | number)[];

const EXAMPLE_FOLDERS = [
  { folder: "pass", expect: "pass" },
  { folder: "fail", expect: "fail" },
] as const;

export function loadExamples(root: string, folder: string, rule: Rule): Example[] {
  const errors = new ErrorCollector();
  const examples: Example[] = [];
  const ruleDoc = () => readCatalogFile(path.join(root, rule.file));
  for (const { folder: kind, expect } of EXAMPLE_FOLDERS) {
    const dir = path.join(root, folder, "examples", kind);
    const files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort(byteOrder)
      : [];
    for (const name of files) errors.run(() => examples.push(loadExample(root, `${folder}/examples/${kind}/${name}`, expect, rule)));
  }
  const failing = examples.filter((e) => e.expect === "fail").length;
  const passing = examples.length - failing;
  if (errors.errors.length === 0 && (failing < MIN_FAILING_EXAMPLES || passing < MIN_PASSING_EXAMPLES)) {
    errors.add(
      ruleDoc().error(
        ["id"],
        `rule '${rule.id}' needs at least ${MIN_FAILING_EXAMPLES} examples in examples/fail/ and ${MIN_PASSING_EXAMPLES} in examples/pass/ (found ${failing} and ${passing})`,
      ),
    );
  }
  errors.throwIfAny();
  return examples;
}

function loadExample(root: string, relative: string, folderExpect: "pass" | "fail", rule: Rule): Example {
  const absolute = path.join(root, relative);
  const doc = readCatalogFile(absolute);
  const data = doc.toJS() as Record<string, unknown> | null;
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw doc.error([], "an example is a mapping with `description` and `resource` (or `resources` for a stack rule)");
  const allowed = ["description", "expect", "resource", "resources"];
  const unknown = Object.keys(data).find((k) => !allowed.includes(k));
  if (unknown) throw doc.error([unknown], `unknown key '${unknown}' in example (expected one of: ${allowed.join(", ")})`, { key: true });
  if (typeof data.description !== "string" || data.description.trim() === "") throw doc.error(["description"], "an example needs a `description` saying what it shows");
  let expect: Example["expect"] = folderExpect;
  if (data.expect !== undefined) {
    if (folderExpect !== "pass" || data.expect !== "not-applicable") {
      throw doc.error(["expect"], "`expect` may only say `not-applicable`, and only in examples/pass/ (the folder says pass or fail)");
    }
    expect = "not-applicable";
  }
  if (("resource" in data) === ("resources" in data)) throw doc.error([], "an example has either `resource` or `resources` (a stack), not both and not neither");
  const rawResources = "resource" in data ? [data.resource] : data.resources;
  if (!Array.isArray(rawResources) || rawResources.length === 0) throw doc.error(["resources"], "`resources` is a non-empty list of resources");
  const base = "resource" in data ? ["resource"] : ["resources"];
  const resources = rawResources.map((r, i) => parseExampleResource(doc, r, "resource" in data ? base : [...base, i]));
  const example: Example = { file: relative, expect, description: data.description.trim(), resources };

  const verdict = overallVerdict(judgeStack(rule, resources).map((v) => v.verdict));
  if (verdict !== expect) {
    throw doc.error(base, `example expects '${expect}' but the rule says '${verdict}': fix the example or the rule's conditions`);
  }
  return example;
}

function parseExampleResource(doc: SourceDocument, raw: unknown, at: Path): ExampleResource {
  const given = raw as Record<string, unknown>;
  if (typeof given !== "object" || given === null) throw doc.error(at, "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)");
  // ARM resources may spell their keys in any casing (Azure Resource Manager ignores it); Pulumi's may not.
  const isArm = Object.keys(given).some((k) => k.toLowerCase() === "properties");
  const r = isArm ? canonicalEnvelope(given) : given;
  if (typeof r.type !== "string" || typeof r.name !== "string") {
    throw doc.error(at, "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)");
  }
  const hasProps = "props" in r;
  const hasProperties = "properties" in r;
  if (hasProps === hasProperties) throw doc.error(at, "a resource has either `props` (Pulumi inputs) or `properties` (ARM), not both and not neither");
  // An error points at the key as the file spells it (ARM keys in any casing); r's keys come from given's.
  const spelt = (key: string) => Object.keys(given).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  const props = (hasProps ? r.props : r.properties) ?? {};
  if (typeof props !== "object" || Array.isArray(props)) throw doc.error([...at, spelt(hasProps ? "props" : "properties")], "must be a mapping");
  const allowed = ["type", "name", ...(isArm ? ["properties", "apiVersion", ...ARM_ENVELOPE] : ["props"])];
  const unknown = Object.keys(r).find((k) => !allowed.includes(k));
  if (unknown) {
    const key = spelt(unknown);
    throw doc.error([...at, key], `unknown key '${key}' in resource (expected ${isArm ? "type, name, properties, apiVersion or an ARM envelope key: " + ARM_ENVELOPE.join(", ") : "type, name, props or properties"})`, { key: true });
  }
  const envelope = isArm ? Object.fromEntries(ARM_ENVELOPE.filter((k) => r[k] !== undefined).map((k) => [k, r[k]])) : undefined;
  return { type: r.type, name: r.name, props: props as Record<string, unknown>, arm: hasProperties, ...(envelope && Object.keys(envelope).length ? { envelope } : {}) };
}
