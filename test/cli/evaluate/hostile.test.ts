/**
 * Hostile input, generated small here: each one is its file's one-line error (exit 2) and the other
 * files given with it are still judged; nothing hangs, runs out of memory or overflows the stack.
 * ARM templates past Resource Manager's documented limits are errors too.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { MAX_INPUT_BYTES } from "../../../cli/evaluate/formats";
import { REPO } from "../../helpers/paths";

const BIN = path.join(REPO, "bin", "apiguard.js");
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-hostile-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const AKS = "Microsoft.ContainerService/managedClusters";
const template = (resources: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", contentVersion: "1.0.0.0", ...extra, resources });
const cluster = (properties: unknown, extra: Record<string, unknown> = {}) => ({ type: AKS, apiVersion: "2024-08-01", name: "aks", properties, ...extra });
/** A cluster with one property given as an expression. */
const withExpression = (expression: string) => template([cluster({ apiServerAccessProfile: { enablePrivateCluster: expression } })]);
const good = { type: AKS, name: "good", properties: { apiServerAccessProfile: { enablePrivateCluster: false } } };

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

async function evaluate(...files: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, ...files], { out: (t) => out.push(t), err: (t) => err.push(t) });
  const judged = out.length ? (JSON.parse(out.join("\n")).results as { resource: string }[]).map((r) => r.resource) : [];
  return { code, err: err.filter((e) => !e.startsWith("apiguard: not judged:")), judged };
}

