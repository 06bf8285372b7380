/**
 * Every CLI transcript in README.md comes from a real preview run here. A transcript is the block
 * after `<!-- apiguard:transcript NAME -->`; this test runs NAME's program and compares the block with
 * what the CLI printed, normalising only what varies between runs: temporary paths and the progress
 * animation's lines ("@ previewing update...."). `npm run transcripts` rewrites the blocks from a real
 * run (APIGUARD_WRITE_TRANSCRIPTS=1), and so does `npm run readme` with every other README sample.
 */
import * as fs from "fs";
import * as path from "path";
import * as azure from "@pulumi/azure-native";
import { removeTeamProjects } from "../../helpers/estate";
import { REPO } from "../../helpers/paths";
import { readmeProject } from "../../helpers/readme-estate";
import { harness, PACK } from "./harness";
import { COMPLIANT_SETTINGS, RG as rg, zoneFromOutput } from "./programs";

jest.setTimeout(120_000);
afterAll(removeTeamProjects);
const README = path.join(REPO, "README.md");

const publicCluster = async () => {
  new azure.containerservice.ManagedCluster("aks-public", { resourceGroupName: rg, dnsPrefix: "aks-public", ...COMPLIANT_SETTINGS, apiServerAccessProfile: { enablePrivateCluster: false, disableRunCommand: true } });
};

/** A public cluster whose authorized ranges are narrow: it fails aks-private-cluster only. */
const narrowPublic = (name: string) => async () => {
  new azure.containerservice.ManagedCluster(name, { resourceGroupName: rg, dnsPrefix: name, ...COMPLIANT_SETTINGS, apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ["73.140.245.0/24"], disableRunCommand: true } });
};

/**
 * `estate`: run in the README's roll-out repository (its blocks marked estate-file), on a stack of
 * that name, with the config of the given ring (policypack/rings/<ring>.json).
 */
const TRANSCRIPTS: Record<string, { program: () => Promise<void>; config?: object; estate?: { stack: string; ring: string } }> = {
  "public-cluster": { program: publicCluster },
  "config-typo": { program: publicCluster, config: { "aks-private-clustr": { enforcementLevel: "advisory" } } },
  "unknown-default": { program: zoneFromOutput("privatelink.westeurope.azmk8s.io", "aks-private") },
  "unknown-strict": { program: zoneFromOutput("privatelink.westeurope.azmk8s.io", "aks-private"), config: { "unknown-at-preview": "mandatory" } },
  "rollout-rest": { program: publicCluster, estate: { stack: "prod-eu", ring: "rest" } },
  "rollout-canary": { program: publicCluster, estate: { stack: "canary-eu", ring: "canary" } },
  "rollout-wrong-ring": { program: publicCluster, estate: { stack: "canary-eu", ring: "rest" } },
  "rollout-exempt": { program: narrowPublic("aks-legacy"), estate: { stack: "canary-payments", ring: "canary" } },
  "rollout-expired": { program: narrowPublic("aks-sandbox"), estate: { stack: "sandbox-eu", ring: "canary" } },
};

let estate: string | undefined;

const BLOCK = /(<!-- apiguard:transcript ([\w-]+) -->\n```text\n)([\s\S]*?)(```)/g;

async function transcript(name: string): Promise<string> {
  const { program, config: given, estate: ring } = TRANSCRIPTS[name];
  const h = harness();
  try {
    const project = ring ? (estate ??= readmeProject()) : undefined;
    const pack = project ? path.join(project, "policypack") : PACK;
    const config = ring && project ? JSON.parse(fs.readFileSync(path.join(pack, "rings", `${ring.ring}.json`), "utf8")) : given;
    const stack = ring?.stack ?? "prod";
    const run = await h.preview(stack, program, { config, packs: [pack] });
    const shown = [];
    if (given) shown.push("$ cat policy-config.json", JSON.stringify(given, null, 2));
    const configFile = ring ? `policypack/rings/${ring.ring}.json` : "policy-config.json";
    shown.push(`$ pulumi preview --stack ${stack} --policy-pack ./policypack${config ? ` --policy-pack-config ${configFile}` : ""}`);
    const output = run.output
      .split(h.work)
      .join("/tmp/work")
      .split(pack)
      .join("./policypack")
      .split("\n")
      .filter((l) => !l.startsWith("@ "))
      .map((l) => l.trimEnd())
      .join("\n")
      .trim();
    return [...shown, output, `$ echo $?`, String(run.code), ""].join("\n");
  } finally {
    h.dispose();
  }
}

const readme = fs.readFileSync(README, "utf8");
const blocks = [...readme.matchAll(BLOCK)].map((m) => ({ name: m[2], text: m[3] }));

test("README transcripts name known programs, each once", () => {
  expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(TRANSCRIPTS).sort());
});

if (process.env.APIGUARD_WRITE_TRANSCRIPTS || process.env.APIGUARD_WRITE_README) {
  test("write README transcripts from real runs", async () => {
    const fresh: Record<string, string> = {};
    for (const name of Object.keys(TRANSCRIPTS)) fresh[name] = await transcript(name);
    // Read again: another writer (test/readme.test.ts) may have rewritten other parts since this file loaded.
    const current = fs.readFileSync(README, "utf8");
    fs.writeFileSync(
      README,
      current.replace(BLOCK, (_m, head: string, name: string, _old, tail: string) => head + fresh[name] + tail),
    );
  });
} else {
  test.each(blocks.map((b) => [b.name, b.text] as const))("README transcript %s is what the CLI prints", async (name, text) => {
    expect(await transcript(name)).toBe(text);
  });
}
