import { SQS_ACTIONS } from "../emulator/index.js";
import { parseDuration } from "../clock/index.js";
import { FAULT_ERROR_NAMES, isFaultErrorName } from "./fault-errors.js";
import { compileThrottle, type ThrottleEffect } from "./token-bucket.js";

/** What a matching request gets instead of (or on top of) the backend's answer. */
export type FaultEffect =
  | { kind: "error"; error: string }
  | { kind: "delay"; minMs: number; maxMs: number }
  /** The backend commits; the client then sees its connection reset, or no answer until it times out. */
  | { kind: "dropResponse"; as: "reset" | "timeout" }
  /** The connection resets before the backend sees the request. */
  | { kind: "reset" }
  /** Chosen batch entries come back in `Failed[]` (and are not passed on); the rest go through. */
  | { kind: "partial"; entries: (number | string)[] | "matching"; senderFault: boolean; code: string; message: string }
  /** A token bucket per queue and action; requests over the rate get `error` (token-bucket.ts). */
  | ThrottleEffect;

export interface FaultMatch {
  /** Queue name, or a full queue URL (compared by name). */
  queue?: string;
  /** MessageGroupId of any entry. */
  group?: string;
  /** Batch entry: 0-based index, or its `Id`. */
  entry?: number | string;
  /** The n-th time (1-based) the same message is sent (same dedup id, else same body) or the same request repeats. */
  attempt?: number;
  /** Substring of any entry's body; `/…/flags` for a regular expression. */
  body?: string;
  /** An entry has this message attribute (with this string value, when given). */
  attribute?: { name: string; value?: string };
}

export interface FaultRule {
  /** Position in the list (0-based): what journal records and errors name. */
  index: number;
  name?: string;
  on: string;
  match: FaultMatch;
  effect: FaultEffect;
  /** Fires at most this many times. */
  times?: number;
  /** Fires with this chance (the run's seeded PRNG). */
  probability?: number;
  /** Only between these offsets from when the rule list was installed, in clock ms. */
  during?: { fromMs: number; toMs: number };
  /** Only once this many matching requests have gone by. */
  after?: number;
}

export interface FaultRuleError {
  rule: number;
  field: string;
  message: string;
}

export type FaultRulesCheck = { ok: true; rules: FaultRule[] } | { ok: false; errors: FaultRuleError[] };

const ACTIONS = new Set<string>(SQS_ACTIONS);
const BATCH_ACTIONS = new Set(["SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"]);
const EFFECTS = ["error", "delay", "dropResponse", "reset", "partial", "throttle"] as const;
/** `index` is accepted and ignored: GET /api/faults writes it, and its answer can be PUT back as it is. */
const RULE_FIELDS = new Set(["index", "name", "on", "match", ...EFFECTS, "times", "probability", "during", "after"]);
const MATCH_FIELDS = new Set(["queue", "group", "entry", "attempt", "body", "attribute"]);

/**
 * Validates a whole rule list (DESIGN "Faults"); any error rejects the list, so a running set is only
 * ever replaced by one that is entirely valid. Accepts `{rules: [...]}` or a bare array.
 *
 * @example
 * compileFaultRules([{ on: "SendMessageBatch", match: { queue: "orders.fifo" }, error: "Throttling", times: 3 }])
 */
