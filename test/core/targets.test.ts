/**
 * Every property path and provider-documented default in core/targets is checked against the
 * installed provider packages' type definitions, so a provider upgrade that renames a property fails here.
 */
import * as fs from "fs";
import * as path from "path";
import {
  armAlias,
  armAliasPaths,
  azurePolicyMode,
  clusterNames,
  isTargetId,
  propertyText,
  pulumiTypePattern,
  referenceProblems,
  shapeOfType,
  shapesOfType,
  spelledFor,
  spelledForAll,
  supportsTagsAndLocation,
  targetById,
  terraformShape,
  TARGETS,
  type FieldBinding,
  type PulumiTokens,
  type Shape,
} from "../../core/targets";
import { OPERATOR_NAMES } from "../../core/operators";
import { REPO } from "../helpers/paths";

const NODE_MODULES = path.join(REPO, "node_modules", "@pulumi");

/** The balanced `{…}` block that opens at or after `from` in `text`. */
function block(text: string, from: number, what: string): string {
  let depth = 0;
  for (let i = text.indexOf("{", from); i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error(`unbalanced ${what}`);
}

/** The body of `interface <name> {…}` in a .d.ts file, inside `export declare namespace <namespace>` when given. */
function interfaceBody(file: string, name: string, namespace?: string): string {
  let text = fs.readFileSync(path.join(NODE_MODULES, file), "utf8");
  if (namespace !== undefined) {
    const at = text.search(new RegExp(`export declare namespace ${namespace} \\{`));
    if (at < 0) throw new Error(`namespace ${namespace} not found in ${file}`);
    text = block(text, at, `namespace ${namespace} in ${file}`);
  }
  const start = text.search(new RegExp(`interface ${name} \\{`));
  if (start < 0) throw new Error(`interface ${name} not found in ${file}`);
  return block(text, start, `interface ${name} in ${file}`);
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
      if (binding.legacy && owner) expect(propertyDeclaration(interfaceBody(owner.file, owner.name, owner.namespace), binding.path[binding.path.length - 1])).toBeUndefined();
    });
  }

  test.each(declared)("field %s: every path segment is a declared property", (field, binding) => {
    binding.path.forEach((segment, i) => {
      const owner = interfaces[binding.path.slice(0, i).join(".")];
      expect(owner).toBeDefined();
      expect(propertyDeclaration(interfaceBody(owner.file, owner.name, owner.namespace), segment)).toBeDefined();
    });
    // An element's nested segments are declared by `<field>[].<segments before>` (`nodePools[].securityProfile`).
    for (const element of Object.values(binding.elements ?? {})) {
      const segments = element.aliasPath ?? element.path;
      segments.forEach((segment, i) => {
        const owner = interfaces[[`${field}[]`, ...segments.slice(0, i)].join(".")];
        expect([segment, owner]).toEqual([segment, expect.anything()]);
        expect([segment, propertyDeclaration(interfaceBody(owner.file, owner.name, owner.namespace), segment) !== undefined]).toEqual([segment, true]);
      });
    }
  });

  const quotedDefaults = Object.entries(shape.fields).filter(([, b]) => b.defaultSource.startsWith("@pulumi/") && b.defaultSource.includes('"'));
  if (quotedDefaults.length === 0) return;
  test.each(quotedDefaults)("field %s: the quoted provider documentation of its default is real", (_field, binding) => {
    const quoted = binding.defaultSource.slice(binding.defaultSource.indexOf('"') + 1, binding.defaultSource.lastIndexOf('"'));
    const leaf = binding.path[binding.path.length - 1];
    const owner = interfaces[binding.path.slice(0, -1).join(".")];
    expect(propertyDeclaration(interfaceBody(owner.file, owner.name, owner.namespace), leaf)).toContain(quoted);
  });
});

