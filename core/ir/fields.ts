import type { Condition, Rule } from "./types";

/** The logical fields a rule reads, in the order its conditions first mention them. */
export function fieldsRead(rule: Rule): string[] {
  const names = new Set<string>();
  const visit = (c: Condition): void => {
    if (c.kind === "leaf") {
      if ("field" in c.subject) names.add(c.subject.field);
    } else if (c.kind === "anyElement") names.add(c.field);
    else if (c.kind === "noneRelated") names.add(c.equalsField);
    else (c.kind === "not" ? [c.condition] : c.conditions).forEach(visit);
  };
  [rule.when, rule.failsWhen].forEach((c) => c && visit(c));
  return [...names];
}