export function compileFaultRules(input: unknown): FaultRulesCheck {
  const list = Array.isArray(input) ? input : isObject(input) && Array.isArray(input.rules) ? input.rules : undefined;
  if (isObject(input)) {
    const extra = Object.keys(input).filter((k) => k !== "rules");
    if (extra.length > 0) return { ok: false, errors: [{ rule: -1, field: extra[0]!, message: `Unknown field '${extra[0]}' next to "rules".` }] };
  }
  if (!list) return { ok: false, errors: [{ rule: -1, field: "rules", message: "Faults must be a list of rules (or {\"rules\": [...]})." }] };
  const errors: FaultRuleError[] = [];
  const rules: FaultRule[] = [];
  list.forEach((raw: unknown, index: number) => {
    const rule = compileRule(raw, index, (field, message) => errors.push({ rule: index, field: `rules[${index}].${field}`, message: `Rule ${index}${nameOf(raw)}: ${message}` }));
    if (rule) rules.push(rule);
  });
  errors.push(...overlappingWindows(rules));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

function compileRule(raw: unknown, index: number, fail: (field: string, message: string) => void): FaultRule | undefined {
  if (!isObject(raw)) {
    fail("", "a rule must be an object such as {\"on\": \"SendMessageBatch\", \"error\": \"Throttling\"}.");
    return undefined;
  }
  const before = failures(fail);
  for (const key of Object.keys(raw)) if (!RULE_FIELDS.has(key)) before.fail(key, `unknown field '${key}' (one of ${[...RULE_FIELDS].join(", ")}).`);

  const on = raw.on ?? "*";
  if (typeof on !== "string" || (on !== "*" && !ACTIONS.has(on))) before.fail("on", `'${String(on)}' is not an SQS action (or "*"); e.g. SendMessageBatch, ReceiveMessage.`);
  const name = raw.name;
  if (name !== undefined && typeof name !== "string") before.fail("name", "name must be a string.");

  const present = EFFECTS.filter((e) => raw[e] !== undefined && raw[e] !== false);
  let effect: FaultEffect | undefined;
  if (present.length !== 1) {
    before.fail(present.length === 0 ? "error" : present[1]!, `give exactly one effect of ${EFFECTS.join(", ")}${present.length > 1 ? ` (found ${present.join(" and ")})` : ""}.`);
  } else {
    effect = compileEffect(present[0]!, raw[present[0]!], typeof on === "string" ? on : "*", before.fail);
  }
  const match = compileMatch(raw.match, before.fail);
  const rule: FaultRule = { index, on: typeof on === "string" ? on : "*", match: match ?? {}, effect: effect ?? { kind: "reset" } };
  if (typeof name === "string") rule.name = name;
  if (raw.times !== undefined) {
    if (!isPositiveInteger(raw.times)) before.fail("times", "times must be an integer ≥ 1.");
    else rule.times = raw.times;
  }
  if (raw.after !== undefined) {
    if (!Number.isInteger(raw.after) || (raw.after as number) < 0) before.fail("after", "after must be an integer ≥ 0 (matching requests to let through first).");
    else rule.after = raw.after as number;
  }
  if (raw.probability !== undefined) {
    const p = raw.probability;
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) before.fail("probability", `probability must be a number from 0 to 1, not ${JSON.stringify(p)}.`);
    else rule.probability = p;
  }
  if (raw.during !== undefined) {
    const during = raw.during;
    const fromMs = isObject(during) ? parseDuration(during.from ?? 0) : undefined;
    const toMs = isObject(during) ? parseDuration(during.to) : undefined;
    if (fromMs === undefined || toMs === undefined) before.fail("during", "during must be {\"from\": \"10s\", \"to\": \"40s\"} (durations from when the rules were set).");
    else if (toMs <= fromMs) before.fail("during.to", "during.to must be after during.from.");
    else rule.during = { fromMs, toMs };
  }
  return before.count() === 0 ? rule : undefined;
}

function compileEffect(kind: (typeof EFFECTS)[number], value: unknown, on: string, fail: (field: string, message: string) => void): FaultEffect | undefined {
  switch (kind) {
    case "error":
      if (typeof value !== "string" || !isFaultErrorName(value)) {
        fail("error", `unknown error '${String(value)}' (one of ${FAULT_ERROR_NAMES.join(", ")}).`);
        return undefined;
      }
      return { kind, error: value };
    case "delay": {
      if (isObject(value)) {
        const minMs = parseDuration(value.min ?? 0);
        const maxMs = parseDuration(value.max);
        if (minMs === undefined || maxMs === undefined || maxMs < minMs) {
          fail("delay", "delay must be a duration (250, \"250ms\", \"2s\") or {\"min\": …, \"max\": …} with max ≥ min.");
          return undefined;
        }
        return { kind, minMs, maxMs };
      }
      const ms = parseDuration(value);
      if (ms === undefined) {
        fail("delay", "delay must be a duration (250, \"250ms\", \"2s\") or {\"min\": …, \"max\": …}.");
        return undefined;
      }
      return { kind, minMs: ms, maxMs: ms };
    }
    case "dropResponse":
      if (value !== true && value !== "reset" && value !== "timeout") {
        fail("dropResponse", "dropResponse must be true (connection reset after the backend commits) or \"timeout\" (no answer at all).");
        return undefined;
      }
      return { kind, as: value === "timeout" ? "timeout" : "reset" };
    case "reset":
      if (value !== true) {
        fail("reset", "reset must be true.");
        return undefined;
      }
      return { kind };
    case "partial": {
      if (!BATCH_ACTIONS.has(on)) {
        fail("on", `partial needs a batch action in "on" (${[...BATCH_ACTIONS].join(", ")}), not '${on}'.`);
        return undefined;
      }
      const p = isObject(value) ? value : value === true ? {} : undefined;
      if (!p) {
        fail("partial", "partial must be {\"entries\": [0, 2], \"senderFault\": false} (entries default to those the match selects).");
        return undefined;
      }
      const entries = p.entries ?? "matching";
      if (entries !== "matching" && !(Array.isArray(entries) && entries.length > 0 && entries.every((e) => isNonNegativeInteger(e) || (typeof e === "string" && e !== "")))) {
        fail("partial.entries", "partial.entries must be a list of entry indexes (0-based) or entry Ids.");
        return undefined;
      }
      if (p.senderFault !== undefined && typeof p.senderFault !== "boolean") {
        fail("partial.senderFault", "partial.senderFault must be true or false.");
        return undefined;
      }
      const senderFault = p.senderFault ?? false;
      const code = p.code ?? (senderFault ? "InvalidParameterValue" : "InternalError");
      if (typeof code !== "string" || code === "") {
        fail("partial.code", "partial.code must be an error code string.");
        return undefined;
      }
      const message = typeof p.message === "string" ? p.message : senderFault ? "The request was rejected: injected entry failure." : "Internal error: injected entry failure.";
      return { kind, entries: entries as (number | string)[] | "matching", senderFault, code, message };
    }
    case "throttle":
      return compileThrottle(value, fail);
  }
}

