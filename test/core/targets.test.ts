/**
 * Every property path and provider-documented default in core/targets is checked against the
 * installed provider packages' type definitions, so a provider upgrade that renames a property fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { armAlias, armAliasPaths, azurePolicyMode, findTarget, supportsTagsAndLocation, TARGETS, type FieldBinding, type Shape } from "../../core/targets";
import { OPERATOR_NAMES } from "../../core/operators";
import { REPO } from "../helpers/paths";

const NODE_MODULES = path.join(REPO, "node_modules", "@pulumi");

/** The body of `interface <name> {…}` in a .d.ts file (nested braces balanced). */
function interfaceBody(file: string, name: string): string {
  const text = fs.readFileSync(path.join(NODE_MODULES, file), "utf8");
  const start = text.search(new RegExp(`interface ${name} \\{`));
  if (start < 0) throw new Error(`interface ${name} not found in ${file}`);
  let depth = 0;
  for (let i = text.indexOf("{", start); i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced interface ${name} in ${file}`);
}

/** The doc comment and declaration of one property inside an interface body. */
function propertyDeclaration(body: string, property: string): string | undefined {
  const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*(?:readonly\\s+)?${property}\\??:`).exec(body);
  return match?.[0];
}

const shapes: [string, Shape][] = TARGETS.flatMap((t) => t.shapes.map((s) => [`${t.id}/${s.id}`, s] as [string, Shape]));

describe.each(shapes)("target shape %s", (_key, shape) => {
  const interfaces = shape.declaredBy;
  if (!interfaces) {
    // A provider package that is not installed: nothing to read, so every default cites the cloud's docs.
    test("cites the cloud documentation for every default", () => {
      for (const b of Object.values(shape.fields)) expect(b.defaultSource).toMatch(/^https:\/\//);
    });
    return;
  }

  // Legacy properties (older API versions, older provider majors) cite where they are declared instead;
  // a field the provider cannot express (empty path) says why in its default source.
  // (A standalone child resource is its own array element: an empty path with element fields.)
  const isUndeclared = (b: FieldBinding) => Boolean(b.legacy) || (b.path.length === 0 && !b.elements);
  const undeclared = Object.entries(shape.fields).filter(([, b]) => isUndeclared(b));
  const declared = Object.entries(shape.fields).filter(([, b]) => !isUndeclared(b));
  if (undeclared.length > 0) {
    test.each(undeclared)("field %s: is absent from the installed provider, and says where it comes from", (_field, binding) => {
      if (binding.legacy) expect(binding.legacy).toMatch(/(ARM API|azure-native v1|@pulumi\/azure before v6)/);
      else expect(binding.defaultSource).toMatch(/no .*name|cannot/);
      const owner = interfaces[binding.path.slice(0, -1).join(".")];
      // Legacy properties really are gone from the installed types (else bind them normally).
      if (binding.legacy && owner) expect(propertyDeclaration(interfaceBody(owner.file, owner.name), binding.path[binding.path.length - 1])).toBeUndefined();
    });
  }

  test.each(declared)("field %s: every path segment is a declared property", (field, binding) => {
    binding.path.forEach((segment, i) => {
      const owner = interfaces[binding.path.slice(0, i).join(".")];
      expect(owner).toBeDefined();
      expect(propertyDeclaration(interfaceBody(owner.file, owner.name), segment)).toBeDefined();
    });
    for (const element of Object.values(binding.elements ?? {})) {
      const owner = interfaces[`${field}[]`];
      expect(owner).toBeDefined();
      for (const segment of element.aliasPath ?? element.path) expect(propertyDeclaration(interfaceBody(owner.file, owner.name), segment)).toBeDefined();
    }
  });

  const quotedDefaults = Object.entries(shape.fields).filter(([, b]) => b.defaultSource.startsWith("@pulumi/") && b.defaultSource.includes('"'));
  if (quotedDefaults.length === 0) return;
  test.each(quotedDefaults)(
    "field %s: the quoted provider documentation of its default is real",
    (_field, binding) => {
      const quoted = binding.defaultSource.slice(binding.defaultSource.indexOf('"') + 1, binding.defaultSource.lastIndexOf('"'));
      const leaf = binding.path[binding.path.length - 1];
      const owner = interfaces[binding.path.slice(0, -1).join(".")];
      expect(propertyDeclaration(interfaceBody(owner.file, owner.name), leaf)).toContain(quoted);
    },
  );
});

describe("the rule schema agrees with the code", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, "catalog", "rule.schema.json"), "utf8"));
  test("condition operators are exactly the operator registry", () => {
    const keys = Object.keys(schema.definitions.condition.properties).filter((k) => !["allOf", "anyOf", "not", "anyElement", "noneRelated", "field", "param"].includes(k));
    expect(keys.sort()).toEqual([...OPERATOR_NAMES].sort());
  });
  test("targets are exactly the target table", () => {
    expect([...schema.properties.target.enum].sort()).toEqual(TARGETS.map((t) => t.id).sort());
    expect([...schema.properties.stack.properties.trigger.properties.target.enum].sort()).toEqual(TARGETS.map((t) => t.id).sort());
  });
});

