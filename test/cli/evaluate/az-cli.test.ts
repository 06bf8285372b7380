/**
 * Azure CLI output is the SDK's print of a GET response: `properties` flattened, keys camel-cased from
 * the SDK's attribute names. The property names a target reads are taken from the targets themselves
 * and looked up in the SDK's own table (corpus/inventories/az-cli/managed-cluster-keys.json, written
 * from azure-mgmt-containerservice by sdk-keys.py), so a new field is checked with no edit here; then
 * a GET response printed the CLI's way must read exactly as the response itself, in both shapes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readInput } from "../../../cli/evaluate/formats";
import { canonicalKeys } from "../../../core/resources/convert";
import { readField } from "../../../core/semantics/semantics";
import { armShapes, shapesOfType, TARGETS, type FieldBinding, type Shape } from "../../../core/targets";

const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, "corpus/inventories/az-cli/managed-cluster-keys.json"), "utf8")) as {
  resourceType: string;
  keys: Record<string, string>;
  legacy: Record<string, string>;
};
const KEYS: Record<string, string> = { ...TABLE.keys, ...TABLE.legacy };
const SHAPES = TARGETS.flatMap((t) => armShapes(t)).filter((s) => s.arm.resourceType.toLowerCase() === TABLE.resourceType.toLowerCase());

/** Every REST path a shape's bindings read, as the SDK table writes them (`[]` for an array's elements). */
function boundPaths(shape: Shape): string[] {
  const full = (b: FieldBinding) => (b.envelope ? b.path : ["properties", ...b.path]).join(".");
  return Object.values(shape.fields).flatMap((b) => (b.elements && b.path.length > 0 ? Object.values(b.elements).map((e) => `${full(b)}[].${e.path.join(".")}`) : [full(b)]));
}

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-az-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("the SDK table describes a shape apiguard judges", () => {
  expect(SHAPES.length).toBeGreaterThan(0);
});

test.each(SHAPES.map((s) => [`${s.arm.resourceType} (shape ${s.id})`, s] as const))("every property %s reads is one the CLI prints, under its REST name but for case", (_id, shape) => {
  const paths = boundPaths(shape);
  expect(paths.filter((p) => KEYS[p] === undefined)).toEqual([]);
  // The CLI flattens `properties`: its key is the REST path without it, matched without regard to case.
  const printed = paths.map((p) => [p, KEYS[p]]);
  expect(printed.filter(([rest, az]) => rest.replace(/^properties\./, "").toLowerCase() !== az.toLowerCase())).toEqual([]);
});

/** A value of a field's type unlike its default, so reading the default instead would show. */
function distinct(binding: FieldBinding): unknown {
  if (typeof binding.default === "boolean") return !binding.default;
  if (Array.isArray(binding.default)) return ["203.0.113.0/24"];
  if (binding.valueMap) return Object.keys(binding.valueMap)[0];
  return "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io";
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

/** A GET response as the CLI prints it: each key renamed by the SDK table, `properties` flattened, unknown keys dropped (the SDK drops them). */
function printed(value: unknown, restPath: string): unknown {
  if (Array.isArray(value)) return value.map((v) => printed(v, `${restPath}[]`));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const rest = restPath ? `${restPath}.${key}` : key;
    if (rest === "properties") {
      Object.assign(out, printed(v, "properties"));
      continue;
    }
    const az = KEYS[rest];
    if (az !== undefined) out[az.slice(az.lastIndexOf(".") + 1).replace(/\[\]$/, "")] = printed(v, rest);
  }
  return out;
}

/** A field's value as read: an element list's readers give each element's fields. */
function valueOf(read: unknown, b: FieldBinding): unknown {
  if (!b.elements || !Array.isArray(read)) return read;
  const fields = Object.keys(b.elements);
  return read.map((element: unknown) => (typeof element === "function" ? Object.fromEntries(fields.map((f) => [f, (element as (field: string) => unknown)(f)])) : element));
}

