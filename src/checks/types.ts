import type { JournalRecord } from "../journal/index.js";

/**
 * The verdict of one check over a run's journal (DESIGN "Scenarios and checks": a failed check says what
 * was expected, what happened, and the journal records that show it).
 */
export interface CheckResult {
  /** The check's name as a scenario's `expect` writes it, e.g. `noLoss`. */
  check: string;
  ok: boolean;
  /** One line; on failure it names the offending events (eventId / idempotencyKey / messageId). */
  summary: string;
  expected?: unknown;
  actual?: unknown;
  /** The records that prove a failure, oldest first, at most {@link EVIDENCE_CAP}. Empty when `ok`. */
  evidence: JournalRecord[];
}

/** A check: a pure function of the journal (DESIGN "Layout": checks/ one file per check). */
export type Check<O> = (records: readonly JournalRecord[], options: O) => CheckResult;

/** How many records a failing check keeps as evidence: enough to read, few enough to print. */
export const EVIDENCE_CAP = 20;
