/**
 * Seeded random AKS clusters (ARM-shaped) for the differential test. Both kinds spell keys in any
 * casing (ARM property names are case-insensitive) and may carry the legacy top-level range list (then
 * at a 2019 API version, see atRequestApiVersion), the identity settings and the AKS Automatic SKU:
 * - typed: every value has the JSON type the AKS API declares (booleans also as "true"/"false" text,
 *   which Azure Policy coerces), with documented values and their lookalikes;
 * - odd: any JSON value anywhere apiguard reads — numbers, objects, mixed arrays — as a careless
 *   template or a type confusion sends them.
 * (test/generators/parity.test.ts has its own well-formed generators for the CrossGuard side.)
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import type { ArmResource } from "../../../core/resources/convert";

const LEGACY_RANGES = "Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]";
/** The ARM API versions whose clusters carry the top-level `apiServerAuthorizedIPRanges` (data/versioned-paths.json). */
export const LEGACY_API_VERSIONS: readonly string[] = (
  JSON.parse(fs.readFileSync(path.join(__dirname, "data", "versioned-paths.json"), "utf8")) as { aliases: { name: string; paths: { apiVersions: string[] }[] }[] }
).aliases.find((a) => a.name === LEGACY_RANGES)!.paths.flatMap((p) => p.apiVersions);

/**
 * The request as Azure receives it: a cluster that carries the top-level `apiServerAuthorizedIPRanges`
 * was written for an API version that has it (2019-02-01 to 2019-06-01; 2019-08-01 moved the ranges to
 * `apiServerAccessProfile`), and Azure Policy resolves aliases at the request's API version. Other
 * resources keep their own `apiVersion` (none: the alias's default path, as for current versions).
 */
export function atRequestApiVersion(resource: ArmResource, legacyVersion = LEGACY_API_VERSIONS[LEGACY_API_VERSIONS.length - 1]): ArmResource {
  const legacy = Object.keys(resource.properties ?? {}).some((k) => k.toLowerCase() === "apiserverauthorizedipranges");
  const hasVersion = Object.keys(resource).some((k) => k.toLowerCase() === "apiversion");
  return legacy && !hasVersion ? { ...resource, apiVersion: legacyVersion } : resource;
}

/** Any JSON value a property might hold after a type confusion or a careless template. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, -1, 3.5, "", " ", "true", "False", "system", "None", "0.0.0.0/0", "::/0", "/"),
  fc.string({ maxLength: 8 }),
  fc.constantFrom({}, [], [null], [1, "a"], { a: 1 }, ["0.0.0.0/0", 5], [[]], [{}], [true], { enablePrivateCluster: true }),
);
const typedFlag = fc.constantFrom(true, false, "true", "false", "True", "FALSE", null);

const byte = fc.integer({ min: 0, max: 255 });
/** Authorized ranges: random IPv4 CIDRs, and the spellings AKS reads loosely or not at all. */
const range = fc.oneof(
  fc.tuple(byte, byte, byte, byte, fc.integer({ min: 0, max: 33 })).map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`),
  fc.constantFrom(
    "", " ", "\t", " 0.0.0.0/0", "0.0.0.0/0 ", "0.0.0.0/32", "0.0.0.0", "::", "0:0:0:0:0:0:0:0/0", "::0/0", "0000::/0",
    "::ffff:0.0.0.0/96", "::ffff:0:0/96", "0.0.0.0/000", "00.0.0.0/0", "10.0.0.0/24", "2001:db8::/120", "2001:db8::/64",
    "1.2.3.4", "1.2.3.4/32", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "/24",
  ),
);
const typedRanges = fc.oneof(fc.array(range, { maxLength: 4 }), fc.constant(null));

const SUBSCRIPTION = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dns/providers";
/** Private DNS zone settings: the keywords, documented zone IDs and lookalikes, odd values. */
const typedZone = fc.oneof(
  fc.constantFrom("system", "System", "SYSTEM", "none", "None", " none", ""),
  fc
    .tuple(
      fc.constantFrom("Microsoft.Network/privateDnsZones", "microsoft.network/privatednszones", "Microsoft.Network/dnsZones"),
      fc.constantFrom("", "team1.", "a.b."),
      fc.constantFrom("privatelink", "private", "PrivateLink", "myprivatelink"),
      fc.constantFrom("eastus", "westeurope", ""),
      fc.constantFrom("azmk8s.io", "AZMK8S.IO", "azmk8s.io.", "azmk8s.io.evil.com"),
    )
    .map(([provider, sub, label, region, suffix]) => `${SUBSCRIPTION}/${provider}/${sub}${label}${region ? `.${region}` : ""}.${suffix}`),
  fc.constantFrom("/subscriptions//providers", "/a/b/c/d/e/f/g/h", "/a/b/c/d/e/f/g/h/i/j", "privatelink.eastus.azmk8s.io", null),
);

/** A key as a template author might spell it. */
const spelled = (word: string) => fc.constantFrom(word, word.toLowerCase(), word.toUpperCase(), word[0].toUpperCase() + word.slice(1));
const entry = (word: string, value: fc.Arbitrary<unknown>) => fc.option(fc.tuple(spelled(word), value), { nil: undefined, freq: 3 });
const object = (...entries: fc.Arbitrary<[string, unknown] | undefined>[]) =>
  fc.tuple(...entries).map((kv) => Object.fromEntries(kv.filter((e): e is [string, unknown] => e !== undefined)));

/** `typed` values, or (odd) any JSON value in a quarter of the places. */
const maybeOdd = <T>(typed: fc.Arbitrary<T>, odd: boolean): fc.Arbitrary<unknown> =>
  odd ? fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: anyJson }) : typed;

function cluster(odd: boolean): fc.Arbitrary<ArmResource> {
  const flag = maybeOdd(typedFlag, odd);
  const ranges = maybeOdd(typedRanges, odd);
  const accessProfile = maybeOdd(
    object(
      entry("enablePrivateCluster", flag),
      entry("enablePrivateClusterPublicFQDN", flag),
      entry("authorizedIPRanges", ranges),
      entry("privateDNSZone", maybeOdd(typedZone, odd)),
      entry("disableRunCommand", flag),
      entry("enableVnetIntegration", flag),
    ),
    odd,
  );
  const sku = fc.option(fc.constantFrom({ name: "Automatic", tier: "Standard" }, { name: "Base", tier: "Free" }, { name: "automatic" }, {}), { nil: undefined });
  return fc
    .tuple(object(entry("apiServerAccessProfile", accessProfile), entry("aadProfile", maybeOdd(object(entry("managed", flag), entry("enableAzureRBAC", flag)), odd)), entry("disableLocalAccounts", flag), fc.option(fc.tuple(spelled("apiServerAuthorizedIPRanges"), ranges), { nil: undefined, freq: 4 })), sku, fc.constantFrom(...LEGACY_API_VERSIONS))
    .map(([properties, sku, legacyVersion]) =>
      atRequestApiVersion({ type: "Microsoft.ContainerService/managedClusters", name: "aks", location: "westeurope", ...(sku ? { sku } : {}), properties }, legacyVersion),
    );
}

export const typedCluster = cluster(false);
export const oddCluster = cluster(true);
