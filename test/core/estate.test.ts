/**
 * catalog/rollout.yaml and catalog/exemptions.yaml in a team's catalog: what they load to, and every
 * mistake as an error at file:line:column — an unknown rule, a malformed pattern, scope or date, an
 * exemption without a reason, overlapping rings, the limits Azure imposes — all of a file's at once.
 */
import * as fs from "fs";
import * as path from "path";
import { AZURE_LIMITS, expiredExemptions, loadEstate, overrideCount, parseExpiry } from "../../core/catalog/estate";
import { CatalogErrors } from "../../core/catalog/load";
import type { Rule } from "../../core/ir/types";
import { exemptionsYaml, LEGACY_RG, removeTeamProjects, ROLLOUT_YAML, teamCatalog, teamProject } from "../helpers/estate";
import { CATALOG } from "../helpers/paths";

afterAll(removeTeamProjects);

const EXEMPTIONS = exemptionsYaml("2030-06-30");

/** Every error of loading the team catalog, as `<file>:<line>:<column>: <detail>` with the file relative to the catalog. */
function errorsOf(files: { rollout?: string | null; exemptions?: string | null }): string[] {
  const root = teamProject({ exemptions: EXEMPTIONS, ...files });
  try {
    teamCatalog(root);
  } catch (e) {
    if (e instanceof CatalogErrors) return e.errors.map((x) => `${path.relative(path.join(root, "catalog"), path.resolve(x.at.file))}:${x.at.line}:${x.at.column}: ${x.detail}`);
    throw e;
  }
  return [];
}

/** `line:column` of the first occurrence of `needle` in `text` (1-based). */
function at(text: string, needle: string, nth = 0): string {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`no ${needle} in ${text}`);
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const edit = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  return text.replace(from, to);
};

test("the sample roll-out and exemptions load to what the engines read", () => {
  const catalog = teamCatalog(teamProject({ exemptions: EXEMPTIONS }));
  expect(catalog.rollout).toEqual({
    rest: { enforcementMode: "DoNotEnforce", enforcement: {} },
    rings: [
      {
        name: "canary",
        description: "The canary region and the sandbox stacks.",
        azure: [{ resourceLocation: ["westcentralus"] }],
        stacks: { names: ["sandbox-*", "canary-*"] },
        enforcementMode: "Default",
        enforcement: { all: "mandatory" },
      },
      {
        name: "early",
        azure: [{ resourceLocation: ["northeurope"] }, { resourceType: ["Microsoft.Network/networkSecurityGroups"], resourceLocation: ["westeurope"] }],
        stacks: { names: ["dev-*", "test-*"] },
        enforcementMode: "Default",
        enforcement: {},
      },
    ],
    enroll: false,
  });
  expect(catalog.exemptions?.map(({ at: _at, ...e }) => e)).toEqual([
    {
      name: "legacy-public-api",
      rules: ["aks-private-cluster", "aks-authorized-ip-ranges-restrictive"],
      category: "Waiver",
      reason: "Rebuilt as a private cluster in the Q3 migration.",
      reference: "CHG-1234",
      expiresOn: "2030-06-30T23:59:59Z",
      azureScopes: [LEGACY_RG],
      pulumi: [{ stack: "prod-*", name: "aks-legacy" }, { name: "aks-legacy-*" }],
    },
    {
      name: "firewall-fronted",
      rules: ["aks-authorized-ip-ranges-restrictive"],
      category: "Mitigated",
      reason: "The API server is reachable only through the corporate firewall's egress range.",
      reference: "SEC-88",
      azureScopes: [],
      pulumi: [{ urn: "urn:pulumi:*::*::aks-edge" }],
    },
  ]);
  expect(catalog.exemptions?.map((e) => `${e.at.line}:${e.at.column}`)).toEqual([at(EXEMPTIONS, "name: legacy"), at(EXEMPTIONS, "name: firewall")]);
});

test("both files are optional; without them the catalog has neither", () => {
  const catalog = teamCatalog(teamProject({ rollout: null, exemptions: null }));
  expect(catalog.rollout).toBeUndefined();
  expect(catalog.exemptions).toBeUndefined();
  expect(teamCatalog(teamProject({ rollout: "rings: []\n", exemptions: "exemptions: []\n" })).rollout).toEqual({ rings: [], rest: { enforcementMode: "Default", enforcement: {} }, enroll: false });
});

