/**
 * azure-policy/alz/ is an Azure Landing Zones library member, checked against the library's
 * documented conventions (https://azure.github.io/Azure-Landing-Zones-Library/assets/) and its
 * published schemas (test/fixtures/alz/, see SOURCE.md there).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse } from "yaml";
import { loadCatalog } from "../../core/catalog/load";
import { generateAll } from "../../generators";
import { readGeneratorInputs } from "../../cli/generator-inputs";
import { policyRuleValidator, relaxedPolicyRuleSchema } from "../helpers/azure-schema";
import { CATALOG, REPO } from "../helpers/paths";

const catalog = loadCatalog(CATALOG);
const files = generateAll(catalog, readGeneratorInputs(REPO));
const ROOT = "azure-policy/alz/";
const library = [...files].filter(([f]) => f.startsWith(ROOT)).map(([f, content]) => ({ file: f.slice(ROOT.length), content }));
const azureRules = catalog.rules.filter((r) => r.backends.includes("azure-policy"));

/** The file name patterns of the library's asset pages (policy-definitions, policy-set-definitions, policy-assignments, archetype-overrides). */
const ASSET_PATTERNS = {
  policyDefinition: /(^|\/)([^/]+)\.alz_policy_definition\.json$/,
  policySetDefinition: /(^|\/)([^/]+)\.alz_policy_set_definition\.json$/,
  policyAssignment: /(^|\/)([^/]+)\.alz_policy_assignment\.json$/,
  archetypeOverride: /(^|\/)([^/]+)\.alz_archetype_override\.(json|ya?ml)$/,
} as const;
type Kind = keyof typeof ASSET_PATTERNS;
/** "there can only be one metadata file and it must be in the root of the library member directory" (assets/metadata). */
const METADATA = "alz_library_metadata.json";
/** Archetypes of the ALZ library's platform/alz member (https://github.com/Azure/Azure-Landing-Zones-Library/tree/main/platform/alz/archetype_definitions). */
const ALZ_ARCHETYPES = ["connectivity", "corp", "decommissioned", "identity", "landing_zones", "local", "management", "online", "platform", "root", "sandbox", "security"];

interface Asset {
  file: string;
  stem: string;
  kind: Kind;
  doc: { name: string; type?: string; properties?: Record<string, any>; [key: string]: unknown };
}

const assets: Asset[] = library.flatMap(({ file, content }) => {
  for (const [kind, pattern] of Object.entries(ASSET_PATTERNS) as [Kind, RegExp][]) {
    const m = pattern.exec(file);
    if (m) return [{ file, stem: m[2], kind, doc: file.endsWith(".json") ? JSON.parse(content) : parse(content) }];
  }
  return [];
});
const byKind = (kind: Kind) => assets.filter((a) => a.kind === kind);
const names = (kind: Kind) => byKind(kind).map((a) => a.doc.name);
const lastSegment = (id: string) => id.slice(id.lastIndexOf("/") + 1);
const schema = (name: string) => new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(REPO, "test", "fixtures", "alz", name), "utf8")));

test("every file is an asset by its documented file name pattern, or the metadata file at the root", () => {
  const unknown = library.filter(({ file }) => file !== METADATA && !assets.some((a) => a.file === file)).map((f) => f.file);
  expect(unknown).toEqual([]);
  expect(library.map((f) => f.file)).toContain(METADATA);
});

test("each asset is keyed by a unique name, which is also its file name", () => {
  for (const a of assets) expect(`${a.file}: ${a.doc.name}`).toBe(`${a.file}: ${a.stem}`);
  for (const kind of Object.keys(ASSET_PATTERNS) as Kind[]) expect(new Set(names(kind)).size).toBe(names(kind).length);
});

test("the library metadata and the archetype override match the library's published schemas", () => {
  const metadata = schema("library_metadata.json");
  expect(metadata(JSON.parse(library.find((f) => f.file === METADATA)!.content)) || metadata.errors).toBe(true);
  const override = schema("archetype_override.json");
  for (const a of byKind("archetypeOverride")) expect(override(a.doc) || override.errors).toBe(true);
});

