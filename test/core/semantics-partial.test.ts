/**
 * PartialText, the reference semantics' text only partly known before deployment: an unknown, so
 * every operator treats it as one, except those that decide on its known text when every way of
 * filling its holes gives the same answer — never a pass or a fail that some completion would
 * contradict. Also: lists are folded, not spread, and the first unknown is the one reported.
 */
import { unknownCheckingProxy } from "../../cli/evaluate/engines/pulumi-proxy";
import { UNKNOWN } from "../../cli/evaluate/unknowns";
import * as s from "../../core/semantics/semantics";

type Part = string | s.TextHole;
const seg = (hole = "subscription().subscriptionId"): s.TextHole => ({ hole, segment: true });
const any = (hole = "reference()"): s.TextHole => ({ hole, segment: false });
const partial = (...parts: Part[]) => new s.PartialText(parts, new Error("partly known"));
/** The marker `apiguard evaluate` writes into props for one. */
const marker = (...parts: Part[]) => ({ [s.PARTIAL_TEXT]: parts, value: UNKNOWN });

const ZONE = "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io";
const zoneId = (...prefix: Part[]) => partial(...prefix, ZONE);

describe("reading one from props", () => {
  const binding = { path: ["a", "zone"], default: "system" };

  test("the marker becomes a PartialText carrying the proxy's error for its value", () => {
    const read = s.readField(unknownCheckingProxy({ a: { zone: marker("/subscriptions/", seg(), ZONE) } }), binding);
    expect(read).toBeInstanceOf(s.PartialText);
    expect(read).toBeInstanceOf(s.Unknown);
    expect((read as s.PartialText).parts).toEqual(["/subscriptions/", seg(), ZONE]);
    expect((read as s.PartialText).error.message).toBe("string value at .a.zone.value can't be known during preview");
  });

  test("without the proxy (the reference interpreter), its own error", () => {
    const read = s.readField({ a: { zone: marker("x", seg()) } }, binding) as s.PartialText;
    expect([read.parts, read.error.message]).toEqual([["x", seg()], "a text only partly known before deployment"]);
  });

  test("holes are read as holes; other parts are dropped", () => {
    const read = s.readField({ a: { zone: { [s.PARTIAL_TEXT]: ["x", { hole: "h" }, 5, null], value: UNKNOWN } } }, binding) as s.PartialText;
    expect(read.parts).toEqual(["x", { hole: "h", segment: false }]);
  });

  test("an object without the marker's list is an object, not a partly known text", () => {
    expect(s.readField({ a: { zone: { [s.PARTIAL_TEXT]: "x" } } }, binding)).toEqual({ [s.PARTIAL_TEXT]: "x" });
  });

  test("where the cloud treats an empty value as absent, a text that may be empty may be the default: only unknown", () => {
    const emptyIsDefault = { ...binding, emptyIsDefault: true };
    expect(s.readField({ a: { zone: marker(any()) } }, emptyIsDefault)).not.toBeInstanceOf(s.PartialText);
    expect(s.readField({ a: { zone: marker(any()) } }, emptyIsDefault)).toBeInstanceOf(s.Unknown);
    expect(s.readField({ a: { zone: marker(seg()) } }, emptyIsDefault)).toBeInstanceOf(s.PartialText);
    expect(s.readField({ a: { zone: marker(any()) } }, binding)).toBeInstanceOf(s.PartialText);
  });

  test("list elements are read the same way", () => {
    const [first, second] = s.readField({ a: { zone: ["10.0.0.0/24", marker(any(), "/32")] } }, binding) as unknown[];
    expect(first).toBe("10.0.0.0/24");
    expect((second as s.PartialText).parts).toEqual([any(), "/32"]);
  });
});