describe("the rule schema agrees with the code", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, "catalog", "rule.schema.json"), "utf8"));
  test("condition operators are exactly the operator registry", () => {
    const keys = Object.keys(schema.definitions.condition.properties).filter((k) => !["allOf", "anyOf", "not", "anyElement", "noneRelated", "field", "param"].includes(k));
    expect(keys.sort()).toEqual([...OPERATOR_NAMES].sort());
  });
  test("targets are exactly the target registry, in its order, and every place a rule names a target refers to that one list", () => {
    expect(schema.definitions.targetId.enum).toEqual(TARGETS.map((t) => t.id));
    const refs: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "target") refs.push(`${at}/target -> ${JSON.stringify(v)}`);
          walk(v, `${at}/${k}`);
        }
      }
    };
    walk(schema, "#");
    expect(refs).toEqual([
      `#/properties/target -> ${JSON.stringify({ $ref: "#/definitions/targetId", description: "The resource kind the rule judges." })}`,
      `#/properties/stack/properties/trigger/properties/target -> ${JSON.stringify({ $ref: "#/definitions/targetId" })}`,
      `#/definitions/condition/properties/noneRelated/properties/target -> ${JSON.stringify({ $ref: "#/definitions/targetId" })}`,
    ]);
  });
});

describe("target registry", () => {
  test("looks targets up by id; an id is only one of its own keys", () => {
    for (const t of TARGETS) expect(targetById(t.id)).toBe(t);
    expect(TARGETS.map((t) => isTargetId(t.id))).toEqual(TARGETS.map(() => true));
    expect(["gke", "AKS", "", "toString", "__proto__", "hasOwnProperty"].map(isTargetId)).toEqual([false, false, false, false, false, false]);
  });

  test("target ids and shape ids are unique", () => {
    expect(new Set(TARGETS.map((t) => t.id)).size).toBe(TARGETS.length);
    for (const t of TARGETS) expect([t.id, new Set(t.shapes.map((s) => s.id)).size]).toEqual([t.id, t.shapes.length]);
  });

  test("every target binds every logical field on every shape", () => {
    for (const t of TARGETS) for (const s of t.shapes) expect([t.id, s.id, Object.keys(s.fields).sort()]).toEqual([t.id, s.id, Object.keys(t.fields).sort()]);
  });

  test("the clusters the pack names are the targets that are Kubernetes clusters", () => {
    expect(clusterNames()).toEqual(["AKS", "EKS"]);
  });

  test("a shape is found by any spelling of its type, for every target that judges the type and only those", () => {
    for (const t of TARGETS) {
      for (const s of t.shapes) {
        const types = s.pulumi ? [s.pulumi.full, s.pulumi.short, s.pulumi.versioned].filter((x): x is string => x !== undefined) : [s.arm!.resourceType];
        for (const type of [...types, ...types.map((x) => x.toUpperCase())]) {
          const found = shapesOfType(type).map((m) => `${m.target.id}/${m.shape.id}`);
          expect([type, found]).toEqual([type, expect.arrayContaining([`${t.id}/${s.id}`])]);
          // Each target at most once; the first is the one shapeOfType gives.
          expect([type, new Set(shapesOfType(type).map((m) => m.target.id)).size]).toEqual([type, found.length]);
          expect(shapeOfType(type)?.shape.id).toBe(shapesOfType(type)[0].shape.id);
        }
      }
    }
    // A managed cluster: the cluster's own settings and its inline node pools, in registry order.
    expect(shapesOfType("Microsoft.ContainerService/managedClusters").map((m) => m.target.id)).toEqual(["aks", "aksNodePool"]);
    expect(shapesOfType("azure:containerservice/kubernetesCluster:KubernetesCluster").map((m) => m.target.id)).toEqual(["aks", "aksNodePool"]);
    expect(shapesOfType("azure-native:containerservice:AgentPool").map((m) => m.target.id)).toEqual(["aksNodePool"]);
    expect(shapesOfType("azure-native:containerservice:FleetMember")).toEqual([]);
    expect(shapeOfType("Microsoft.ContainerService/managedClusters/maintenanceConfigurations")).toBeUndefined();
  });
});

