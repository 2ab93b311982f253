import type { JournalRecord } from "../journal/index.js";
import { canonicalCode } from "./attempts.js";
import { fail, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface DlqOptions {
  /** How many deliveries were dead-lettered (`event.deadLettered` records, replayed or not). */
  count?: number;
  /**
   * The final reasons (`oversize`, `invalid`, `maxAttempts`, an error code such as `AccessDenied`). A list:
   * exactly these distinct reasons occurred. A map: exactly these counts per reason, no other reason.
   * Error codes match in either wire spelling (`QueueDoesNotExist` = `AWS.SimpleQueueService.NonExistentQueue`).
   */
  reasons?: string[] | Record<string, number>;
}

/**
 * `dlq` (DESIGN "Scenarios and checks" and "Engine": permanent errors go straight to the DLQ, each entry
 * keeps its final reason). Counts the engine's dead-letterings, not the queue's redrive (`message.movedToDlq`).
 */
export function dlq(records: readonly JournalRecord[], options: DlqOptions): CheckResult {
  const dead = ofType(records, "event.deadLettered");
  const byReason: Record<string, number> = {};
  for (const d of dead) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
  const problems: string[] = [];
  let offending = dead;
  if (options.count !== undefined && dead.length !== options.count) problems.push(`expected ${options.count} dead-lettered, got ${dead.length}`);
  if (options.reasons !== undefined) {
    // Error codes compare as attempts compares them: `QueueDoesNotExist` names `AWS.SimpleQueueService.NonExistentQueue` too.
    const key = (reason: string) => canonicalCode(reason).toLowerCase();
    const got: Record<string, number> = {};
    for (const [r, n] of Object.entries(byReason)) got[key(r)] = (got[key(r)] ?? 0) + n;
    const want: Record<string, number | undefined> = {};
    for (const [r, n] of Array.isArray(options.reasons) ? options.reasons.map((x) => [x, undefined] as const) : Object.entries(options.reasons)) want[key(r)] = n;
    const unexpected = Object.keys(got).filter((r) => !(r in want));
    const wrong = Object.entries(want).filter(([r, n]) => (n === undefined ? !(r in got) : got[r] !== n) && !unexpected.includes(r));
    if (unexpected.length > 0 || wrong.length > 0) {
      problems.push(`reasons expected ${JSON.stringify(options.reasons)}, got ${JSON.stringify(byReason)}`);
      if (problems.length === 1 && unexpected.length > 0) offending = dead.filter((d) => unexpected.includes(key(d.reason)));
    }
  }
  const names = listNames(offending.map((d) => `${d.eventId} (${d.reason})`));
  if (problems.length > 0) {
    return fail("dlq", `${problems.join("; ")}${names ? ` — eventId ${names}` : ""}`, { count: options.count, reasons: options.reasons }, { count: dead.length, reasons: byReason }, offending);
  }
  return pass("dlq", `${dead.length} dead-lettered ${JSON.stringify(byReason)}`, { actual: { count: dead.length, reasons: byReason } });
}
