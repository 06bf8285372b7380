import * as s from "../../core/semantics/semantics";

class UnknownValueError extends Error {}
const unknown = new s.Unknown(new UnknownValueError("unknown at preview"));

describe("looselyEquals follows Azure Policy's comparison rules", () => {
  test.each([
    ["None", "none", true],
    ["NONE", "none", true],
    ["System", "none", false],
    [true, true, true],
    ["true", true, true],
    ["TRUE", true, true],
    ["False", false, true],
    ["yes", true, false],
    [1, true, false],
    ["80", 80, true],
    [80, "80", true],
    ["", 0, false],
    [" ", 0, false],
    [0, " ", false],
    [0, "", false],
    ["80", 81, false],
    [81, "80", false],
    [true, "true", true],
    [false, "FALSE", true],
    [true, "yes", false],
    ["0", 0, true],
    [null, false, false],
  ])("%j equals %j → %s", (actual, expected, result) => {
    expect(s.looselyEquals(actual, expected)).toBe(result);
  });
});

describe("isBroaderThan (minimum prefix 24)", () => {
  test.each([
    ["0.0.0.0/0", true],
    ["0.0.0.0/00", true],
    ["0.0.0.0/1", true],
    ["128.0.0.0/1", true],
    ["10.0.0.0/8", true],
    ["73.140.245.0/23", true],
    ["73.140.245.0/24", false],
    ["73.140.245.7/32", false],
    ["0.0.0.0/32", false], // AKS: only the cluster's own outbound IP
    ["0.0.0.0", true], // bare "any" address
    ["73.140.245.7", false], // a bare host address
    ["::/0", true],
    ["::", true],
    ["2001:db8::/64", true],
    ["2001:db8::/120", false],
    ["2001:db8::/129", true],
    ["10.0.0.0/33", true],
    ["10.0.0.0/x", true],
    ["10.0.0.0/", true],
    ["10.0.0.0/024", true],
    [42, true],
  ])("%j → %s", (range, broad) => {
    expect(s.isBroaderThan(range, 24)).toBe(broad);
  });

  test("/0 stays broad even when the minimum is configured to 0", () => {
    expect(s.isBroaderThan("0.0.0.0/0", 0)).toBe(true);
    expect(s.isBroaderThan("10.0.0.0/1", 0)).toBe(false);
  });
});

describe("isAksPrivateDnsZoneId", () => {
  const id = (zone: string, provider = "Microsoft.Network/privateDnsZones") =>
    `/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers/${provider}/${zone}`;
  test.each([
    [id("privatelink.eastus.azmk8s.io"), true],
    [id("privatelink.EastUS2.azmk8s.io"), true],
    [id("team1.privatelink.westeurope.azmk8s.io"), true],
    [id("PRIVATELINK.eastus.AZMK8S.IO"), true],
    [id("myprivatelink.eastus.azmk8s.io"), false],
    [id("privatelink.eastus.azmk8s.io.evil.com"), false],
    [id("privatelink.azmk8s.io"), false],
    [id("privatelink.eastus.azmk8s.io."), false],
    [id(".privatelink.eastus.azmk8s.io"), false],
    [id("privatelink..azmk8s.io"), false],
    [id("a.b.privatelink.eastus.azmk8s.io"), false],
    [id("privatelink.eastus.azmk8s.io", "Microsoft.Network/dnszones"), false],
    [id("privatelink.eastus.azmk8s.io").replace("/resourceGroups/", "/resourceGroupz/"), false],
    [id("privatelink.eastus.azmk8s.io") + "/", false],
    ["privatelink.eastus.azmk8s.io", false],
    ["system", false],
    ["", false],
    [null, false],
  ])("%j → %s", (value, valid) => {
    expect(s.isAksPrivateDnsZoneId(value)).toBe(valid);
  });
});