describe("Pulumi type tokens", () => {
  test.each([
    // [tokens, pattern, matches, does not match]
    [{ full: "aws:eks/cluster:Cluster" }, "^aws:eks/cluster:cluster$", ["aws:eks/cluster:Cluster", "AWS:EKS/CLUSTER:CLUSTER"], ["aws:eks:Cluster", "aws:eks/cluster:ClusterX", "xaws:eks/cluster:Cluster"]],
    [{ full: "aws:eks/cluster:Cluster", short: "aws:eks:Cluster" }, "^aws:eks(/cluster)?:cluster$", ["aws:eks/cluster:Cluster", "aws:eks:Cluster"], ["aws:eks/v20240801:Cluster", "aws:eks/clusters:Cluster", "aws:eks/:Cluster"]],
    [
      { full: "azure-native:containerservice:ManagedCluster", versioned: "azure-native:containerservice/v20240801:ManagedCluster" },
      "^azure-native:containerservice(/v[0-9a-z]+)?:managedcluster$",
      ["azure-native:containerservice:ManagedCluster", "azure-native:containerservice/v20240801:ManagedCluster", "azure-native:containerservice/v20230102preview:ManagedCluster"],
      ["azure-native:containerservice/managedCluster:ManagedCluster", "azure-native:containerservice/v:ManagedCluster", "azure-native:containerservice/V-1:ManagedCluster"],
    ],
    [{ full: "aws-native:eks:Cluster" }, "^aws-native:eks:cluster$", ["aws-native:eks:Cluster"], ["aws-native:eks/cluster:Cluster", "aws-nativeXeks:Cluster"]],
    [{ full: "pkg:mod/thing:Thing", short: "pkg:mod:Thing", versioned: "pkg:mod/v1:Thing" }, "^pkg:mod(/thing|/v[0-9a-z]+)?:thing$", ["pkg:mod:Thing", "pkg:mod/thing:Thing", "pkg:mod/v1:Thing"], ["pkg:mod/other:Thing"]],
    [{ full: "pkg:mod/thing:Thing", versioned: "pkg:mod/v1:Thing" }, "^pkg:mod(/thing|/v[0-9a-z]+):thing$", ["pkg:mod/thing:Thing", "pkg:mod/v1:Thing"], ["pkg:mod:Thing"]],
    [{ full: "a.b:c.d:E" }, "^a\\.b:c\\.d:e$", ["a.b:c.d:E"], ["aXb:c.d:E"]],
  ] as [PulumiTokens, string, string[], string[]][])("%j gives %s", (tokens, pattern, matching, other) => {
    expect(pulumiTypePattern(tokens)).toBe(pattern);
    const re = new RegExp(pattern, "i");
    expect(matching.filter((t) => !re.test(t))).toEqual([]);
    expect(other.filter((t) => re.test(t))).toEqual([]);
  });

  test.each(["aks", "pkg:Type", "pkg:mod/a/b:Type", "pkg::Type", "pkg:mod:Type:extra"])("%s is not a type token", (full) => {
    expect(() => pulumiTypePattern({ full })).toThrow(`'${full}' is not a Pulumi type token <package>:<module>[/<member>]:<Type>`);
  });

  const pulumiShapes = TARGETS.flatMap((t) => t.shapes.filter((s) => s.pulumi).map((s) => [`${t.id}/${s.id}`, s] as [string, Shape]));

  /**
   * Pulumi YAML resolves `pkg:mod:Type` to `pkg:mod/<camelCase Type>:Type` ("Token Resolution",
   * https://github.com/pulumi/pulumi-yaml/blob/main/pkg/pulumiyaml/README.md, step 4): a token whose
   * member is its type in camelCase has that short spelling, and the shape must match it.
   */
  test.each(pulumiShapes)("%s: its short token is the one Pulumi YAML resolves to the full one, and given wherever there is one", (_key, shape) => {
    const [, pkg, mod, member, type] = /^([^:/]+):([^:/]+)(?:\/([^:/]+))?:([^:/]+)$/.exec(shape.pulumi!.full)!;
    const camel = type.charAt(0).toLowerCase() + type.slice(1);
    expect(shape.pulumi!.short).toBe(member === camel ? `${pkg}:${mod}:${type}` : undefined);
  });

  test.each(pulumiShapes)("%s: its tokens are the installed provider's (the versioned one among the resource's aliases)", (_key, shape) => {
    const resource = Object.values(shape.declaredBy ?? {}).find((d) => !d.file.includes("/types/"));
    if (!resource) {
      // A provider package that is not installed (aws-native): its shape cites the cloud's documentation.
      expect(shape.declaredBy).toBeUndefined();
      return;
    }
    const js = fs.readFileSync(path.join(NODE_MODULES, resource.file.replace(/\.d\.ts$/, ".js")), "utf8");
    expect(js).toContain(`__pulumiType = '${shape.pulumi!.full}'`);
    if (shape.pulumi!.versioned) expect(js).toContain(`"${shape.pulumi!.versioned}"`);
  });

  test.each(pulumiShapes)("%s: its addressing inputs are declared by the resource's arguments, and only azure-native has them", (_key, shape) => {
    if (shape.provider !== "azure-native") return expect(shape.addressing).toBeUndefined();
    const resource = Object.values(shape.declaredBy ?? {}).find((d) => !d.file.includes("/types/"))!;
    const body = interfaceBody(resource.file, resource.name);
    expect(shape.addressing?.length).toBeGreaterThan(0);
    for (const input of shape.addressing ?? []) expect([input, propertyDeclaration(body, input) !== undefined]).toEqual([input, true]);
  });
});

