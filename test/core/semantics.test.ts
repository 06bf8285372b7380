import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
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
  const id = (zone: string, provider = "Microsoft.Network/privateDnsZones") => `/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers/${provider}/${zone}`;
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
      new Proxy(
        {},
        {
          get: () => {
            throw error;
          },
        },
      );
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
    expect(() =>
      s.readField(
        {
          a: {
            ranges: new Proxy(["x"], {
              get: (t, k) =>
                k === "0"
                  ? (() => {
                      throw new RangeError("boom");
                    })()
                  : Reflect.get(t, k),
            }),
          },
        },
        { path: ["a", "ranges"], default: [] },
      ),
    ).toThrow("boom");
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

describe("isInternetSource (prefix length 8)", () => {
  test.each([
    // Keywords and tags, in any casing and padding.
    ["*", true],
    ["Internet", true],
    [" INTERNET ", true],
    ["any", true],
    ["VirtualNetwork", false],
    ["AzureLoadBalancer", false],
    ["Internetx", false],
    // The all-zero address without a prefix, in any spelling; other single hosts.
    ["0.0.0.0", true],
    ["::", true],
    ["::ffff:0.0.0.0", true],
    ["203.0.113.7", false],
    ["1.2.3.4", false],
    // Broad blocks of public addresses; /0 and the two halves.
    ["0.0.0.0/0", true],
    ["::/0", true],
    ["0.0.0.0/1", true],
    ["128.0.0.0/1", true],
    ["8.0.0.0/6", true],
    ["8.0.0.0/7", true],
    ["2000::/3", true],
    ["2001:db8::/3", true],
    // At the prefix length or narrower: not the internet, public or not.
    ["8.0.0.0/8", false],
    ["131.107.0.0/16", false],
    ["2001::/16", false],
    // Broad blocks inside non-public space.
    ["10.0.0.0/8", false],
    ["224.0.0.0/3", false],
    ["240.0.0.0/4", false],
    ["fc00::/7", false],
    ["fe80::/9", false],
    ["::/3", false],
    ["4000::/2", false],
    ["8000::/1", false],
    // Broad blocks that only start in non-public space.
    ["10.0.0.0/7", true],
    ["224.0.0.0/2", true],
    ["0.0.0.0/7", true],
    ["::/2", true],
    // Unverifiable prefixes read as /0; non-canonical octets match no block.
    ["10.0.0.0/33", true],
    ["10.0.0.0/08", true],
    ["10.0.0.0/x", true],
    ["10.0.0.0/", true],
    ["a/b/c", true],
    ["10.0.0.0/8/8", true],
    ["010.0.0.0/7", true],
    ["12345::/2", true],
    ["2001::/129", true],
    // Not text: no source at all.
    ["", false],
    [5, false],
    [null, false],
    [["0.0.0.0/0"], false],
  ])("%j → %s", (source, internet) => {
    expect(s.isInternetSource(source, 8)).toBe(internet);
  });

  test("the prefix length decides how narrow a public block may be", () => {
    expect([8, 16, 17, 24, 32].map((n) => s.isInternetSource("131.107.0.0/16", n))).toEqual([false, false, true, true, true]);
    // Private space stays private however narrow the limit, down to the block's own prefix.
    expect([9, 16, 32].map((n) => s.isInternetSource("10.0.0.0/8", n))).toEqual([false, false, false]);
    expect([11, 12, 13].map((n) => s.isInternetSource("172.16.0.0/11", n))).toEqual([false, true, true]);
    expect(s.isInternetSource("198.51.100.0/24", 32)).toBe(false);
    expect(s.isInternetSource("198.51.100.0/23", 32)).toBe(true);
    // /0 stays broad even when the limit is configured to 0 or below.
    expect([0, -5].map((n) => s.isInternetSource("0.0.0.0/0", n))).toEqual([true, true]);
    expect(s.isInternetSource("0.0.0.0/1", 0)).toBe(false);
  });

  test("each block's second and third octets bound it exactly", () => {
    const at = (cidr: string) => s.isInternetSource(cidr, 32);
    expect(["100.63.0.0/16", "100.64.0.0/16", "100.127.0.0/16", "100.128.0.0/16"].map(at)).toEqual([true, false, false, true]);
    expect(["172.15.0.0/16", "172.16.0.0/16", "172.31.0.0/16", "172.32.0.0/16"].map(at)).toEqual([true, false, false, true]);
    expect(["198.17.0.0/16", "198.18.0.0/16", "198.19.0.0/16", "198.20.0.0/16"].map(at)).toEqual([true, false, false, true]);
    expect(["169.254.0.0/16", "169.253.0.0/16", "192.168.0.0/16", "192.167.0.0/16"].map(at)).toEqual([false, true, false, true]);
    expect(["192.0.2.0/24", "192.0.3.0/24", "203.0.113.0/24", "203.0.112.0/24"].map(at)).toEqual([false, true, false, true]);
    expect(["223.0.0.0/8", "224.0.0.0/8", "255.0.0.0/8", "256.0.0.0/8"].map(at)).toEqual([true, false, false, true]);
  });

  test("sourceParts: the parts the Azure rendering computes too", () => {
    expect(s.sourceParts(" 172.16.5.0/12 ")).toEqual({ text: "172.16.5.0/12", prefix: 12, octets: ["172", "16", "5"], nibble: "x", ipv6: false });
    expect(s.sourceParts("FD12:3::/7")).toEqual({ text: "fd12:3::/7", prefix: 7, octets: ["fd12:3::", "", ""], nibble: "f", ipv6: true });
    expect(s.sourceParts("2a0::/33").nibble).toBe("0");
    expect(s.sourceParts("12345::/1").nibble).toBe("x");
    expect(s.sourceParts("10.0.0.0/33").prefix).toBe(0);
    expect(s.sourceParts("::/128").prefix).toBe(128);
    expect(s.sourceParts("::/129").prefix).toBe(0);
    expect(s.sourceParts(7)).toEqual({ text: "", prefix: 0, octets: ["", "", ""], nibble: "0", ipv6: false });
  });

  test("admitsInternet and anyAdmitsInternet: an unknown value decides nothing unless a known one does", () => {
    expect(s.admitsInternet(unknown, 8)).toBe(unknown);
    expect(s.admitsInternet("Internet", "8")).toBe(true);
    expect(s.anyAdmitsInternet(["10.0.0.0/8", unknown], 8)).toBe(unknown);
    expect(s.anyAdmitsInternet([unknown, "0.0.0.0/1"], 8)).toBe(true);
    expect(s.anyAdmitsInternet("0.0.0.0/0", 8)).toBe(false);
    expect(s.anyAdmitsInternet(unknown, 8)).toBe(unknown);
  });
});

