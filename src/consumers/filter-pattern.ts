import { ConsumerConfigError } from "./config-error.js";
import type { LambdaSqsRecord } from "./types.js";

/**
 * The subset of EventBridge event pattern syntax the consumers understand (EventBridge User Guide,
 * "Creating Amazon EventBridge event patterns" → "Comparison operators"; Lambda Developer Guide,
 * "Control which events Lambda sends to your function" → "Filter rule syntax"): exact values (string,
 * number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`, `numeric` ranges, `exists`, and
 * `anything-but` (values, or a `prefix`/`suffix`). Keys of one pattern are ANDed, values in one array
 * ORed; an event array matches when any element does.
 */
export type FilterPattern = { [key: string]: FilterPattern | FilterRule[] };
export type FilterRule =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { "equals-ignore-case": string }
  | { numeric: (string | number)[] }
  | { exists: boolean }
  | { "anything-but": string | number | (string | number)[] | { prefix: string } | { suffix: string } };

type Leaf = (value: unknown, present: boolean) => boolean;
/** A compiled pattern: each key a nested pattern or the leaf rules ORed together. */
export interface CompiledPattern {
  readonly keys: ReadonlyArray<{ key: string; nested?: CompiledPattern; leaf?: Leaf; isLeaf: boolean }>;
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/**
 * Checks a pattern once, when the consumer is configured, and turns it into a matcher; a malformed
 * pattern is a {@link ConsumerConfigError} naming the path of the bad part, as EventBridge rejects it
 * when the pipe is created.
 *
 * @example
 * const p = compileFilterPattern({ body: { price: [{ numeric: [">", 10] }] } });
 * matchesPattern(p, { body: { price: 12 } }); // true
 */
export function compileFilterPattern(pattern: unknown, field = "filter"): CompiledPattern {
  if (!isObject(pattern)) throw new ConsumerConfigError(field, "a filter pattern must be a JSON object");
  const keys = Object.entries(pattern).map(([key, value]) => {
    const path = `${field}.${key}`;
    if (Array.isArray(value)) return { key, isLeaf: true, leaf: compileLeaf(value, path) };
    if (isObject(value)) return { key, isLeaf: false, nested: compileFilterPattern(value, path) };
    throw new ConsumerConfigError(path, "each value in a pattern must be an array of rules or a nested pattern object");
  });
  if (keys.length === 0) throw new ConsumerConfigError(field, "a filter pattern must name at least one field");
  return { keys };
}

/** Whether `event` (parsed JSON) matches the compiled pattern. */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  if (Array.isArray(event)) return event.some((e) => matchesPattern(pattern, e));
  const obj = isObject(event) ? event : undefined;
  return pattern.keys.every(({ key, nested, leaf, isLeaf }) => {
    const present = obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);
    const value = present ? obj[key] : undefined;
    if (!isLeaf) return present && matchesPattern(nested!, value);
    return leaf!(value, present);
  });
}

/**
 * Whether an SQS record passes any of the patterns (filters are ORed). `body` is matched the way Lambda
 * and Pipes do it (Lambda Developer Guide, "Using event filtering with an Amazon SQS event source"):
 * a pattern that gives `body` fields needs a JSON body and matches the parsed JSON; a pattern that gives
 * `body` rules needs a plain-string body; "If there is a mismatch, Lambda drops the message".
 */
export function recordMatchesAny(patterns: readonly CompiledPattern[], record: LambdaSqsRecord): boolean {
  let parsed: { json: boolean; value: unknown } | undefined;
  const body = () => (parsed ??= parseBody(record.body));
  return patterns.some((pattern) => {
    const bodyKey = pattern.keys.find((k) => k.key === "body");
    if (!bodyKey) return matchesPattern(pattern, record);
    const { json, value } = body();
    if (json === bodyKey.isLeaf) return false;
    return matchesPattern(pattern, { ...record, body: value });
  });
}

