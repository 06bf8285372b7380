import type { Rule } from "./types";
import { isOwnField, walkRule } from "./walk";

/** The logical fields of its target a rule reads, in the order its conditions first mention them. */
export function fieldsRead(rule: Rule): string[] {
  const names = new Set<string>();
  walkRule(rule, (c, scope) => {
    if (!isOwnField(scope)) return;
    if (c.kind === "leaf" && "field" in c.subject) names.add(c.subject.field);
    else if (c.kind === "anyElement") names.add(c.field);
    else if (c.kind === "noneRelated") names.add(c.equalsField);
  });
  return [...names];
}