describe("policy definitions", () => {
  const validate = policyRuleValidator(relaxedPolicyRuleSchema().schema);
  test("one per rule with an Azure Policy side, the same definition as azure-policy/definitions/", () => {
    expect(byKind("policyDefinition").length).toBe(azureRules.length);
    for (const rule of azureRules) {
      const asset = byKind("policyDefinition").find((a) => a.doc.properties?.metadata?.apiguard?.ruleId === rule.id)!;
      const plain = JSON.parse(files.get(`azure-policy/definitions/${rule.id}.json`)!);
      expect(asset.doc).toEqual({ type: "Microsoft.Authorization/policyDefinitions", ...plain });
    }
  });
  test.each(byKind("policyDefinition").map((a) => [a.file, a] as const))("%s: a valid policy rule", (_file, a) => {
    expect(validate(a.doc.properties!.policyRule) || validate.errors).toBe(true);
  });
});

test("the initiative references definitions of this library by name, and every parameter it passes exists", () => {
  const [set] = byKind("policySetDefinition");
  expect(set.doc.type).toBe("Microsoft.Authorization/policySetDefinitions");
  const refs = set.doc.properties!.policyDefinitions as { policyDefinitionId: string; parameters: Record<string, { value: string }> }[];
  expect(refs.map((r) => lastSegment(r.policyDefinitionId)).sort()).toEqual(names("policyDefinition").sort());
  for (const r of refs) {
    expect(r.policyDefinitionId).toMatch(/^\/providers\/Microsoft\.Management\/managementGroups\/[^/{}]+\/providers\/Microsoft\.Authorization\/policyDefinitions\/[^/]+$/);
    for (const { value } of Object.values(r.parameters)) expect(Object.keys(set.doc.properties!.parameters)).toContain(/^\[parameters\('([^']+)'\)\]$/.exec(value)![1]);
  }
});

test("the assignment assigns the initiative by name with parameters it declares, under the management-group name limit", () => {
  const [assignment] = byKind("policyAssignment");
  const [set] = byKind("policySetDefinition");
  expect(assignment.doc.type).toBe("Microsoft.Authorization/policyAssignments");
  expect(lastSegment(assignment.doc.properties!.policyDefinitionId)).toBe(set.doc.name);
  expect(assignment.doc.properties!.policyDefinitionId).toContain("/policySetDefinitions/");
  for (const p of Object.keys(assignment.doc.properties!.parameters)) expect(Object.keys(set.doc.properties!.parameters)).toContain(p);
  // "1-24 resource name at management group scope" (Microsoft.Authorization policyAssignments, ARM template reference,
  // https://learn.microsoft.com/azure/templates/microsoft.authorization/2019-09-01/policyassignments).
  expect(assignment.doc.name.length).toBeLessThanOrEqual(24);
});

test("the archetype override extends an ALZ archetype and adds exactly this library's assets", () => {
  const [override] = byKind("archetypeOverride");
  expect(ALZ_ARCHETYPES).toContain(override.doc.base_archetype);
  expect(ALZ_ARCHETYPES).not.toContain(override.doc.name);
  expect([...(override.doc.policy_definitions_to_add as string[])].sort()).toEqual(names("policyDefinition").sort());
  expect(override.doc.policy_set_definitions_to_add).toEqual(names("policySetDefinition"));
  expect(override.doc.policy_assignments_to_add).toEqual(names("policyAssignment"));
  for (const key of ["policy_definitions_to_remove", "policy_set_definitions_to_remove", "policy_assignments_to_remove", "role_definitions_to_add", "role_definitions_to_remove"]) expect(override.doc[key]).toEqual([]);
});

test("no placeholder of the other layouts is left in a resource id", () => {
  for (const { file, content } of library) expect(`${file}: ${content.includes("{definitionScope}")}`).toBe(`${file}: false`);
});
