/**
 * The ring and exemption module the pack, `evaluate` and the catalog loader share: patterns, ring
 * membership, overlap, enforcement levels, exemption matching and expiry, and the messages the pack
 * prints (and `evaluate` reads back).
 */
import fc from "fast-check";
import * as r from "../../core/rollout/rollout";

describe("globMatch: `*` is any run of characters, everything else itself", () => {
  test.each([
    ["prod-*", "prod-eu", true],
    ["prod-*", "prod-", true],
    ["prod-*", "preprod-eu", false],
    ["*-canary", "eu-canary", true],
    ["*-canary", "eu-canary-2", false],
    ["*", "", true],
    ["", "", true],
    ["", "a", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["**", "x", true],
    ["prod.eu", "prodXeu", false],
    ["Prod-*", "prod-eu", false],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    ["*ab", "aab", true],
    ["a*", "b", false],
  ])("%j ~ %j → %s", (pattern, text, result) => {
    expect(r.globMatch(pattern, text)).toBe(result);
  });

  test("ignoring case when asked", () => {
    expect(r.globMatch("Prod-*", "prod-EU", true)).toBe(true);
    expect(r.globMatch("Prod-*", "prod-EU")).toBe(false);
  });

  test("agrees with the equivalent regular expression on random patterns", () => {
    const alphabet = fc.constantFrom("a", "b", "*");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 6 }), fc.array(fc.constantFrom("a", "b"), { maxLength: 8 }), (p, t) => {
        const pattern = p.join("");
        const text = t.join("");
        const regex = new RegExp(`^${pattern.replace(/\*/g, ".*")}$`);
        return r.globMatch(pattern, text) === regex.test(text);
      }),
    );
  });
});

describe("globIntersection: a name two patterns share, or none", () => {
  test.each([
    ["prod-*", "*-eu", "prod-eu"],
    ["dev-*", "prod-*", undefined],
    ["*", "anything", "anything"],
    ["a*", "*b", "ab"],
    ["a*c", "ab*", "abc"],
    ["abc", "abd", undefined],
    ["*x*", "*y*", "xy"],
    ["", "", ""],
    ["", "*", ""],
    ["a", "", undefined],
    ["*a", "", undefined],
    ["", "*x", undefined],
    ["*", "*", ""],
    ["a*", "*a*", "a"],
  ])("%j ∩ %j → %j", (a, b, witness) => {
    expect(r.globIntersection(a, b)).toBe(witness);
  });

  test("the witness matches both patterns, and there is none exactly when no string matches both", () => {
    const pattern = fc.array(fc.constantFrom("a", "b", "*"), { maxLength: 5 }).map((p) => p.join(""));
    // Every string of length ≤ 8 over {a, b}: enough to find a common match of two such patterns when one exists.
    const texts: string[] = [""];
    for (let n = 1; n <= 8; n++) for (let i = 0; i < 2 ** n; i++) texts.push(i.toString(2).padStart(n, "0").replace(/0/g, "a").replace(/1/g, "b"));
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const witness = r.globIntersection(a, b);
        if (witness !== undefined) return r.globMatch(a, witness) && r.globMatch(b, witness);
        return !texts.some((t) => r.globMatch(a, t) && r.globMatch(b, t));
      }),
    );
  });
});

test.each([
  ["urn:pulumi:prod::payments::azure-native:containerservice:ManagedCluster::aks", { stack: "prod", project: "payments", type: "azure-native:containerservice:ManagedCluster", name: "aks" }],
  ["urn:pulumi:dev::p::a:b:C::name::with::colons", { stack: "dev", project: "p", type: "a:b:C", name: "name::with::colons" }],
  ["urn:pulumi:dev::p::t", undefined],
  ["urn:other:dev::p::t::n", undefined],
  ["aks", undefined],
])("parseUrn(%j)", (urn, parts) => {
  expect(r.parseUrn(urn)).toEqual(parts);
});

const stage = (enforcement: r.EnforcementTable = {}, enforcementMode: r.EnforcementMode = "Default"): r.Stage => ({ enforcementMode, enforcement });
const ring = (name: string, selectors: Partial<Pick<r.Ring, "stacks" | "azure">>): r.Ring => ({ name, ...stage(), ...selectors });

