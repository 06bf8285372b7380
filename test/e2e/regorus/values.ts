/**
 * Interesting values for random resources, by what a rule does with a field: each operator names the
 * values that sit on its edges (CIDRs around the prefix limit, zone IDs and their lookalikes, port
 * specifications around the ports it asks about). A field takes the values of every operator the
 * catalog compares it with, plus its type's, so a new field or rule needs no edit here; a new
 * operator does (the table is typed by operator name, so it cannot be forgotten).
 */
import fc from "fast-check";
import type { OperatorName } from "../../../core/operators";
import { AKS_ZONE_SUFFIXES } from "../../../core/semantics/semantics";

/** Any JSON value a property might hold after a type confusion or a careless template. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, -1, 3.5, "", " ", "true", "False", "system", "None", "0.0.0.0/0", "::/0", "/"),
  fc.string({ maxLength: 8 }),
  fc.constantFrom({}, [], [null], [1, "a"], { a: 1 }, ["0.0.0.0/0", 5], [[]], [{}], [true], { enablePrivateCluster: true }),
);

/** A boolean as the APIs declare it, and as text Azure Policy coerces. */
export const typedFlag = fc.constantFrom(true, false, "true", "false", "True", "FALSE", null);

/** Text no rule names: blanks and random words. */
export const someText = fc.oneof(fc.constantFrom("", " ", "x"), fc.string({ maxLength: 8 }));

/** A key as a template author might spell it (ARM property names are case-insensitive). */
export const keySpellings = (word: string) => fc.constantFrom(word, word.toLowerCase(), word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1));

/** A value as templates spell it: as written, lower, upper, capitalised, padded. */
export const spellings = (word: string) => fc.constantFrom(word, word.toLowerCase(), word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1), ` ${word}`);

/** The literal operands of a comparison, in the spellings a template might use. */
const operands = (values: readonly unknown[]) => {
  const texts = values.flat().filter((v): v is string => typeof v === "string");
  const others = values.flat().filter((v) => typeof v !== "string");
  const arbitraries = [...texts.map(spellings), ...(others.length > 0 ? [fc.constantFrom(...others)] : [])];
  return arbitraries.length === 0 ? someText : fc.oneof(...arbitraries);
};

