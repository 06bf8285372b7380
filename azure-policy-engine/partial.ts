/**
 * Strings only partly known before deployment: known text around holes the deployment fills in —
 * `/subscriptions/{subscription().subscriptionId}/resourceGroups/rg/providers/…/privatelink.eastus.azmk8s.io`.
 * An ARM template resolver builds them (resourceId() of the deployment's own resource group,
 * format() and concat() with a value only the deployment knows); the evaluator decides a condition
 * on one only when every way of filling the holes gives the same answer, and otherwise reports the
 * value as unknown (UnknownValue), never as a guess.
 *
 * The decision is exact: a string predicate (equals, startsWith, endsWith, contains, like) is an
 * automaton, run over every completion at once — known text character by character, a hole as any
 * run of the characters it may hold.
 */

/** A run of text only the deployment knows. */
export interface Hole {
  /** What fills it, for messages: `subscription().subscriptionId`. */
  readonly label: string;
  /**
   * A name or an ID segment (a subscription ID, a resource group name): never empty, and never a
   * `/`, `"`, `\` or control character ("Naming rules and restrictions for Azure resources",
   * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). Any
   * other hole may hold any text, the empty one included.
   */
  readonly segment: boolean;
}

export type Part = string | Hole;

export class PartialString {
  /** Known runs and holes, never two known runs side by side, never an empty run; at least one hole. */
  readonly parts: readonly Part[];

  constructor(
    parts: readonly Part[],
    /** Why it is only partly known, for the unknown verdict. */
    readonly reason: string,
    /** Where it sits in the resource (`properties.apiServerAccessProfile.privateDNSZone`), once placed there. */
    readonly path?: string,
  ) {
    this.parts = normalise(parts);
  }

  /** The text with each hole shown as `{label}`. */
  toString(): string {
    return this.parts.map((p) => (typeof p === "string" ? p : `{${p.label}}`)).join("");
  }

  /** The same string placed at `path` of a resource. */
  at(path: string): PartialString {
    return new PartialString(this.parts, this.reason, path);
  }
}