describe("ARM alias paths", () => {
  /** Published alias lists (Get-AzPolicyAlias dumps; source and terms in test/e2e/regorus/data/README.md). */
  const DATA = path.join(REPO, "test", "e2e", "regorus", "data");
  type Dump = { resourceTypes: { aliases: { name: string; defaultPath: string; paths: { path: string }[] }[] }[] }[];
  const published = () => {
    const byName = new Map<string, string[]>();
    for (const file of fs.readdirSync(DATA).filter((f) => f.endsWith(".aliases.json"))) {
      for (const provider of JSON.parse(fs.readFileSync(path.join(DATA, file), "utf8")) as Dump)
        for (const type of provider.resourceTypes) for (const a of type.aliases) byName.set(a.name.toLowerCase(), [a.defaultPath, ...a.paths.map((p) => p.path)]);
    }
    for (const a of JSON.parse(fs.readFileSync(path.join(DATA, "versioned-paths.json"), "utf8")).aliases as { name: string; paths: { path: string }[] }[]) {
      byName.set(a.name.toLowerCase(), [...(byName.get(a.name.toLowerCase()) ?? []), ...a.paths.map((p) => p.path)]);
    }
    return byName;
  };

  /**
   * Aliases outside the published dumps above, each used by a Microsoft built-in: "Public network
   * access should be disabled for Container registries" (0fdf0491-d080-4575-b627-ad0e843cba0f,
   * https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Container%20Registry/ACR_PublicNetworkAccess_AuditDeny.json).
   */
  const BUILT_IN_ONLY: Record<string, string> = { "microsoft.containerregistry/registries/publicnetworkaccess": "properties.publicNetworkAccess" };

  test("every alias the offline evaluation resolves is a published alias, at the path Azure gives it", () => {
    const aliases = published();
    for (const [name, where] of Object.entries(BUILT_IN_ONLY)) {
      expect(aliases.has(name)).toBe(false);
      aliases.set(name, [where]);
    }
    const wrong = Object.entries(armAliasPaths())
      .filter(([alias, where]) => !(aliases.get(alias.toLowerCase()) ?? []).some((p) => p.toLowerCase() === where.toLowerCase()))
      .map(([alias, where]) => `${alias} -> ${where} (published: ${JSON.stringify(aliases.get(alias.toLowerCase()) ?? null)})`);
    expect(wrong).toEqual([]);
  });

  test("every field of every ARM shape resolves, with its [*] alias exactly when it is a list", () => {
    const paths = armAliasPaths();
    for (const target of TARGETS) {
      for (const shape of target.shapes.filter((s) => s.arm && s.fields)) {
        for (const [field, binding] of Object.entries(shape.fields)) {
          if (binding.path.length === 0 || binding.elements) continue;
          const alias = armAlias(shape, field);
          expect([alias, paths[alias]]).toEqual([alias, `${binding.envelope ? "" : "properties."}${binding.path.join(".")}`]);
          expect([alias, `${alias}[*]` in paths]).toEqual([alias, target.fields[field].type === "stringArray"]);
        }
      }
    }
  });

  // The rule of a network security group, as its own resource and as a member of the group's list;
  // each alias and path as Microsoft publishes them (Get-AzPolicyAlias, checked by the test above).
  test("every security rule property resolves, as a sub-resource and as a list member, with [*] for its lists", () => {
    expect(armAliasPaths()).toMatchObject({
      "Microsoft.Network/networkSecurityGroups/securityRules/access": "properties.access",
      "Microsoft.Network/networkSecurityGroups/securityRules/direction": "properties.direction",
      "Microsoft.Network/networkSecurityGroups/securityRules/sourceAddressPrefix": "properties.sourceAddressPrefix",
      "Microsoft.Network/networkSecurityGroups/securityRules/sourceAddressPrefixes": "properties.sourceAddressPrefixes",
      "Microsoft.Network/networkSecurityGroups/securityRules/sourceAddressPrefixes[*]": "properties.sourceAddressPrefixes[*]",
      "Microsoft.Network/networkSecurityGroups/securityRules/destinationPortRange": "properties.destinationPortRange",
      "Microsoft.Network/networkSecurityGroups/securityRules/destinationPortRanges": "properties.destinationPortRanges",
      "Microsoft.Network/networkSecurityGroups/securityRules/destinationPortRanges[*]": "properties.destinationPortRanges[*]",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].access": "properties.securityRules[*].properties.access",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].direction": "properties.securityRules[*].properties.direction",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].sourceAddressPrefix": "properties.securityRules[*].properties.sourceAddressPrefix",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].sourceAddressPrefixes": "properties.securityRules[*].properties.sourceAddressPrefixes",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].sourceAddressPrefixes[*]": "properties.securityRules[*].properties.sourceAddressPrefixes[*]",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange": "properties.securityRules[*].properties.destinationPortRange",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRanges": "properties.securityRules[*].properties.destinationPortRanges",
      "Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRanges[*]": "properties.securityRules[*].properties.destinationPortRanges[*]",
    });
  });

  test("a field a shape does not bind has no alias", () => {
    const shape = TARGETS.find((t) => t.id === "aks")!.shapes.find((s) => s.arm)!;
    expect(() => armAlias(shape, "noSuchField")).toThrow(`no ARM binding for field 'noSuchField' on shape '${shape.id}'`);
  });
});

describe("Azure Policy mode", () => {
  // Indexed evaluates only types that support tags and location; a security rule (a child resource) has neither.
  test.each([
    ["aks", "Indexed"],
    ["acr", "Indexed"],
    ["nsg", "All"],
  ])("a %s definition is %s", (target, mode) => {
    expect(azurePolicyMode(findTarget(target)!)).toBe(mode);
  });
  test.each([
    ["Microsoft.Network/networkSecurityGroups/securityRules", false],
    ["microsoft.network/networksecuritygroups/securityrules", false],
    ["Microsoft.Network/networkSecurityGroups", true],
    ["Microsoft.ContainerService/managedClusters", true],
    ["Microsoft.Unknown/things", true],
  ])("%s supports tags and location: %s", (type, supported) => {
    expect(supportsTagsAndLocation(type)).toBe(supported);
  });
});