/**
 * The textual test of isInternetSource against a real address parser (ipaddr.js): for canonical CIDRs,
 * "lies in a non-internet block" read from the leading octets or hex digit is exactly containment in
 * the block's address range.
 */
describe("isInternetSource agrees with address arithmetic on canonical CIDRs", () => {
  const contained = (cidr: string) => {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    const blocks = address.kind() === "ipv4" ? s.NON_INTERNET_IPV4.map((b) => b.cidr) : s.NON_INTERNET_IPV6.map((b) => b.cidr);
    return blocks.some((block) => {
      const [network, bits] = ipaddr.parseCIDR(block);
      return prefix >= bits && address.match(network, bits);
    });
  };
  const octet = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 255, 2, 18, 19, 51, 64, 113, 168, 254));
  const ipv4 = fc.tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`);
  const group = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0x2000, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xfc00, 0xfe80, 0x1fff, 0xdb8)).map((g) => g.toString(16));
  const ipv6 = fc.tuple(group, group, fc.integer({ min: 0, max: 128 })).map(([a, b, n]) => `${a}:${b}::/${n}`);

  test.each([8, 16, 24, 32])("prefix length %i", (limit) => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), (cidr) => {
        const prefix = Number(cidr.split("/")[1]);
        expect([cidr, s.isInternetSource(cidr, limit)]).toEqual([cidr, prefix < limit && !contained(cidr)]);
      }),
      { seed: 27, numRuns: 3000 },
    );
  });
});

describe("isTagged", () => {
  test.each([
    [{ role: "jumpbox" }, "role=jumpbox", true],
    [{ Role: "JumpBox" }, "ROLE=jumpbox", true],
    [{ role: "web" }, "role=jumpbox", false],
    [{ role: "web" }, "role", true],
    [{ role: null }, "role", false],
    [{ role: null }, "role=", true],
    [{ role: "" }, "role=", true],
    [{ env: "prod" }, "role", false],
    [{ a: "b=c" }, "a=b=c", true],
    [{ "it's": "x" }, "it's=x", false],
    [{ "x[role]": "jumpbox" }, "x[role]=jumpbox", false],
    [{ "": "x" }, "=x", false],
    [null, "role", false],
    ["role=jumpbox", "role=jumpbox", false],
    [["role"], "role", false],
    [{ role: "jumpbox" }, 5, false],
  ])("%j carries %j: %s", (tags, spec, tagged) => {
    expect(s.isTagged(tags, spec)).toBe(tagged);
  });
  test("hasTag: unknown tags stay unknown", () => {
    expect(s.hasTag(unknown, "role")).toBe(unknown);
  });
});

describe("private DNS zone subzones", () => {
  const zone = (sub: string) => `${sub}.privatelink.eastus.azmk8s.io`;
  test("a subzone of up to 32 characters is one AKS accepts; 33 is not", () => {
    expect([31, 32, 33].map((n) => s.isAksZoneName(zone("a".repeat(n)), "privatelink", ["azmk8s.io"]))).toEqual([true, true, false]);
    expect(s.MAX_SUBZONE_LENGTH).toBe(32);
    // Without a subzone, nothing to limit.
    expect(s.isAksZoneName("privatelink.eastus.azmk8s.io", "privatelink", ["azmk8s.io"])).toBe(true);
  });
});

describe("a presence binding that reads '' as the default", () => {
  const binding = { path: ["id"], default: false, present: true, emptyIsDefault: true };
  test.each([
    [{ id: "/subscriptions/x" }, true],
    [{ id: " " }, true],
    [{ id: "" }, false],
    [{ id: null }, false],
    [{}, false],
  ])("%j reads as %s", (props, present) => {
    expect(s.readField(props, binding)).toBe(present);
  });
  test("without emptyIsDefault, '' is set", () => {
    expect(s.readField({ id: "" }, { ...binding, emptyIsDefault: undefined })).toBe(true);
  });
});
