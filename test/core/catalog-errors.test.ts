/** A malformed catalog stops with file:line:column and what was expected; nothing is generated. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { byteOrder, CatalogErrors, displayPath, loadCatalog, MAX_CATALOG_FILE_BYTES } from "../../core/catalog/load";
import { main } from "../../cli";
import { OPERATOR_NAMES } from "../../core/operators";
import { FIXTURE_EXAMPLES, FIXTURE_RULE, removeFixtureCatalogs, writeFixtureCatalog } from "../helpers/fixture-catalog";
import { CATALOG } from "../helpers/paths";
import { targetById } from "../../core/targets";
import { hashTree } from "../helpers/hash-tree";

afterAll(removeFixtureCatalogs);

function errorsOf(root: string): string[] {
  try {
    loadCatalog(root);
  } catch (e) {
    if (e instanceof CatalogErrors) return e.errors.map((x) => `${path.relative(root, path.resolve(x.at.file))}:${x.at.line}:${x.at.column}: ${x.detail}`);
    throw e;
  }
  throw new Error("the catalog loaded without errors");
}

/** line:column of the first occurrence of `needle` (1-based). */
function at(text: string, needle: string): string {
  if (!text.includes(needle)) throw new Error(`no ${needle} in ${text}`);
  const before = text.slice(0, text.indexOf(needle)).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** The fields of `aks` a stack relation can compare: its strings and booleans, whichever fields the target has. */
const AKS_SCALARS = Object.entries(targetById("aks").fields)
  .filter(([, f]) => f.type === "string" || f.type === "boolean")
  .map(([name]) => name)
  .join(", ");

const replace = (from: string, to: string) => {
  if (!FIXTURE_RULE.includes(from)) throw new Error(`fixture lacks ${from}`);
  return FIXTURE_RULE.replace(from, to);
};

test("the fixture catalog itself is valid", () => {
  expect(loadCatalog(writeFixtureCatalog()).rules.map((r) => r.id)).toEqual(["demo-rule"]);
});

describe.each([
  ["YAML syntax error", replace("title: Private", "title: [Private"), /^demo-rule\/rule.yaml:\d+:\d+: invalid YAML: /],
  ["duplicate key", replace("severity: medium", "severity: medium\nseverity: high"), /^demo-rule\/rule.yaml:12:1: invalid YAML: Map keys must be unique/],
  ["value outside an enum", replace("severity: medium", "severity: extreme"), /^demo-rule\/rule.yaml:11:11: 'severity' must be one of: low, medium, high, critical \(got "extreme"\)$/],
  ["missing required key", replace("remediation: Set enablePrivateClusterPublicFQDN to false.\n", ""), /^demo-rule\/rule.yaml:2:1: missing required key 'remediation'$/],
  ["unknown top-level key", replace("category: Kubernetes", "category: Kubernetes\ncatgory: typo"), /^demo-rule\/rule.yaml:13:1: unknown key 'catgory' \(expected one of: id, version, /],
  ["unknown operator", replace("      equals: true\n    - allOf", "      equal: true\n    - allOf"), new RegExp(`^demo-rule/rule.yaml:27:7: unknown operator 'equal' \\(expected one of: ${OPERATOR_NAMES.join(", ")}; `)],
  ["unknown logical field", replace("field: privateCluster", "field: privateClustr"), /^demo-rule\/rule.yaml:22:10: unknown logical field 'privateClustr' for target 'aks' \(expected one of: privateCluster, publicFqdn, /],
  ["two operators", replace("      equals: true\n    - allOf", "      equals: true\n      notEquals: false\n    - allOf"), /^demo-rule\/rule.yaml:26:7: a comparison needs exactly one operator .* found equals, notEquals$/],
  [
    "operator on the wrong field type",
    replace("      equals: true\n    - allOf", "      isEmpty: true\n    - allOf"),
    /^demo-rule\/rule.yaml:27:7: operator 'isEmpty' does not apply to boolean field 'publicFqdn' \(it applies to: stringArray\)$/,
  ],
  ["undeclared parameter", replace("- param: strict", "- param: strictt"), /^demo-rule\/rule.yaml:29:18: parameter 'strictt' is not declared under 'parameters' \(declared: strict\)$/],
  ["unused parameter", replace("        - param: strict\n          equals: true\n", ""), /^demo-rule\/rule.yaml:17:3: parameter 'strict' is declared but no condition uses it$/],
  ["parameter default of the wrong type", replace("default: true", "default: 3"), /^demo-rule\/rule.yaml:19:14: default of parameter 'strict' must be of type boolean \(got 3\)$/],
  ["a fix on a field that is not boolean", replace("failsWhen:", "fix:\n  field: privateDnsZone\n  set: true\nfailsWhen:"), /^demo-rule\/rule.yaml:25:10: a fix can only set a boolean field; 'privateDnsZone' is string$/],
  ["id differs from the folder", replace("id: demo-rule", "id: other-rule"), /^demo-rule\/rule.yaml:2:5: rule id 'other-rule' must equal its folder name 'demo-rule'$/],
  [
    "a prefix length out of range",
    replace("      equals: true\n    - allOf", "    - field: authorizedIpRanges\n      anyBroaderThan: 33\n    - allOf"),
    /^demo-rule\/rule.yaml:28:23: 'failsWhen.anyOf.1.anyBroaderThan' must be an integer from 0 to 32, or a parameter reference \{param: <name>\} \(got 33\)$/,
  ],
  [
    "an empty suffix list",
    replace("      equals: true\n    - allOf", "    - field: privateDnsZone\n      notPrivateLinkZoneId: []\n    - allOf"),
    /^demo-rule\/rule.yaml:28:29: 'failsWhen.anyOf.1.notPrivateLinkZoneId' must be a non-empty list of strings, or a parameter reference \{param: <name>\} \(got \[\]\)$/,
  ],
  ["a parameter default that is an object", replace("default: true", "default: {on: true}"), /^demo-rule\/rule.yaml:19:14: 'parameters.strict.default' must be a boolean, integer or string, or a list of strings \(got \{"on":true\}\)$/],
  ["an id that is not kebab-case", replace("id: demo-rule", "id: Demo_Rule"), /^demo-rule\/rule.yaml:2:5: 'id' "Demo_Rule" does not match \^\[a-z\]/],
  ["a list where one value belongs", replace("backends: [crossguard, azure-policy]", "backends: crossguard"), /^demo-rule\/rule.yaml:15:11: 'backends' must be array$/],
  [
    "a fix on an unknown field",
    replace("failsWhen:", "fix:\n  field: privateClustr\n  set: true\nfailsWhen:"),
    /^demo-rule\/rule.yaml:25:10: unknown logical field 'privateClustr' for target 'aks' \(expected one of: privateCluster, publicFqdn, /,
  ],
  [
    "an integer default above its maximum",
    replace("parameters:\n", "parameters:\n  size:\n    type: integer\n    description: A size.\n    default: 40\n    minimum: 0\n    maximum: 32\n"),
    /^demo-rule\/rule.yaml:20:14: default of parameter 'size' is outside \[0, 32\]$/,
  ],
  [
    "an integer default above a maximum alone",
    replace("parameters:\n", "parameters:\n  size:\n    type: integer\n    description: A size.\n    default: 40\n    maximum: 32\n"),
    /^demo-rule\/rule.yaml:20:14: default of parameter 'size' is outside \[-∞, 32\]$/,
  ],
  [
    "an integer default below a minimum alone",
    replace("parameters:\n", "parameters:\n  size:\n    type: integer\n    description: A size.\n    default: -1\n    minimum: 0\n"),
    /^demo-rule\/rule.yaml:20:14: default of parameter 'size' is outside \[0, ∞\]$/,
  ],
  [
    "a fractional default for an integer",
    replace("parameters:\n", "parameters:\n  size:\n    type: integer\n    description: A size.\n    default: 1.5\n"),
    /^demo-rule\/rule.yaml:20:14: 'parameters.size.default' must be a boolean, integer or string, or a list of strings \(got 1.5\)$/,
  ],
  ["a comparison beside allOf", replace("failsWhen:\n  anyOf:", "failsWhen:\n  field: publicFqdn\n  anyOf:"), /^demo-rule\/rule.yaml:25:3: a condition is either one of allOf\/anyOf\/not or a comparison; found keys: field, anyOf$/],
  ["a comparison on a field and a parameter at once", replace("when:\n  field: privateCluster", "when:\n  param: strict\n  field: privateCluster"), /^demo-rule\/rule.yaml:22:3: a comparison has either `field` or `param`, not both$/],
  ["a comparison on neither", replace("when:\n  field: privateCluster\n", "when:\n"), /^demo-rule\/rule.yaml:22:3: a comparison needs `field` \(a logical field\) or `param` \(a rule parameter\)$/],
  [
    "an undeclared parameter as an operand, listing the declared ones",
    replace("    - allOf", "    - field: authorizedIpRanges\n      anyBroaderThan: {param: strictt}\n    - allOf").replace("parameters:\n", "parameters:\n  loose:\n    type: boolean\n    default: false\n    description: x\n"),
    /^demo-rule\/rule.yaml:33:31: parameter 'strictt' is not declared under 'parameters' \(declared: loose, strict\)$/,
  ],
  [
    "a parameter reference in a rule without parameters",
    replace("parameters:\n  strict:\n    type: boolean\n    default: true\n    description: Also fail when the FQDN setting is absent.\n", ""),
    /^demo-rule\/rule.yaml:24:18: parameter 'strict' is not declared under 'parameters' \(declared: none\)$/,
  ],
  [
    "Azure backend for a target without an ARM type",
    replace("target: aks", "target: eks")
      .replace("privateCluster", "endpointPrivateAccess")
      .replace(/publicFqdn/g, "endpointPublicAccess"),
    /^demo-rule\/rule.yaml:15:24: target 'eks' has no ARM resource type/,
  ],
])("%s", (_name, rule, expected) => {
  test("is reported with file, line and column", () => {
    const errors = errorsOf(writeFixtureCatalog({ rule }));
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

test("a duplicate id names both files", () => {
  const root = writeFixtureCatalog({ extraRules: { "demo-rule-copy": FIXTURE_RULE } });
  expect(errorsOf(root)).toContain(`demo-rule-copy/rule.yaml:2:5: duplicate rule id 'demo-rule' (also declared in ${path.join(root, "demo-rule/rule.yaml")})`);
});

test("an example whose verdict disagrees with its folder is refused", () => {
  const root = writeFixtureCatalog({
    examples: { "pass/wrong.yaml": "description: Actually fails.\nresource:\n  type: azure-native:containerservice:ManagedCluster\n  name: aks\n  props:\n    apiServerAccessProfile:\n      enablePrivateCluster: true\n" },
  });
  expect(errorsOf(root)).toEqual(["demo-rule/examples/pass/wrong.yaml:3:3: example expects 'pass' but the rule says 'fail': fix the example or the rule's conditions"]);
});

test("too few examples are refused", () => {
  const root = writeFixtureCatalog({ examples: { "fail/fqdn-on.yaml": null } });
  expect(errorsOf(root)).toEqual(["demo-rule/rule.yaml:2:5: rule 'demo-rule' needs at least 3 examples in examples/fail/ and 2 in examples/pass/ (found 2 and 2)"]);
});

test("a malformed example is reported at its position", () => {
  const root = writeFixtureCatalog({ examples: { "fail/bad.yaml": "description: x\nresource:\n  type: azure-native:containerservice:ManagedCluster\n  name: aks\n  prop: {}\n" } });
  expect(errorsOf(root)).toEqual(["demo-rule/examples/fail/bad.yaml:3:3: a resource has either `props` (Pulumi inputs) or `properties` (ARM), not both and not neither"]);
});

test("generate with a broken catalog exits 2 and leaves every output untouched", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-out-"));
  try {
    fs.writeFileSync(path.join(out, "README.md"), "# x\n<!-- apiguard:rule-table:start (generated by `npm run generate`; do not edit by hand) -->\n<!-- apiguard:rule-table:end -->\n");
    const good = writeFixtureCatalog();
    const io = { out: jest.fn(), err: jest.fn() };
    expect(await main(["node", "apiguard", "generate", "--catalog", good, "--out", out], io)).toBe(0);
    const before = hashTree(out);

    const broken = writeFixtureCatalog({ rule: replace("severity: medium", "severity: extreme") });
    expect(await main(["node", "apiguard", "generate", "--catalog", broken, "--out", out], io)).toBe(2);
    expect(hashTree(out)).toBe(before);
    expect(io.err.mock.calls.flat().join("\n")).toMatch(/the catalog has 1 error; nothing was written:\n.*rule.yaml:11:11: 'severity' must be one of/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

describe("problems with the catalog's files, not its rules", () => {
  /** Errors with the file as the loader shows it: relative to the working directory when below it. */
  function loaderErrors(load: () => unknown): string[] {
    try {
      load();
    } catch (e) {
      if (e instanceof CatalogErrors) return e.errors.map((x) => `${x.at.file}:${x.at.line}:${x.at.column}: ${x.detail}`);
      throw e;
    }
    throw new Error("the catalog loaded without errors");
  }
  const shown = (file: string) => displayPath(file);

  test("bytes that are not UTF-8 are located at the first bad byte", () => {
    const root = writeFixtureCatalog();
    const file = path.join(root, "demo-rule/rule.yaml");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("id: demo-rule\ntitle: Priv"), Buffer.from([0xff]), Buffer.from("ate\n")]));
    expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(file)}:2:12: the file is not valid UTF-8`]);
  });

  test("a bad first byte is at 1:1", () => {
    const root = writeFixtureCatalog();
    const file = path.join(root, "demo-rule/rule.yaml");
    fs.writeFileSync(file, Buffer.from([0xc3, 0x28, 0x0a]));
    expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(file)}:1:1: the file is not valid UTF-8`]);
  });

  test("a file over the size limit is refused before it is parsed", () => {
    const root = writeFixtureCatalog();
    const file = path.join(root, "demo-rule/rule.yaml");
    fs.writeFileSync(file, Buffer.alloc(MAX_CATALOG_FILE_BYTES + 1, "#"));
    expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(file)}:1:1: ${MAX_CATALOG_FILE_BYTES + 1} bytes is larger than the 1048576-byte limit for a catalog file`]);
  });

  test("a file at the size limit is read", () => {
    const root = writeFixtureCatalog();
    const file = path.join(root, "demo-rule/rule.yaml");
    const rule = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, rule + "#".repeat(MAX_CATALOG_FILE_BYTES - Buffer.byteLength(rule)));
    expect(loadCatalog(root).rules.map((r) => r.id)).toEqual(["demo-rule"]);
  });

  test("a missing catalog folder, or a file in its place", () => {
    const missing = path.join(os.tmpdir(), "apiguard-no-such-catalog");
    expect(loaderErrors(() => loadCatalog(missing))).toEqual([`${shown(missing)}:1:1: catalog folder not found`]);
    const file = path.join(writeFixtureCatalog(), "rule.schema.json");
    expect(loaderErrors(() => loadCatalog(file))).toEqual([`${shown(file)}:1:1: catalog folder not found`]);
  });

  test("the schema comes from the catalog folder, else from the fallback, else it is an error", () => {
    const root = writeFixtureCatalog();
    const schema = path.join(root, "rule.schema.json");
    // The folder's own schema wins over a fallback.
    expect(loadCatalog(root, { schemaFallback: path.join(root, "no-such-schema.json") }).rules).toHaveLength(1);
    const bundled = path.join(os.tmpdir(), `apiguard-schema-${process.pid}.json`);
    fs.renameSync(schema, bundled);
    try {
      expect(loadCatalog(root, { schemaFallback: bundled }).rules).toHaveLength(1);
      expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(schema)}:1:1: missing rule.schema.json: the catalog folder holds the rule schema beside the rules`]);
    } finally {
      fs.rmSync(bundled, { force: true });
    }
  });

  test("a catalog without rules is an error unless it only adjusts bundled ones", () => {
    const root = writeFixtureCatalog();
    fs.rmSync(path.join(root, "demo-rule"), { recursive: true });
    expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(root)}:1:1: the catalog holds no rules`]);
    expect(loadCatalog(root, { allowEmpty: true }).rules).toEqual([]);
  });

  test("a folder without a rule file", () => {
    const root = writeFixtureCatalog();
    fs.mkdirSync(path.join(root, "half-done"));
    expect(loaderErrors(() => loadCatalog(root))).toEqual([`${shown(path.join(root, "half-done"))}:1:1: missing rule.yaml: every catalog folder holds one rule`]);
  });

  test("rules load in byte order of their folders, whatever the locale", () => {
    const copy = (id: string) => FIXTURE_RULE.replace("id: demo-rule", `id: ${id}`);
    const root = writeFixtureCatalog({ extraRules: { "b-rule": copy("b-rule"), "a-rule-2": copy("a-rule-2"), "a-rule": copy("a-rule") } });
    expect(loadCatalog(root).rules.map((r) => r.id)).toEqual(["a-rule", "a-rule-2", "b-rule", "demo-rule"]);
    expect(["b", "a", "B", "_", "a"].sort(byteOrder)).toEqual(["B", "_", "a", "a", "b"]);
    expect([byteOrder("a", "b"), byteOrder("b", "a"), byteOrder("a", "a")]).toEqual([-1, 1, 0]);
  });
});

test("a stack rule cannot carry a fix", () => {
  const stackRule = fs.readFileSync(path.join(CATALOG, "private-cluster-registry-private-link", "rule.yaml"), "utf8").replace("id: private-cluster-registry-private-link", "id: demo-rule");
  const root = writeFixtureCatalog({ rule: stackRule.replace("failsWhen:", "fix:\n  field: publicNetworkAccess\n  set: false\nfailsWhen:") });
  expect(errorsOf(root)).toEqual([`demo-rule/rule.yaml:${stackRule.split("\n").findIndex((l) => l.startsWith("failsWhen:")) + 2}:3: stack rules cannot remediate: a fix applies to one resource as it is created`]);
});

describe("conditions the schema lets through and the loader refuses", () => {
  /** A bundled rule's text under the fixture's id, edited one way. */
  const bundled = (id: string, from: string, to: string) => {
    const text = fs.readFileSync(path.join(CATALOG, id, "rule.yaml"), "utf8").replace(`id: ${id}`, "id: demo-rule");
    if (!text.includes(from)) throw new Error(`${id} lacks ${from}`);
    return text.replace(from, to);
  };

  test.each([
    [
      "a comparison without an operator",
      replace("  field: privateCluster\n  equals: true\n", "  field: privateCluster\n"),
      "field: privateCluster",
      `a comparison needs exactly one operator (one of: ${OPERATOR_NAMES.join(", ")}); found none`,
    ],
    ["a boolean field compared with a string", replace("  field: privateCluster\n  equals: true", "  field: privateCluster\n  equals: yes"), "yes", "'privateCluster' is a boolean field: compare it with true or false"],
    ["a boolean field compared with a list holding a string", replace("  field: privateCluster\n  equals: true", "  field: privateCluster\n  in: [true, 'no']"), "[true", "'privateCluster' is a boolean field: compare it with true or false"],
    ["a parameter with an operator for fields", replace("- param: strict\n          equals: true", "- param: strict\n          isEmpty: true"), "isEmpty", "a parameter can only be compared with equals, notEquals, in, notIn"],
    [
      "anyElement over a field that is not a list of objects",
      replace("  field: privateCluster\n  equals: true", "  anyElement:\n    field: privateCluster\n    where: {field: access, equals: Allow}"),
      "privateCluster\n    where",
      "'privateCluster' is not an array-of-objects field of target 'aks' (expected one of: none)",
    ],
    [
      "an operator on a list field, naming every field type it applies to",
      replace("  field: privateCluster\n  equals: true", "  field: authorizedIpRanges\n  notEquals: x"),
      "notEquals",
      "operator 'notEquals' does not apply to stringArray field 'authorizedIpRanges' (it applies to: boolean, string)",
    ],
    [
      "an unknown field inside anyElement, naming the element's fields",
      bundled("jump-box-management-ports-closed", "field: direction", "field: directions"),
      "directions",
      "unknown logical field 'directions' for target 'nsg.securityRules[*]' (expected one of: access, direction, protocol, sourceAddressPrefix, sourceAddressPrefixes, destinationPortRange, destinationPortRanges)",
    ],
    [
      "anyElement over a misspelt list",
      bundled("jump-box-management-ports-closed", "field: securityRules", "field: securityRule"),
      "securityRule\n",
      "'securityRule' is not an array-of-objects field of target 'nsg' (expected one of: securityRules)",
    ],
    [
      "noneRelated outside a stack rule",
      bundled("private-dns-zone-linked", "stack:\n  trigger:\n    target: aks\n    condition:\n      field: privateCluster\n      equals: true\n", ""),
      "noneRelated",
      "noneRelated relates the resources of a stack: only a stack rule (with `stack:`) may use it",
    ],
    [
      "an unknown field under not",
      replace("when:\n  field: privateCluster\n  equals: true", "when:\n  not:\n    field: privateClustr\n    equals: false"),
      "privateClustr",
      `unknown logical field 'privateClustr' for target 'aks' (expected one of: ${Object.keys(targetById("aks").fields).join(", ")})`,
    ],
    ["noneRelated on an unknown field of the related target", bundled("private-dns-zone-linked", "field: zoneName", "field: zone"), "zone\n", "'zone' is not a scalar field of target 'dnsZoneLink' (expected one of: zoneName)"],
    ["noneRelated on an unknown field of its own target", bundled("private-dns-zone-linked", "equalsField: name", "equalsField: nam"), "nam\n", "'nam' is not a scalar field of target 'dnsZone' (expected one of: name)"],
    [
      "noneRelated on a list field, naming the strings and booleans it could use",
      bundled("private-dns-zone-linked", "target: dnsZoneLink\n    field: zoneName", "target: aks\n    field: authorizedIpRanges"),
      "authorizedIpRanges",
      `'authorizedIpRanges' is not a scalar field of target 'aks' (expected one of: ${AKS_SCALARS})`,
    ],
    [
      "noneRelated on a list of objects, on a target without scalar fields",
      bundled("private-dns-zone-linked", "target: dnsZoneLink\n    field: zoneName", "target: nsg\n    field: securityRules"),
      "securityRules",
      "'securityRules' is not a scalar field of target 'nsg' (expected one of: none)",
    ],
    [
      "a stack rule with an Azure Policy backend",
      bundled("private-dns-zone-linked", "backends: [crossguard]", "backends: [crossguard, azure-policy]"),
      "azure-policy]",
      "stack rules have no Azure Policy rendering (a definition judges one resource at a time)",
    ],
  ])("%s", (_name, rule, needle, message) => {
    expect(errorsOf(writeFixtureCatalog({ rule }))).toContain(`demo-rule/rule.yaml:${at(rule, needle)}: ${message}`);
  });
});

test("a boolean field compared with a list of booleans loads", () => {
  const rule = replace("  field: privateCluster\n  equals: true", "  field: privateCluster\n  in: [true]");
  expect(loadCatalog(writeFixtureCatalog({ rule })).rules.map((r) => r.when)).toEqual([expect.objectContaining({ operator: "in", operand: [true] })]);
});

test("a catalog's own schema cannot let an operator take what apiguard cannot render", () => {
  const root = writeFixtureCatalog({ rule: replace("  field: privateCluster\n  equals: true", "  field: privateCluster\n  equals: {param: strict}") });
  const schemaFile = path.join(root, "rule.schema.json");
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  schema.definitions.condition.properties.equals = { anyOf: [{ $ref: "#/definitions/scalar" }, { $ref: "#/definitions/paramRef" }] };
  fs.writeFileSync(schemaFile, JSON.stringify(schema));
  expect(errorsOf(root)).toEqual(["demo-rule/rule.yaml:23:11: operator 'equals' takes a literal, not a parameter reference"]);
});

test.each([
  ["an integer", "anyBroaderThan", "authorizedIpRanges", "operator 'anyBroaderThan' needs an integer parameter; 'strict' is boolean"],
  ["an array", "notPrivateLinkZoneId", "privateDnsZone", "operator 'notPrivateLinkZoneId' needs an array parameter; 'strict' is boolean"],
])("an operator that needs %s parameter refuses another type", (_kind, operator, field, message) => {
  const rule = replace("    - allOf", `    - field: ${field}\n      ${operator}: {param: strict}\n    - allOf`);
  // The error points at the parameter name: line 29, after `      <operator>: {param: `.
  expect(errorsOf(writeFixtureCatalog({ rule }))).toEqual([`demo-rule/rule.yaml:29:${operator.length + 17}: ${message}`]);
});

describe("example files", () => {
  const cluster = "  type: azure-native:containerservice:ManagedCluster\n  name: aks\n";
  const arm = "  type: Microsoft.ContainerService/managedClusters\n  name: aks\n";
  test.each([
    ["a list instead of a mapping", "- description: x\n", "- description", "an example is a mapping with `description` and `resource` (or `resources` for a stack rule)"],
    ["text instead of a mapping", "just a note\n", "just", "an example is a mapping with `description` and `resource` (or `resources` for a stack rule)"],
    ["an empty description", `description: " "\nresource:\n${cluster}  props: {}\n`, '" "', "an example needs a `description` saying what it shows"],
    ["expect in a failing example", `description: x\nexpect: not-applicable\nresource:\n${cluster}  props: {}\n`, "not-applicable", "`expect` may only say `not-applicable`, and only in examples/pass/ (the folder says pass or fail)"],
    ["resource and resources at once", `description: x\nresource:\n${cluster}  props: {}\nresources: []\n`, "description", "an example has either `resource` or `resources` (a stack), not both and not neither"],
    ["an empty stack", "description: x\nresources: []\n", "[]", "`resources` is a non-empty list of resources"],
    ["a resource that is not a mapping", "description: x\nresource: aks\n", "aks", "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)"],
    ["a resource that is null", "description: x\nresource: ~\n", "~", "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)"],
    [
      "a stack whose second resource is text, at that resource",
      `description: x\nresources:\n  - type: azure-native:containerservice:ManagedCluster\n    name: aks\n    props: {}\n  - oops\n`,
      "oops",
      "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)",
    ],
    ["a resource without a name", "description: x\nresource:\n  type: azure-native:containerservice:ManagedCluster\n  props: {}\n", "type", "a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)"],
    ["props that are a list", `description: x\nresource:\n${cluster}  props: [1]\n`, "[1]", "must be a mapping"],
    ["ARM properties that are a list", `description: x\nresource:\n${arm}  properties: [1]\n`, "[1]", "must be a mapping"],
    ["ARM properties in another casing that are text", `description: x\nresource:\n${arm}  Properties: on\n`, "on\n", "must be a mapping"],
    ["an unknown key in an example", `description: x\nnotes: y\nresource:\n${cluster}  props: {}\n`, "notes", "unknown key 'notes' in example (expected one of: description, expect, resource, resources)"],
    ["an unknown key beside props", `description: x\nresource:\n${cluster}  props: {}\n  tags: {}\n`, "tags", "unknown key 'tags' in resource (expected type, name, props or properties)"],
    [
      "an unknown key in an ARM resource, in its own casing",
      `description: x\nresource:\n${arm}  properties: {}\n  Labels: {}\n`,
      "Labels",
      "unknown key 'Labels' in resource (expected type, name, properties, apiVersion or an ARM envelope key: location, tags, sku, identity, kind, extendedLocation, zones)",
    ],
  ])("%s", (_name, example, needle, message) => {
    const root = writeFixtureCatalog({ examples: { "fail/bad.yaml": example } });
    expect(errorsOf(root)).toEqual([`demo-rule/examples/fail/bad.yaml:${at(example, needle)}: ${message}`]);
  });

  test("a passing example's `expect` may say only not-applicable", () => {
    const example = `description: x\nexpect: pass\nresource:\n${cluster}  props: {}\n`;
    const root = writeFixtureCatalog({ examples: { "pass/bad.yaml": example } });
    expect(errorsOf(root)).toEqual([`demo-rule/examples/pass/bad.yaml:${at(example, "pass\n")}: \`expect\` may only say \`not-applicable\`, and only in examples/pass/ (the folder says pass or fail)`]);
  });

  test("an ARM resource keeps the envelope keys it writes, in their canonical casing, and has no envelope when it writes none", () => {
    const access = "  properties:\n    apiServerAccessProfile:\n      enablePrivateCluster: true\n";
    const root = writeFixtureCatalog({
      examples: {
        "fail/arm-envelope.yaml": `description: x\nresource:\n${arm}  Location: westeurope\n  SKU: {name: Base}\n${access}`,
        "pass/arm-plain.yaml": `description: x\nresource:\n${arm}${access}      enablePrivateClusterPublicFQDN: false\n`,
      },
    });
    const resourceOf = (file: string) => loadCatalog(root).rules[0].examples.find((e) => e.file.endsWith(file))!.resources[0];
    // Only the keys written, not every ARM envelope key with an undefined value.
    expect(Object.keys(resourceOf("arm-envelope.yaml").envelope!)).toEqual(["location", "sku"]);
    expect(resourceOf("arm-envelope.yaml").envelope).toEqual({ location: "westeurope", sku: { name: "Base" } });
    expect(resourceOf("arm-plain.yaml")).not.toHaveProperty("envelope");
  });

  test("a rule without passing examples says how many it has", () => {
    const root = writeFixtureCatalog();
    fs.rmSync(path.join(root, "demo-rule/examples/pass"), { recursive: true });
    expect(errorsOf(root)).toEqual(["demo-rule/rule.yaml:2:5: rule 'demo-rule' needs at least 3 examples in examples/fail/ and 2 in examples/pass/ (found 3 and 0)"]);
  });

  test("an example that fails to load is the only error, not also a count of the examples", () => {
    const root = writeFixtureCatalog({ examples: { "pass/fqdn-off.yaml": "description: x\nresource: aks\n" } });
    expect(errorsOf(root)).toEqual(["demo-rule/examples/pass/fqdn-off.yaml:2:11: a resource needs string `type` and `name`, and `props` (Pulumi inputs) or `properties` (ARM)"]);
  });

  test("files other than YAML and JSON in an examples folder are not examples", () => {
    const root = writeFixtureCatalog({ examples: { "fail/notes.md": "# not an example\n", "fail/old.yaml.bak": "# a backup\n", "pass/fqdn-off.yml": FIXTURE_EXAMPLES["pass/fqdn-off.yaml"] } });
    expect(loadCatalog(root).rules[0].examples.map((e) => e.file.split("/").slice(-2).join("/"))).toEqual([
      "pass/fqdn-off.yaml",
      "pass/fqdn-off.yml",
      "pass/public.yaml",
      "fail/fqdn-absent.yaml",
      "fail/fqdn-on.yaml",
      "fail/fqdn-string.yaml",
    ]);
  });
});

