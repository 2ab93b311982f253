import type { JournalRecord, RecordOf } from "../journal/index.js";
import { fail, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface ReasonCount {
  /** Exactly this many failed attempts with the reason. */
  count?: number;
  atLeast?: number;
  /** At most this many. */
  max?: number;
}

export interface AttemptsOptions {
  /** No delivery took more SendMessageBatch attempts than this. */
  max?: number;
  /**
   * Failed attempts per reason: an `entry.result` with `ok: false` counts under its `failure.code`
   * (`RequestThrottled`, `InternalError`…), or its `failure.kind` (`timeout`, `reset`) when SQS sent no
   * code. Names match whichever wire spelling the journal holds: `AWS.SimpleQueueService.X`, `X` and
   * `XException` are one reason. A reason that never occurred counts 0.
   */
  byReason?: Record<string, ReasonCount>;
}

/**
 * `attempts` (DESIGN "Scenarios and checks"; "Engine" Retries: optional max attempts): the attempts each
 * delivery took to settle, from `event.delivered` / `event.deadLettered`, and how many attempts failed
 * for each reason, from `entry.result`.
 */
export function attempts(records: readonly JournalRecord[], options: AttemptsOptions): CheckResult {
  let most = 0;
  const over: (RecordOf<"event.delivered"> | RecordOf<"event.deadLettered">)[] = [];
  for (const r of records) {
    if (r.type !== "event.delivered" && r.type !== "event.deadLettered") continue;
    most = Math.max(most, r.attempts);
    if (options.max !== undefined && r.attempts > options.max) over.push(r);
  }
  const failures = ofType(records, "entry.result").filter((r) => !r.ok);
  const seen: Record<string, number> = {};
  for (const r of failures) seen[reasonOf(r)] = (seen[reasonOf(r)] ?? 0) + 1;

  const problems: string[] = [];
  const evidence: JournalRecord[] = [...over];
  if (over.length > 0) problems.push(`${over.length} deliveries took more than ${options.max} attempts (max ${most}): eventId ${listNames(over.map((r) => `${r.eventId} ×${r.attempts}`))}`);
  const byReason: Record<string, number> = {};
  for (const [reason, want] of Object.entries(options.byReason ?? {})) {
    const matching = failures.filter((r) => sameReason(reasonOf(r), reason));
    const n = (byReason[reason] = matching.length);
    const wrong =
      want.count !== undefined && n !== want.count ? `exactly ${want.count}`
      : want.atLeast !== undefined && n < want.atLeast ? `at least ${want.atLeast}`
      : want.max !== undefined && n > want.max ? `at most ${want.max}`
      : undefined;
    if (wrong === undefined) continue;
    const names = listNames(matching.map((r) => `${r.eventId} (${r.batchId})`));
    problems.push(`${reason}: expected ${wrong} failed attempts, got ${n}${names ? ` — eventId ${names}` : ""}`);
    evidence.push(...matching);
  }
  const expected = { ...(options.max !== undefined ? { max: options.max } : {}), ...(options.byReason ? { byReason: options.byReason } : {}) };
  const actual = { max: most, failedByReason: seen, ...(options.byReason ? { byReason } : {}) };
  if (problems.length === 0) {
    const reasons = Object.keys(seen).length > 0 ? `; failed attempts ${JSON.stringify(seen)}` : "";
    return pass("attempts", `at most ${most} attempts per delivery${reasons}`, { expected, actual });
  }
  if (over.length > 0) Object.assign(actual, { over: over.map((r) => ({ eventId: r.eventId, delivery: r.delivery, attempts: r.attempts })) });
  return fail("attempts", problems.join("; "), expected, actual, evidence);
}

/** A failed attempt's reason: the code SQS (or the network layer) gave, else the failure's kind. */
export function reasonOf(r: RecordOf<"entry.result">): string {
  return r.failure?.code ?? r.failure?.kind ?? "unknown";
}

/**
 * Query-protocol codes whose JSON `__type` has another name (SQS-FACTS "JSON errors", the mapping table):
 * the engine keeps the header's spelling, a scenario writes the name the API reference lists.
 */
const QUERY_CODE_ALIASES: Record<string, string> = {
  NonExistentQueue: "QueueDoesNotExist",
  MissingParameter: "MissingRequiredParameter",
  QueueAlreadyExists: "QueueNameExists",
};

/**
 * `AWS.SimpleQueueService.BatchRequestTooLong`, `BatchRequestTooLong` and `…Exception` are one code, and
 * so are `AWS.SimpleQueueService.NonExistentQueue` and `QueueDoesNotExist` (one error, two wire names).
 */
export function canonicalCode(code: string): string {
  const bare = code.replace(/^AWS\.SimpleQueueService\./, "").replace(/Exception$/, "");
  return QUERY_CODE_ALIASES[bare] ?? bare;
}

function sameReason(a: string, b: string): boolean {
  return canonicalCode(a).toLowerCase() === canonicalCode(b).toLowerCase();
}