describe("three-valued logic", () => {
  test("a known value decides when it can", () => {
    expect(s.anyOf(unknown, true)).toBe(true);
    expect(s.allOf(unknown, false)).toBe(false);
    expect(s.anyOf(unknown, false)).toBe(unknown);
    expect(s.allOf(unknown, true)).toBe(unknown);
    expect(s.not(unknown)).toBe(unknown);
  });

  const label = (t: s.Tri) => (t instanceof s.Unknown ? "unknown" : String(t));
  const rows: [s.Tri, s.Tri, s.Verdict][] = [
    [false, true, "not-applicable"],
    [false, unknown, "not-applicable"],
    [true, false, "pass"],
    [unknown, false, "pass"],
    [true, true, "fail"],
    [true, unknown, "unknown"],
    [unknown, true, "unknown"],
  ];
  test.each(rows.map(([a, f, v]) => [label(a), label(f), v, a, f] as const))("judge(applies=%s, fails=%s) → %s", (_a, _f, verdict, applies, fails) => {
    expect(s.judge(applies, fails)).toBe(verdict);
  });
});

describe("readField", () => {
  const binding = { path: ["apiServerAccessProfile", "enablePrivateCluster"], default: false };
  test.each([
    [{}, false],
    [{ apiServerAccessProfile: null }, false],
    [{ apiServerAccessProfile: {} }, false],
    [{ apiServerAccessProfile: { enablePrivateCluster: null } }, false],
    [{ apiServerAccessProfile: { enablePrivateCluster: true } }, true],
    [{ apiServerAccessProfile: "garbage" }, false],
  ])("absent or null parents read as the default: %j → %j", (props, value) => {
    expect(s.readField(props, binding)).toBe(value);
  });

  test("inverted provider flags and enum strings are normalised", () => {
    expect(s.readField({ runCommandEnabled: false }, { path: ["runCommandEnabled"], default: false, inverted: true })).toBe(true);
    expect(s.readField({ runCommandEnabled: "True" }, { path: ["runCommandEnabled"], default: false, inverted: true })).toBe(false);
    expect(s.readField({ a: "DISABLED" }, { path: ["a"], default: true, valueMap: { enabled: true, disabled: false } })).toBe(false);
    expect(s.readField({ a: "Sometimes" }, { path: ["a"], default: true, valueMap: { enabled: true, disabled: false } })).toBe("Sometimes");
    // A value that is no boolean is kept as it is, for the operator to judge.
    expect(s.readField({ runCommandEnabled: "maybe" }, { path: ["runCommandEnabled"], default: false, inverted: true })).toBe("maybe");
  });

  test("an UnknownValueError from the Pulumi proxy becomes Unknown; other errors propagate", () => {
    const throwing = (error: Error) =>
      new Proxy({}, { get: () => { throw error; } });
    expect(s.readField(throwing(new UnknownValueError("x")), binding)).toBeInstanceOf(s.Unknown);
    expect(() => s.readField(throwing(new TypeError("boom")), binding)).toThrow("boom");
  });
});

describe("values unknown at preview inside lists", () => {
  test("isEmpty: a known non-blank element decides; only blanks and unknowns stay unknown", () => {
    expect(s.isEmpty([unknown, "10.0.0.0/8"], false)).toBe(true);
    expect(s.isEmpty([unknown, "10.0.0.0/8"], true)).toBe(false);
    expect(s.isEmpty(["10.0.0.0/8", unknown], true)).toBe(false);
    expect(s.isEmpty([unknown, " "], false)).toBe(unknown);
    expect(s.isEmpty([unknown], true)).toBe(unknown);
    expect(s.isEmpty(unknown, true)).toBe(unknown);
  });

  test("anyBroaderThan: a known broad range decides; narrow ranges leave the unknown element undecided", () => {
    expect(s.anyBroaderThan(["0.0.0.0/0", unknown], 24)).toBe(true);
    expect(s.anyBroaderThan(["10.0.0.0/24", unknown], 24)).toBe(unknown);
    expect(s.anyBroaderThan(unknown, 24)).toBe(unknown);
  });

  test("anyBroaderThan: anything but a list holds no range", () => {
    expect(s.anyBroaderThan("0.0.0.0/0", 24)).toBe(false);
    expect(s.anyBroaderThan(undefined, 24)).toBe(false);
    expect(s.anyBroaderThan({ 0: "0.0.0.0/0" }, 24)).toBe(false);
  });

  test("readField reads each list element, so one unknown element leaves the others known", () => {
    const ranges = new Proxy(["0.0.0.0/0", "x"], {
      get(target, key) {
        if (key === "1") throw new UnknownValueError("unknown element");
        return Reflect.get(target, key);
      },
    });
    const read = s.readField({ a: { ranges } }, { path: ["a", "ranges"], default: [] }) as unknown[];
    expect(read[0]).toBe("0.0.0.0/0");
    expect(read[1]).toBeInstanceOf(s.Unknown);
    expect(() => s.readField({ a: { ranges: new Proxy(["x"], { get: (t, k) => (k === "0" ? (() => { throw new RangeError("boom"); })() : Reflect.get(t, k)) }) } }, { path: ["a", "ranges"], default: [] })).toThrow("boom");
  });
});

