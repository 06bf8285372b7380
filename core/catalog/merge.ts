/**
 * A team's catalog on top of the bundled one. A catalog folder that holds `bundled.yaml` builds on
 * the rules shipped with apiguard: it chooses which bundled rules to include, disables some by id,
 * gives bundled parameters and enforcement new defaults, and adds its own rule folders. A catalog
 * without that file stands alone (this repository's own catalog, or a team that wants no bundled rules).
 */
import * as fs from "fs";
import * as path from "path";
import { judgeStack, overallVerdict, parameterValues } from "../ir/judge";
import type { Enforcement, Literal, Rule } from "../ir/types";
import { byteOrder, type Catalog, CatalogError, CatalogErrors, displayPath, loadCatalog, readCatalogFile, RULE_FILE, SCHEMA_FILE } from "./load";
import { loadEstate, type Estate } from "./estate";
import type { SourceDocument } from "./yaml-source";

export const OVERLAY_FILE = "bundled.yaml";
const OVERLAY_KEYS = ["include", "disable", "parameters", "enforcement"];
const ENFORCEMENTS: Enforcement[] = ["mandatory", "advisory", "disabled"];

/**
 * The catalog `generate`/`check` use: `dir` if given; else `<out>/catalog` if it exists; else the
 * bundled catalog (at `bundledRoot`) alone, so an empty project still gets the bundled outputs.
 */
export function resolveCatalog(dir: string | undefined, outDir: string, bundledRoot: string): Catalog {
  const root = dir ? path.resolve(dir) : path.join(outDir, "catalog");
  if (!dir && !fs.existsSync(root)) return loadCatalog(bundledRoot);
  if (!fs.existsSync(path.join(root, OVERLAY_FILE))) return loadCatalog(root);
  if (fs.realpathSync(root) === fs.realpathSync(bundledRoot)) {
    throw new CatalogErrors([new CatalogError({ file: displayPath(path.join(root, OVERLAY_FILE)), line: 1, column: 1 }, `the bundled catalog cannot build on itself; ${OVERLAY_FILE} belongs in a team's own catalog`)]);
  }
  return mergeCatalogs(loadCatalog(bundledRoot), root);
}

interface Overlay {
  include?: "all" | string[];
  disable?: string[];
  parameters?: Record<string, Record<string, Literal>>;
  enforcement?: Record<string, Enforcement>;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** Reads bundled.yaml and checks every id and value against the bundled rules; all errors at once. */
function readOverlay(doc: SourceDocument, bundled: Map<string, Rule>): Overlay {
  const errors: CatalogError[] = [];
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof data !== "object" || Array.isArray(data)) throw new CatalogErrors([doc.error([], `${OVERLAY_FILE} is a mapping with keys: ${OVERLAY_KEYS.join(", ")}`)]);
  for (const key of Object.keys(data)) if (!OVERLAY_KEYS.includes(key)) errors.push(doc.error([key], `unknown key '${key}' (expected one of: ${OVERLAY_KEYS.join(", ")})`, { key: true }));
  const known = [...bundled.keys()].join(", ");
  const checkId = (id: string, at: (string | number)[]) => {
    if (!bundled.has(id)) errors.push(doc.error(at, `unknown bundled rule id '${id}' (bundled rules: ${known})`, { key: at.length === 2 }));
  };
  const overlay = data as Overlay;

