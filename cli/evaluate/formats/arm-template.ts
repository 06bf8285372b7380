/**
 * ARM templates, resolved by the ARM template resolver (arm-template/) the way Resource Manager
 * resolves them before it deploys; a list of ARM resources without the template envelope is resolved
 * as a template too. What only the deployment knows becomes Pulumi's unknown sentinel.
 */
import { isArmTemplate, resolveTemplate } from "../../../arm-template";
import { canonicalEnvelope, isArmType } from "../../../core/resources/convert";
import { UNKNOWN } from "../unknowns";
import { inputFormat, isObject, type Obj } from "./contract";

/** `resources` that are all ARM resources (a template without its envelope). */
const armResourceList = (data: Obj) => Array.isArray(data.resources) && data.resources.length > 0 && data.resources.every((r) => isObject(r) && isArmType(String(canonicalEnvelope(r).type)));

const LEARN = "https://learn.microsoft.com/azure/azure-resource-manager/templates";

export const armTemplate = inputFormat({
  id: "arm-template",
  title: "ARM templates (resolved)",
  shape: "an ARM template (resources[])",
  readme: [
    "**ARM templates are resolved, not read as text** — parameters (defaults; `--parameters FILE`, repeatable, in the",
    "deploymentParameters format; `--parameters name=value`, typed by the declaration; later wins), variables, template",
    "functions, `copy` loops (resources, properties, variables), `condition` (false: not deployed), `properties` given as one",
    "expression, child resources, `languageVersion: 2.0` symbolic names (`existing` resources skipped), and nested",
    "`Microsoft.Resources/deployments` with inline templates (what a Bicep module compiles to) in `inner` or `outer` (default)",
    "scope. `//` and `/* */` comments and trailing commas are accepted, as Resource Manager accepts them; envelope keys match in",
    "any casing. A value only known at deployment (`reference()`, `resourceGroup()`, `uniqueString()`, a parameter without a",
    "value, a Key Vault reference…) is **unknown**, and the verdict says which expression it came from — it is never judged as",
    "its text. A linked template (`templateLink`) is reported on stderr, not followed. Sources:",
    `[Template syntax](${LEARN}/syntax), [Template functions](${LEARN}/template-functions),`,
    `[Linked and nested templates](${LEARN}/linked-templates), [Resource](${LEARN}/copy-resources) and`,
    `[property](${LEARN}/copy-properties) iteration, [Conditional deployment](${LEARN}/conditional-resource-deployment),`,
    `[Parameter files](${LEARN}/parameter-files).`,
  ].join(" "),
  recognise: (data: unknown): data is Obj => isObject(data) && (isArmTemplate(data) || armResourceList(data)),
  read: (data, options) => {
    const { resources, warnings } = resolveTemplate(data, options.parameters ?? new Map(), UNKNOWN);
    return {
      resources: resources.map((f) => ({ shape: "arm" as const, resource: f.resource, path: f.path, id: f.id, unknowns: f.unknowns, displayName: f.displayName })),
      notJudged: warnings,
    };
  },
});
