/**
 * The JSON of `az deployment … what-if` (or the REST WhatIfOperationResult, with `changes` under
 * `properties`): changeType Create/Modify/NoChange/Deploy carry the resolved resource in `after`
 * (What-if, https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if).
 * Keys are matched case-insensitively, as Resource Manager matches them.
 */
import { entry } from "../../../arm-template";
import type { JsonPath } from "../parse";
import { inputFormat, isObject, type Found, type NotJudged, type Obj } from "./contract";

/** The change list and where it is: top-level `changes`, else `properties.changes`. */
function changesOf(data: unknown): { base: JsonPath; changes: unknown } {
  const top = entry(data, "changes");
  if (top && top[1] !== undefined && top[1] !== null) return { base: [top[0]], changes: top[1] };
  const properties = entry(data, "properties");
  const inner = entry(properties?.[1], "changes");
  return properties && inner ? { base: [properties[0], inner[0]], changes: inner[1] } : { base: [], changes: undefined };
}

export const whatIf = inputFormat({
  id: "what-if",
  title: "what-if output",
  shape: "what-if output (changes[])",
  readme: "**`az deployment … what-if`** JSON: the resolved `after` of every resource that will exist " + "([What-if](https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if)).",
  recognise: (data: unknown): data is Obj => {
    const { changes } = changesOf(data);
    return isObject(data) && Array.isArray(changes) && changes.every((c) => isObject(c) && entry(c, "changeType")?.[1] !== undefined);
  },
  read: (data) => {
    const { base, changes } = changesOf(data);
    const resources: Found[] = [];
    const notJudged: NotJudged[] = [];
    (Array.isArray(changes) ? changes : []).forEach((change: unknown, i: number) => {
      const changeType = String(entry(change, "changeType")?.[1]);
      const after = entry(change, "after");
      if (after && isObject(after[1]) && !["delete", "ignore"].includes(changeType.toLowerCase())) {
        resources.push({ shape: "arm", resource: after[1], path: [...base, i, after[0]], unknowns: [] });
        return;
      }
      // Deleted, ignored (in the scope but not in the template: "won't be deployed or modified"), or no `after`.
      const before = entry(change, "before")?.[1];
      const type = entry(after?.[1] ?? before, "type")?.[1];
      const id = entry(change, "resourceId")?.[1];
      notJudged.push({
        path: [...base, i],
        type: typeof type === "string" ? type : undefined,
        name: typeof id === "string" ? id.slice(id.lastIndexOf("/") + 1) : `change ${i}`,
        message: `what-if change \`${changeType}\`: ${["delete", "ignore"].includes(changeType.toLowerCase()) ? "not deployed by this template" : "no `after` to judge"}`,
      });
    });
    return { resources, notJudged };
  },
});
