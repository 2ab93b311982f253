import type { JournalRecord, RecordOf } from "../journal/index.js";
import { fail, listNames, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface AttemptsOptions {
  /** No delivery took more SendMessageBatch attempts than this. */
  max: number;
}

/**
 * `attempts` (DESIGN "Scenarios and checks"; "Engine" Retries: optional max attempts): the attempts each
 * delivery took to settle, from `event.delivered` / `event.deadLettered`.
 */
export function attempts(records: readonly JournalRecord[], options: AttemptsOptions): CheckResult {
  let most = 0;
  const over: (RecordOf<"event.delivered"> | RecordOf<"event.deadLettered">)[] = [];
  for (const r of records) {
    if (r.type !== "event.delivered" && r.type !== "event.deadLettered") continue;
    most = Math.max(most, r.attempts);
    if (r.attempts > options.max) over.push(r);
  }
  if (over.length === 0) return pass("attempts", `at most ${most} attempts per delivery`, { expected: { max: options.max }, actual: { max: most } });
  return fail(
    "attempts",
    `${over.length} deliveries took more than ${options.max} attempts (max ${most}): eventId ${listNames(over.map((r) => `${r.eventId} ×${r.attempts}`))}`,
    { max: options.max },
    { max: most, over: over.map((r) => ({ eventId: r.eventId, delivery: r.delivery, attempts: r.attempts })) },
    over,
  );
}