describe("equality decides only when no completion matches", () => {
  test.each([
    [zoneId("/subscriptions/", seg()), "system", false],
    [zoneId("/subscriptions/", seg()), `/subscriptions/s${ZONE}`, "unknown"],
    [zoneId("/subscriptions/", seg()), `/SUBSCRIPTIONS/S${ZONE.toUpperCase()}`, "unknown"],
    [zoneId("/subscriptions/", seg()), `/subscriptions/${ZONE}`, false],
    [partial(any()), "", "unknown"],
    [partial(seg()), "", false],
    [partial("a", any()), 5, "unknown"],
    [partial("a+b(", any()), "a+b(c", "unknown"],
    [partial("a+b(", seg()), "a+b(", false],
  ])("%o equals %j", (text, other, expected) => {
    const tri = (v: s.Tri) => (v instanceof s.Unknown ? "unknown" : v);
    expect(tri(s.equals(text, other))).toBe(expected);
    // Either side: a related resource's name compared with a cluster's partly known zone.
    if (typeof other === "string") expect(tri(s.equals(other, text))).toBe(expected);
    expect(tri(s.notEquals(text, other))).toBe(expected === "unknown" ? "unknown" : !expected);
  });

  test("in / notIn / anyIn: false only when no member can match", () => {
    const id = zoneId("/subscriptions/", seg());
    expect(s.isIn(id, ["system", "none"])).toBe(false);
    expect(s.notIn(id, ["system", "none"])).toBe(true);
    expect(s.isIn(id, ["system", `/subscriptions/x${ZONE}`])).toBe(id);
    expect(s.anyIn(["a", id], ["system"])).toBe(false);
    expect(s.anyIn(["system", id], ["system"])).toBe(true);
    expect(s.anyIn([id], [`/subscriptions/x${ZONE}`])).toBe(id);
    // An unknown that knows nothing stays unknown.
    const plain = new s.Unknown(new Error("u"));
    expect(s.isIn(plain, ["system"])).toBe(plain);
  });

  test("noneRelated: a related name no completion can equal decides", () => {
    const own = partial("privatelink.", seg("location"), ".azmk8s.io");
    const link = (zoneName: string) => (field: string) => (field === "zoneName" ? zoneName : undefined);
    expect(s.noneRelated([link("other.zone")], "zoneName", own)).toBe(true);
    expect(s.noneRelated([link("privatelink.eastus.azmk8s.io")], "zoneName", own)).toBe(own);
    const plain = new s.Unknown(new Error("u"));
    expect(s.noneRelated([link("x")], "zoneName", plain)).toBe(plain);
  });
});

describe("a private DNS zone ID is judged by its known segments when its holes are segments", () => {
  const suffixes = ["azmk8s.io"];
  test.each([
    ["the deployment's subscription and resource group", partial("/subscriptions/", seg(), "/resourceGroups/", seg("resourceGroup().name"), ZONE.replace("/resourceGroups/rg", "")), true],
    ["the deployment's subscription", zoneId("/subscriptions/", seg()), true],
    ["no resource group: 7 segments whatever the subscription", partial("/subscriptions/", seg(), "/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io"), false],
    ["a VNet-integration zone where a Private Link one is needed", partial("/subscriptions/", seg(), "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/private.eastus.azmk8s.io"), false],
    ["a relative path: the first segment is a hole, never empty", partial(seg(), ZONE.replace("/resourceGroups", "/x/resourceGroups")), false],
    ["an empty known segment", partial("/subscriptions//resourceGroups/", seg(), "/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io"), false],
    ["a fixed segment no completion can spell", partial("/subscriptions/", seg(), "/resourceGroups/rg/providers/Microsoft.Network/privateZones/privatelink.eastus.azmk8s.io"), false],
    ["a fixed segment a hole may spell", partial("/subscriptions/x/", seg(), "/rg/providers/Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io"), "unknown"],
    ["a zone name the deployment completes", partial("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.", seg("location"), ".azmk8s.io"), "unknown"],
    ["a hole that may hold a /", partial("/subscriptions/", any(), ZONE), "unknown"],
  ])("%s", (_name, id, privateLink) => {
    const tri = (v: s.Tri) => (v instanceof s.Unknown ? "unknown" : v);
    expect(tri(s.validAksPrivateDnsZoneId(id, true))).toBe(privateLink === "unknown" ? "unknown" : privateLink);
    expect(tri(s.validAksPrivateDnsZoneId(id, false))).toBe(privateLink === "unknown" ? "unknown" : !privateLink);
    expect(tri(s.notPrivateLinkZoneId(id, suffixes))).toBe(privateLink === "unknown" ? "unknown" : !privateLink);
  });

  test("the VNet-integration form is told apart the same way", () => {
    const vnet = partial("/subscriptions/", seg(), "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/private.eastus.azmk8s.io");
    expect(s.notVnetIntegrationZoneId(vnet, ["azmk8s.io"])).toBe(false);
    expect(s.notVnetIntegrationZoneId(zoneId("/subscriptions/", seg()), ["azmk8s.io"])).toBe(true);
    expect(s.notVnetIntegrationZoneId(vnet, "not a list")).toBe(true);
    const plain = new s.Unknown(new Error("u"));
    expect(s.notVnetIntegrationZoneId(plain, ["azmk8s.io"])).toBe(plain);
  });
});

