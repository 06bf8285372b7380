/**
 * Pulumi Cloud's resource search, `GET /api/orgs/{org}/search/resourcesv2?query=…&properties=true`
 * ("Resource Search", https://www.pulumi.com/docs/reference/cloud-rest-api/resource-search/): a page
 * `{total, resources: [ResourceResult], pagination}` of the resources of every stack in the
 * organization, each with its `stack`, `project`, `type`, `urn`, `id` and, when asked for with
 * `properties=true`, its `properties` — "the resource properties" (ResourceResult,
 * https://www.pulumi.com/docs/reference/cloud-rest-api/schema/resourceresult/): the inputs and outputs
 * Pulumi's state records, which for a cloud resource are the provider's read of it. Secrets are masked
 * (`[secret]`) and judged unknown. A page without properties (searched without `properties=true`, or a
 * plan that does not include them) has nothing to judge: every property a rule reads is unknown, never
 * the cloud default.
 */
import { everyFieldUnknown } from "../unknowns";
import { inputFormat, isObject, type Found, type NotJudged, type Obj } from "./contract";
import { resourceIdParts } from "./inventory";
import { stateResource } from "./pulumi-state";

interface SearchPage extends Obj {
  resources: Obj[];
}

const isResult = (r: unknown): r is Obj => isObject(r) && typeof r.type === "string" && (typeof r.urn === "string" || typeof r.stack === "string");

const NO_PROPERTIES = "not in the export (search with properties=true)";

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

function readResult(r: Obj, i: number, notJudged: NotJudged[]): Found[] {
  const path = ["resources", i];
  const type = r.type as string;
  if (r.delete === true) {
    notJudged.push({ path, type, name: text(r.name) ?? text(r.urn)?.split("::").pop() ?? "(unnamed)", message: "pending deletion (its replacement is judged)" });
    return [];
  }
  const state = { type, urn: r.urn, inputs: isObject(r.properties) ? r.properties : {} };
  const found = stateResource(state, path, i, true);
  if (!found || found.shape !== "pulumi") return [];
  if (!isObject(r.properties)) {
    // Every field a rule reads is unknown.
    const { props, unknowns } = everyFieldUnknown(type, NO_PROPERTIES);
    Object.assign(found.props, props);
    found.unknowns.push(...unknowns);
  }
  const props = found.props;
  const ids = resourceIdParts(r.id);
  return [
    {
      ...found,
      name: text(r.name) ?? found.name,
      path: isObject(r.properties) ? [...path, "properties"] : path,
      origin: {
        ...(text(r.id) ? { resourceId: text(r.id) } : {}),
        ...(ids.subscription ? { subscription: ids.subscription } : {}),
        ...(ids.resourceGroup ? { resourceGroup: ids.resourceGroup } : {}),
        ...(text(props.location) ? { location: text(props.location) } : {}),
        ...(text(r.stack) ? { stack: text(r.stack) } : {}),
        ...(text(r.project) ? { project: text(r.project) } : {}),
      },
    },
  ];
}

export const pulumiCloud = inputFormat({
  id: "pulumi-cloud",
  title: "Pulumi Cloud resource search results",
  shape: "a Pulumi Cloud resource search page ({total, resources[]})",
  readme:
    "**Pulumi Cloud resource search** pages (`GET /api/orgs/{org}/search/resourcesv2?properties=true`, " +
    "[Resource Search](https://www.pulumi.com/docs/reference/cloud-rest-api/resource-search/)): every resource of every stack with its " +
    "recorded properties, grouped by stack and project. `[secret]` is unknown; a page searched without `properties=true` has every " +
    "property unknown.",
  inventory: true,
  recognise: (data: unknown): data is SearchPage => isObject(data) && Array.isArray(data.resources) && (typeof data.total === "number" || isObject(data.pagination)) && data.resources.every(isResult),
  read: (data) => {
    const notJudged: NotJudged[] = [];
    return { resources: data.resources.flatMap((r, i) => readResult(r, i, notJudged)), notJudged };
  },
});
