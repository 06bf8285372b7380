/**
 * The generated pack in the real Pulumi policy runtime: started by run-policy-pack as the engine
 * starts it, driven over the analyzer gRPC protocol with the stubs @pulumi/pulumi ships.
 * Expected verdicts come from the reference interpreter, not from the pack.
 */
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { loadCatalog } from "../../../core/catalog/load";
import { judgeResource, judgeStack, overallVerdict, parameterValues } from "../../../core/ir/judge";
import { fieldsRead } from "../../../core/ir/fields";
import type { ExampleResource, Rule } from "../../../core/ir/types";
import { exampleToPulumi } from "../../../core/resources/convert";
import { matchShape } from "../../../core/semantics/semantics";
import { targetById } from "../../../core/targets";
import { judgeWithPack } from "../../../cli/evaluate/engines/crossguard";
import { packPolicies } from "../../helpers/bundled";
import { withUnknownField } from "../../helpers/unknown-fields";
import { analyzeRequest, analyzerPb, analyzerResource, configureRequest, diagnostics, ENFORCEMENT, startPack, UNKNOWN_SENTINEL, type RunningPack } from "../../helpers/analyzer";
import { REPO } from "../../helpers/paths";

const catalog = loadCatalog(path.join(REPO, "catalog"));
const rules = catalog.rules.filter((r) => r.backends.includes("crossguard"));
const resourceRules = rules.filter((r) => !r.stack);
const stackRules = rules.filter((r) => r.stack);
const pulumiExamples = resourceRules.flatMap((r) => r.examples.filter((e) => e.resources.every((x) => !x.arm)).map((e) => ({ rule: r, example: e })));

let pack: RunningPack;
beforeAll(async () => {
  pack = await startPack(path.join(REPO, "policypack"));
}, 60_000);
afterAll(() => pack?.stop());

/** A fresh pack per test that reconfigures it, so configuration does not leak between tests. */
async function withPack<T>(fn: (p: RunningPack) => Promise<T>): Promise<T> {
  const p = await startPack(path.join(REPO, "policypack"));
  try {
    return await fn(p);
  } finally {
    p.stop();
  }
}

const analyze = async (p: RunningPack, resource: ExampleResource | { type: string; name: string; props: Record<string, unknown> }) => diagnostics(await p.call("analyze", analyzeRequest(resource)));

/** Which rules the reference interpreter says this resource fails, with default parameters. */
function expectedFailures(resource: ExampleResource): string[] {
  return resourceRules
    .filter((r) => judgeResource(r, resource, parameterValues(r)) === "fail")
    .map((r) => r.id)
    .sort();
}

describe("GetAnalyzerInfo", () => {
  test("lists every catalog rule with its enforcement level, description and config schema", async () => {
    const info = await pack.call<{ getName(): string; getPoliciesList(): { getName(): string; getDescription(): string; getEnforcementlevel(): number; getConfigschema(): { getProperties(): { toJavaScript(): object } } | undefined }[] }>(
      "getAnalyzerInfo",
      new Empty(),
    );
    expect(info.getName()).toBe("apiguard");
    const policies = info.getPoliciesList().map((p) => ({
      name: p.getName(),
      description: p.getDescription(),
      enforcement: ENFORCEMENT[p.getEnforcementlevel()],
      config: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}).sort(),
    }));
    expect(policies).toEqual([
      ...rules.map((r) => ({ name: r.id, description: r.description, enforcement: r.enforcement, config: r.parameters.map((p) => p.name).sort() })),
      { name: "unknown-at-preview", description: expect.stringContaining("unknown"), enforcement: "disabled", config: [] },
    ]);
  });
});

describe("Analyze", () => {
  test.each(pulumiExamples.map(({ rule, example }) => [example.file, rule, example] as const))("%s", async (_file, _rule, example) => {
    const [resource] = example.resources;
    const found = await analyze(pack, resource);
    const expected = expectedFailures(resource);
    expect(found.map((d) => d.policy).sort()).toEqual(expected);
    for (const d of found) expect(d.enforcement).toBe(rules.find((r) => r.id === d.policy)!.enforcement);
  });

  test("an unrelated resource type yields no diagnostic and every rule not applicable", async () => {
    const response = await pack.call<{ getDiagnosticsList(): unknown[]; getNotApplicableList(): { getPolicyName(): string }[] }>(
      "analyze",
      analyzeRequest({ type: "azure-native:storage:StorageAccount", name: "logs", props: { kind: "StorageV2" } }),
    );
    expect(response.getDiagnosticsList()).toEqual([]);
    expect(
      response
        .getNotApplicableList()
        .map((n) => n.getPolicyName())
        .sort(),
    ).toEqual(resourceRules.map((r) => r.id).sort());
  });
});

describe("AnalyzeStack", () => {
  test.each(stackRules.flatMap((r) => r.examples.map((e) => [e.file, r, e] as const)))("%s", async (_file, rule, example) => {
    // The engine sees Pulumi resources: ARM-shaped ones (from a template) are converted first.
    const stack = example.resources.map(exampleToPulumi);
    const request = new analyzerPb.AnalyzeStackRequest();
    for (const r of stack) request.addResources(analyzerResource(r));
    const found = diagnostics(await pack.call("analyzeStack", request)).filter((d) => d.policy === rule.id);
    const verdicts = judgeStack(rule, example.resources);
    expect(found.length > 0).toBe(overallVerdict(verdicts.map((v) => v.verdict)) === "fail");
    const failing = verdicts.flatMap((v, i) => (v.verdict === "fail" ? [`urn:pulumi:test::apiguard::${stack[i].type}::${stack[i].name}`] : []));
    expect(found.map((d) => d.urn).sort()).toEqual(failing.sort());
  });
});