describe("Terraform mappings", () => {
  const mapped = TARGETS.flatMap((t) => t.shapes.filter((s) => s.terraform).map((s) => [`${t.id}/${s.id}`, s] as [string, Shape]));
  const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const fieldPaths = (shape: Shape) => Object.values(shape.fields).map((b) => b.path.join("."));

  test("the bridged providers map their Terraform types, each once", () => {
    expect(mapped.map(([key, s]) => `${key} <- ${s.terraform!.type}`)).toEqual([
      "aks/azure-classic <- azurerm_kubernetes_cluster",
      "eks/aws <- aws_eks_cluster",
      "acr/azure-classic <- azurerm_container_registry",
      "nsg/azure-classic-group <- azurerm_network_security_group",
      "nsg/azure-classic-rule <- azurerm_network_security_rule",
    ]);
    for (const [, shape] of mapped) expect(terraformShape(shape.terraform!.type)?.pulumi.full).toBe(shape.pulumi!.full);
    expect(terraformShape("azurerm_kubernetes_cluster_node_pool")).toBeUndefined();
  });

  test.each(mapped)("%s: a bridged provider's shape, whose single-item blocks are declared objects and whose older spellings land on fields", (_key, shape) => {
    const t = shape.terraform!;
    // Pulumi's classic providers are bridged from Terraform's; azure-native and aws-native are not.
    expect(["azure", "aws"]).toContain(shape.provider);
    for (const block of t.singleBlocks) expect(Object.keys(shape.declaredBy ?? {})).toContain(camel(block));
    // A repeated block is an array input of the shape, declared element by element under its plural name.
    for (const [block, input] of Object.entries(t.repeatedBlocks ?? {})) {
      expect([block, Object.keys(shape.declaredBy ?? {}).includes(`${input}[]`)]).toEqual([block, true]);
      expect([block, input.startsWith(camel(block))]).toEqual([block, true]);
    }
    for (const [old, current] of Object.entries({ ...t.renamed, ...t.mergedInto })) {
      expect([old, fieldPaths(shape).includes(current)]).toEqual([old, true]);
      expect([old, old === current]).toEqual([old, false]);
    }
    // A merged list's older spelling is itself a (legacy) field of the shape.
    for (const old of Object.keys(t.mergedInto ?? {})) expect(fieldPaths(shape)).toContain(old);
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
          // Tags are Azure Policy's built-in field, not an alias of the resource type.
          if (binding.policyField) {
            expect([alias, paths[alias]]).toEqual([binding.policyField, undefined]);
            continue;
          }
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
    const shape = targetById("aks").shapes.find((s) => s.arm)!;
    expect(() => armAlias(shape, "noSuchField")).toThrow(`no ARM binding for field 'noSuchField' on shape '${shape.id}'`);
  });
});

describe("Azure Policy mode", () => {
  // Indexed evaluates only types that support tags and location; a security rule (a child resource) has neither.
  test.each([
    ["aks", "Indexed"],
    ["acr", "Indexed"],
    ["nsg", "All"],
    ["aksNodePool", "All"],
    ["fleet", "Indexed"],
    ["nic", "Indexed"],
  ] as const)("a %s definition is %s", (target, mode) => {
    expect(azurePolicyMode(targetById(target))).toBe(mode);
  });
  test.each([
    ["Microsoft.Network/networkSecurityGroups/securityRules", false],
    ["microsoft.network/networksecuritygroups/securityrules", false],
    ["Microsoft.Network/networkSecurityGroups", true],
    ["Microsoft.ContainerService/managedClusters/agentPools", false],
    ["Microsoft.ContainerService/fleets", true],
    ["Microsoft.ContainerService/managedClusters", true],
    ["Microsoft.Unknown/things", true],
  ])("%s supports tags and location: %s", (type, supported) => {
    expect(supportsTagsAndLocation(type)).toBe(supported);
  });
});