/** YAML anchors nine levels deep, nine aliases each: 9^9 nodes when expanded. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]`,
    );
  return lines.join("\n") + "\n";
}

const HOSTILE: [string, () => string, RegExp][] = [
  ["a YAML alias bomb", () => write("bomb.yaml", aliasBomb()), /bomb\.yaml: YAML aliases expand past 100 copies/],
  ["JSON nested 2,000 deep", () => write("deep.json", "[".repeat(2000) + "]".repeat(2000)), /deep\.json: nested more than 256 levels deep/],
  ["JSON nested 100,000 deep", () => write("deeper.json", "[".repeat(100_000) + "]".repeat(100_000)), /deeper\.json: nested more than 256 levels deep/],
  ["YAML nested 2,000 deep", () => write("deep.yaml", "[".repeat(2000) + "]".repeat(2000)), /deep\.yaml: nested more than 256 levels deep/],
  [
    "an expression nested 2,000 calls deep",
    () => write("deep-expression.json", withExpression(`[${"not(".repeat(2000)}true${")".repeat(2000)}]`)),
    /deep-expression\.json:\d+:\d+: Resource Manager would reject this resource: invalid expression \[not\(not\(.* … .*\]: nested more than 256 levels deep/,
  ],
  [
    "uriComponentToString('%')",
    () => write("uri.json", withExpression("[equals(uriComponentToString('%'), 'x')]")),
    /uri\.json:\d+:\d+: Resource Manager would reject this resource: uriComponentToString\(\): not a valid URI component: "%"/,
  ],
  ["padLeft('x', 1e9)", () => write("pad.json", withExpression("[equals(padLeft('x', 1000000000), 'x')]")), /pad\.json:\d+:\d+: .*padLeft\(\): a length of 1000000000 is more than a resource definition may hold/],
  ["range(0, 1e9)", () => write("range.json", withExpression("[equals(length(range(0, 1000000000)), 1)]")), /range\.json:\d+:\d+: .*range\(\): a count of 1000000000 is more than 10000/],
  [
    "replace() growing a string past its limit",
    () => write("replace.json", template([cluster({ x: "[replace(replace(replace(replace(padLeft('', 1000, 'a'), 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa')]" })])),
    /replace\.json:\d+:\d+: .*replace\(\): the result of 10000000 characters is more than a resource definition may hold/,
  ],
  [
    "variables doubling an array past the template limit",
    () =>
      write(
        "doubling.json",
        template([cluster({ x: "[variables('v24')]" })], {
          variables: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`v${i}`, i === 0 ? "[createArray('0123456789')]" : `[concat(variables('v${i - 1}'), variables('v${i - 1}'))]`])),
        }),
      ),
    /doubling\.json:\d+:\d+: .*a value larger than the 4 MB a template may hold/,
  ],
  [
    "an object where a name belongs",
    () => write("object-name.json", template([{ ...cluster({}), name: { not: "a name" } }])),
    /object-name\.json:\d+:\d+: Resource Manager would reject this resource: the name is \{"not":"a name"\}, not a string/,
  ],
  ["an object where a parameter's name belongs", () => write("object-parameter.json", withExpression("[parameters(createObject('a', 1))]")), /object-parameter\.json:\d+:\d+: .*parameters\(\): expected a name/],
];

describe.each(HOSTILE)("%s", (_name, make, message) => {
  test("is its file's one-line error, exit 2, and the other file is still judged", async () => {
    const other = write(`good-${_name.replace(/\W+/g, "-")}.json`, JSON.stringify(good));
    const result = await evaluate(make(), other);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(message)]);
    expect(result.err[0]).not.toContain("\n");
    expect(result.err[0].length).toBeLessThan(600);
    expect(result.judged).toContain("good");
  }, 60_000);
});

describe("ARM template limits (ARM template best practices, Template limits; Resource iteration)", () => {
  test.each([
    ["a copy count of 801", template([cluster({}, { copy: { name: "c", count: 801 } })]), /copy count 801 is not an integer from 0 to 800/],
    ["a negative copy count", template([cluster({}, { copy: { name: "c", count: -1 } })]), /copy count -1 is not an integer from 0 to 800/],
    [
      "801 resources in one template",
      template([{ type: "Microsoft.Network/networkSecurityGroups", name: "[concat('n', copyIndex())]", properties: {}, copy: { name: "c", count: 800 } }, cluster({})]),
      /more than 800 resources in one template, copies included/,
    ],
    ["a 24,577-character expression", withExpression(`[equals('${"x".repeat(24_577 - 17)}', 'x')]`), /an expression of 24577 characters, more than the 24576 Resource Manager allows/],
    ["a resource past 1 MB", template([cluster({ x: "[padLeft('', 600000, 'x')]", y: "[padLeft('', 600000, 'y')]" })]), /a resource larger than the 1 MB a resource definition may be/],
  ])("%s is an error", async (name, content, message) => {
    const result = await evaluate(write(`${name.replace(/\W+/g, "-")}.json`, content));
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(message)]);
  });

  test("800 resources and an expression of exactly 24,576 characters are within the limits", async () => {
    const result = await evaluate(
      write(
        "eight-hundred.json",
        template([
          { type: "Microsoft.Network/networkSecurityGroups", name: "[concat('n', copyIndex())]", properties: {}, copy: { name: "c", count: 799 } },
          cluster({ apiServerAccessProfile: { enablePrivateCluster: `[equals('${"x".repeat(24_576 - 17)}', 'x')]` } }),
        ]),
      ),
    );
    expect(result.err).toEqual([]);
    expect(result.judged).toContain("aks");
  });
});

describe("files that are not regular files are refused without reading; standard input is capped", () => {
  test("a named pipe, with no writer, does not hang", async () => {
    const fifo = path.join(tmp, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const result = await evaluate(fifo);
    expect([result.code, result.err]).toEqual([2, [`apiguard: ${fifo}: is a named pipe, expected a JSON or YAML file`]]);
  });

  test("a device is not read until memory runs out", async () => {
    const result = await evaluate("/dev/zero");
    expect([result.code, result.err]).toEqual([2, ["apiguard: /dev/zero: is a device, expected a JSON or YAML file"]]);
  });

  test("standard input from a device is refused", () => {
    const zero = fs.openSync("/dev/zero", "r");
    try {
      const run = spawnSync(process.execPath, [BIN, "evaluate", "-"], { stdio: [zero, "pipe", "pipe"], encoding: "utf8", timeout: 30_000 });
      expect([run.status, run.stderr.trim()]).toEqual([2, "apiguard: -: standard input is a device, expected a JSON or YAML document"]);
    } finally {
      fs.closeSync(zero);
    }
  });

  test("standard input past the size limit is refused after reading one byte more, not all of it", () => {
    const run = spawnSync(process.execPath, [BIN, "evaluate", "-"], { input: Buffer.alloc(MAX_INPUT_BYTES + 1, " "), encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 20 });
    expect([run.status, run.stderr.trim()]).toEqual([2, `apiguard: -: larger than the ${MAX_INPUT_BYTES}-byte limit`]);
  }, 90_000);
});

test("150,000 authorized ranges are judged by both engines, without overflowing the stack", async () => {
  const ranges = Array.from({ length: 150_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
  const file = write(
    "many-ranges.json",
    JSON.stringify({ type: "azure-native:containerservice:ManagedCluster", name: "many", props: { apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: [...ranges, "0.0.0.0/0"] } } }),
  );
  const out: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: () => undefined });
  const rows = (JSON.parse(out.join("\n")).results as { rule: string; engine: string; verdict: string }[]).filter((r) => r.rule === "aks-authorized-ip-ranges-restrictive");
  // The last range is 0.0.0.0/0: both engines must read all of them to fail.
  expect(rows.map((r) => [r.engine, r.verdict])).toEqual([
    ["crossguard", "fail"],
    ["azure-policy", "fail"],
  ]);
  expect(code).toBe(1);
}, 120_000);

describe("keys that differ only in case, on a property a rule reads, are an error naming both keys", () => {
  test.each([
    [
      "an ARM template",
      template([cluster({ apiServerAccessProfile: { enablePrivateCluster: true, EnablePrivateCluster: false } })]),
      /keys 'enablePrivateCluster' and 'EnablePrivateCluster' differ only in case, and which one Azure uses is not documented/,
    ],
    ["an ARM resource's envelope", JSON.stringify({ type: AKS, name: "aks", properties: { apiServerAccessProfile: { enablePrivateCluster: true } }, Properties: {} }), /keys 'properties' and 'Properties' differ only in case/],
    ["a template declaration", template([{ ...cluster({}), Name: "other" }]), /keys 'name' and 'Name' differ only in case, and which one Resource Manager uses is not documented/],
    [
      "a Pulumi input in the wrong case",
      JSON.stringify({ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: { EnablePrivateCluster: true } } }),
      /'EnablePrivateCluster' is not the input 'enablePrivateCluster' \(Pulumi input names are case-sensitive\)/,
    ],
  ])("%s", async (name, content, message) => {
    const other = write(`good-case-${name.replace(/\W+/g, "-")}.json`, JSON.stringify(good));
    const result = await evaluate(write(`case-${name.replace(/\W+/g, "-")}.json`, content), other);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(message)]);
    // Neither engine judges it; the other file is judged.
    expect(result.judged).not.toContain("aks");
    expect(result.judged).toContain("good");
  });

  test("keys a rule does not read may differ in case (tags are the resource owner's)", async () => {
    const result = await evaluate(write("case-tags.json", JSON.stringify({ ...good, tags: { Env: "a", env: "b" } })));
    expect([result.code, result.err]).toEqual([1, []]);
  });

  test("one refused resource leaves the file's other resources judged", async () => {
    const result = await evaluate(write("case-one-of-two.json", template([cluster({ apiServerAccessProfile: { enablePrivateCluster: true, EnablePrivateCluster: false } }), { ...cluster({}), name: "fine" }])));
    expect(result.code).toBe(2);
    expect(result.judged).toContain("fine");
  });
});
