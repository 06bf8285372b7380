/**
 * CrossGuard backend: renders policypack/ — TypeScript sources a reviewer reads, plus the same code
 * transpiled to bin/*.js so the pack starts without ts-node or a type-check (PulumiPolicy.yaml turns
 * TypeScript off). The pack matches type tokens by string and never imports a provider SDK.
 */
import type * as TypeScript from "typescript";
import type { Catalog } from "../core/catalog/load";
import type { Condition, Operand, Parameter, Rule } from "../core/ir/types";
import { walkRule } from "../core/ir/walk";
import { operator } from "../core/operators";
import { clusterNames, targetById, TARGETS, type FieldBinding, type Shape, type TargetId } from "../core/targets";
import { quote, readTemplate, render, tsLiteral } from "./render";
import { camelCase, fullMessage, GENERATED_NOTICE, remediation, type GeneratorInputs, type LockEntry, type OutputFiles } from "./common";
import { EXEMPTIONS_POLICY, REST, RING_POLICY, effectiveLevel, type Exemption, type Rollout, type Stage } from "../core/rollout/rollout";

const PACK = "policypack";
const TS_SOURCES = ["index.ts", "policies.ts", "targets.ts", "runtime.ts", "semantics.ts", "rollout.ts"];

function tsOperand(operand: Operand): string {
  if (typeof operand === "object" && !Array.isArray(operand)) return `config.${operand.param}`;
  return JSON.stringify(operand);
}

/** The condition as a TypeScript expression over `field(...)` and `config`, indented for the template. */
export function tsCondition(condition: Condition, indent: string): string {
  const inner = indent + "    ";
  switch (condition.kind) {
    case "allOf":
    case "anyOf":
      return `${condition.kind}(\n${condition.conditions.map((c) => inner + tsCondition(c, inner)).join(",\n")},\n${indent})`;
    case "not":
      return `not(${tsCondition(condition.condition, indent)})`;
    case "noneRelated":
      return `noneRelated(related(${quote(condition.target)}), ${quote(condition.field)}, field(${quote(condition.equalsField)}))`;
    case "anyElement":
      // The inner `field` reads the element's fields.
      return `anyElement(field(${quote(condition.field)}), (field) => ${tsCondition(condition.where, indent)})`;
    case "leaf": {
      const fn = operator(condition.operator).tsFunction;
      const subject = "field" in condition.subject ? `field(${quote(condition.subject.field)})` : `config.${condition.subject.param}`;
      return `${fn}(${subject}, ${tsOperand(condition.operand)})`;
    }
  }
}

/** The semantics functions the policies call: every operator's and combinator's, in every condition of every rule. */
function usedFunctions(rules: readonly Rule[]): string[] {
  const names = new Set<string>();
  for (const rule of rules) walkRule(rule, (c) => names.add(c.kind === "leaf" ? operator(c.operator).tsFunction : c.kind));
  return [...names].sort();
}

/** The targets a stack rule's `noneRelated` conditions look up. */
function relatedTargets(rule: Rule): TargetId[] {
  const targets = new Set<TargetId>();
  walkRule(rule, (c) => {
    if (c.kind === "noneRelated") targets.add(c.target);
  });
  return [...targets].sort();
}

function configSchema(parameters: readonly Parameter[]): object {
  const properties: Record<string, object> = {};
  for (const p of parameters) {
    properties[p.name] = {
      type: p.type,
      ...(p.type === "array" ? { items: { type: "string" } } : {}),
      default: p.default,
      description: p.description,
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
    };
  }
  return { properties };
}

function configType(parameters: readonly Parameter[]): string {
  if (parameters.length === 0) return "{}";
  const tsType = { integer: "number", boolean: "boolean", string: "string", array: "string[]" };
  return `{ ${parameters.map((p) => `${p.name}: ${tsType[p.type]}`).join("; ")} }`;
}

