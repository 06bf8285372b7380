/**
 * Short and full Pulumi type tokens are read alike, by every reader and both engines. Pulumi YAML
 * programs may write `aws:eks:Cluster` for `aws:eks/cluster:Cluster` ("Token Resolution",
 * pulumi/pulumi-yaml pkg/pulumiyaml/README.md); the tokens come from the target modules, so a new
 * target's short token is covered without a test edit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { main } from "../../../cli";
import { TARGETS } from "../../../core/targets";
import { REPO } from "../../helpers/paths";

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-tokens-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every shape with a short token, with its full one. */
const SHORT = TARGETS.flatMap((t) => t.shapes.flatMap((s) => (s.pulumi?.short ? [[s.pulumi.short, s.pulumi.full] as const] : [])));

/** The same resource (no props: every default applies) in each reader's document. */
const READERS: [string, (type: string) => unknown, string][] = [
  ["a resource in YAML", (type) => stringify({ type, name: "r", props: {} }), "yaml"],
  ["a resource in JSON", (type) => JSON.stringify({ type, name: "r", props: {} }), "json"],
  ["a stack export", (type) => JSON.stringify({ deployment: { resources: [{ urn: `urn:pulumi:dev::p::${type}::r`, type, inputs: {} }] } }), "json"],
  ["a preview", (type) => JSON.stringify({ steps: [{ op: "create", newState: { urn: `urn:pulumi:dev::p::${type}::r`, type, inputs: {} } }] }), "json"],
];

/** Each engine's verdicts, and why a resource is not judged: never for want of a rule that knows its type. */
async function verdicts(file: string): Promise<string[]> {
  const out: string[] = [];
  await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: () => undefined });
  const report = JSON.parse(out.join("\n"));
  const notJudged = (report.notJudged as { type?: string; reason: string }[]).filter((n) => n.type !== undefined).map((n) => n.reason);
  // A DNS zone link is no rule's own resource, but a stack rule reads it.
  for (const reason of notJudged) expect(reason).toMatch(/reads it to judge other resources$/);
  return [...(report.results as { rule: string; engine: string; verdict: string }[]).map((r) => `${r.rule} ${r.engine} ${r.verdict}`), ...notJudged];
}

test("every target with a classic or aws shape has a short token", () => {
  expect(SHORT.length).toBeGreaterThanOrEqual(4);
});

describe.each(READERS)("%s", (reader, write, ext) => {
  test.each(SHORT)("%s is judged as %s is, in both engines", async (short, full) => {
    const file = (token: string) => {
      const f = path.join(tmp, `${reader.replace(/\W+/g, "-")}-${token.replace(/\W+/g, "-")}.${ext}`);
      fs.writeFileSync(f, write(token) as string);
      return f;
    };
    const judged = await verdicts(file(short));
    expect(judged.length).toBeGreaterThan(0);
    expect(judged).toEqual(await verdicts(file(full)));
  });
});