describe("stacks belong to the first ring whose selector holds, else the rest", () => {
  const rollout = {
    rings: [
      ring("canary", { stacks: { names: ["sandbox-*", "*-canary"] } }),
      ring("early", { stacks: { tags: { ring: "early", team: "payments" } } }),
      ring("both", { stacks: { names: ["eu-*"], tags: { ring: "both" } } }),
      ring("azure-only", { azure: [{ resourceLocation: ["westeurope"] }] }),
    ],
  };
  test.each([
    ["sandbox-1", {}, "canary"],
    ["eu-canary", {}, "canary"],
    ["prod", { ring: "early", team: "payments" }, "early"],
    ["prod", { ring: "early" }, r.REST],
    ["prod", { ring: "early", team: "other" }, r.REST],
    ["eu-prod", { ring: "both" }, "both"],
    ["us-prod", { ring: "both" }, r.REST],
    ["eu-prod", {}, r.REST],
    ["anything", {}, r.REST],
  ])("%s with tags %j → %s", (name, tags, expected) => {
    expect(r.ringOfStack(rollout, { name, tags })).toBe(expected);
  });

  test("a stack whose tags are unknown is judged by its name alone", () => {
    expect(r.ringOfStack(rollout, { name: "prod" })).toBe(r.REST);
    expect(r.stackSelected({ tags: { ring: "early" } }, { name: "prod" })).toBe(false);
  });
});

describe("Azure resources belong to the first ring with an alternative that selects them", () => {
  const rollout = {
    rings: [
      ring("canary", { azure: [{ resourceLocation: ["westcentralus"] }] }),
      ring("early", { azure: [{ resourceLocation: ["northeurope"] }, { resourceType: ["Microsoft.Network/networkSecurityGroups"], resourceLocation: ["westus"] }] }),
      ring("global", { azure: [{ resourceWithoutLocation: ["subscriptionLevelResources"] }] }),
      ring("multi", { azure: [{ resourceLocation: ["eastus2", "centralus"], resourceType: ["A.B/c", "A.B/d"] }] }),
      ring("stacks-only", { stacks: { names: ["x"] } }),
    ],
  };
  const aks = "Microsoft.ContainerService/managedClusters";
  const nsg = "Microsoft.Network/networkSecurityGroups";
  test.each([
    [aks, "westcentralus", "canary"],
    [aks, "WestCentralUS", "canary"],
    [aks, "West Central US", "canary"],
    [aks, "northeurope", "early"],
    [nsg, "westus", "early"],
    [nsg.toLowerCase(), "westus", "early"],
    [aks, "westus", r.REST],
    [aks, undefined, "global"],
    [aks, "eastus", r.REST],
    ["A.B/d", "centralus", "multi"],
    ["A.B/c", "eastus2", "multi"],
    ["A.B/e", "centralus", r.REST],
  ])("%s in %s → %s", (type, location, expected) => {
    expect(r.ringOfAzureResource(rollout, { type, ...(location === undefined ? {} : { location }) })).toBe(expected);
  });
});

describe("overlap, precisely", () => {
  test.each<[r.StackSelector, r.StackSelector, r.StackInfo | undefined]>([
    [{ names: ["dev-*"] }, { names: ["prod-*"] }, undefined],
    [{ names: ["dev-*"] }, { names: ["*-eu"] }, { name: "dev-eu", tags: {} }],
    [{ names: ["dev-*", "qa"] }, { names: ["q*"] }, { name: "qa", tags: {} }],
    [{ tags: { ring: "a" } }, { tags: { ring: "b" } }, undefined],
    [{ tags: { ring: "a" } }, { tags: { team: "x" } }, { name: "any-stack", tags: { ring: "a", team: "x" } }],
    [{ names: ["dev-*"] }, { tags: { ring: "b" } }, { name: "dev-", tags: { ring: "b" } }],
    [{ tags: { ring: "b" } }, { names: ["dev-*"] }, { name: "dev-", tags: { ring: "b" } }],
    [{ names: ["dev-*"], tags: { ring: "a" } }, { names: ["dev-1"], tags: { ring: "b" } }, undefined],
    [
      { names: ["dev-*"], tags: { ring: "a" } },
      { names: ["dev-1"], tags: { ring: "a" } },
      { name: "dev-1", tags: { ring: "a" } },
    ],
  ])("stacks %j and %j → %j", (a, b, witness) => {
    expect(r.stackSelectorsOverlap(a, b)).toEqual(witness);
  });

  test.each<[r.AzureSelector, r.AzureSelector, Partial<Record<r.AzureSelectorKind, string>> | undefined]>([
    [{ resourceLocation: ["westeurope"] }, { resourceLocation: ["northeurope"] }, undefined],
    [{ resourceLocation: ["westeurope", "eastus"] }, { resourceLocation: ["EastUS"] }, { resourceLocation: "eastus" }],
    [{ resourceLocation: ["westeurope"] }, { resourceType: ["Microsoft.Network/networkSecurityGroups"] }, {}],
    [{ resourceLocation: ["westeurope"], resourceType: ["A.B/c"] }, { resourceLocation: ["westeurope"], resourceType: ["A.B/d"] }, undefined],
    [{ resourceType: ["A.B/c"] }, { resourceType: ["a.b/C"] }, { resourceType: "A.B/c" }],
    [{ resourceLocation: ["westeurope"] }, { resourceWithoutLocation: ["subscriptionLevelResources"] }, undefined],
    [{ resourceWithoutLocation: ["subscriptionLevelResources"] }, { resourceLocation: ["westeurope"] }, undefined],
    [{ resourceWithoutLocation: ["subscriptionLevelResources"] }, { resourceType: ["A.B/c"] }, {}],
    [{ resourceWithoutLocation: ["subscriptionLevelResources"] }, { resourceWithoutLocation: ["subscriptionLevelResources"] }, { resourceWithoutLocation: "subscriptionLevelResources" }],
  ])("Azure %j and %j → %j", (a, b, witness) => {
    expect(r.azureSelectorsOverlap(a, b)).toEqual(witness);
  });

  test("a witness is in both rings", () => {
    const a: r.StackSelector = { names: ["dev-*"], tags: { ring: "a" } };
    const b: r.StackSelector = { names: ["*-eu"] };
    const witness = r.stackSelectorsOverlap(a, b);
    expect(witness && r.stackSelected(a, witness) && r.stackSelected(b, witness)).toBe(true);
  });
});