describe("properties named in a rule's prose are spelled as each provider spells them", () => {
  const aks = targetById("aks");
  const shape = (id: string) => aks.shapes.find((s) => s.id === id)!;

  test.each([
    ["arm", "{{authorizedIpRanges}}", "`apiServerAccessProfile.authorizedIPRanges`"],
    ["azure-classic", "{{authorizedIpRanges}}", "`apiServerAccessProfile.authorizedIpRanges`"],
    // An inverted boolean is stored the other way round.
    ["arm", "{{runCommandDisabled=true}}", "`apiServerAccessProfile.disableRunCommand: true`"],
    ["azure-classic", "{{runCommandDisabled=true}}", "`runCommandEnabled: false`"],
    ["azure-classic", "{{runCommandDisabled = false}}", "`runCommandEnabled: true`"],
    // A block whose presence is the setting.
    ["azure-classic", "{{entraIdManaged=true}}", "`azureActiveDirectoryRoleBasedAccessControl: {…}`"],
    ["azure-classic", "{{entraIdManaged=false}}", "no `azureActiveDirectoryRoleBasedAccessControl`"],
    // A string value is written bare, a value map stores the key of the logical value.
    ["arm", "{{privateDnsZone=system}}", "`apiServerAccessProfile.privateDNSZone: system`"],
    ["azure-classic", '{{privateDnsZone="system"}}', "`privateDnsZoneId: system`"],
    ["azure-classic", "{{skuName=false}}", "`skuTier: automatic`"],
  ])("%s: %s", (id, text, spelled) => {
    expect(spelledFor(`Set ${text}.`, shape(id))).toBe(`Set ${spelled}.`);
  });

  test("a field the shape cannot express is left as written", () => {
    const noPath = { ...shape("arm"), fields: { ...shape("arm").fields, privateCluster: { path: [], default: false, defaultSource: "x" } } };
    expect(propertyText(noPath, "privateCluster")).toBeUndefined();
    expect(spelledFor("{{privateCluster=true}}", noPath)).toBe("{{privateCluster=true}}");
    expect(propertyText(shape("arm"), "nope")).toBeUndefined();
  });

  test("for every reader: ARM's spelling, then each other provider's where it differs, once each", () => {
    expect(spelledForAll("Set {{runCommandDisabled=true}} now", aks)).toBe("Set `apiServerAccessProfile.disableRunCommand: true` (classic azure provider: `runCommandEnabled: false`) now");
    // azure-native spells it as ARM does: not repeated.
    expect(spelledForAll("{{privateCluster}}", aks)).toBe("`apiServerAccessProfile.enablePrivateCluster` (classic azure provider: `privateClusterEnabled`)");
    // A target without an ARM shape starts from its first shape.
    expect(spelledForAll("{{publicAccessCidrs}}", targetById("eks"))).toBe("`vpcConfig.publicAccessCidrs` (aws-native: `resourcesVpcConfig.publicAccessCidrs`)");
    expect(spelledForAll("no reference", aks)).toBe("no reference");
  });

  test("a reference to no field of the target, or with a value the field cannot take, is a problem", () => {
    expect(referenceProblems("{{privateCluster=true}} {{authorizedIpRanges}} {{privateDnsZone=none}}", aks)).toEqual([]);
    expect(referenceProblems("{{nope}}", aks)).toEqual([expect.stringContaining("'{{nope}}' names no logical field of target 'aks' (expected one of: privateCluster,")]);
    expect(referenceProblems("{{privateCluster=yes}}", aks)).toEqual(["'{{privateCluster=yes}}': privateCluster is a boolean field, so its value must be a boolean"]);
    expect(referenceProblems("{{privateDnsZone=true}}", aks)).toEqual(["'{{privateDnsZone=true}}': privateDnsZone is a string field, so its value must be a string"]);
    expect(referenceProblems("{{authorizedIpRanges=[]}}", aks)).toEqual(["'{{authorizedIpRanges=[]}}': authorizedIpRanges is a stringArray field, so its value must be left out"]);
  });
});
