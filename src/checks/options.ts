import { parseDuration } from "../clock/index.js";

/**
 * One problem with a check's options as a scenario wrote them. `path` leads from the options value to the
 * offending node (`["byReason", "Throttling", "count"]`); `at: "key"` points at the key itself (an unknown
 * key), else at its value. Checks never import the scenario loader; it maps these onto file positions.
 */
export interface OptionProblem {
  path: (string | number)[];
  message: string;
  at?: "key";
}

/** Validates a value at `path`, pushing what is wrong. */
export type Validator = (value: unknown, path: (string | number)[], out: OptionProblem[]) => void;

export const DURATION_TEXT = "a duration such as 500ms, 2s or 1m (a bare number is milliseconds)";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object with these optional fields (each validated when present), unknown keys refused with a did-you-mean. */
export function objectOf(where: string, fields: Record<string, Validator>, required: readonly string[] = []): Validator {
  return (value, path, out) => {
    const allowed = Object.keys(fields);
    if (!isPlainObject(value)) {
      return void out.push({ path, message: allowed.length > 0 ? `${where} must be an object with ${allowed.join(", ")}, got ${show(value)}.` : `${where}: give none (a bare name), got ${show(value)}.` });
    }
    const meant = new Set<string>();
    for (const [key, field] of Object.entries(value)) {
      if (!allowed.includes(key)) {
        out.push({ path: [...path, key], at: "key", message: unknownKey(key, where, allowed) });
        meant.add(didYouMean(key, allowed) ?? "");
      } else if (field !== undefined) fields[key]!(field, [...path, key], out);
    }
    // A misspelt required key is reported once, as the misspelling.
    for (const key of required) if (value[key] === undefined && !meant.has(key)) out.push({ path, message: `${where} must include ${key}.` });
  };
}

/** A map with any keys, each value validated. */
export function mapOf(where: string, each: Validator): Validator {
  return (value, path, out) => {
    if (!isPlainObject(value)) return void out.push({ path, message: `${where} must be a map.` });
    for (const [key, v] of Object.entries(value)) each(v, [...path, key], out);
  };
}

export function listOf(where: string, each: Validator): Validator {
  return (value, path, out) => {
    if (!Array.isArray(value)) return void out.push({ path, message: `${where} must be a list.` });
    value.forEach((v, i) => each(v, [...path, i], out));
  };
}

export const boolean =
  (where: string): Validator =>
  (value, path, out) => {
    if (typeof value !== "boolean") out.push({ path, message: `${where} must be true or false, got ${show(value)}.` });
  };

export const literalTrue =
  (where: string): Validator =>
  (value, path, out) => {
    if (value !== true) out.push({ path, message: `${where} must be true, got ${show(value)}.` });
  };

/** A whole number ≥ 0. */
export const count =
  (where: string): Validator =>
  (value, path, out) => {
    if (!(Number.isSafeInteger(value) && (value as number) >= 0)) out.push({ path, message: `${where} must be a whole number ≥ 0, got ${show(value)}.` });
  };

export const string =
  (where: string): Validator =>
  (value, path, out) => {
    if (typeof value !== "string" || value === "") out.push({ path, message: `${where} must be a non-empty string, got ${show(value)}.` });
  };

export const oneOfValues =
  (where: string, values: readonly string[]): Validator =>
  (value, path, out) => {
    if (typeof value !== "string" || !values.includes(value)) {
      const hint = typeof value === "string" ? didYouMean(value, values) : undefined;
      out.push({ path, message: `${where} must be one of ${values.join(", ")}, got ${show(value)}.${hint ? ` Did you mean '${hint}'?` : ""}` });
    }
  };

export const duration =
  (where: string): Validator =>
  (value, path, out) => {
    if (parseDuration(value) === undefined) out.push({ path, message: `${where} ${show(value)} is not ${DURATION_TEXT}.` });
  };

/** Runs `validator` over a check's raw option value: `{}` when a scenario names the check bare. */
export function problemsOf(validator: Validator, options: unknown): OptionProblem[] {
  const out: OptionProblem[] = [];
  validator(options ?? {}, [], out);
  return out;
}

/** "Unknown key 'cuont' in delivered options. Did you mean 'count'?" */
export function unknownKey(key: string, where: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  return `Unknown key '${key}' in ${where}.` + (hint ? ` Did you mean '${hint}'?` : allowed.length > 0 ? ` Allowed: ${allowed.join(", ")}.` : "");
}

/**
 * The closest allowed word within edit distance 2 (case-insensitive too), if any. The one did-you-mean of
 * sqsrig: the scenario loader (which may import checks, not the other way round) uses it too.
 */
export function didYouMean(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = Math.min(levenshtein(word, candidate), levenshtein(word.toLowerCase(), candidate.toLowerCase()));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** A value as a message shows it. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Edit distance (insert, delete, substitute), for did-you-mean hints on misspelt keys. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