test.each(SHAPES.map((s) => [`${s.arm.resourceType} (shape ${s.id})`, s] as const))("a response of %s printed by the CLI reads as the response itself, every field", (_id, shape) => {
  const response: Record<string, unknown> = { id: "/subscriptions/s/resourceGroups/rg/providers/x/y/aks", name: "aks", type: shape.arm.resourceType, location: "westeurope", properties: {} };
  for (const binding of Object.values(shape.fields)) {
    if (binding.path.length === 0) continue;
    const at = binding.envelope ? binding.path : ["properties", ...binding.path];
    const value = binding.elements ? [Object.fromEntries(Object.values(binding.elements).map((e) => [e.path.join("."), distinct(e)]))] : distinct(binding);
    setPath(response, at, value);
  }
  const cli = { ...(printed(response, "") as object), resourceGroup: "rg" };
  fs.writeFileSync(path.join(tmp, "response.json"), JSON.stringify([response]));
  fs.writeFileSync(path.join(tmp, "cli.json"), JSON.stringify([cli]));
  const [asResponse] = readInput(path.join(tmp, "response.json")).resources;
  const fromCli = readInput(path.join(tmp, "cli.json"));
  expect(fromCli.format).toBe("az-cli");
  const [asPrinted] = fromCli.resources;
  // The Azure Policy shape: every field reads the same (and not the default).
  const read = (arm: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(shape.fields).map(([field, b]) => [field, valueOf(readField(b.envelope ? canonicalKeys(arm, shape, true) : canonicalKeys(arm.properties as Record<string, unknown>, shape), b), b)]));
  expect(read(asPrinted.arm!)).toEqual(read(asResponse.arm!));
  for (const [field, b] of Object.entries(shape.fields)) if (b.path.length > 0 && !b.elements && b.default !== null) expect([field, read(asPrinted.arm!)[field]]).not.toEqual([field, b.default]);
  // And CrossGuard's: the same Pulumi resource.
  const native = shapesOfType(asResponse.pulumi.type).find((s) => s.target.shapes.includes(shape))!.shape;
  const readPulumi = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(native.fields).map(([f, b]) => [f, valueOf(readField(props, b), b)]));
  expect(readPulumi(asPrinted.pulumi.props)).toEqual(readPulumi(asResponse.pulumi.props));
});

test("a security group listed by the CLI (AAZ: each rule's properties flattened, plural prefixes and ranges) reads as its GET response", () => {
  const type = "Microsoft.Network/networkSecurityGroups";
  const rule = { access: "Allow", direction: "Inbound", protocol: "Tcp", priority: 100, sourceAddressPrefixes: ["198.51.100.0/24", "Internet"], destinationPortRanges: ["443", "3389"] };
  const response = { id: "/subscriptions/s/resourceGroups/rg/providers/x/y/jump", name: "jump", type, location: "westeurope", properties: { securityRules: [{ name: "rdp", id: "/subscriptions/s/x/rdp", etag: 'W/"1"', properties: rule }] } };
  const cli = [
    {
      id: response.id,
      name: "jump",
      type,
      location: "westeurope",
      resourceGroup: "rg",
      provisioningState: "Succeeded",
      securityRules: [{ name: "rdp", id: "/subscriptions/s/x/rdp", etag: 'W/"1"', resourceGroup: "rg", ...rule }],
      defaultSecurityRules: [],
    },
  ];
  fs.writeFileSync(path.join(tmp, "nsg-response.json"), JSON.stringify([response]));
  fs.writeFileSync(path.join(tmp, "nsg-cli.json"), JSON.stringify(cli));
  const [fromCli] = readInput(path.join(tmp, "nsg-cli.json")).resources;
  const [fromResponse] = readInput(path.join(tmp, "nsg-response.json")).resources;
  const rules = (r: { arm?: Record<string, unknown> }) => ((r.arm!.properties as { securityRules: { properties: Record<string, unknown> }[] }).securityRules ?? []).map((x) => x.properties);
  expect(rules(fromCli).map(({ resourceGroup: _rg, ...x }) => x)).toEqual(rules(fromResponse));
  expect(fromCli.pulumi.props.securityRules).toEqual(fromResponse.pulumi.props.securityRules);
});