function ruleView(rule: Rule, exemptions: readonly Exemption[]) {
  const lambda = (c: Condition, indent = "    ") => {
    const code = tsCondition(c, indent);
    const params = code.includes("related(") ? "field, config, related" : code.includes("config.") ? "field, config" : "field";
    return `(${params}) => ${code}`;
  };
  return {
    ident: camelCase(rule.id),
    id: rule.id,
    title: rule.title,
    description: rule.description,
    severity: rule.severity,
    enforcement: rule.enforcement,
    remediation: remediation(rule),
    tags: [rule.category.toLowerCase(), ...rule.controls],
    message: fullMessage(rule),
    // Each provider's resource is told the fix in its own property names, where they differ.
    messages: messagesByShape(rule),
    configSchema: configSchema(rule.parameters),
    configType: configType(rule.parameters),
    defaults: Object.fromEntries(rule.parameters.map((p) => [p.name, p.default])),
    parameterSpecs: Object.fromEntries(rule.parameters.map((p) => [p.name, { type: p.type, ...(p.minimum !== undefined ? { minimum: p.minimum } : {}), ...(p.maximum !== undefined ? { maximum: p.maximum } : {}) }])),
    shapes: rule.target,
    appliesTo: targetById(rule.target)
      .shapes.filter((s) => !s.arm)
      .flatMap((s) => s.typeNames)
      .join(", "),
    when: rule.when && lambda(rule.when),
    failsWhen: lambda(rule.failsWhen),
    fix: rule.fix,
    exempt: exemptions.some((e) => e.rules.includes(rule.id)),
    stack: rule.stack
      ? {
          shapes: rule.stack.target,
          condition: lambda(rule.stack.condition, "        "),
          related: `{${relatedTargets(rule)
            .map((t) => ` ${t}`)
            .join(",")} }`,
        }
      : undefined,
  };
}

/** The message for each Pulumi shape of the rule's target whose spelling of the fix differs from the generic one; undefined when none does. */
function messagesByShape(rule: Rule): Record<string, string> | undefined {
  const generic = fullMessage(rule);
  const byShape = targetById(rule.target)
    .shapes.filter((s) => !s.arm)
    .map((s) => [s.id, fullMessage(rule, s)] as const)
    .filter(([, message]) => message !== generic);
  return byShape.length > 0 ? Object.fromEntries(byShape) : undefined;
}

type BindingView = { path: string[]; default: unknown; inverted?: true; valueMap?: Record<string, boolean>; present?: true; emptyIsDefault?: true; elements?: Record<string, BindingView> };

function bindingView(b: FieldBinding): BindingView {
  return {
    path: b.path,
    default: b.default,
    ...(b.inverted ? { inverted: true } : {}),
    ...(b.valueMap ? { valueMap: b.valueMap } : {}),
    ...(b.present ? { present: true } : {}),
    ...(b.emptyIsDefault ? { emptyIsDefault: true } : {}),
    ...(b.elements ? { elements: Object.fromEntries(Object.entries(b.elements).map(([name, e]) => [name, bindingView(e)])) } : {}),
  };
}

function shapeView(shape: Shape) {
  const fields = Object.fromEntries(Object.entries(shape.fields).map(([name, b]) => [name, bindingView(b)]));
  return { id: shape.id, typePattern: shape.typePattern, fields };
}

/**
 * Compiles one pack source to CommonJS exactly as `tsc` would emit it, without type-checking. The
 * compiler (about 9 MB of JavaScript) loads on first use: most callers of the generators never transpile.
 */
function transpile(source: string, fileName: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof TypeScript;
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, removeComments: false },
  }).outputText;
}

/** The pack pins what apiguard pins (exact versions in package.json; an installed apiguard has no lockfile). */
function rootVersions(pkg: GeneratorInputs["apiguardPackage"]): { pack: string; policy: string; pulumi: string } {
  return {
    pack: pkg.version,
    policy: pkg.dependencies["@pulumi/policy"],
    pulumi: pkg.dependencies["@pulumi/pulumi"],
  };
}

/**
 * policypack/package-lock.json, cut from the root lockfile: the entries the pack's own dependencies
 * reach, resolved the way Node resolves (a package's nested node_modules first, then each folder
 * above it), so `npm ci --prefix policypack` installs exactly the versions the tests ran against.
 * A subset of a valid tree resolves the same way, because a resolution never skips an existing path.
 */