describe("authorized ranges", () => {
  const tri = (v: s.Tri) => (v instanceof s.Unknown ? "unknown" : v);
  test.each([
    // IPv4 /32 is narrow, but the hole may make it IPv6 (/32 of 128 bits is broad): unknown.
    [[partial(any("reference().ipAddress"), "/32")], 24, "unknown"],
    // /0 is broad in both families.
    [[partial(any(), "/0")], 24, true],
    // A known `:` makes it IPv6: /128 is narrow.
    [[partial(any(), "::/128")], 24, false],
    [[partial(any(), ":", any(), "/100")], 24, true],
    // A prefix that is not plain decimal is broad either way.
    [[partial(any(), "/024")], 24, true],
    // No `/` in reach: only the all-zero address is broad, which a known digit other than 0 rules out.
    [[partial(seg(), ".1")], 24, false],
    [[partial(seg(), ".0")], 24, "unknown"],
    [[partial(any(), ".1")], 24, "unknown"],
    // One surely broad element decides, whatever the others.
    [["0.0.0.0/0", partial(any(), "/32")], 24, true],
    [["10.0.0.0/24", partial(any(), "/32")], 24, "unknown"],
  ])("%o broader than /%d → %s", (ranges, min, expected) => {
    expect(tri(s.anyBroaderThan(ranges, min))).toBe(expected);
  });

  test("a partly known range with known characters besides whitespace restricts something", () => {
    expect(s.isEmpty([partial(any(), "/32")], true)).toBe(false);
    expect(s.isEmpty([partial(any(), "/32")], false)).toBe(true);
    const blankish = partial(" ", any());
    expect(s.isEmpty([blankish], true)).toBe(blankish);
    expect(s.isEmpty(["", blankish], false)).toBe(blankish);
  });

  test("other operators treat it as the unknown it is", () => {
    const text = partial("2", any());
    expect(s.coversPort(text, [22])).toBe(text);
    expect(s.anyCoversPort([text], [22])).toBe(text);
    expect(s.aksPrivateDnsZoneName(text, true)).toBe(text);
  });
});

describe("lists are folded, not spread into one call", () => {
  test("150,000 elements, the decisive one last", () => {
    const many = Array.from({ length: 150_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
    expect(s.anyBroaderThan([...many, "0.0.0.0/0"], 24)).toBe(true);
    expect(s.anyBroaderThan(many, 24)).toBe(false);
    expect(s.anyIn([...many, "x"], ["x"])).toBe(true);
    expect(s.anyCoversPort(Array(150_000).fill("80"), [22])).toBe(false);
  });

  test("without a decisive element, the first unknown is the one reported", () => {
    const first = new s.Unknown(new Error("first"));
    const second = new s.Unknown(new Error("second"));
    expect(s.anyBroaderThan(["10.0.0.0/24", first, second], 24)).toBe(first);
    expect(s.anyIn([first, second], ["x"])).toBe(first);
    expect(s.anyCoversPort([first, second], [22])).toBe(first);
    expect(s.anyElement([first, second], () => false)).toBe(first);
    expect(s.noneRelated([() => first, () => second], "f", "x")).toBe(first);
  });
});