describe("reading rule files", () => {
  test("a byte order mark before the first key is dropped, and one inside a text is kept", () => {
    const root = writeFixtureCatalog({ rule: "\uFEFF" + FIXTURE_RULE.replace("title: Private", "title: Pri\uFEFFvate") });
    const [rule] = loadCatalog(root).rules;
    expect(rule.id).toBe("demo-rule");
    expect(rule.title).toBe("Pri\uFEFFvate AKS clusters must not publish a public FQDN");
  });

  test("every schema error of a rule is reported, not just the first", () => {
    const root = writeFixtureCatalog({ rule: replace("severity: medium", "severity: extreme").replace("enforcement: mandatory", "enforcement: sometimes") });
    expect(errorsOf(root)).toEqual([
      "demo-rule/rule.yaml:11:11: 'severity' must be one of: low, medium, high, critical (got \"extreme\")",
      "demo-rule/rule.yaml:13:14: 'enforcement' must be one of: mandatory, advisory, disabled (got \"sometimes\")",
    ]);
  });

  test("a value that fits none of its alternatives gets one message, not each alternative's complaint about a member", () => {
    const rule = replace("      equals: true\n    - allOf", "    - field: privateDnsZone\n      notPrivateLinkZoneId: [azmk8s.io, 1]\n    - allOf");
    expect(errorsOf(writeFixtureCatalog({ rule }))).toEqual(["demo-rule/rule.yaml:28:29: 'failsWhen.anyOf.1.notPrivateLinkZoneId' must be a non-empty list of strings, or a parameter reference {param: <name>} (got [\"azmk8s.io\",1])"]);
  });

  test("a refused parameter name is reported once, and the errors under it at their place", () => {
    const bad = (name: string) => `  "${name}":\n    type: str\n    default: true\n    description: x\n`;
    const rule = replace("parameters:\n", `parameters:\n${bad("1a")}${bad("a/b~c1")}`);
    expect(errorsOf(writeFixtureCatalog({ rule }))).toEqual([
      "demo-rule/rule.yaml:17:3: 'parameters' \"1a\" does not match ^[a-z][a-zA-Z0-9]*$",
      "demo-rule/rule.yaml:17:3: 'parameters' \"a/b~c1\" does not match ^[a-z][a-zA-Z0-9]*$",
      "demo-rule/rule.yaml:18:11: 'parameters.1a.type' must be one of: boolean, integer, string, array (got \"str\")",
      "demo-rule/rule.yaml:22:11: 'parameters.a/b~c1.type' must be one of: boolean, integer, string, array (got \"str\")",
    ]);
  });

  test("an error at a two-digit index points at that item", () => {
    const rule = replace("category: Kubernetes\n", 'category: Kubernetes\ncontrols: [a, b, c, d, e, f, g, h, i, j, ""]\n');
    expect(errorsOf(writeFixtureCatalog({ rule }))).toEqual(["demo-rule/rule.yaml:13:42: 'controls.10' must NOT have fewer than 1 characters"]);
  });

  test("a rule file that is a list is refused as a whole", () => {
    expect(errorsOf(writeFixtureCatalog({ rule: "- id: demo-rule\n" }))).toEqual(["demo-rule/rule.yaml:1:1: the rule must be object"]);
  });

  test("a stack trigger's condition is checked against the trigger's target, at its position", () => {
    const text = fs.readFileSync(path.join(CATALOG, "private-cluster-registry-private-link", "rule.yaml"), "utf8").replace("id: private-cluster-registry-private-link", "id: demo-rule");
    const rule = text.replace("      field: privateCluster", "      field: publicNetworkAccess");
    expect(errorsOf(writeFixtureCatalog({ rule }))).toEqual([
      `demo-rule/rule.yaml:${at(rule, "publicNetworkAccess\n")}: unknown logical field 'publicNetworkAccess' for target 'aks' (expected one of: ${Object.keys(targetById("aks").fields).join(", ")})`,
    ]);
  });

  test("paths below the working directory are shown relative to it, others in full", () => {
    expect(displayPath(path.join(process.cwd(), "catalog", "demo-rule", "rule.yaml"))).toBe("catalog/demo-rule/rule.yaml");
    expect(displayPath(path.join(path.dirname(process.cwd()), "elsewhere", "rule.yaml"))).toBe(path.join(path.dirname(process.cwd()), "elsewhere", "rule.yaml"));
  });
});

