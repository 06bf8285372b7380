// Definition `mode`: `Indexed` evaluates only resource types that support tags and location
// (https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-basics#mode).
import { compilePolicy } from "../../azure-policy-engine";
import * as path from "path";
import { judgeWithAzure, loadDefinitions } from "../../cli/evaluate/engines/azure-policy";
import { armAliasPaths, supportsTagsAndLocation } from "../../core/targets";
import { REPO } from "../helpers/paths";

const RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules";
const rule = { type: RULE_TYPE, name: "nsg/allow-ssh", properties: { access: "Allow" } };
const cluster = { type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", properties: {} };
const definition = (mode: string | undefined) => ({
  properties: {
    ...(mode === undefined ? {} : { mode }),
    policyRule: { if: { field: "name", exists: true }, then: { effect: "audit" } },
  },
});
const childTypesOnly = (type: string) => type !== RULE_TYPE.toLowerCase();

test.each([
  ["Indexed", rule, undefined],
  ["indexed", rule, undefined],
  ["All", rule, "audit"],
  [undefined, rule, "audit"],
  ["Indexed", cluster, "audit"],
])("mode %s on %s: effect %s", (mode, resource, effect) => {
  const result = compilePolicy(definition(mode), { supportsTagsAndLocation: childTypesOnly })(resource);
  expect(result.error).toBeUndefined();
  expect(result.effect).toBe(effect);
});

test("without type knowledge, Indexed evaluates every resource", () => {
  expect(compilePolicy(definition("Indexed"))(rule).effect).toBe("audit");
});

test("the target table knows which ARM types have no tags and location", () => {
  expect(supportsTagsAndLocation("Microsoft.ContainerService/managedClusters")).toBe(true);
  expect(supportsTagsAndLocation("Contoso.Unknown/things")).toBe(true);
  expect(supportsTagsAndLocation(RULE_TYPE)).toBe(false);
});

test("a generated definition that judges standalone security rules runs in mode All, so Azure evaluates them", () => {
  const definitions = loadDefinitions(path.join(REPO, "azure-policy"));
  const judging = definitions.filter((d) => d.resourceTypes?.some((t) => t.toLowerCase() === RULE_TYPE.toLowerCase()));
  expect(judging.length).toBeGreaterThan(0);
  for (const d of judging) {
    expect((d.definition.properties as { mode?: string }).mode).toBe("All");
    const open = { type: RULE_TYPE, name: "nsg/r", properties: { access: "Allow", direction: "Inbound", destinationPortRange: "22", sourceAddressPrefix: "*" } };
    expect(judgeWithAzure(d, open).verdict).toBe("fail");
    // The same definition in Indexed mode would never see the rule.
    const indexed = compilePolicy({ ...d.definition, properties: { ...d.definition.properties, mode: "Indexed" } }, { supportsTagsAndLocation, aliases: armAliasPaths() });
    expect(indexed(open).effect).toBeUndefined();
  }
});