describe("enforcement levels", () => {
  test.each<[r.EnforcementTable, r.EnforcementMode, r.Level, r.Level, r.Level]>([
    [{}, "Default", "advisory", "advisory", "advisory"],
    [{ all: "mandatory" }, "Default", "advisory", "mandatory", "mandatory"],
    [{ all: "mandatory", rule: "disabled" }, "Default", "advisory", "disabled", "disabled"],
    [{ other: "disabled" }, "Default", "mandatory", "mandatory", "mandatory"],
    [{}, "DoNotEnforce", "mandatory", "mandatory", "advisory"],
    [{ all: "disabled" }, "DoNotEnforce", "mandatory", "disabled", "disabled"],
    [{ rule: "advisory" }, "DoNotEnforce", "mandatory", "advisory", "advisory"],
  ])("%j in %s, catalog %s → declared %s, effective %s", (enforcement, mode, catalog, declared, effective) => {
    expect(r.declaredLevel(stage(enforcement, mode), "rule", catalog)).toBe(declared);
    expect(r.effectiveLevel(stage(enforcement, mode), "rule", catalog)).toBe(effective);
  });

  test.each([
    ["mandatory", "advisory", true],
    ["advisory", "advisory", true],
    ["advisory", "mandatory", false],
    ["disabled", "advisory", false],
    ["advisory", "disabled", true],
  ] as const)("%s at least %s → %s", (level, floor, result) => {
    expect(r.atLeast(level, floor)).toBe(result);
  });
});