describe("a catalog's own schema", () => {
  function withSchema(edit: (schema: { definitions: { condition: { properties: Record<string, unknown> } } }) => void, rule: string): string[] {
    const root = writeFixtureCatalog({ rule });
    const file = path.join(root, "rule.schema.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    edit(schema);
    fs.writeFileSync(file, JSON.stringify(schema));
    return errorsOf(root);
  }

  test("is compiled strictly: a misspelt keyword is an error, not a silent no-op", () => {
    expect(() => withSchema((s) => (s.definitions.condition.properties.equals = { typ: "string" }), FIXTURE_RULE)).toThrow(/strict mode: unknown keyword: "typ"/);
  });

  test.each([
    ["the rule's target", "target: aks", "target: gke"],
    ["a stack trigger's target", "failsWhen:", "stack:\n  trigger:\n    target: gke\n    condition: {field: privateCluster, equals: true}\nfailsWhen:"],
  ])("cannot add a target apiguard does not have: %s", (_name, from, to) => {
    const rule = replace(from, to).replace("backends: [crossguard, azure-policy]", "backends: [crossguard]");
    const errors = withSchema((s) => (s.definitions as unknown as Record<string, { enum: string[] }>).targetId.enum.push("gke"), rule);
    expect(errors).toEqual([`demo-rule/rule.yaml:${at(rule, "gke")}: unknown target 'gke' (apiguard's targets are defined in its code, not in the catalog)`]);
  });

  test("cannot relate a stack to a target apiguard does not have", () => {
    const rule = fs.readFileSync(path.join(CATALOG, "private-dns-zone-linked", "rule.yaml"), "utf8").replace("target: dnsZoneLink", "target: gke");
    const root = writeFixtureCatalog({ rule, examples: {} });
    const file = path.join(root, "rule.schema.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    schema.definitions.targetId.enum.push("gke");
    fs.writeFileSync(file, JSON.stringify(schema));
    expect(errorsOf(root)).toContain(`demo-rule/rule.yaml:${at(rule, "gke")}: unknown target 'gke' (apiguard's targets are defined in its code, not in the catalog)`);
  });

  test("cannot add an operator apiguard does not have", () => {
    const rule = replace("  field: privateCluster\n  equals: true", "  field: privateCluster\n  equalz: true");
    const errors = withSchema((s) => (s.definitions.condition.properties.equalz = { type: "boolean" }), rule);
    expect(errors).toEqual([`demo-rule/rule.yaml:23:3: unknown operator 'equalz' (expected one of: ${OPERATOR_NAMES.join(", ")})`]);
  });

  test("alternatives without a type are described as the schema's", () => {
    const rule = replace("    - allOf", "    - field: authorizedIpRanges\n      anyBroaderThan: 33\n    - allOf");
    const errors = withSchema((s) => (s.definitions.condition.properties.anyBroaderThan = { oneOf: [{ enum: [8, 16] }, { type: "array" }] }), rule);
    expect(errors).toEqual(["demo-rule/rule.yaml:29:23: 'failsWhen.anyOf.1.anyBroaderThan' must be a value the schema describes, or a list of values (got 33)"]);
  });

  test("the same complaint from two parts of the schema is reported once", () => {
    const rule = replace("    - allOf", "    - field: authorizedIpRanges\n      anyBroaderThan: x\n    - allOf");
    const errors = withSchema((s) => (s.definitions.condition.properties.anyBroaderThan = { allOf: [{ type: "integer" }, { type: "integer" }] }), rule);
    expect(errors).toEqual(["demo-rule/rule.yaml:29:23: 'failsWhen.anyOf.1.anyBroaderThan' must be integer"]);
  });

  test("alternatives are told by their types, and by a range only when it has both ends", () => {
    const rule = replace("    - allOf", "    - field: authorizedIpRanges\n      anyBroaderThan: 33\n    - allOf");
    const alternatives = [{ type: "integer", minimum: 40 }, { type: "integer", maximum: 2 }, { type: ["integer", "string"], minimum: 50, maximum: 60 }, { type: ["array", "string"] }];
    const errors = withSchema((s) => (s.definitions.condition.properties.anyBroaderThan = { oneOf: alternatives }), rule);
    expect(errors).toEqual(["demo-rule/rule.yaml:29:23: 'failsWhen.anyOf.1.anyBroaderThan' must be an integer, or an integer, or an integer or string, or an array or string (got 33)"]);
  });
});

test("texts are read without the whitespace YAML block scalars keep", () => {
  const rule = FIXTURE_RULE.replace("description: Checks the public FQDN of private clusters.", "description: |\n  Checks the public FQDN of private clusters.\naccepts: |\n  Clusters without a private API server.\n")
    .replace("message: The private cluster publishes a public FQDN.", "message: |\n  The private cluster publishes a public FQDN.\n")
    .replace("  quote: For a private AKS cluster, you disable the public FQDN of the API server.", "  quote: |\n    For a private AKS cluster, you disable the public FQDN of the API server.\n")
    .replace("source: { title: Secure network access to Kubernetes,", 'source: { title: " Secure network access to Kubernetes ",')
    .replace("remediation: Set enablePrivateClusterPublicFQDN to false.", "remediation: |\n  Set enablePrivateClusterPublicFQDN to false.\n")
    .replace("    description: Also fail when the FQDN setting is absent.", "    description: |\n      Also fail when the FQDN setting is absent.\n");
  const example = FIXTURE_EXAMPLES["pass/public.yaml"].replace("description: A public cluster.", "description: |\n  A public cluster.\n");
  const [loaded] = loadCatalog(writeFixtureCatalog({ rule, examples: { "pass/public.yaml": example } })).rules;
  expect(loaded.examples.find((e) => e.file.endsWith("pass/public.yaml"))!.description).toBe("A public cluster.");
  expect({
    description: loaded.description,
    accepts: loaded.accepts,
    message: loaded.message,
    quote: loaded.rationale.quote,
    title: loaded.rationale.source.title,
    remediation: loaded.remediation,
    parameter: loaded.parameters[0].description,
  }).toEqual({
    description: "Checks the public FQDN of private clusters.",
    accepts: "Clusters without a private API server.",
    message: "The private cluster publishes a public FQDN.",
    quote: "For a private AKS cluster, you disable the public FQDN of the API server.",
    title: "Secure network access to Kubernetes",
    remediation: "Set enablePrivateClusterPublicFQDN to false.",
    parameter: "Also fail when the FQDN setting is absent.",
  });
});

test("parameters are kept in byte order of their names, and an integer default may sit on either end of its range", () => {
  const integer = (name: string, d: number) => `  ${name}:\n    type: integer\n    minimum: 8\n    maximum: 24\n    default: ${d}\n    description: x\n`;
  const broaderThan = (name: string) => `    - field: authorizedIpRanges\n      anyBroaderThan: {param: ${name}}\n`;
  const rule = replace("parameters:\n", `parameters:\n${integer("zeta", 24)}${integer("alpha", 8)}`).replace("    - allOf", `${broaderThan("zeta")}${broaderThan("alpha")}    - allOf`);
  const [loaded] = loadCatalog(writeFixtureCatalog({ rule })).rules;
  expect(loaded.parameters.map((p) => [p.name, p.default])).toEqual([
    ["alpha", 8],
    ["strict", true],
    ["zeta", 24],
  ]);
});

test("optional keys take their documented defaults, and backends are kept in byte order", () => {
  const [loaded] = loadCatalog(writeFixtureCatalog()).rules;
  expect(loaded).not.toHaveProperty("accepts");
  expect(loaded.controls).toEqual([]);
  expect(loaded.backends).toEqual(["azure-policy", "crossguard"]);
});
