/**
 * The JSON of `az deployment … what-if` (or the REST WhatIfOperationResult, with `changes` under
 * `properties`): changeType Create/Modify/NoChange/Deploy carry the resolved resource in `after`
 * (What-if, https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if).
 * Keys are matched case-insensitively, as Resource Manager matches them.
 */
import { entry } from "../../../arm-template";
import type { JsonPath } from "../parse";
import { inputFormat, isObject, type Found, type Obj } from "./contract";

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
  readme:
    "**`az deployment … what-if`** JSON: the resolved `after` of every resource that will exist " +
    "([What-if](https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if)).",
  recognise: (data: unknown): data is Obj => {
    const { changes } = changesOf(data);
    return isObject(data) && Array.isArray(changes) && changes.every((c) => isObject(c) && entry(c, "changeType")?.[1] !== undefined);
  },
  read: (data) => {
    const { base, changes } = changesOf(data);
    const resources: Found[] = [];
    (Array.isArray(changes) ? changes : []).forEach((change: unknown, i: number) => {
      const type = String(entry(change, "changeType")?.[1]).toLowerCase();
      const after = entry(change, "after");
      if (type === "delete" || type === "ignore" || !after || !isObject(after[1])) return;
      resources.push({ shape: "arm", resource: after[1], path: [...base, i, after[0]], unknowns: [] });
    });
    return { resources, notJudged: [] };
  },
});
