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
    "", " ", "\t", " 0.0.0.0/0", "0.0.0.0/0 ", "0.0.0.0/32", "0.0.0.0", "::", "0:0:0:0:0:0:0:0/0", "::0/0", "0000::/0",
    "::ffff:0.0.0.0/96", "::ffff:0:0/96", "0.0.0.0/000", "00.0.0.0/0", "10.0.0.0/24", "2001:db8::/120", "2001:db8::/64",
    "1.2.3.4", "1.2.3.4/32", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "/24",
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
  fc
    .tuple(fc.constantFrom("Microsoft.Network/privateDnsZones", "microsoft.network/privatednszones", "Microsoft.Network/dnsZones"), zoneName)
    .map(([provider, zone]) => `${SUBSCRIPTION}/${provider}/${zone}`),
  fc.constantFrom("/subscriptions//providers", "/a/b/c/d/e/f/g/h", "/a/b/c/d/e/f/g/h/i/j", "privatelink.eastus.azmk8s.io", null),
);

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
};