/** A body counts as JSON when it parses to an object or array; `"42"` or `hello` are plain strings. */
function parseBody(body: string): { json: boolean; value: unknown } {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null) return { json: true, value };
  } catch {
    // Not JSON: matched as the plain string it is.
  }
  return { json: false, value: body };
}

function compileLeaf(rules: unknown[], path: string): Leaf {
  if (rules.length === 0) throw new ConsumerConfigError(path, "a rule list must not be empty");
  const tests = rules.map((rule, i) => compileRule(rule, `${path}[${i}]`));
  return (value, present) => tests.some((t) => t(value, present));
}

function compileRule(rule: unknown, path: string): Leaf {
  if (rule === null || typeof rule === "string" || typeof rule === "number" || typeof rule === "boolean") {
    return (value, present) => present && anyElement(value, (v) => v === rule);
  }
  if (!isObject(rule)) throw new ConsumerConfigError(path, "a rule must be a value or an operator object");
  const ops = Object.keys(rule);
  if (ops.length !== 1) throw new ConsumerConfigError(path, `an operator object holds exactly one operator (got ${ops.join(", ") || "none"})`);
  const op = ops[0]!;
  const arg = rule[op];
  switch (op) {
    case "prefix":
    case "suffix":
    case "equals-ignore-case": {
      const test = stringTest(op, arg, `${path}.${op}`);
      return (value, present) => present && anyElement(value, (v) => typeof v === "string" && test(v));
    }
    case "numeric": {
      const test = numericTest(arg, `${path}.numeric`);
      return (value, present) => present && anyElement(value, (v) => typeof v === "number" && test(v));
    }
    case "exists":
      if (typeof arg !== "boolean") throw new ConsumerConfigError(`${path}.exists`, "exists takes true or false");
      // Exists matches leaf values only: a field holding an object is not a leaf.
      return (value, present) => (present && !isObject(value)) === arg;
    case "anything-but":
      return anythingBut(arg, `${path}.anything-but`);
    default:
      throw new ConsumerConfigError(path, `unsupported operator "${op}"`);
  }
}

function anythingBut(arg: unknown, path: string): Leaf {
  if (isObject(arg)) {
    const [op, ...rest] = Object.keys(arg);
    if (rest.length > 0 || (op !== "prefix" && op !== "suffix")) {
      throw new ConsumerConfigError(path, "anything-but takes a value, a list of values, or {prefix} / {suffix}");
    }
    const test = stringTest(op, arg[op], `${path}.${op}`);
    return (value, present) => present && anyElement(value, (v) => typeof v === "string" && !test(v));
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  if (excluded.length === 0 || excluded.some((v) => typeof v !== "string" && typeof v !== "number")) {
    throw new ConsumerConfigError(path, "anything-but values must be strings or numbers");
  }
  return (value, present) => present && anyElement(value, (v) => !excluded.includes(v as string | number));
}

function stringTest(op: string, arg: unknown, path: string): (v: string) => boolean {
  if (typeof arg !== "string") throw new ConsumerConfigError(path, `${op} takes a string`);
  if (op === "prefix") return (v) => v.startsWith(arg);
  if (op === "suffix") return (v) => v.endsWith(arg);
  const lower = arg.toLowerCase();
  return (v) => v.toLowerCase() === lower;
}

/** `[">", 0, "<=", 5]`: one or two (operator, number) pairs, all of which must hold. */
function numericTest(arg: unknown, path: string): (v: number) => boolean {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    throw new ConsumerConfigError(path, 'numeric takes one or two operator/number pairs, e.g. [">", 0, "<=", 5]');
  }
  const checks: ((v: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const cmp = NUMERIC_OPS[arg[i] as string];
    const bound = arg[i + 1];
    if (!cmp || typeof bound !== "number" || !Number.isFinite(bound)) {
      throw new ConsumerConfigError(`${path}[${i}]`, 'expected an operator (=, <, <=, >, >=) followed by a number');
    }
    checks.push((v) => cmp(v, bound));
  }
  return (v) => checks.every((c) => c(v));
}

function anyElement(value: unknown, test: (v: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