function normalise(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (p === "") continue;
    const last = out[out.length - 1];
    if (typeof p === "string" && typeof last === "string") out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/** A string from parts: plain text when no hole is left. */
export function partialString(parts: readonly Part[], reason: string): string | PartialString {
  const normal = normalise(parts);
  // Without a hole, normalising leaves at most one run of text.
  return normal.every((p) => typeof p === "string") ? (normal[0] ?? "") : new PartialString(normal, reason);
}

/**
 * Thrown when a condition or function cannot decide on a partly known string: some completions give
 * one answer and some another. The evaluation's result carries it as `thrown`.
 */
export class UnknownValue extends Error {
  constructor(readonly value: PartialString) {
    super(`${value.path ? `${value.path} ` : "a value "}is only partly known (${value.toString()}), and its completions differ on this`);
  }
}

/** Decided, or the unknown the caller reports. */
export function decided(answer: boolean | undefined, value: PartialString): boolean {
  if (answer === undefined) throw new UnknownValue(value);
  return answer;
}

export function isPartial(v: unknown): v is PartialString {
  return v instanceof PartialString;
}

/** Whether a value holds a partly known string anywhere (depth-limited: values never nest deeper). */
export function containsPartial(v: unknown, depth = 0): boolean {
  if (v instanceof PartialString) return true;
  if (v === null || typeof v !== "object" || depth > 256) return false;
  return Array.isArray(v) ? v.some((x) => containsPartial(x, depth + 1)) : Object.values(v).some((x) => containsPartial(x, depth + 1));
}

/** The first partly known string in a value, for the reason of an unknown. */
export function firstPartial(v: unknown, depth = 0): PartialString | undefined {
  if (v instanceof PartialString) return v;
  if (v === null || typeof v !== "object" || depth > 256) return undefined;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const found = firstPartial(x, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Known text and partly known strings joined (concat(), format()). */
export function joinText(values: readonly (string | PartialString)[]): string | PartialString {
  const parts: Part[] = [];
  let reason = "";
  for (const v of values) {
    if (typeof v === "string") parts.push(v);
    else {
      for (const p of v.parts) parts.push(p);
      reason ||= v.reason;
    }
  }
  return partialString(parts, reason);
}

/** toLower()/toUpper(): the known text mapped, each hole still a hole of its kind (case never makes a `/`). */
export function mapText(v: PartialString, map: (s: string) => string): PartialString {
  return new PartialString(
    v.parts.map((p) => (typeof p === "string" ? map(p) : p)),
    v.reason,
    v.path,
  );
}

/** Characters a segment hole never holds. */
const SEGMENT_FORBIDDEN = /[/"\\\u0000-\u001f\u007f]/;

const holdsChar = (hole: Hole, c: string) => !hole.segment || !SEGMENT_FORBIDDEN.test(c);

/**
 * split() by a delimiter no hole can hold: exact, each piece known or partly known. Undefined when a
 * hole might hold the delimiter (then how many pieces there are is unknown).
 */
export function splitText(v: PartialString, delimiter: string): (string | PartialString)[] | undefined {
  // (An empty delimiter has no character a hole cannot hold, so it is refused here too.)
  if (!v.parts.every((p) => typeof p === "string" || (p.segment && [...delimiter].some((c) => !holdsChar(p, c))))) return undefined;
  const pieces: Part[][] = [[]];
  for (const p of v.parts) {
    if (typeof p !== "string") {
      pieces[pieces.length - 1].push(p);
      continue;
    }
    const [first, ...rest] = p.split(delimiter);
    pieces[pieces.length - 1].push(first);
    for (const r of rest) pieces.push([r]);
  }
  return pieces.map((parts) => partialString(parts, v.reason));
}

/** JSON text of a value holding partly known strings (string()): a hole that escaping may change is any text. */
export function jsonText(value: unknown): string | PartialString {
  const parts: Part[] = [];
  let reason = "";
  const write = (v: unknown): void => {
    if (v instanceof PartialString) {
      reason ||= v.reason;
      parts.push('"');
      // Segment holes hold nothing JSON escapes; any other hole may.
      for (const p of v.parts) parts.push(typeof p === "string" ? JSON.stringify(p).slice(1, -1) : p.segment ? p : { label: p.label, segment: false });
      parts.push('"');
    } else if (Array.isArray(v)) {
      parts.push("[");
      v.forEach((x, i) => {
        if (i > 0) parts.push(",");
        write(x);
      });
      parts.push("]");
    } else if (v !== null && typeof v === "object") {
      parts.push("{");
      Object.entries(v).forEach(([k, x], i) => {
        if (i > 0) parts.push(",");
        parts.push(`${JSON.stringify(k)}:`);
        write(x);
      });
      parts.push("}");
    } else parts.push(JSON.stringify(v) ?? "null");
  };
  write(value);
  return partialString(parts, reason);
}

// -- deciding predicates over every completion ------------------------------------------------

/** A nondeterministic automaton over characters: states are 0 (the start) to `size - 1`. */
interface Automaton {
  size: number;
  /** Every character the automaton tells apart; any other character behaves like `other`. */
  alphabet: string[];
  step(state: number, c: string): number[];
  accepts(state: number): boolean;
}

/** A character no predicate names, standing for every such character in a hole. */
const OTHER = "\u{E000}";

/** A set of states as its members in ascending order, and its key. */
type States = readonly number[];
const key = (states: States) => states.join(",");

function advance(a: Automaton, states: States, c: string): States {
  const next = new Uint8Array(a.size);
  for (const s of states) for (const t of a.step(s, c)) next[t] = 1;
  const out: number[] = [];
  next.forEach((on, t) => {
    if (on) out.push(t);
  });
  return out;
}

/**
 * Whether every completion of `text` is accepted (true), none is (false), or some are and some are
 * not (undefined). The automaton runs on sets of states (its deterministic form), over the known
 * characters and, for a hole, over every run of characters the hole may hold.
 */
export function decide(text: PartialString, a: Automaton): boolean | undefined {
  let frontier: States[] = [[0]];
  for (const part of text.parts) {
    const next = new Map<string, States>();
    if (typeof part === "string") {
      for (const states of frontier) {
        let s = states;
        for (const c of part) s = advance(a, s, c);
        next.set(key(s), s);
      }
    } else {
      const chars = [...a.alphabet, OTHER].filter((c) => holdsChar(part, c));
      // Every set reachable by one or more characters the hole may hold (zero more for a hole that may be empty).
      // The frontier is consumed here: it is replaced once the hole's sets are known.
      const queue = frontier;
      if (!part.segment) for (const s of queue) next.set(key(s), s);
      const seen = new Set<string>();
      while (queue.length > 0) {
        const states = queue.pop()!;
        for (const c of chars) {
          const s = advance(a, states, c);
          const k = key(s);
          if (seen.has(k)) continue;
          seen.add(k);
          next.set(k, s);
          queue.push(s);
        }
      }
    }
    frontier = [...next.values()];
  }
  const verdicts = new Set(frontier.map((s) => s.some((state) => a.accepts(state))));
  return verdicts.size === 1 ? [...verdicts][0] : undefined;
}

const chars = (s: string) => [...new Set(s)];

/** `text === s` */
export function equalsAutomaton(s: string): Automaton {
  const cs = [...s];
  // Past the end, cs[i] is no character: no step.
  return { size: cs.length + 1, alphabet: chars(s), step: (i, c) => (cs[i] === c ? [i + 1] : []), accepts: (i) => i === cs.length };
}

/** A glob: `*` any run, `?` any one character, anything else itself (Azure Policy's `like`). */
export function globAutomaton(pattern: string): Automaton {
  const ps = [...pattern];
  // State i: the first i pattern characters are matched; a `*` may match more at i+1.
  const closure = (i: number): number[] => {
    const out = [i];
    while (ps[i] === "*") out.push(++i);
    return out;
  };
  return {
    size: ps.length + 1,
    // (The wildcards are in it too: as characters of a hole they are just more representatives.)
    alphabet: chars(pattern),
    step: (i, c) => {
      const out: number[] = [];
      for (const j of closure(i)) {
        if (ps[j] === "*") for (const k of closure(j)) out.push(k);
        // Past the end, ps[j] is no character.
        else if (ps[j] === "?" || ps[j] === c) for (const k of closure(j + 1)) out.push(k);
      }
      return out;
    },
    accepts: (i) => closure(i).includes(ps.length),
  };
}

/** startsWith / endsWith / contains of literal text (`*` and `?` in it are themselves). */
export function textAutomaton(kind: "startsWith" | "endsWith" | "contains", s: string): Automaton {
  const cs = [...s];
  const n = cs.length;
  // State i: the needle's first i characters are matched at the place it is looked for. Unless it
  // must start the text, a match may begin at any character: state 0 is always among the states.
  return {
    size: n + 1,
    alphabet: chars(s),
    step: (i, c) => {
      const out: number[] = [];
      if (kind !== "startsWith") out.push(0);
      // Past the end, cs[i] is no character.
      if (cs[i] === c) out.push(i + 1);
      if (i === n && kind !== "endsWith") out.push(n);
      return out;
    },
    accepts: (i) => i === n,
  };
}
