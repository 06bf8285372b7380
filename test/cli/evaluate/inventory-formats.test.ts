/**
 * What an inventory leaves out stays unknown, never the cloud's default: a Resource Graph query that
 * projects columns, a Pulumi Cloud search without properties. Fields and paths come from the targets,
 * so a new field is covered with no edit here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { unknownCheckingProxy } from "../../../cli/evaluate/engines/pulumi-proxy";
import { readInput } from "../../../cli/evaluate/formats";
import { readField, Unknown } from "../../../core/semantics/semantics";
import { armShapes, shapeOfType, shapesOfType, TARGETS, type FieldBinding } from "../../../core/targets";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-inventory-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function read(name: string, document: unknown) {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return readInput(file);
}

const ARM_SHAPES = TARGETS.flatMap((t) => armShapes(t));

/** Each field of the Pulumi shape CrossGuard judges, read as the policy server reads it (behind the unknown-checking proxy). */
function pulumiFields(r: { pulumi: { type: string; props: Record<string, unknown> } }) {
  const shape = shapeOfType(r.pulumi.type)!.shape;
  const props = unknownCheckingProxy(r.pulumi.props);
  return Object.fromEntries(Object.entries(shape.fields).map(([f, b]) => [f, readField(props, b)]));
}

/** Unknown, or for a list of elements, every element's every field unknown. */
function unknownField(value: unknown, binding: FieldBinding): boolean {
  if (value instanceof Unknown) return true;
  if (!binding.elements || !Array.isArray(value) || value.length === 0) return false;
  return value.every((e) => e instanceof Unknown || Object.keys(binding.elements!).every((f) => (e as (f: string) => unknown)(f) instanceof Unknown));
}

/** A projected column for a bound path: Resource Graph names `properties.a.b` `properties_a_b`. */
const column = (b: FieldBinding) => (b.envelope ? b.path : ["properties", ...b.path]).join("_");

describe.each(ARM_SHAPES.map((s) => [s.arm.resourceType, s] as const))("Resource Graph rows of %s", (type, shape) => {
  const row = { id: `/subscriptions/s/resourceGroups/rg/providers/${type}/x`, name: "x", type: type.toLowerCase(), location: "westeurope", resourceGroup: "rg", subscriptionId: "s" };
  const fields = Object.entries(shape.fields).filter(([, b]) => b.path.length > 0 || b.elements);

  test("a projection without any property leaves every field unknown, each noted as not in the projection", () => {
    const [r] = read("bare", { count: 1, data: [row], skip_token: null, total_records: 1 }).resources;
    const native = shapeOfType(r.pulumi.type)!.shape;
    for (const [field, value] of Object.entries(pulumiFields(r))) expect([field, unknownField(value, native.fields[field])]).toEqual([field, true]);
    expect(r.unknowns.length).toBeGreaterThan(0);
    for (const note of r.unknowns) expect(note.reason).toMatch(/not in the query's projection/);
  });

  const projectable = fields.filter(([, b]) => b.path.length > 0);
  if (projectable.length > 0)
    test.each(projectable)("%s projected on its own (properties_… column) is known, and read as projected", (field, binding) => {
      const value = binding.elements ? [] : typeof binding.default === "boolean" ? !binding.default : Array.isArray(binding.default) ? ["203.0.113.0/24"] : "projected";
      const [r] = read(`one-${field}`, [{ ...row, [column(binding)]: value }]).resources;
      const read_ = pulumiFields(r)[field];
      expect(read_ instanceof Unknown).toBe(false);
      if (!binding.elements && !binding.valueMap && !binding.inverted) expect(read_).toEqual(value);
    });

  test("a row with the properties column and without sku leaves only the envelope fields unknown", () => {
    const [r] = read("no-sku", [{ ...row, properties: {} }]).resources;
    const values = pulumiFields(r);
    for (const [field, b] of fields) expect([field, unknownField(values[field], b)]).toEqual([field, Boolean(b.envelope)]);
  });
});

test("a Resource Graph row without a type column is reported, not judged", () => {
  const input = read("no-type", {
    count: 2,
    data: [
      { count_: 7, properties_storageProfile_osDisk_osType: "Linux" },
      { id: "/subscriptions/s/x", name: "x" },
    ],
    skip_token: null,
    total_records: 2,
  });
  expect(input.resources).toEqual([]);
  const noType = (line: number) => expect.objectContaining({ file: expect.stringMatching(/no-type\.json$/), position: { line, column: 5 }, reason: expect.stringMatching(/without a `type` column/) });
  expect(input.notJudged).toEqual([noType(4), noType(8)]);
});

// Every azure-native shape of every target: a type several targets judge (a managed cluster) is read by each.
const NATIVE_SHAPES = TARGETS.flatMap((t) => t.shapes.filter((s) => s.provider === "azure-native").map((s) => [`${t.id} (${s.pulumi!.full})`, s] as const));

test.each(NATIVE_SHAPES)("a Pulumi Cloud search without properties leaves every field of %s unknown", (_name, native) => {
  const input = read("cloud", { total: 1, resources: [{ type: native.pulumi!.full, urn: `urn:pulumi:prod::p::${native.pulumi!.full}::x`, stack: "prod", project: "p" }], pagination: {} });
  const [r] = input.resources;
  const props = unknownCheckingProxy(r.pulumi.props);
  for (const [field, b] of Object.entries(native.fields)) expect([field, unknownField(readField(props, b), b)]).toEqual([field, true]);
  for (const note of r.unknowns) expect(note.reason).toMatch(/properties=true/);
});

test.each(ARM_SHAPES.map((s) => [s.arm.resourceType, s] as const))("`az resource list` output of %s (properties: null) leaves every property unknown, never the default", (type, shape) => {
  // As the CLI prints a generic resource: the envelope the list returns, `properties` null.
  const listed = [
    {
      id: `/subscriptions/s/resourceGroups/rg/providers/${type}/x`,
      name: "x",
      type,
      location: "westeurope",
      resourceGroup: "rg",
      kind: null,
      managedBy: null,
      plan: null,
      sku: null,
      tags: null,
      identity: null,
      properties: null,
      extendedLocation: null,
    },
  ];
  const input = read("resource-list", listed);
  expect(input.format).toBe("az-cli");
  const [r] = input.resources;
  // The Pulumi shape of the same target (a managed cluster is judged by two).
  const native = shapesOfType(r.pulumi.type).find((x) => x.target.shapes.includes(shape))!.shape;
  const props = unknownCheckingProxy(r.pulumi.props);
  for (const [field, b] of Object.entries(shape.fields)) if (!b.envelope && (b.path.length > 0 || b.elements)) expect([field, unknownField(readField(props, native.fields[field]), native.fields[field])]).toEqual([field, true]);
  for (const note of r.unknowns) expect(note.reason).toMatch(/az resource list/);
});
