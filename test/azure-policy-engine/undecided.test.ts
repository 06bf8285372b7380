/**
 * allOf and anyOf when a part cannot be decided: a resource whose value the caller does not know
 * throws when read (`apiguard evaluate` wraps such resources so), and the other parts still decide
 * where they can — one false part decides allOf, one true part anyOf — as CrossGuard's three-valued
 * semantics does. Evaluation errors are Azure's and are never set aside.
 */
import { evaluatePolicy } from "../../azure-policy-engine";

class Undecided extends Error {}

/** A resource whose `properties.secret` throws when read, as an unknown value does. */
function resource(known: Record<string, unknown>): unknown {
  const properties = { ...known };
  Object.defineProperty(properties, "secret", {
    enumerable: true,
    get: () => {
      throw new Undecided("properties.secret is unknown");
    },
  });
  return { type: "Microsoft.Contoso/widgets", name: "w", properties };
}

const UNDECIDED = { field: "Microsoft.Contoso/widgets/secret", equals: "x" };
const TRUE = { field: "Microsoft.Contoso/widgets/flag", equals: true };
const FALSE = { field: "Microsoft.Contoso/widgets/flag", equals: false };
const FAILING = { value: "[div(1, 0)]", equals: 1 };

function outcome(condition: unknown): string {
  const result = evaluatePolicy({ if: condition, then: { effect: "deny" } }, resource({ flag: true }));
  if (result.thrown instanceof Undecided) return "undecided";
  if (result.error) return `error: ${result.error}`;
  return result.effect === "deny" ? "true" : "false";
}

test.each([
  ["anyOf: an undecided part, then a true one", { anyOf: [UNDECIDED, TRUE] }, "true"],
  ["anyOf: a true part, then an undecided one", { anyOf: [TRUE, UNDECIDED] }, "true"],
  ["anyOf: an undecided part and a false one", { anyOf: [UNDECIDED, FALSE] }, "undecided"],
  ["anyOf: only false parts", { anyOf: [FALSE, FALSE] }, "false"],
  ["allOf: an undecided part, then a false one", { allOf: [UNDECIDED, FALSE] }, "false"],
  ["allOf: a false part, then an undecided one", { allOf: [FALSE, UNDECIDED] }, "false"],
  ["allOf: an undecided part and a true one", { allOf: [UNDECIDED, TRUE] }, "undecided"],
  ["allOf: only true parts", { allOf: [TRUE, TRUE] }, "true"],
  ["not of an undecided part", { not: UNDECIDED }, "undecided"],
  ["nested: anyOf of an undecided allOf and a true part", { anyOf: [{ allOf: [UNDECIDED, TRUE] }, TRUE] }, "true"],
  ["nested: allOf of an undecided anyOf and a false part", { allOf: [{ anyOf: [UNDECIDED, FALSE] }, FALSE] }, "false"],
])("%s → %s", (_name, condition, expected) => {
  expect(outcome(condition)).toBe(expected);
});

test.each([
  ["anyOf", { anyOf: [FAILING, TRUE] }],
  ["allOf", { allOf: [FAILING, FALSE] }],
  ["anyOf after an undecided part", { anyOf: [UNDECIDED, FAILING, TRUE] }],
])("an evaluation error in %s ends the evaluation, whatever the other parts say", (_name, condition) => {
  expect(outcome(condition)).toMatch(/^error: evaluation error: .*div/);
});

test("the first undecided part is the one reported", () => {
  const result = evaluatePolicy({ if: { anyOf: [UNDECIDED, { field: "Microsoft.Contoso/widgets/other", equals: "x" }, FALSE] }, then: { effect: "deny" } }, resource({ flag: true }));
  expect((result.thrown as Error).message).toBe("properties.secret is unknown");
});
