/** Pulumi inputs with one logical field made unknown, wherever the shape stores it. */
import type { FieldBinding, FieldType, LogicalField } from "../../core/targets";

function withValue(props: Record<string, unknown>, pathTo: string[], value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props));
  let node = copy;
  for (const key of pathTo.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[pathTo[pathTo.length - 1]] = value;
  return copy;
}

/**
 * `props` with one logical field unknown (`unknown(type)` gives the sentinel for a field type); a
 * standalone child resource (empty path) has each of its element fields unknown. A field the shape
 * cannot express (empty path, no elements) has nothing to make unknown: `props` comes back as it is.
 */
export function withUnknownField(props: Record<string, unknown>, binding: FieldBinding, field: LogicalField, unknown: (type: FieldType) => unknown): Record<string, unknown> {
  if (binding.path.length > 0) return withValue(props, binding.path, unknown(field.type));
  // An element field the shape cannot express (empty path) has nothing to make unknown.
  return Object.entries(binding.elements ?? {}).reduce((acc, [name, e]) => (e.path.length === 0 ? acc : withValue(acc, e.path, unknown(field.elements?.[name].type ?? "string"))), props);
}