describe("Configure", () => {
  const publicCluster = {
    type: "azure-native:containerservice:ManagedCluster",
    name: "aks",
    props: { disableLocalAccounts: true, aadProfile: { managed: true, enableAzureRBAC: true }, apiServerAccessProfile: { authorizedIPRanges: ["10.20.0.0/16"] } },
  };

  test("policy config overrides enforcement levels and parameters", async () => {
    await withPack(async (p) => {
      const before = await analyze(p, publicCluster);
      expect(before.map((d) => [d.policy, d.enforcement])).toEqual(
        expect.arrayContaining([
          ["aks-authorized-ip-ranges-restrictive", "mandatory"],
          ["aks-command-invoke-disabled", "advisory"],
          ["aks-private-cluster", "mandatory"],
        ]),
      );
      await p.call(
        "configure",
        configureRequest({
          "aks-authorized-ip-ranges-restrictive": { minPrefixLength: 16 },
          "aks-command-invoke-disabled": { enforcementLevel: "mandatory" },
          "aks-private-cluster": { enforcementLevel: "disabled" },
        }),
      );
      const after = await analyze(p, publicCluster);
      expect(after.map((d) => [d.policy, d.enforcement]).sort()).toEqual([["aks-command-invoke-disabled", "mandatory"]]);
    });
  });

  // The runtime stores any config at Configure and the CLI checks only values against configSchema:
  // the pack rejects the whole config at Configure, so a typo cannot silently leave a rule at its default.
  test.each([
    ["a parameter of the wrong type", { "aks-authorized-ip-ranges-restrictive": { minPrefixLength: "wide" } }, /invalid policy config for 'aks-authorized-ip-ranges-restrictive': 'minPrefixLength' must be an integer \(got "wide"\)/],
    ["a parameter below its minimum", { "aks-authorized-ip-ranges-restrictive": { minPrefixLength: 0 } }, /'minPrefixLength' must be between 1 and 32 \(got 0\)/],
    ["a misspelt parameter", { "aks-authorized-ip-ranges-restrictive": { minPrefix: 16 } }, /unknown parameter 'minPrefix' \(expected: minPrefixLength\)/],
  ])("rejects %s with a clear error", async (_name, config, message) => {
    await withPack(async (p) => {
      await expect(p.call("configure", configureRequest(config))).rejects.toThrow(message);
    });
  });
});

describe("values unknown during preview", () => {
  const U = UNKNOWN_SENTINEL;
  type Resource = { type: string; name: string; props: Record<string, unknown> };
  const aks = (access: Record<string, unknown>): Resource => ({ type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: access } });

  /**
   * A rule's case, from the catalog: a failing example (at `up`, once every value is known) and the
   * same resource with one field the rule reads unknown, the first that leaves the rule undecided in
   * the pack run in-process (at preview).
   */
  async function unknownCase(rule: Rule): Promise<{ atPreview: Resource; atUp: Resource } | undefined> {
    const target = targetById(rule.target);
    const policy = packPolicies().find((p) => p.name === rule.id)!;
    for (const example of rule.examples.filter((e) => e.expect === "fail" && e.resources.length === 1)) {
      const atUp = exampleToPulumi(example.resources[0]);
      const shape = matchShape(target.shapes, atUp.type);
      if (!shape) continue;
      for (const field of fieldsRead(rule)) {
        const atPreview = { ...atUp, props: withUnknownField(atUp.props, shape.fields[field], target.fields[field], () => U) };
        if ((await judgeWithPack(policy, [atPreview])).verdict === "unknown") return { atPreview, atUp };
      }
    }
    return undefined;
  }

  test.each(resourceRules.map((r) => [r.id, r] as const))("%s: advisory 'can't run during preview', then fails at up", async (id, rule) => {
    const found = await unknownCase(rule);
    // Every resource rule reads some field whose value, unknown, leaves a failing example undecided.
    expect(found).toBeDefined();
    expect((await analyze(pack, found!.atPreview)).filter((d) => d.policy === id)).toEqual([expect.objectContaining({ enforcement: "advisory", message: expect.stringMatching(new RegExp(`can't run policy '${id}' .* during preview`)) })]);
    expect((await analyze(pack, found!.atUp)).filter((d) => d.policy === id).map((d) => d.enforcement)).toEqual([rule.enforcement]);
  });

  test("a known element still decides: one 0.0.0.0/0 beside an unknown range fails", async () => {
    const found = await analyze(pack, aks({ authorizedIPRanges: ["0.0.0.0/0", U] }));
    expect(found.filter((d) => d.policy === "aks-authorized-ip-ranges-restrictive").map((d) => d.enforcement)).toEqual(["mandatory"]);
  });

  test("a wholly unknown access profile is advisory too", async () => {
    const found = await analyze(pack, { type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { apiServerAccessProfile: U } });
    expect(found.filter((d) => d.policy === "aks-private-cluster")).toEqual([expect.objectContaining({ enforcement: "advisory" })]);
  });
});