const R = ROLLOUT_YAML;
const E = EXEMPTIONS;
const rules = "the catalog's rules: aks-authorized-ip-ranges-restrictive";
// The bundled catalog's rule folders, in the order the message lists them.
const ALL_RULES = fs
  .readdirSync(CATALOG, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .join(", ");

describe.each<[string, { rollout?: string; exemptions?: string }, string[]]>([
  ["a ring naming an unknown rule", { rollout: edit(R, "all: mandatory", "aks-privat-cluster: mandatory") }, [`rollout.yaml:${at(R, "all: mandatory")}: unknown rule 'aks-privat-cluster' (${rules}`]],
  [
    "the rest naming an unknown rule",
    { rollout: edit(R, "enforcementMode: DoNotEnforce", "enforcementMode: DoNotEnforce\n  enforcement: { nope: advisory }") },
    [`rollout.yaml:${Number(at(R, "enforcementMode").split(":")[0]) + 1}:18: unknown rule 'nope'`],
  ],
  ["an exemption naming an unknown rule", { exemptions: edit(E, "rules: [aks-private-cluster,", "rules: [aks-privat-cluster,") }, [`exemptions.yaml:${at(E, "aks-private-cluster,")}: unknown rule 'aks-privat-cluster' (${rules}`]],
  ["an enforcement level that does not exist", { rollout: edit(R, "all: mandatory", "all: strict") }, [`rollout.yaml:${at(R, "mandatory")}: 'rings.0.enforcement.all' must be one of: mandatory, advisory, disabled (got "strict")`]],
  ["an unknown key", { rollout: edit(R, "    stacks:\n      names", "    stack:\n      names") }, [`rollout.yaml:${at(R, "stacks:\n      names")}: unknown key 'stack'`]],
  ["a stack pattern with a slash", { rollout: edit(R, '"sandbox-*"', '"sandbox/*"') }, [`rollout.yaml:${at(R, '"sandbox-*"')}: 'sandbox/*' is not a stack name pattern`]],
  ["a location with a space", { rollout: edit(R, "[westcentralus]", "[west central us]") }, [`rollout.yaml:${at(R, "westcentralus")}: 'west central us' is not a location name (letters and digits, e.g. westeurope)`]],
  ["a resource type without its namespace", { rollout: edit(R, "Microsoft.Network/networkSecurityGroups", "networkSecurityGroups") }, [`rollout.yaml:${at(R, "Microsoft.Network")}: 'networkSecurityGroups' is not a resource type`]],
  ["a value listed twice", { rollout: edit(R, "[northeurope]", "[northeurope, NorthEurope]") }, [`rollout.yaml:${at(R, "northeurope]").split(":")[0]}:${Number(at(R, "northeurope]").split(":")[1]) + 13}: 'NorthEurope' is listed twice`]],
  [
    "location and without-location in one selector",
    { rollout: edit(R, "resourceLocation: [westcentralus]", "resourceLocation: [westcentralus]\n      resourceWithoutLocation: [subscriptionLevelResources]") },
    ["rollout.yaml:9:7: resourceLocation and resourceWithoutLocation cannot be in one selector"],
  ],
  [
    "a ring name too long for its assignment",
    { rollout: edit(R, "name: canary", "name: canary-ring") },
    [`rollout.yaml:${at(R, "canary\n")}: ring name 'canary-ring' is longer than 10 characters: its assignment apiguard-ring-canary-ring must fit the 24 characters`],
  ],
  ["a ring named rest", { rollout: edit(R, "name: early", "name: rest") }, [`rollout.yaml:${at(R, "early")}: 'rest' names every stack and resource outside the rings`]],
  ["a ring declared twice", { rollout: edit(R, "name: early", "name: canary") }, [`rollout.yaml:${at(R, "early")}: ring 'canary' is declared twice`]],
  ["a ring that selects nothing", { rollout: `${R}  - name: empty\n` }, [`rollout.yaml:${R.split("\n").length}:5: ring 'empty' selects nothing`]],
  ["a ring description too long", { rollout: edit(R, "The canary region", "x".repeat(300) + " The canary region") }, [`rollout.yaml:${at(R, "The canary")}: the description is 342 characters`]],
  ["rings whose stack names overlap", { rollout: edit(R, '"dev-*", "test-*"', '"sandbox-eu"') }, [`rollout.yaml:${at(R, "stacks:", 1)}: ring 'early' overlaps ring 'canary': a stack named 'sandbox-eu' is in both`]],
  ["rings whose stack patterns share a match", { rollout: edit(R, '"dev-*", "test-*"', '"*-eu"') }, [`rollout.yaml:${at(R, "stacks:", 1)}: ring 'early' overlaps ring 'canary': a stack named 'sandbox-eu' is in both`]],
  [
    "rings selecting by name and by tag",
    { rollout: edit(R, 'names: ["sandbox-*", "canary-*"]', "tags: { team: payments, tier: gold }") },
    [`rollout.yaml:${at(R, "stacks:", 1)}: ring 'early' overlaps ring 'canary': a stack named 'dev-' tagged team=payments, tier=gold is in both`],
  ],
  ["rings sharing a location", { rollout: edit(R, "[northeurope]", "[WestCentralUS]") }, [`rollout.yaml:${at(R, "azure:", 1)}: ring 'early' overlaps ring 'canary': a resource with resourceLocation westcentralus is in both`]],
  [
    "rings weaker than the rest, by their own level or by taking the catalog's",
    { rollout: edit(edit(R, "enforcementMode: DoNotEnforce", "enforcement: { all: mandatory }"), "all: mandatory\n  - name: early", "all: advisory\n  - name: early") },
    [
      `rollout.yaml:${at(R, "all: mandatory").split(":")[0]}:12: ring 'canary' is weaker than the rest for 'aks-authorized-ip-ranges-restrictive' (advisory here, mandatory for the rest): its resources are also evaluated by the rest's assignment`,
      `rollout.yaml:${at(R, "early")}: ring 'early' is weaker than the rest for 'aks-azure-rbac' (advisory here, mandatory for the rest)`,
    ],
  ],
  [
    "a ring in DoNotEnforce under a rest that enforces",
    { rollout: edit(R, "rest:\n  enforcementMode: DoNotEnforce", "rest:\n  enforcementMode: Default").replace("    enforcement:\n      all: mandatory", "    enforcementMode: DoNotEnforce") },
    [`rollout.yaml:${at(R, "enforcement:\n      all").split(":")[0]}:22: ring 'canary' is weaker than the rest for 'aks-authorized-ip-ranges-restrictive' (advisory here, mandatory for the rest)`],
  ],
  [
    "Enroll mode with a rest that enforces, and rings whose effects differ",
    { rollout: `enroll: true\n${edit(R, "enforcementMode: DoNotEnforce", "enforcementMode: Default")}` },
    [
      "rollout.yaml:1:1: Enroll mode enforces only what is enrolled",
      `rollout.yaml:${Number(at(R, "enforcement:\n      all").split(":")[0]) + 1}:5: Enroll mode has one assignment, so one effect per rule: ring 'canary' and the rest differ for 'aks-azure-rbac'`,
    ],
  ],
  [
    "Enroll mode with a rest that enforces, alone",
    { rollout: `enroll: true\nrest: { enforcementMode: Default }\nrings:\n  - name: canary\n    azure: { resourceLocation: [westcentralus] }\n` },
    ["rollout.yaml:1:1: Enroll mode enforces only what is enrolled"],
  ],
  ["a Waiver without expiry", { exemptions: edit(E, "    expires: 2030-06-30\n", "") }, [`exemptions.yaml:${at(E, "Waiver")}: a Waiver accepts non-compliance for a time: give it \`expires\``]],
  ["an exemption without a reason", { exemptions: edit(E, "reason: Rebuilt as a private cluster in the Q3 migration.", 'reason: " "') }, [`exemptions.yaml:${at(E, "Rebuilt")}: an exemption needs a reason`]],
  ["an exemption with no reason key", { exemptions: edit(E, "    reason: Rebuilt as a private cluster in the Q3 migration.\n", "") }, [`exemptions.yaml:${at(E, "name: legacy")}: missing required key 'reason'`]],
  ["an exemption without a ticket", { exemptions: edit(E, "reference: SEC-88", 'reference: ""') }, [`exemptions.yaml:${at(E, "SEC-88")}: an exemption needs a reference (the ticket that approved it)`]],
  [
    "a reason longer than Azure's description",
    { exemptions: edit(E, "reason: Rebuilt", `reason: ${"x".repeat(500)} Rebuilt`) },
    [`exemptions.yaml:${at(E, "Rebuilt")}: the reason is 550 characters: the Azure exemption's description holds 512`],
  ],
  ["a date that does not exist", { exemptions: edit(E, "2030-06-30", "2030-02-30") }, [`exemptions.yaml:${at(E, "2030-06-30")}: '2030-02-30' is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ in UTC)`]],
  ["a date in another format", { exemptions: edit(E, "2030-06-30", "30.06.2030") }, [`exemptions.yaml:${at(E, "2030-06-30")}: '30.06.2030' is not a date`]],
  [
    "an Azure scope with a wildcard",
    { exemptions: edit(E, LEGACY_RG, "/subscriptions/*/resourceGroups/rg-legacy") },
    [`exemptions.yaml:${at(E, LEGACY_RG)}: '/subscriptions/*/resourceGroups/rg-legacy' is a pattern: an Azure policy exemption is created at one scope`],
  ],
  ["an Azure scope that is no resource id", { exemptions: edit(E, LEGACY_RG, "rg-legacy") }, [`exemptions.yaml:${at(E, LEGACY_RG)}: 'rg-legacy' is not a management group, subscription, resource group or resource id`]],
  ["a subscription id that is no GUID", { exemptions: edit(E, LEGACY_RG, "/subscriptions/prod/resourceGroups/rg-legacy") }, [`exemptions.yaml:${at(E, LEGACY_RG)}: '/subscriptions/prod/resourceGroups/rg-legacy' is not a management group`]],
  ["a malformed URN pattern", { exemptions: edit(E, '"urn:pulumi:*::*::aks-edge"', '"aks-edge"') }, [`exemptions.yaml:${at(E, '"urn:pulumi')}: 'aks-edge' is not a URN pattern`]],
  ["a resource name pattern with '::'", { exemptions: edit(E, "name: aks-legacy-*", "name: p::aks") }, [`exemptions.yaml:${at(E, "aks-legacy-*")}: 'p::aks' is not a resource name pattern`]],
  ["an exemption that names no resources", { exemptions: edit(E, '    pulumi:\n      - urn: "urn:pulumi:*::*::aks-edge"\n', "") }, [`exemptions.yaml:${at(E, "name: firewall")}: exemption 'firewall-fronted' names no resources`]],
  [
    "Azure scopes for rules without an Azure side",
    { exemptions: edit(E, "rules: [aks-private-cluster, aks-authorized-ip-ranges-restrictive]", "rules: [eks-endpoint-private]") },
    [`exemptions.yaml:${at(E, "azure:")}: none of eks-endpoint-private has an Azure Policy side`],
  ],
  ["an exemption declared twice", { exemptions: edit(E, "name: firewall-fronted", "name: legacy-public-api") }, [`exemptions.yaml:${at(E, "firewall-fronted")}: exemption 'legacy-public-api' is declared twice`]],
  ["an exemption name too long for Azure", { exemptions: edit(E, "name: firewall-fronted", `name: ${"f".repeat(40)}`) }, [`exemptions.yaml:${at(E, "firewall-fronted")}: exemption name '${"f".repeat(40)}' is longer than 39 characters`]],
  ["a ring name with capitals", { rollout: edit(R, "name: canary", "name: Canary") }, [`rollout.yaml:${at(R, "canary\n")}: ring name 'Canary' must be lower-case letters, digits and hyphens`]],
  ["an empty tag name", { rollout: "rings:\n  - name: canary\n    stacks:\n      tags: { '': canary }\n" }, ["rollout.yaml:4:15: a tag name cannot be empty"]],
  [
    "rings whose Azure selectors constrain different kinds",
    { rollout: "rings:\n  - name: a\n    azure: { resourceLocation: [westeurope] }\n  - name: b\n    azure: { resourceType: [Microsoft.Network/networkSecurityGroups] }\n" },
    ["rollout.yaml:5:5: ring 'b' overlaps ring 'a': a resource both select (one constrains resourceLocation, the other resourceType) is in both"],
  ],
  [
    "a ring weaker than the rest by a rule of its own",
    { rollout: "rest: { enforcement: { all: mandatory } }\nrings:\n  - name: a\n    stacks: { names: [a] }\n    enforcement: { all: mandatory, aks-private-cluster: advisory }\n" },
    ["rollout.yaml:5:57: ring 'a' is weaker than the rest for 'aks-private-cluster' (advisory here, mandatory for the rest)"],
  ],
  [
    "an exemption name with capitals",
    { exemptions: edit(E, "name: firewall-fronted", "name: Firewall_Fronted") },
    [`exemptions.yaml:${at(E, "firewall-fronted")}: exemption name 'Firewall_Fronted' must be lower-case letters, digits and hyphens`],
  ],
  ["a stack pattern in an exemption with a slash", { exemptions: edit(E, 'stack: "prod-*"', 'stack: "prod/*"') }, [`exemptions.yaml:${at(E, '"prod-*"')}: 'prod/*' is not a stack name pattern`]],
  ["an empty exemptions file", { exemptions: "" }, ["exemptions.yaml:1:1: missing required key 'exemptions'"]],
  ["a tag name of blanks", { rollout: "rings:\n  - name: canary\n    stacks:\n      tags: { ' ': canary }\n" }, ["rollout.yaml:4:15: a tag name cannot be empty"]],
  [
    "rings overlapping in two kinds",
    { rollout: "rings:\n  - name: a\n    azure: { resourceLocation: [westeurope], resourceType: [A.B/c] }\n  - name: b\n    azure: { resourceLocation: [westeurope], resourceType: [a.b/C] }\n" },
    ["rollout.yaml:5:5: ring 'b' overlaps ring 'a': a resource with resourceLocation westeurope, resourceType A.B/c is in both"],
  ],
  ["Enroll mode after other keys", { rollout: "rest: { enforcementMode: Default }\nenroll: true\n" }, ["rollout.yaml:2:1: Enroll mode enforces only what is enrolled"]],
  ["an empty resource name pattern", { exemptions: edit(E, "name: aks-legacy-*", 'name: ""') }, [`exemptions.yaml:${at(E, "aks-legacy-*")}: '' is not a resource name pattern`]],
  ["a reference of blanks", { exemptions: edit(E, "reference: SEC-88", 'reference: "  "') }, [`exemptions.yaml:${at(E, "SEC-88")}: an exemption needs a reference`]],
  [
    "a reason longer than 512 characters once trimmed",
    { exemptions: edit(E, "reason: Rebuilt as a private cluster in the Q3 migration.", `reason: "  ${"x".repeat(513)}  "`) },
    [`exemptions.yaml:${at(E, "Rebuilt")}: the reason is 513 characters: the Azure exemption's description holds 512`],
  ],
  [
    "a description longer than 300 characters once trimmed",
    { rollout: edit(R, "description: The canary region and the sandbox stacks.", `description: "  ${"x".repeat(301)}  "`) },
    [`rollout.yaml:${at(R, "The canary")}: the description is 301 characters: at most 300 fit the ring assignment's description`],
  ],
  [
    "Azure scopes for several rules without an Azure side",
    { exemptions: edit(E, "rules: [aks-private-cluster, aks-authorized-ip-ranges-restrictive]", "rules: [eks-endpoint-private, eks-public-access-cidrs-restrictive]") },
    [`exemptions.yaml:${at(E, "azure:")}: none of eks-endpoint-private, eks-public-access-cidrs-restrictive has an Azure Policy side, so there is nothing to exempt in Azure`],
  ],
  [
    "Azure scopes for an unknown rule and one without an Azure side: the unknown rule only",
    { exemptions: edit(E, "rules: [aks-private-cluster, aks-authorized-ip-ranges-restrictive]", "rules: [nope, eks-endpoint-private]") },
    [`exemptions.yaml:${at(E, "aks-private-cluster,")}: unknown rule 'nope'`],
  ],
])("%s", (_name, files, expected) => {
  test("is an error at its file:line:column", () => {
    const errors = errorsOf(files);
    expect(errors).toHaveLength(expected.length);
    errors.forEach((e, i) => expect(e.startsWith(expected[i])).toBe(true));
  });
});

test("every mistake of both files is reported at once", () => {
  const errors = errorsOf({ rollout: edit(R, "all: mandatory", "nope: mandatory"), exemptions: edit(E, "2030-06-30", "2030-13-01") });
  expect(errors.map((e) => e.split(":")[0])).toEqual(["rollout.yaml", "exemptions.yaml"]);
});

describe("Azure's limits on one assignment", () => {
  const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(", ");
  test(`more than ${AZURE_LIMITS.resourceSelectors} resource selectors`, () => {
    const alternatives = Array.from({ length: 11 }, (_, i) => `      - resourceLocation: [region${i}]`).join("\n");
    expect(errorsOf({ rollout: edit(R, "    azure:\n      resourceLocation: [westcentralus]", `    azure:\n${alternatives}`) })).toEqual([`rollout.yaml:${at(R, "azure:")}: 11 resource selectors: Azure allows at most 10 in one assignment`]);
  });
  test(`more than ${AZURE_LIMITS.selectorValues} values in one selector`, () => {
    expect(errorsOf({ rollout: edit(R, "[westcentralus]", `[${many(51, (i) => `region${i}`)}]`) })).toEqual([`rollout.yaml:${at(R, "resourceLocation")}: 51 values: Azure allows at most 50 in one selector`]);
  });
  test(`more than ${AZURE_LIMITS.overrides} overrides: a catalog of many rules whose levels differ`, () => {
    const levels = ["mandatory", "advisory", "disabled"] as const;
    const rules = Array.from({ length: 452 }, (_, i) => ({ id: `rule-${i}`, backends: ["azure-policy", "crossguard"], enforcement: levels[i % 3] }) as unknown as Rule);
    const root = teamProject({ rollout: "rest:\n  enforcement: { rule-0: mandatory }\n", exemptions: null });
    expect(() => loadEstate(path.join(root, "catalog"), rules, CATALOG)).toThrow(/rollout\.yaml:2:3: this enforcement needs 11 overrides: Azure allows at most 10 in one assignment$/);
    // The same rules at one level need one override, without selectors.
    expect(() =>
      loadEstate(
        path.join(root, "catalog"),
        rules.map((r) => ({ ...r, enforcement: "mandatory" })),
        CATALOG,
      ),
    ).not.toThrow();
    // 150 rules of each effect fit in 9 overrides; one more needs a tenth.
    expect(overrideCount([...Array(150).fill("mandatory"), ...Array(150).fill("advisory"), ...Array(150).fill("disabled")])).toBe(9);
    expect(overrideCount([...Array(151).fill("mandatory"), ...Array(150).fill("advisory"), ...Array(150).fill("disabled")])).toBe(10);
    expect(overrideCount(["mandatory"])).toBe(1);
    expect(overrideCount([])).toBe(0);
  });
});

describe("expiry dates", () => {
  test.each([
    ["2026-09-30", "2026-09-30T23:59:59Z"],
    ["2026-09-30T08:15:00Z", "2026-09-30T08:15:00Z"],
    ["2028-02-29", "2028-02-29T23:59:59Z"],
    ["2027-02-29", undefined],
    ["2026-13-01", undefined],
    ["2026-09-30T24:00:00Z", undefined],
    ["2026-09-30T23:60:00Z", undefined],
    ["2026-09-30T23:59:60Z", undefined],
    ["2026-09-30T08:15:00", undefined],
    ["2026-9-30", undefined],
    [" 2026-09-30", undefined],
  ])("%j → %j", (text, iso) => {
    expect(parseExpiry(text)).toBe(iso);
  });

  test("an expired exemption is a warning naming where it is declared; the catalog still loads", () => {
    const root = teamProject({ exemptions: exemptionsYaml("2025-03-31") });
    const catalog = teamCatalog(root);
    const warnings = expiredExemptions(catalog.exemptions ?? [], new Date("2025-04-01T00:00:00Z"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/exemptions\.yaml:3:5: exemption 'legacy-public-api' expired on 2025-03-31: its resources are judged again \(aks-private-cluster, aks-authorized-ip-ranges-restrictive\); renew it or remove it$/);
    expect(expiredExemptions(catalog.exemptions ?? [], new Date("2025-03-31T23:59:58Z"))).toEqual([]);
  });
});

test("a standalone catalog reads the files beside its rules and validates them with its own schemas", () => {
  const root = teamProject({ exemptions: null });
  const catalog = path.join(root, "catalog");
  fs.rmSync(path.join(catalog, "bundled.yaml"));
  fs.cpSync(path.join(CATALOG, "aks-private-cluster"), path.join(catalog, "aks-private-cluster"), { recursive: true });
  for (const schema of ["rule.schema.json", "rollout.schema.json"]) fs.copyFileSync(path.join(CATALOG, schema), path.join(catalog, schema));
  fs.writeFileSync(path.join(catalog, "rollout.yaml"), "rings:\n  - name: canary\n    stacks: { names: [dev] }\n    enforcement: { aks-azure-rbac: mandatory }\n");
  expect(() => teamCatalog(root)).toThrow(/rollout\.yaml:4:20: unknown rule 'aks-azure-rbac' \(the catalog's rules: aks-private-cluster\)/);
  fs.rmSync(path.join(catalog, "rollout.schema.json"));
  expect(() => teamCatalog(root)).toThrow(/rollout\.schema\.json:1:1: missing rollout\.schema\.json/);
});

test("an empty rollout.yaml is an empty roll-out", () => {
  expect(teamCatalog(teamProject({ rollout: "", exemptions: null })).rollout).toEqual({ rings: [], rest: { enforcementMode: "Default", enforcement: {} }, enroll: false });
});

test("every kind of Azure scope an exemption can be created at is accepted", () => {
  const scopes = [
    "/providers/Microsoft.Management/managementGroups/contoso-platform",
    "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590",
    LEGACY_RG,
    `${LEGACY_RG}/providers/Microsoft.ContainerService/managedClusters/aks-legacy`,
    `${LEGACY_RG}/providers/Microsoft.Network/networkSecurityGroups/nsg-jump/securityRules/allow-ssh`,
  ];
  const yaml = edit(E, `        - ${LEGACY_RG}\n`, scopes.map((x) => `        - ${x}\n`).join(""));
  expect(teamCatalog(teamProject({ exemptions: yaml })).exemptions?.[0].azureScopes).toEqual(scopes);
});

test("descriptions, reasons and references are read without surrounding blanks", () => {
  const catalog = teamCatalog(
    teamProject({
      rollout: 'rings:\n  - name: a\n    description: "  The canary.  "\n    stacks: { names: [a] }\n',
      exemptions: 'exemptions:\n  - name: x\n    rules: [aks-private-cluster]\n    category: Mitigated\n    reason: "  Behind the firewall.  "\n    reference: " SEC-1 "\n    pulumi: [{ name: aks }]\n',
    }),
  );
  expect(catalog.rollout?.rings[0].description).toBe("The canary.");
  expect([catalog.exemptions?.[0].reason, catalog.exemptions?.[0].reference]).toEqual(["Behind the firewall.", "SEC-1"]);
});

describe("rules of one engine only", () => {
  const rule = (id: string, backends: string[]) => ({ id, backends, enforcement: "mandatory" }) as unknown as Rule;
  const exemption = (side: string) => `exemptions:\n  - name: x\n    rules: [azure-only]\n    category: Mitigated\n    reason: r\n    reference: t\n${side}`;
  test("Pulumi patterns for rules one of which has a CrossGuard side are accepted; for an unknown rule only that is an error", () => {
    const rules = [rule("azure-only", ["azure-policy"]), rule("both", ["azure-policy", "crossguard"])];
    const mixed = teamProject({ rollout: null, exemptions: exemption("    pulumi: [{ name: aks }]\n").replace("rules: [azure-only]", "rules: [azure-only, both]") });
    expect(loadEstate(path.join(mixed, "catalog"), rules, CATALOG).exemptions).toHaveLength(1);
    const unknown = teamProject({ rollout: null, exemptions: exemption("    pulumi: [{ name: aks }]\n").replace("rules: [azure-only]", "rules: [azure-only, nope]") });
    expect(() => loadEstate(path.join(unknown, "catalog"), rules, CATALOG)).toThrow(/^[^\n]*exemptions\.yaml:3:25: unknown rule 'nope' \(the catalog's rules: azure-only, both\)$/);
  });

  test("Pulumi patterns for a rule without a CrossGuard side are refused; Azure scopes for it are not", () => {
    const root = teamProject({ rollout: null, exemptions: exemption("    pulumi: [{ name: aks }]\n") });
    expect(() => loadEstate(path.join(root, "catalog"), [rule("azure-only", ["azure-policy"])], CATALOG)).toThrow(/exemptions\.yaml:7:5: none of azure-only has a CrossGuard side, so there is nothing to exempt in Pulumi$/);
    const azure = teamProject({ rollout: null, exemptions: exemption(`    azure: { scopes: [${LEGACY_RG}] }\n`) });
    expect(loadEstate(path.join(azure, "catalog"), [rule("azure-only", ["azure-policy"])], CATALOG).exemptions).toHaveLength(1);
  });
  test("a catalog of many rules whose levels differ needs no override while the roll-out states none", () => {
    const levels = ["mandatory", "advisory", "disabled"] as const;
    const rules = Array.from({ length: 452 }, (_, i) => ({ id: `rule-${i}`, backends: ["azure-policy", "crossguard"], enforcement: levels[i % 3] }) as unknown as Rule);
    const root = teamProject({ rollout: "rings:\n  - name: a\n    stacks: { names: [a] }\n", exemptions: null });
    expect(loadEstate(path.join(root, "catalog"), rules, CATALOG).rollout?.rings).toHaveLength(1);
  });
});

test("an unknown rule's error lists the catalog's rules", () => {
  const errors = errorsOf({ rollout: edit(R, "all: mandatory", "nope: mandatory") });
  expect(errors).toEqual([`rollout.yaml:${at(R, "all: mandatory")}: unknown rule 'nope' (the catalog's rules: ${ALL_RULES})`]);
});

test("the limits hold exactly at the limit: 50 values, 10 overrides, a reason of 512 characters", () => {
  expect(errorsOf({ exemptions: edit(E, "reason: Rebuilt as a private cluster in the Q3 migration.", `reason: ${"x".repeat(512)}`) })).toEqual([]);
  const values = Array.from({ length: 50 }, (_, i) => `region${i}`).join(", ");
  expect(errorsOf({ rollout: edit(R, "[westcentralus]", `[${values}]`) })).toEqual([]);
  const levels = ["mandatory", "advisory", "disabled"] as const;
  // 151 + 150 + 150 rules of three effects: 4 + 3 + 3 = 10 overrides.
  const rules = Array.from({ length: 451 }, (_, i) => ({ id: `rule-${i}`, backends: ["azure-policy", "crossguard"], enforcement: levels[i % 3] }) as unknown as Rule);
  const root = teamProject({ rollout: "rest:\n  enforcement: { rule-0: mandatory }\n", exemptions: null });
  expect(loadEstate(path.join(root, "catalog"), rules, CATALOG).rollout?.rest.enforcement).toEqual({ "rule-0": "mandatory" });
});

test("a missing schema names the file it validates", () => {
  const root = teamProject({ exemptions: null });
  const catalog = path.join(root, "catalog");
  fs.rmSync(path.join(catalog, "bundled.yaml"));
  expect(() => loadEstate(catalog, [], undefined)).toThrow(/rollout\.schema\.json:1:1: missing rollout\.schema\.json: it validates rollout\.yaml$/);
});

test("an exemption from a rule without an Azure side needs no Azure scopes", () => {
  const yaml = "exemptions:\n  - name: eks\n    rules: [eks-endpoint-private]\n    category: Mitigated\n    reason: r\n    reference: t\n    pulumi: [{ name: eks-legacy }]\n";
  expect(teamCatalog(teamProject({ rollout: null, exemptions: yaml })).exemptions?.map((e) => e.name)).toEqual(["eks"]);
});
