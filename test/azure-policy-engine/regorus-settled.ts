/**
 * Comparisons the Azure Policy docs leave open ("Azure Policy definition structure policy rule" names
 * the operand types of each condition, not how arrays, objects, null or booleans compare), as
 * Microsoft's regorus engine settles them. Each row is a `value` condition with the verdict regorus
 * gives: semantics.test.ts holds the local evaluator to it, and test/e2e/regorus/settled.test.ts
 * holds regorus to it, so no row can claim what regorus does not do.
 */
export type SettledRow = [label: string, condition: object, matched: boolean];

export const SETTLED: SettledRow[] = [
  ["an array equals an array with the same members in the same order", { value: [1, 2], equals: [1, 2] }, true],
  ["...but not in another order", { value: [1, 2], equals: [2, 1] }, false],
  ["...nor a longer array", { value: [1], equals: [1, 2] }, false],
  ["...nor a shorter one", { value: [1, 2], equals: [1] }, false],
  ["...nor one with a member that differs", { value: [1, 2], equals: [1, 3] }, false],
  ["an array does not equal an object keyed by its indexes", { value: [1], equals: { "0": 1 } }, false],
  ["an object equals an object with the same keys and values, in any order", { value: { a: 1, b: "x" }, equals: { b: "x", a: 1 } }, true],
  ["...compared member by member, nested", { value: { a: { b: [1] } }, equals: { a: { b: [1] } } }, true],
  ["...but not with a value that differs", { value: { a: 1 }, equals: { a: 2 } }, false],
  ["...nor with a key more", { value: { a: 1, b: 2 }, equals: { a: 1 } }, false],
  ["...nor with a key fewer", { value: { a: 1 }, equals: { a: 1, b: 2 } }, false],
  ["...nor with other keys of the same number", { value: { a: 1, b: 2 }, equals: { a: 1, c: 2 } }, false],
  ["...nor when a null member stands where the other has no key", { value: { a: null }, equals: { b: null } }, false],
  ["a string does not equal an object", { value: "x", equals: { a: 1 } }, false],
  ["the empty string does not equal an empty array", { value: "", equals: [] }, false],
  ["the empty string does not equal an empty object", { value: "", equals: {} }, false],
  ["true does not equal 1", { value: true, equals: 1 }, false],
  ["null equals the empty string", { value: null, equals: "" }, true],
  ["the empty string equals null", { value: "", equals: null }, true],
  ["null does not equal other text", { value: null, notEquals: "x" }, true],
  ["null is never ordered", { value: null, less: 5 }, false],
  ["false is less than true", { value: false, less: true }, true],
  ["true is greater than false", { value: true, greater: false }, true],
  ["true is not less than true", { value: true, less: true }, false],
  ["true is less than or equal to true", { value: true, lessOrEquals: true }, true],
  ["date-shaped text that is no date compares as text", { value: "2024-13-45", greater: "2024-01-01" }, true],
  ["dates in other formats compare as text", { value: "Jan 2 2024", less: "Feb 1 2024" }, false],
  ["a time on a day is later than the day", { value: "2024-01-01T10:00:00Z", greater: "2024-01-01" }, true],
  ["contains reads a number as its text", { value: 12345, contains: "234" }, true],
  ["contains reads a boolean as its text", { value: false, contains: "als" }, true],
  ["like reads a boolean as its text, case-insensitively", { value: true, like: "TR*" }, true],
  ["like reads a number as its text", { value: 80, like: "8?" }, true],
  ["match reads a number as its text", { value: 42, match: "##" }, true],
  ["contains on an object looks for a key, case-insensitively", { value: { a: 1 }, contains: "A" }, true],
  ["...any of its keys", { value: { a: 1, b: 2 }, contains: "b" }, true],
  ["...reading a number as a key's text", { value: { "1": 1 }, contains: 1 }, true],
  ["...and a boolean too", { value: { true: 1 }, contains: true }, true],
  ["...but not a key it lacks", { value: { a: 1 }, contains: 1 }, false],
  ["...and never an object", { value: { a: 1 }, contains: { a: 1 } }, false],
  ["containsKey reads a number as a key's text", { value: { "1": 1 }, containsKey: 1 }, true],
  ["notContainsKey too", { value: { "1": 1 }, notContainsKey: 1 }, false],
  ["containsKey finds any of the keys", { value: { a: 1, b: 2 }, containsKey: "B" }, true],
  ["contains on an array looks for a member", { value: [1, 2], contains: 2 }, true],
  ["in never matches null, even to a null member", { value: null, in: [null] }, false],
  ["...nor to an empty-string member, which null otherwise equals", { value: null, in: [""] }, false],
  ["...and the empty string never matches a null member", { value: "", in: [null] }, false],
  ["only two ISO 8601 dates compare as dates; a date and other text compare as text", { value: "2024-01-01", greater: "Jan 1 2000" }, false],
];
