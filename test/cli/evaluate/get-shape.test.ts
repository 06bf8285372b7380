/**
 * An existing resource comes as its provider's GET response: `null` where the provider returned
 * nothing, and read-only properties beside the settings. Neither may change a verdict: a `null`
 * profile is judged as an absent one (the cloud's default), and what the provider reports about a
 * cluster (its FQDNs, power state, provisioning state) is never read as a setting. Judged through
 * `evaluate`, in both engines, on the real responses of the inventory corpus; the paths come from
 * the targets.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli";
import { armShapes, shapeOfType } from "../../../core/targets";
import { REPO } from "../../helpers/paths";

const RESPONSES = path.join(__dirname, "corpus/inventories/arm-get");
const responses = fs
  .readdirSync(RESPONSES)
  .sort()
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(RESPONSES, f), "utf8"))] as const);

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-get-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Body = Record<string, unknown> & { type: string; properties: Record<string, unknown> };

/** Every rule's verdict in each engine, for one resource. */
async function verdicts(body: Body): Promise<Record<string, string>> {
  const file = path.join(tmp, `r-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify([body]));
  const out: string[] = [];
  await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, file], { out: (t) => out.push(t), err: () => undefined });
  const rows = JSON.parse(out.join("\n")).results as { rule: string | null; engine: string; verdict: string }[];
  return Object.fromEntries(rows.filter((r) => r.rule).map((r) => [`${r.rule} ${r.engine}`, r.verdict]));
}

/** The objects the shape's fields are read through (`properties.apiServerAccessProfile`, `sku`), as key paths. */
function profiles(body: Body): string[][] {
  const shape = armShapes(shapeOfType(body.type)!.target).find((s) => s.arm.resourceType.toLowerCase() === body.type.toLowerCase())!;
  const paths = new Set<string>();
  for (const b of Object.values(shape.fields)) {
    const at = b.envelope ? b.path : ["properties", ...b.path];
    for (let i = b.envelope ? 1 : 2; i < at.length; i++) paths.add(at.slice(0, i).join("."));
  }
  return [...paths].map((p) => p.split("."));
}

function edit(body: Body, at: string[], change: (parent: Record<string, unknown>, key: string) => void): Body {
  const copy = JSON.parse(JSON.stringify(body)) as Body;
  let node = copy as Record<string, unknown>;
  for (const k of at.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  change(node, at[at.length - 1]);
  return copy;
}

test.each(responses)("%s: a null profile is judged as an absent one", async (_file, body) => {
  expect(profiles(body).length).toBeGreaterThan(1);
  for (const at of profiles(body)) {
    const absent = await verdicts(edit(body, at, (p, k) => delete p[k]));
    const nulled = await verdicts(edit(body, at, (p, k) => (p[k] = null)));
    expect([at.join("."), nulled]).toEqual([at.join("."), absent]);
  }
});

test.each(responses)("%s: what the provider reports about the cluster is never read as a setting", async (_file, body) => {
  const reported = {
    provisioningState: "Succeeded",
    powerState: { code: "Running" },
    fqdn: "x.hcp.westeurope.azmk8s.io",
    privateFQDN: "x.privatelink.westeurope.azmk8s.io",
    azurePortalFQDN: "x.portal.hcp.westeurope.azmk8s.io",
    privateLinkResources: [{ name: "management", groupId: "management" }],
  };
  const without = JSON.parse(JSON.stringify(body)) as Body;
  for (const k of Object.keys(reported)) delete without.properties[k];
  // A private FQDN and a private-link resource on a cluster whose profile says public: still public.
  const withReported = { ...without, properties: { ...without.properties, ...reported } };
  expect(await verdicts(withReported)).toEqual(await verdicts(without));
});