  if (overlay.include !== undefined && overlay.include !== "all") {
    if (!isStringList(overlay.include)) errors.push(doc.error(["include"], "`include` is `all` or a list of bundled rule ids"));
    else overlay.include.forEach((id, i) => checkId(id, ["include", i]));
  }
  if (overlay.disable !== undefined) {
    if (!isStringList(overlay.disable)) errors.push(doc.error(["disable"], "`disable` is a list of bundled rule ids"));
    else
      overlay.disable.forEach((id, i) => {
        checkId(id, ["disable", i]);
        if (Array.isArray(overlay.include) && overlay.include.includes(id)) errors.push(doc.error(["disable", i], `'${id}' is both included and disabled; keep it in one list`));
      });
  }
  const disabled = new Set(isStringList(overlay.disable) ? overlay.disable : []);
  const active = (id: string) => !disabled.has(id) && (!Array.isArray(overlay.include) || overlay.include.includes(id));
  for (const key of ["parameters", "enforcement"] as const) {
    const section = overlay[key];
    if (section === undefined) continue;
    if (typeof section !== "object" || section === null || Array.isArray(section)) {
      errors.push(doc.error([key], `\`${key}\` maps bundled rule ids to ${key === "parameters" ? "parameter values" : "an enforcement level"}`));
      continue;
    }
    for (const [id, value] of Object.entries(section)) {
      checkId(id, [key, id]);
      const rule = bundled.get(id);
      if (!rule) continue;
      if (!active(id)) errors.push(doc.error([key, id], `'${id}' is not included, so it cannot be adjusted`, { key: true }));
      if (key === "enforcement") {
        if (!ENFORCEMENTS.includes(value as Enforcement)) errors.push(doc.error([key, id], `enforcement must be one of: ${ENFORCEMENTS.join(", ")} (got ${JSON.stringify(value)})`));
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        errors.push(doc.error([key, id], `parameters of '${id}' are a mapping of parameter name to value`));
        continue;
      }
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const p = rule.parameters.find((x) => x.name === name);
        if (!p) {
          errors.push(doc.error([key, id, name], `'${id}' has no parameter '${name}' (parameters: ${rule.parameters.map((x) => x.name).join(", ") || "none"})`, { key: true }));
          continue;
        }
        const actual = typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;
        if (actual !== p.type) errors.push(doc.error([key, id, name], `parameter '${name}' of '${id}' is ${p.type} (got ${JSON.stringify(v)})`));
        else if (typeof v === "number" && ((p.minimum !== undefined && v < p.minimum) || (p.maximum !== undefined && v > p.maximum))) {
          errors.push(doc.error([key, id, name], `parameter '${name}' of '${id}' must be within [${p.minimum ?? "-∞"}, ${p.maximum ?? "∞"}] (got ${v})`));
        }
      }
    }
  }
  if (errors.length > 0) throw new CatalogErrors(errors);
  return overlay;
}

/** A bundled rule with new defaults. Examples that illustrated the old defaults and now judge differently are dropped. */
function adjust(rule: Rule, parameters: Record<string, Literal> | undefined, enforcement: Enforcement | undefined): Rule {
  if (!parameters && !enforcement) return rule;
  const adjusted: Rule = {
    ...rule,
    enforcement: enforcement ?? rule.enforcement,
    parameters: rule.parameters.map((p) => (parameters && p.name in parameters ? { ...p, default: parameters[p.name] } : p)),
  };
  const params = parameterValues(adjusted);
  adjusted.examples = rule.examples.filter((e) => overallVerdict(judgeStack(adjusted, e.resources, params).map((v) => v.verdict)) === e.expect);
  return adjusted;
}

export function mergeCatalogs(bundled: Catalog, root: string): Catalog {
  const byId = new Map(bundled.rules.map((r) => [r.id, r]));
  const errors: CatalogError[] = [];
  let overlay: Overlay = {};
  try {
    overlay = readOverlay(readCatalogFile(path.join(root, OVERLAY_FILE)), byId);
  } catch (e) {
    if (!(e instanceof CatalogErrors || e instanceof CatalogError)) throw e;
    errors.push(...(e instanceof CatalogErrors ? e.errors : [e]));
  }
  let local: Catalog = { root, rules: [] };
  try {
    local = loadCatalog(root, { schemaFallback: path.join(bundled.root, SCHEMA_FILE), allowEmpty: true, estate: false });
  } catch (e) {
    if (!(e instanceof CatalogErrors)) throw e;
    errors.push(...e.errors);
  }
  const disabled = new Set(overlay.disable ?? []);
  const included = bundled.rules.filter((r) => !disabled.has(r.id) && (!Array.isArray(overlay.include) || overlay.include.includes(r.id)));
  const includedIds = new Set(included.map((r) => r.id));
  for (const rule of local.rules) {
    if (!includedIds.has(rule.id)) continue;
    const doc = readCatalogFile(path.join(root, rule.id, RULE_FILE));
    errors.push(doc.error(["id"], `rule id '${rule.id}' is also a bundled rule; rename it, or list '${rule.id}' under \`disable\` in ${OVERLAY_FILE} to replace the bundled one`));
  }
  if (errors.length > 0) throw new CatalogErrors(errors);
  const rules = [...included.map((r) => adjust(r, overlay.parameters?.[r.id], overlay.enforcement?.[r.id])), ...local.rules].sort((a, b) => byteOrder(a.id, b.id));
  if (rules.length === 0) throw new CatalogErrors([new CatalogError({ file: displayPath(path.join(root, OVERLAY_FILE)), line: 1, column: 1 }, "the merged catalog holds no rules")]);
  // The team's rings and exemptions name the merged rules; the bundled catalog's own, if any, do not apply.
  const estate: Estate = loadEstate(local.root, rules, bundled.root);
  return { root: local.root, rules, ...(estate.rollout ? { rollout: estate.rollout } : {}), ...(estate.exemptions.length > 0 ? { exemptions: estate.exemptions } : {}) };
}
