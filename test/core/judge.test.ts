/**
 * The reference interpreter's own behaviour, beyond the catalog's examples: stacks whose trigger
 * cannot be known during preview, and the IR no loader would produce.
 */
import * as path from "path";
import { loadCatalog } from "../../core/catalog/load";
import { judgeStack } from "../../core/ir/judge";
import type { ExampleResource, Leaf, Rule } from "../../core/ir/types";
import { isOperatorName } from "../../core/operators";
import { isTargetId, type TargetId } from "../../core/targets";
import { judgeWithPack } from "../../cli/evaluate/engines/crossguard";
import { REPO } from "../helpers/paths";
import { packPolicies } from "../helpers/bundled";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy");

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const REGISTRY = "azure-native:containerregistry:Registry";

/** A cluster whose private-cluster setting Pulumi cannot know yet (an output of another resource). */
const clusterUnknownAtPreview: ExampleResource = {
  type: CLUSTER,
  name: "aks",
  arm: false,
  props: proxy.unknownCheckingProxy({ resourceGroupName: "rg", apiServerAccessProfile: { enablePrivateCluster: proxy.unknownBooleanValue } }),
};
const clusterPrivate: ExampleResource = { type: CLUSTER, name: "aks-private", arm: false, props: { apiServerAccessProfile: { enablePrivateCluster: true } } };
const clusterPublic: ExampleResource = { type: CLUSTER, name: "aks-public", arm: false, props: {} };
const registry = (name: string, publicNetworkAccess: string): ExampleResource => ({ type: REGISTRY, name, arm: false, props: { publicNetworkAccess } });

let rule: Rule;
beforeAll(() => {
  rule = loadCatalog(path.join(REPO, "catalog")).rules.find((r) => r.id === "private-cluster-registry-private-link")!;
});

const verdicts = (resources: ExampleResource[]) => judgeStack(rule, resources).map((v) => `${v.resource.name}: ${v.verdict}`);

describe("a stack rule whose trigger is unknown during preview", () => {
  test("a registry that would fail is unknown, never a pass", () => {
    expect(verdicts([clusterUnknownAtPreview, registry("acr-public", "Enabled")])).toEqual(["aks: not-applicable", "acr-public: unknown"]);
  });

  test("a registry that passes whether or not the trigger fires still passes", () => {
    expect(verdicts([clusterUnknownAtPreview, registry("acr-private", "Disabled")])).toEqual(["aks: not-applicable", "acr-private: pass"]);
  });

  test("a known private cluster decides the trigger even beside an unknown one", () => {
    expect(verdicts([clusterUnknownAtPreview, clusterPrivate, registry("acr-public", "Enabled")])).toEqual(["aks: not-applicable", "aks-private: not-applicable", "acr-public: fail"]);
  });

  test("with only public clusters known, the rule does not apply", () => {
    expect(verdicts([clusterPublic, registry("acr-public", "Enabled")])).toEqual(["aks-public: not-applicable", "acr-public: not-applicable"]);
  });

  test.each([
    ["public registry", "Enabled", "unknown"],
    ["private registry", "Disabled", "pass"],
  ])("the policy pack agrees with the reference (%s)", async (_name, access, expected) => {
    const policy = packPolicies().find((p) => p.name === rule.id)!;
    const resources = [{ ...clusterUnknownAtPreview, props: { resourceGroupName: "rg", apiServerAccessProfile: { enablePrivateCluster: proxy.unknownBooleanValue } } }, registry("acr", access)];
    expect((await judgeWithPack(policy, resources)).verdict).toBe(expected);
  });
});

describe("IR that no loader produces cannot be written: operator names and target ids are types", () => {
  const at = { file: "rule.yaml", line: 1, column: 1 };

  test("an unknown operator", () => {
    // @ts-expect-error 'equalz' is not an OperatorName (`npm test` type-checks the tests)
    const leaf: Leaf = { kind: "leaf", subject: { field: "privateCluster" }, operator: "equalz", operand: true, at };
    expect(isOperatorName(leaf.operator)).toBe(false);
    expect(isOperatorName("equals")).toBe(true);
  });

  test("an unknown target", () => {
    // @ts-expect-error 'akz' is not a TargetId
    const id: TargetId = "akz";
    expect(isTargetId(id)).toBe(false);
    expect(isTargetId("aks")).toBe(true);
    // Not a key inherited by every object either.
    expect([isTargetId("toString"), isOperatorName("constructor")]).toEqual([false, false]);
  });
});
