import type { JournalRecord } from "../journal/index.js";
import { accepted } from "./accepted.js";
import { attempts, type AttemptsOptions } from "./attempts.js";
import { consumerSaw, type ConsumerSawOptions } from "./consumer-saw.js";
import { dedupHits, type DedupHitsOptions } from "./dedup-hits.js";
import { delivered, type DeliveredOptions } from "./delivered.js";
import { dlq, type DlqOptions } from "./dlq.js";
import { fifoOrder, type FifoOrderOptions } from "./fifo-order.js";
import { latency, LATENCY_PHASES, LATENCY_STATS, type LatencyOptions } from "./latency.js";
import { noDuplicates, type NoDuplicatesOptions } from "./no-duplicates.js";
import { noLoss, type NoLossOptions } from "./no-loss.js";
import {
  boolean,
  count,
  duration,
  isPlainObject,
  listOf,
  mapOf,
  objectOf,
  oneOfValues,
  problemsOf,
  show,
  string,
  type OptionProblem,
  type Validator,
} from "./options.js";
import { fail } from "./support.js";
import type { CheckResult } from "./types.js";

/** The checks a scenario's `expect` may name (DESIGN "Scenarios and checks"); src/scenario re-uses this list. */
export const CHECK_NAMES = ["noLoss", "noDuplicates", "fifoOrder", "dedupHits", "dlq", "delivered", "attempts", "latency", "accepted", "consumerSaw"] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface RegisteredCheck {
  /** Runs the check; `options` must have passed {@link RegisteredCheck.optionProblems}. */
  run(records: readonly JournalRecord[], options: unknown): CheckResult;
  /** What is wrong with a scenario's raw option value (`{}` for a bare name); empty when usable. */
  optionProblems(options: unknown): OptionProblem[];
}

/** A count (`count`) or a lower bound (`atLeast`), not both. */
const countOrAtLeast =
  (where: string): Validator =>
  (value, path, out) => {
    if (isPlainObject(value) && value.count !== undefined && value.atLeast !== undefined) out.push({ path: [...path, "atLeast"], message: `${where}: give count or atLeast, not both.` });
  };

const all =
  (...validators: Validator[]): Validator =>
  (value, path, out) => {
    const before = out.length;
    for (const v of validators) if (out.length === before) v(value, path, out);
  };

const latencyBounds = (phase: string): Validator => objectOf(`latency.${phase}`, Object.fromEntries(LATENCY_STATS.map((s) => [s, duration(`latency.${phase}.${s}`)])));

const sawAttribute: Validator = (value, path, out) => {
  if (typeof value === "boolean") return;
  objectOf("a consumerSaw message attribute (true, false or { dataType, stringValue, binaryValue })", {
    dataType: string("dataType"),
    stringValue: (v, p, o) => void (typeof v !== "string" && o.push({ path: p, message: `stringValue must be a string, got ${show(v)}.` })),
    binaryValue: string("binaryValue (base64)"),
  })(value, path, out);
};