function compileMatch(raw: unknown, fail: (field: string, message: string) => void): FaultMatch | undefined {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    fail("match", "match must be an object such as {\"queue\": \"orders.fifo\"}.");
    return undefined;
  }
  const match: FaultMatch = {};
  for (const key of Object.keys(raw)) if (!MATCH_FIELDS.has(key)) fail(`match.${key}`, `unknown match field '${key}' (one of ${[...MATCH_FIELDS].join(", ")}).`);
  for (const key of ["queue", "group", "body"] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== "string" || v === "") fail(`match.${key}`, `match.${key} must be a non-empty string.`);
    else if (key === "body" && v.startsWith("/") && !regexOf(v)) fail("match.body", `'${v}' is not a valid /regular expression/.`);
    else match[key] = v;
  }
  if (raw.entry !== undefined) {
    if (!isNonNegativeInteger(raw.entry) && !(typeof raw.entry === "string" && raw.entry !== "")) fail("match.entry", "match.entry must be a 0-based index or an entry Id.");
    else match.entry = raw.entry as number | string;
  }
  if (raw.attempt !== undefined) {
    if (!isPositiveInteger(raw.attempt)) fail("match.attempt", "match.attempt must be an integer ≥ 1.");
    else match.attempt = raw.attempt;
  }
  if (raw.attribute !== undefined) {
    const a = raw.attribute;
    if (!isObject(a) || typeof a.name !== "string" || (a.value !== undefined && typeof a.value !== "string")) {
      fail("match.attribute", "match.attribute must be {\"name\": \"eventType\", \"value\": \"order.created\"} (value optional).");
    } else {
      match.attribute = a.value === undefined ? { name: a.name } : { name: a.name, value: a.value };
    }
  }
  return match;
}

/**
 * Two rules for the same requests (same `on`, same `match`) whose `during` windows overlap would make
 * the later one unreachable in the overlap — almost always a mistake in a timeline; name both.
 */
function overlappingWindows(rules: FaultRule[]): FaultRuleError[] {
  const errors: FaultRuleError[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      // Only an earlier rule that fires on every request it matches shadows the later one.
      const alwaysFires = a.times === undefined && a.probability === undefined && a.after === undefined && a.effect.kind !== "throttle";
      const sameRequests = (a.on === b.on || a.on === "*") && JSON.stringify(a.match) === JSON.stringify(b.match);
      if (!a.during || !b.during || !alwaysFires || !sameRequests) continue;
      if (a.during.fromMs < b.during.toMs && b.during.fromMs < a.during.toMs) {
        errors.push({
          rule: b.index,
          field: `rules[${b.index}].during`,
          message: `Rule ${b.index}${b.name ? ` (${b.name})` : ""}: its during window overlaps rule ${a.index}'s for the same requests (on ${b.on}, same match); rule ${a.index} would always win there.`,
        });
      }
    }
  }
  return errors;
}

/** `/abc/i` → RegExp; anything else → undefined. */
export function regexOf(text: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (!m) return undefined;
  try {
    // Without g/y: a RegExp with them keeps lastIndex between tests and would skip matches.
    return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ""));
  } catch {
    return undefined;
  }
}

function failures(fail: (field: string, message: string) => void) {
  let count = 0;
  return {
    fail: (field: string, message: string) => {
      count++;
      fail(field, message);
    },
    count: () => count,
  };
}

function nameOf(raw: unknown): string {
  return isObject(raw) && typeof raw.name === "string" ? ` (${raw.name})` : "";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1;
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}