describe("readField bindings", () => {
  test("a field the provider cannot express reads as its default, whatever the resource holds", () => {
    expect(s.readField({ anything: true }, { path: [], default: "System" })).toBe("System");
  });

  test("a presence binding reads whether the property is set", () => {
    const present = { path: ["a"], default: false, present: true };
    expect(s.readField({ a: "x" }, present)).toBe(true);
    expect(s.readField({ a: false }, present)).toBe(true);
    expect(s.readField({ a: null }, present)).toBe(false);
    expect(s.readField({}, present)).toBe(false);
  });

  test("emptyIsDefault reads '' as the default, and only ''", () => {
    const zone = { path: ["z"], default: "System", emptyIsDefault: true };
    expect(s.readField({ z: "" }, zone)).toBe("System");
    expect(s.readField({ z: " " }, zone)).toBe(" ");
    expect(s.readField({ z: "none" }, zone)).toBe("none");
  });
});

describe("looselyEquals beyond strings, numbers and booleans", () => {
  test.each([
    [null, null, true],
    [undefined, undefined, true],
    [null, undefined, false],
    [3, 3, true],
    [3, 4, false],
    [["a"], ["a"], false],
  ])("%j equals %j → %s", (actual, expected, result) => {
    expect(s.looselyEquals(actual, expected)).toBe(result);
  });
});

describe("operands an assignment could get wrong", () => {
  const zone = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io";
  test("zone suffixes that are not a list count as no suffix: no zone qualifies", () => {
    expect(s.notPrivateLinkZoneId(zone, ["azmk8s.io"])).toBe(false);
    expect(s.notPrivateLinkZoneId(zone, "azmk8s.io")).toBe(true);
    expect(s.notVnetIntegrationZoneId(zone.replace("privatelink.", "private."), ["azmk8s.io"])).toBe(false);
    expect(s.notVnetIntegrationZoneId(zone.replace("privatelink.", "private."), "azmk8s.io")).toBe(true);
  });
  test("a suffix that is not text, or is blank, matches no zone", () => {
    expect(s.notPrivateLinkZoneId(zone, [5, "", null])).toBe(true);
    // A blank suffix must not turn a name ending in a dot into a zone name.
    expect(s.notPrivateLinkZoneId(zone.replace("azmk8s.io", ""), [""])).toBe(true);
    expect(s.notPrivateLinkZoneId(zone, [5, "azmk8s.io"])).toBe(false);
  });
  test("anyElement over anything but a list holds for no element", () => {
    expect(s.anyElement("x", () => true)).toBe(false);
    expect(s.anyElement(undefined, () => true)).toBe(false);
    expect(s.anyElement([], () => true)).toBe(false);
  });
});

describe("address text", () => {
  test("the empty text is no address, so not the all-zero one", () => {
    expect(s.isAllZeroAddress("")).toBe(false);
    expect(s.isAllZeroAddress("0")).toBe(true);
    expect(s.isAllZeroAddress("::ffff:0.0.0.0")).toBe(true);
  });
  test("a prefix without an address is judged by its prefix", () => {
    expect(s.isBroaderThan("/8", 24)).toBe(true);
    expect(s.isBroaderThan("/24", 24)).toBe(false);
  });
});