const VALIDATORS: Record<CheckName, Validator> = {
  noLoss: objectOf("noLoss options", { atConsumer: boolean("noLoss.atConsumer") }),
  noDuplicates: objectOf("noDuplicates options", { at: oneOfValues("noDuplicates.at", ["queue", "consumer"]) }),
  fifoOrder: objectOf("fifoOrder options", { atConsumer: boolean("fifoOrder.atConsumer") }),
  dedupHits: all(objectOf("dedupHits options", { count: count("dedupHits.count"), atLeast: count("dedupHits.atLeast"), queue: string("dedupHits.queue") }), countOrAtLeast("dedupHits")),
  dlq: objectOf("dlq options", {
    count: count("dlq.count"),
    reasons: (value, path, out) =>
      Array.isArray(value) ? listOf("dlq.reasons", string("a dlq reason"))(value, path, out) : mapOf("dlq.reasons (a list of reasons or a map of reason → count)", count("a dlq reason's count"))(value, path, out),
  }),
  delivered: objectOf("delivered options", { count: count("delivered.count") }, ["count"]),
  attempts: all(
    objectOf("attempts options", {
      max: count("attempts.max"),
      byReason: mapOf("attempts.byReason", objectOf("an attempts.byReason entry", { count: count("count"), atLeast: count("atLeast"), max: count("max") })),
    }),
    (value, path, out) => {
      if (isPlainObject(value) && value.max === undefined && value.byReason === undefined) out.push({ path, message: "attempts needs max and/or byReason." });
    },
  ),
  latency: objectOf("latency options", Object.fromEntries(LATENCY_PHASES.map((p) => [p, latencyBounds(p)]))),
  accepted: objectOf("accepted options (it takes none)", {}),
  consumerSaw: all(
    objectOf("consumerSaw options", {
      consumer: string("consumerSaw.consumer"),
      shape: oneOfValues("consumerSaw.shape", ["lambda", "message"]),
      attributes: mapOf("consumerSaw.attributes", (v, p, o) => void (typeof v !== "string" && typeof v !== "boolean" && o.push({ path: p, message: `an attribute must be a string to equal, true (present) or false (absent), got ${show(v)}.` }))),
      messageAttributes: mapOf("consumerSaw.messageAttributes", sawAttribute),
      body: objectOf("consumerSaw.body", {
        json: (v, p, o) => void (typeof v !== "boolean" && !isPlainObject(v) && o.push({ path: p, message: `body.json must be true or an object the body's JSON contains, got ${show(v)}.` })),
        contains: string("body.contains"),
        equals: (v, p, o) => void (typeof v !== "string" && o.push({ path: p, message: `body.equals must be a string, got ${show(v)}.` })),
      }),
      count: count("consumerSaw.count"),
      atLeast: count("consumerSaw.atLeast"),
    }),
    countOrAtLeast("consumerSaw"),
  ),
};

/** Every check by name: how to run it and how to validate a scenario's options for it. */
export const CHECKS: Record<CheckName, RegisteredCheck> = {
  noLoss: entry("noLoss", (r, o: NoLossOptions) => noLoss(r, o)),
  noDuplicates: entry("noDuplicates", (r, o: NoDuplicatesOptions) => noDuplicates(r, o)),
  fifoOrder: entry("fifoOrder", (r, o: FifoOrderOptions) => fifoOrder(r, o)),
  dedupHits: entry("dedupHits", (r, o: DedupHitsOptions) => dedupHits(r, o)),
  dlq: entry("dlq", (r, o: DlqOptions) => dlq(r, o)),
  delivered: entry("delivered", (r, o: DeliveredOptions) => delivered(r, o)),
  attempts: entry("attempts", (r, o: AttemptsOptions) => attempts(r, o)),
  latency: entry("latency", (r, o: LatencyOptions) => latency(r, o)),
  accepted: entry("accepted", (r) => accepted(r)),
  consumerSaw: entry("consumerSaw", (r, o: ConsumerSawOptions) => consumerSaw(r, o)),
};

function entry<O>(name: CheckName, run: (records: readonly JournalRecord[], options: O) => CheckResult): RegisteredCheck {
  return {
    // Validated by optionProblems first (the scenario loader, or runCheck), so the cast is safe.
    run: (records, options) => run(records, (options ?? {}) as O),
    optionProblems: (options) => problemsOf(VALIDATORS[name], options),
  };
}

export function isCheckName(name: string): name is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(name);
}

/**
 * Runs the check `name` over `records`. Options that do not validate give a failed result listing the
 * problems instead of a check run on garbage (the scenario loader normally refuses them first).
 */
export function runCheck(name: CheckName, options: unknown, records: readonly JournalRecord[]): CheckResult {
  const check = CHECKS[name];
  const problems = check.optionProblems(options);
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.path.length > 0 ? `${p.path.join(".")}: ` : ""}${p.message}`).join("; ");
    return fail(name, `invalid options for ${name}: ${text}`, "valid options", options, []);
  }
  return check.run(records, options);
}
