/**
 * A template function that fails fails the evaluation, and Azure treats a failed evaluation as an
 * implicit deny (Azure Policy definition structure: policy rule, "Avoiding template failures"). The
 * engine reports it as a blocking failure naming the expression, never as "unknown".
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compilePolicy } from "../../../../azure-policy-engine";
import { judgeWithAzure, type AzureDefinition } from "../../../../cli/evaluate/engines/azure-policy";
import { evaluateFiles } from "../../../../cli/evaluate/run";

const EXPRESSION = "[int(field('Microsoft.ContainerService/managedClusters/apiServerAccessProfile.privateDNSZone'))]";
const definition = {
  name: "failing",
  properties: {
    displayName: "A definition whose expression fails on text",
    description: "test",
    mode: "Indexed",
    parameters: { effect: { type: "String", defaultValue: "Audit" } },
    policyRule: {
      if: {
        allOf: [
          { field: "type", equals: "Microsoft.ContainerService/managedClusters" },
          { value: EXPRESSION, equals: 1 },
        ],
      },
      then: { effect: "[parameters('effect')]" },
    },
  },
};
const cluster = { type: "Microsoft.ContainerService/managedClusters", name: "aks", properties: { apiServerAccessProfile: { privateDNSZone: "system" } } };

test("a failing template function denies the resource and names the expression", () => {
  const def = { ruleId: "failing", file: "failing.json", definition, resourceType: "Microsoft.ContainerService/managedClusters", evaluate: compilePolicy(definition) } as unknown as AzureDefinition;
  const judged = judgeWithAzure(def, cluster);
  expect(judged).toMatchObject({ verdict: "fail", effect: "deny" });
  expect(judged.error).toContain("evaluation error: int()");
  expect(judged.error).toContain(EXPRESSION);
  // The same definition on a value int() accepts evaluates normally (Audit is not a deny).
  expect(judgeWithAzure(def, { ...cluster, properties: { apiServerAccessProfile: { privateDNSZone: "1" } } })).toMatchObject({ verdict: "fail", effect: "audit" });
  expect(judgeWithAzure(def, { ...cluster, properties: { apiServerAccessProfile: { privateDNSZone: "2" } } })).toEqual({ verdict: "pass" });
});

test("apiguard evaluate reports it as a blocking Azure Policy failure with the expression", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-template-failure-"));
  fs.mkdirSync(path.join(dir, "azure-policy", "definitions"), { recursive: true });
  fs.writeFileSync(path.join(dir, "azure-policy", "definitions", "failing.json"), JSON.stringify(definition));
  const input = path.join(dir, "cluster.json");
  fs.writeFileSync(input, JSON.stringify(cluster));
  const report = await evaluateFiles([input], { engines: ["azure-policy"], projectDir: dir });
  expect(report.results).toEqual([expect.objectContaining({ rule: "failing", engine: "azure-policy", verdict: "fail", blocking: true, message: expect.stringContaining(EXPRESSION) })]);
  expect(report.summary.unknown).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});
