/**
 * Azure Resource Graph results, as `az graph query -q "resources | where type =~ '…'"` prints them:
 * `{count, data, skip_token, total_records}` (the resource-graph extension since 2.0; one call is one
 * page of at most 1,000 rows, `--first` and `--skip-token` page on), the REST body it wraps
 * (`{totalRecords, count, data, $skipToken}`), or the bare array of rows (`--query data`, extension 1.x).
 *
 * A row is the resource as its provider returns it on GET ("Resource Graph uses a GET to the latest
 * non-preview API of each resource provider to gather properties and values", Overview of Azure
 * Resource Graph, https://learn.microsoft.com/azure/governance/resource-graph/overview): the
 * provider's defaults filled in and its own property casing below `properties`; `type` is lower-case
 * and compared without regard to case, as every Resource Graph query compares it (`=~`). Rows of a
 * query that projected columns keep what the projection kept; a bound property it left out is
 * unknown (inventory.ts), and a row without `type` cannot be judged at all.
 * Paging: "Work with large Azure resource data sets",
 * https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data.
 */
import { isArmType } from "../../../core/resources/convert";
import type { JsonPath } from "../parse";
import { inputFormat, isObject, type Found, type NotJudged, type Obj } from "./contract";
import { armOrigin, armShapesOf, hasKey, isResourceId, keyOf, restoreProjection } from "./inventory";

type Wrapper = Obj & { data: unknown[] };
const WRAPPER_KEYS = ["skip_token", "total_records", "$skipToken", "totalRecords"];

const isWrapper = (data: unknown): data is Wrapper => isObject(data) && Array.isArray(data.data) && WRAPPER_KEYS.some((k) => k in data);

/**
 * A row of Resource Graph's `resources` table, told from other ARM resources by the table's own
 * columns (`subscriptionId`, `tenantId`) or by its lower-case `type` on a resource ID or a projected row.
 */
function isRow(row: unknown): row is Obj {
  if (!isObject(row)) return false;
  if (hasKey(row, "subscriptionId") || hasKey(row, "tenantId")) return true;
  const type = row[keyOf(row, "type") ?? "type"];
  if (typeof type !== "string" || !isArmType(type) || type !== type.toLowerCase()) return false;
  return !hasKey(row, "properties") || isResourceId(row[keyOf(row, "id") ?? "id"]);
}

const isRows = (data: unknown): data is Obj[] => Array.isArray(data) && data.length > 0 && data.every(isRow);

const PROJECTION = "not in the query's projection (project whole rows, or `properties`)";

function readRow(row: unknown, path: JsonPath, notJudged: NotJudged[]): Found[] {
  if (!isObject(row)) {
    notJudged.push({ path, message: "a Resource Graph row that is not an object was not judged" });
    return [];
  }
  const type = row[keyOf(row, "type") ?? "type"];
  if (typeof type !== "string" || type === "") {
    notJudged.push({ path, message: "a Resource Graph row without a `type` column was not judged: keep `id` and `type` in the query's projection" });
    return [];
  }
  const origin = armOrigin(row);
  const shapes = armShapesOf(type);
  // Types no rule judges are read as they are: `evaluate` reports them as not judged.
  const { resource, unknowns } = shapes.length > 0 ? restoreProjection(row, shapes, PROJECTION) : { resource: row, unknowns: [] };
  return [{ shape: "arm", resource, path, unknowns, origin }];
}

export const resourceGraph = inputFormat({
  id: "resource-graph",
  title: "Azure Resource Graph results",
  shape: "Resource Graph results ({count, data, skip_token, total_records}, or rows with subscriptionId)",
  readme:
    "**Azure Resource Graph results** as `az graph query` writes them (`{count, data, skip_token, total_records}`, one page of up to " +
    "1,000 rows per file, paged with `--first` and `--skip-token`), the REST body, or bare row arrays (`--query data`). Each row is " +
    "the resource as its provider returns it, defaults filled in, and is judged as Azure Policy's compliance scan judges an existing " +
    "resource. Rows of a query that projects columns keep them (`properties.a.b` as `properties_a_b`); a property the projection left " +
    "out is unknown, never the cloud default ([Overview of Azure Resource Graph](https://learn.microsoft.com/azure/governance/resource-graph/overview), " +
    "[Work with large data sets](https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data)).",
  inventory: true,
  recognise: (data: unknown): data is Wrapper | Obj[] => isWrapper(data) || isRows(data),
  read: (data) => {
    const notJudged: NotJudged[] = [];
    if (Array.isArray(data)) return { resources: data.flatMap((row, i) => readRow(row, [i], notJudged)), notJudged };
    const resources = data.data.flatMap((row, i) => readRow(row, ["data", i], notJudged));
    const total = data[keyOf(data, "total_records") ?? keyOf(data, "totalRecords") ?? "total_records"];
    return { resources, notJudged, ...(typeof total === "number" ? { page: { count: data.data.length, totalRecords: total } } : {}) };
  },
});