const byte = fc.integer({ min: 0, max: 255 });
/** Authorized ranges and source prefixes: random IPv4 CIDRs, and the spellings AKS reads loosely or not at all. */
const range = fc.oneof(
  fc.tuple(byte, byte, byte, byte, fc.integer({ min: 0, max: 33 })).map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`),
  fc.constantFrom(
    "",
    " ",
    "\t",
    " 0.0.0.0/0",
    "0.0.0.0/0 ",
    "0.0.0.0/32",
    "0.0.0.0",
    "::",
    "0:0:0:0:0:0:0:0/0",
    "::0/0",
    "0000::/0",
    "::ffff:0.0.0.0/96",
    "::ffff:0:0/96",
    "0.0.0.0/000",
    "00.0.0.0/0",
    "10.0.0.0/24",
    "2001:db8::/120",
    "2001:db8::/64",
    "1.2.3.4",
    "1.2.3.4/32",
    "10.0.0.0/-1",
    "10.0.0.0/x",
    "10.0.0.0/",
    "/24",
  ),
);

const SUBSCRIPTION = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers";
const zoneName = fc
  .tuple(
    fc.constantFrom("", "team1.", "a.b."),
    fc.constantFrom("privatelink", "private", "PrivateLink", "myprivatelink"),
    fc.constantFrom("eastus", "westeurope", ""),
    fc.constantFrom(...AKS_ZONE_SUFFIXES, "AZMK8S.IO", "azmk8s.io.", "azmk8s.io.evil.com"),
  )
  .map(([sub, label, region, suffix]) => `${sub}${label}${region ? `.${region}` : ""}.${suffix}`);
/** Private DNS zone settings: the keywords, documented zone IDs and lookalikes. */
const zoneId = fc.oneof(
  fc.constantFrom("system", "System", "SYSTEM", "none", "None", " none", ""),
  fc.tuple(fc.constantFrom("Microsoft.Network/privateDnsZones", "microsoft.network/privatednszones", "Microsoft.Network/dnsZones"), zoneName).map(([provider, zone]) => `${SUBSCRIPTION}/${provider}/${zone}`),
  fc.constantFrom("/subscriptions//providers", "/a/b/c/d/e/f/g/h", "/a/b/c/d/e/f/g/h/i/j", "privatelink.eastus.azmk8s.io", null),
);

/** Block edges of the non-internet address space: first octets and second octets the blocks name, and their neighbours. */
const edgeOctet = fc.constantFrom("0", "1", "9", "10", "11", "100", "126", "127", "128", "169", "172", "192", "198", "203", "223", "224", "255", "256", "010");
const secondOctet = fc.constantFrom("0", "15", "16", "31", "32", "51", "63", "64", "127", "128", "168", "18", "19", "20", "254", "255", "x");
/** Network security rule sources: keywords and tags in any spelling, IPv4 and IPv6 blocks around the non-internet blocks and the prefix limit, malformed prefixes. */
const sourcePrefix = fc.oneof(
  fc.constantFrom("*", "Internet", "INTERNET", " internet ", "Any", "any", "VirtualNetwork", "AzureLoadBalancer", "AzureCloud", "Internetx", "", " ", "0.0.0.0", "::", "1.2.3.4", "::ffff:0.0.0.0"),
  fc.tuple(edgeOctet, secondOctet, fc.constantFrom("0", "2", "100", "113"), fc.integer({ min: 0, max: 33 })).map(([a, b, c, n]) => `${a}.${b}.${c}.0/${n}`),
  fc.tuple(fc.constantFrom("", "2", "20", "200", "2001", "3fff", "4000", "7fff", "8000", "fc00", "fd12", "fe80", "FE80", "ff02", "12345"), fc.integer({ min: 0, max: 129 })).map(([g, n]) => `${g}::/${n}`),
  fc.constantFrom("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "::/0", "10.0.0.0/07", "10.0.0.0/x", "10.0.0.0/", "a/b/c", "10.0.0.0/8/8", "/", " 0.0.0.0/0 ", "0.0.0.0/-1", "10/8", "2001:db8::/3"),
);

/**
 * Tags around the `name[=value]` specs a rule asks for: the tag in other casings, other values, other
 * tags, empty and null values, and values that are no tags at all.
 */
const tagSet = (values: readonly unknown[]) => {
  const specs = values.flat().filter((v): v is string => typeof v === "string");
  const names = specs.map((s) => s.split("=")[0]).filter((n) => n !== "");
  const wanted = specs.map((s) => (s.includes("=") ? s.slice(s.indexOf("=") + 1) : "x"));
  const name = names.length > 0 ? fc.oneof(...names.map(spellings)) : fc.constant("role");
  const value = fc.oneof(...(wanted.length > 0 ? wanted.map(spellings) : [fc.constant("x")]), someText, fc.constant(null));
  // Tag names are case-insensitive, so a resource holds each name once, in one casing.
  const once = (tags: Record<string, unknown>) => Object.fromEntries(Object.entries(tags).filter(([k], i, all) => all.findIndex(([other]) => other.toLowerCase() === k.toLowerCase()) === i));
  return fc.oneof(fc.dictionary(fc.oneof(name, fc.constantFrom("env", "owner")), value, { maxKeys: 3 }).map(once), fc.constantFrom(null, "role=jumpbox", [], 5));
};

/** Port specifications around the ports a rule asks about: single ports, ranges, `*`, lookalikes. */
const portSpec = (values: readonly unknown[]) => {
  const ports = values.flat().filter((v): v is number => typeof v === "number");
  const near = ports.flatMap((p) => [String(p), String(p - 1), String(p + 1), `${p}-${p}`, `${p - 1}-${p + 1}`, `${p + 1}-${p + 100}`]);
  return fc.oneof(fc.constantFrom("*", "0-65535", "1-65535", "80", "443", "", " 22", "22 ", "x", "-", ...near), fc.integer({ min: 0, max: 70000 }).map(String));
};

/**
 * The values an operator's edges lie on, given the operands the catalog compares with (literals and
 * the defaults of parameters). List operators give one element.
 */
export const VALUES_BY_OPERATOR: Record<OperatorName, (operands: readonly unknown[]) => fc.Arbitrary<unknown>> = {
  equals: operands,
  notEquals: operands,
  in: operands,
  notIn: operands,
  isEmpty: () => range,
  anyBroaderThan: () => range,
  validAksPrivateDnsZoneId: () => zoneId,
  notPrivateLinkZoneId: () => zoneId,
  notVnetIntegrationZoneId: () => zoneId,
  anyIn: operands,
  coversPort: portSpec,
  anyCoversPort: portSpec,
  aksPrivateDnsZoneName: () => zoneName,
  hasTag: tagSet,
  admitsInternet: () => sourcePrefix,
  anyAdmitsInternet: () => sourcePrefix,
};