export function packLockfile(rootLock: { packages: Record<string, LockEntry> }, manifest: { name: string; version: string; dependencies: Record<string, string> }): string {
  const all = rootLock.packages;
  const resolve = (from: string, name: string): string => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
      const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (all[candidate]) return candidate;
      if (!dir) throw new Error(`package-lock.json: ${name} (needed by ${from || "the policy pack"}) is not installed; run npm install`);
    }
  };
  const reached = new Set<string>();
  const visit = (from: string, deps: Record<string, string>, optional: (name: string) => boolean): void => {
    for (const name of Object.keys(deps)) {
      let at: string;
      try {
        at = resolve(from, name);
      } catch (e) {
        if (optional(name)) continue;
        throw e;
      }
      if (reached.has(at)) continue;
      reached.add(at);
      const entry = all[at];
      visit(at, { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }, (d) => d in (entry.optionalDependencies ?? {}) || Boolean(entry.peerDependenciesMeta?.[d]?.optional));
    }
  };
  visit("", manifest.dependencies, () => false);
  const packages: Record<string, LockEntry> = { "": { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies } };
  for (const at of [...reached].sort()) {
    // Everything the pack installs is a production dependency of the pack.
    const { dev: _dev, devOptional: _devOptional, ...entry } = all[at];
    packages[at] = entry;
  }
  // npm ignores keys it does not know; "//" carries the notice, as in package.json.
  return JSON.stringify({ "//": GENERATED_NOTICE, name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages }, null, 2) + "\n";
}

/** The roll-out and exemptions as the pack reads them (positions and Azure scopes are not its business). */
function estateSource(rollout: Rollout | undefined, exemptions: readonly Exemption[]): string {
  const parts = [
    `// ${GENERATED_NOTICE}`,
    "// The roll-out (catalog/rollout.yaml) and the exemptions (catalog/exemptions.yaml) the policies apply.",
    `import type { ${[...(exemptions.length > 0 ? ["Exemption"] : []), ...(rollout ? ["Rollout"] : [])].join(", ")} } from "./rollout";`,
  ];
  if (rollout) parts.push("", `export const rollout: Rollout = ${tsLiteral(rollout)};`);
  if (exemptions.length > 0) {
    const pulumiSide = exemptions.map(({ name, rules, category, reason, reference, expiresOn, pulumi }) => ({ name, rules, category, reason, reference, ...(expiresOn ? { expiresOn } : {}), azureScopes: [], pulumi }));
    parts.push("", `export const exemptions: readonly Exemption[] = ${tsLiteral(pulumiSide)};`);
  }
  return parts.join("\n") + "\n";
}

/** A stage's policy-pack config: every rule's level there, and the ring the rollout-ring policy checks. */
function ringConfig(rules: readonly Rule[], stage: Stage, ring: string): string {
  const config: Record<string, object> = { [RING_POLICY]: { enforcementLevel: "mandatory", ring } };
  for (const rule of rules) config[rule.id] = { enforcementLevel: effectiveLevel(stage, rule.id, rule.enforcement) };
  return JSON.stringify(config, null, 2) + "\n";
}

