/**
 * ARM templates, resolved by the ARM template resolver (arm-template/) the way Resource Manager
 * resolves them before it deploys; a list of ARM resources without the template envelope is resolved
 * as a template too. What only the deployment knows becomes Pulumi's unknown sentinel.
 */
import { isArmTemplate, isBlueprintTemplateArtifact, resolveTemplate } from "../../../arm-template";
import { canonicalEnvelope, isArmType } from "../../../core/resources/convert";
import { UNKNOWN } from "../unknowns";
import { inputFormat, isObject, type Obj } from "./contract";

/** `resources` that are all ARM resources (a template without its envelope). */
const armResourceList = (data: Obj) => Array.isArray(data.resources) && data.resources.length > 0 && data.resources.every((r) => isObject(r) && isArmType(String(canonicalEnvelope(r).type)));

const LEARN = "https://learn.microsoft.com/azure/azure-resource-manager/templates";

export const armTemplate = inputFormat({
  id: "arm-template",
  title: "ARM templates (resolved)",
  shape: "an ARM template (resources[]) or a Blueprint template artifact",
  readme: [
    "**ARM templates are resolved, not read as text** — parameters (defaults; `--parameters FILE`, repeatable, in the",
    "deploymentParameters format; `--parameters name=value`, typed by the declaration; later wins), variables, template",
    "functions, `copy` loops (resources, properties, variables), `condition` (false: not deployed), `properties` given as one",
    "expression, child resources, `languageVersion: 2.0` symbolic names (`existing` resources skipped), and nested",
    "`Microsoft.Resources/deployments` with inline templates (what a Bicep module compiles to) in `inner` or `outer` (default)",
    "scope. `//` and `/* */` comments and trailing commas are accepted, as Resource Manager accepts them; envelope keys match in",
    "any casing. A value only known at deployment (`reference()`, `resourceGroup()`, `uniqueString()`, a parameter without a",
    "value, a Key Vault reference…) is **unknown**, and the verdict says which expression it came from — it is never judged as",
    "its text; a string built from known and unknown parts keeps its known text (the zone name at the end of a `resourceId()` of",
    "the deployment's own resource group), which a rule decides on only when every way of filling in the rest gives the same",
    "verdict. An expression that fails on known values, and a template past Resource Manager's limits (800 resources or copies,",
    "`range()` of 10,000, 24,576-character expressions, 1 MB per resource and 4 MB per template once expanded), are input",
    "errors, as they are for Resource Manager. A resource whose `condition` is false, an `existing` resource and a linked",
    "template (`templateLink`) are reported as not judged. A Blueprint template artifact (`Microsoft.Blueprint/blueprints/artifacts`",
    "of kind `template`) is resolved as its template. Sources:",
    `[Template syntax](${LEARN}/syntax), [Template functions](${LEARN}/template-functions),`,
    `[Linked and nested templates](${LEARN}/linked-templates), [Resource](${LEARN}/copy-resources) and`,
    `[property](${LEARN}/copy-properties) iteration, [Conditional deployment](${LEARN}/conditional-resource-deployment),`,
    `[Parameter files](${LEARN}/parameter-files), [Template limits](${LEARN}/best-practices#template-limits).`,
  ].join(" "),
  recognise: (data: unknown): data is Obj => isObject(data) && (isArmTemplate(data) || armResourceList(data) || isBlueprintTemplateArtifact(data)),
  read: (data, options) => {
    const { resources, notJudged, errors } = resolveTemplate(data, options.parameters ?? new Map(), UNKNOWN);
    return {
      resources: resources.map((f) => ({ shape: "arm" as const, resource: f.resource, path: f.path, id: f.id, unknowns: f.unknowns, displayName: f.displayName })),
      notJudged,
      errors,
    };
  },
});