describe("exemptions", () => {
  const exemption = (over: Partial<r.Exemption> = {}): r.Exemption => ({
    name: "legacy",
    rules: ["aks-private-cluster"],
    category: "Waiver",
    reason: "Rebuilt in Q3.",
    reference: "CHG-1",
    expiresOn: "2026-09-30T23:59:59Z",
    azureScopes: ["/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-legacy"],
    pulumi: [{ stack: "prod-*", name: "aks-legacy" }],
    ...over,
  });
  const expiry = Date.parse("2026-09-30T23:59:59Z");

  test("honoured until the instant it expires, then no longer; without expiry always", () => {
    expect(r.exemptionStatus(exemption(), new Date(expiry - 1))).toBe("active");
    expect(r.exemptionStatus(exemption(), new Date(expiry))).toBe("expired");
    expect(r.exemptionStatus(exemption(), new Date(expiry + 1))).toBe("expired");
    expect(r.exemptionStatus({}, new Date(8.64e15))).toBe("active");
  });

  test.each([
    ["/subscriptions/S/resourceGroups/rg-legacy", "/subscriptions/S/resourceGroups/rg-legacy/providers/Microsoft.ContainerService/managedClusters/aks", true],
    ["/subscriptions/S/resourceGroups/rg-legacy", "/subscriptions/s/resourcegroups/RG-LEGACY/providers/x/y/z", true],
    ["/subscriptions/S/resourceGroups/rg-legacy", "/subscriptions/S/resourceGroups/rg-legacy", true],
    ["/subscriptions/S/resourceGroups/rg-legacy/", "/subscriptions/S/resourceGroups/rg-legacy/providers/x/y/z", true],
    ["/subscriptions/S/resourceGroups/rg-legacy//", "/subscriptions/S/resourceGroups/rg-legacy/providers/x/y/z", true],
    ["/subscriptions/S/resourceGroups/rg-legacy", "/subscriptions/S/resourceGroups/rg-legacy2/providers/x/y/z", false],
    ["/subscriptions/S/resourceGroups/rg-legacy", "/subscriptions/S/resourceGroups/rg", false],
    ["/subscriptions/S", "/subscriptions/S/resourceGroups/any", true],
  ])("scope %s covers %s → %s", (scope, id, result) => {
    expect(r.withinScope(scope, id)).toBe(result);
  });

  test.each<[r.PulumiMatcher, string, boolean]>([
    [{ stack: "prod-*", name: "aks-legacy" }, "urn:pulumi:prod-eu::p::t::aks-legacy", true],
    [{ stack: "prod-*", name: "aks-legacy" }, "urn:pulumi:dev::p::t::aks-legacy", false],
    [{ stack: "prod-*", name: "aks-legacy" }, "urn:pulumi:prod-eu::p::t::aks-new", false],
    [{ name: "aks-*" }, "urn:pulumi:dev::p::t::aks-new", true],
    [{ urn: "urn:pulumi:prod::*::aks-legacy" }, "urn:pulumi:prod::payments::azure-native:containerservice:ManagedCluster::aks-legacy", true],
    [{ urn: "urn:pulumi:prod::*::aks-legacy" }, "urn:pulumi:prod::payments::azure-native:containerservice:ManagedCluster::aks-legacy-2", false],
    [{ stack: "prod" }, "not-a-urn", false],
  ])("matcher %j on %s → %s", (matcher, urn, result) => {
    expect(r.pulumiMatched(matcher, { urn, name: r.parseUrn(urn)?.name ?? urn })).toBe(result);
  });

  test("a Pulumi resource: only exemptions naming the rule; an honoured one before an expired one", () => {
    const resource = { urn: "urn:pulumi:prod-eu::p::t::aks-legacy", name: "aks-legacy" };
    const before = new Date(expiry - 1);
    const expired = exemption({ name: "old", expiresOn: "2025-01-01T00:00:00Z" });
    const current = exemption({ name: "current" });
    expect(r.pulumiExemption([expired, current], "aks-private-cluster", resource, before)).toEqual({ exemption: current, status: "active" });
    expect(r.pulumiExemption([expired], "aks-private-cluster", resource, before)).toEqual({ exemption: expired, status: "expired" });
    expect(r.pulumiExemption([current], "aks-azure-rbac", resource, before)).toBeUndefined();
    expect(r.pulumiExemption([current], "aks-private-cluster", { ...resource, name: "aks-other", urn: "urn:pulumi:prod-eu::p::t::aks-other" }, before)).toBeUndefined();
    expect(r.pulumiExemption([exemption({ pulumi: [] })], "aks-private-cluster", resource, before)).toBeUndefined();
  });

  test("an Azure resource: by scope, for the rules it names", () => {
    const id = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-legacy/providers/Microsoft.ContainerService/managedClusters/aks";
    const at = new Date(expiry - 1);
    expect(r.azureExemption([exemption()], "aks-private-cluster", id, at)?.status).toBe("active");
    expect(r.azureExemption([exemption()], "aks-private-cluster", id, new Date(expiry))?.status).toBe("expired");
    expect(r.azureExemption([exemption()], "aks-azure-rbac", id, at)).toBeUndefined();
    expect(r.azureExemption([exemption()], "aks-private-cluster", id.replace("rg-legacy", "rg-new"), at)).toBeUndefined();
    const two = exemption({ azureScopes: ["/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-other", ...exemption().azureScopes] });
    expect(r.azureExemption([two], "aks-private-cluster", id, at)?.exemption).toBe(two);
  });

  test("the messages name the rule, the exemption, its category, ticket, expiry and reason; the rule reads back", () => {
    const e = exemption();
    const fails = r.exemptMessage("aks-private-cluster", e, "fail");
    expect(fails).toBe("exempt from 'aks-private-cluster' (fails; not blocking): exemption 'legacy' (Waiver, ref CHG-1, expires 2026-09-30): Rebuilt in Q3.");
    expect(r.exemptMessage("aks-private-cluster", exemption({ category: "Mitigated", expiresOn: undefined }), "unknown")).toBe(
      "exempt from 'aks-private-cluster' (can't decide during preview; not blocking): exemption 'legacy' (Mitigated, ref CHG-1, no expiry): Rebuilt in Q3.",
    );
    expect(r.exemptRule(fails)).toBe("aks-private-cluster");
    expect(r.exemptRule("The cluster's API server is public.")).toBeUndefined();
    expect(r.exemptRule(`Note: ${fails}`)).toBeUndefined();
    expect(r.expiredNote(e)).toBe("The exemption 'legacy' (Waiver, ref CHG-1) expired on 2026-09-30 and no longer applies: Rebuilt in Q3.");
  });

  test.each([
    ["2026-09-30T23:59:59Z", "2026-09-30"],
    ["2026-09-30T12:00:00Z", "2026-09-30T12:00:00Z"],
  ])("expiry %s reads %s", (iso, text) => {
    expect(r.expiryText(iso)).toBe(text);
  });
});