function ringsReadme(rollout: Rollout, rules: readonly Rule[]): string {
  const rows = [...rollout.rings.filter((r) => r.stacks), { name: REST, ...rollout.rest }].map((ring) => {
    const selects = "stacks" in ring && ring.stacks ? [...(ring.stacks.names ?? []).map((n) => `\`${n}\``), ...Object.entries(ring.stacks.tags ?? {}).map(([k, v]) => `tag \`${k}=${v}\``)].join(", ") : "every other stack";
    const mandatory = rules.filter((r) => effectiveLevel(ring, r.id, r.enforcement) === "mandatory").length;
    return `| \`${ring.name}\` | ${selects} | ${ring.enforcementMode} | ${mandatory} of ${rules.length} |`;
  });
  return [
    `<!-- ${GENERATED_NOTICE} -->`,
    "# Policy-pack configs per ring",
    "",
    "Generated — do not edit. Each stack's pipeline runs the pack with its ring's config, which sets every rule's enforcement level for that ring (catalog/rollout.yaml):",
    "",
    "```sh",
    "pulumi preview --policy-pack ./policypack --policy-pack-config policypack/rings/<ring>.json",
    "```",
    "",
    `The \`${RING_POLICY}\` policy fails a preview that runs with another ring's config than its stack's, or with none.`,
    "",
    "| Ring | Stacks | Mode | Mandatory rules |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

export function generateCrossGuard(catalog: Catalog, inputs: GeneratorInputs): OutputFiles {
  const rules = catalog.rules.filter((r) => r.backends.includes("crossguard"));
  const { rollout } = catalog;
  const exemptions = (catalog.exemptions ?? []).filter((e) => e.pulumi.length > 0 && e.rules.some((id) => rules.some((r) => r.id === id)));
  const versions = rootVersions(inputs.apiguardPackage);
  const tsHeader = `// ${GENERATED_NOTICE}\n`;
  const usedTargets = [...new Set(rules.flatMap((r) => [r.target, ...(r.stack ? [r.stack.target] : []), ...relatedTargets(r)]))];
  const sources: Record<string, string> = {
    "index.ts": render("crossguard/index.ts.hbs", { notice: GENERATED_NOTICE, clusters: clusterNames().join(", ") }),
    "policies.ts": render("crossguard/policies.ts.hbs", {
      notice: GENERATED_NOTICE,
      functions: usedFunctions(rules).join(", "),
      runtimeImports: [
        ...(rules.some((r) => !r.stack) ? ["type ResourceRule", "validateResource"] : []),
        ...(rules.some((r) => r.fix) ? ["remediateResource"] : []),
        ...(rules.some((r) => r.stack) ? ["type StackRule", "validateStack"] : []),
        "validateDecidable",
        ...(exemptions.length > 0 ? ["reportExemptions"] : []),
        ...(rollout ? ["checkRing"] : []),
        "rolloutPolicies",
      ].join(", "),
      estateImports: [...(rollout ? ["rollout"] : []), ...(exemptions.length > 0 ? ["exemptions"] : [])].join(", "),
      exemptionsPolicy: exemptions.length > 0 ? EXEMPTIONS_POLICY : undefined,
      ringPolicy: rollout
        ? { name: RING_POLICY, configSchema: { properties: { ring: { type: "string", enum: [REST, ...rollout.rings.map((r) => r.name)], description: "The ring this run's config is for; policypack/rings/<ring>.json sets it." } } } }
        : undefined,
      rolloutArgs: `${rollout ? "rollout" : "undefined"}, ${exemptions.length > 0}`,
      targets: usedTargets.join(", "),
      rules: rules.map((r) => ruleView(r, exemptions)),
    }),
    "targets.ts": render("crossguard/targets.ts.hbs", {
      notice: GENERATED_NOTICE,
      targets: TARGETS.filter((t) => usedTargets.includes(t.id)).map((t) => ({ id: t.id, title: t.title, shapes: t.shapes.filter((s) => !s.arm).map(shapeView) })),
    }),
    "runtime.ts": tsHeader + readTemplate("crossguard/runtime.ts"),
    "semantics.ts": tsHeader + inputs.semanticsSource,
    "rollout.ts": tsHeader + inputs.rolloutSource,
  };
  const sourceNames = [...TS_SOURCES];
  if (rollout || exemptions.length > 0) {
    sources["estate.ts"] = estateSource(rollout, exemptions);
    sourceNames.push("estate.ts");
  }
  const files: OutputFiles = new Map();
  files.set(`${PACK}/PulumiPolicy.yaml`, render("crossguard/PulumiPolicy.yaml.hbs", { notice: GENERATED_NOTICE, clusters: clusterNames().join(", ") }));
  const manifest = render("crossguard/package.json.hbs", versions);
  files.set(`${PACK}/package.json`, manifest);
  // An installed apiguard has no lockfile of its own; the pack's dependencies are the same there, so it ships the cut.
  const lockfile = inputs.apiguardLockfile ? packLockfile(inputs.apiguardLockfile, JSON.parse(manifest) as Parameters<typeof packLockfile>[1]) : inputs.shippedPackLockfile;
  if (lockfile === undefined) throw new Error("generating policypack/package-lock.json needs apiguard's package-lock.json or the pack lockfile it ships");
  files.set(`${PACK}/package-lock.json`, lockfile);
  files.set(`${PACK}/tsconfig.json`, render("crossguard/tsconfig.json.hbs", { notice: GENERATED_NOTICE }));
  if (rollout) {
    for (const ring of rollout.rings.filter((r) => r.stacks)) files.set(`${PACK}/rings/${ring.name}.json`, ringConfig(rules, ring, ring.name));
    files.set(`${PACK}/rings/${REST}.json`, ringConfig(rules, rollout.rest, REST));
    files.set(`${PACK}/rings/README.md`, ringsReadme(rollout, rules));
  }
  for (const name of sourceNames) {
    files.set(`${PACK}/${name}`, sources[name]);
    // The notice is prepended rather than transpiled: TypeScript drops comments attached to elided type imports.
    const body = transpile(sources[name].replace(tsHeader, ""), name);
    files.set(`${PACK}/bin/${name.replace(/\.ts$/, ".js")}`, tsHeader + body);
  }
  return files;
}
