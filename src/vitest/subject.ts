import type { JournalRecord } from "../journal/index.js";
import type { ScenarioReport } from "../report/index.js";

/**
 * What a sqsrig matcher reads: a live rig (`startRig`, or anything whose `records()` gives the journal), a
 * finished run (`runScenario`: its `records`), or the journal records themselves.
 */
export type MatcherSubject = { records(): readonly JournalRecord[] } | { readonly records: readonly JournalRecord[] } | readonly JournalRecord[];

/** The journal behind a matcher's subject; a wrong subject is a mistake in the test, so it throws rather than fails. */
export function recordsOf(received: unknown, matcher: string): readonly JournalRecord[] {
  if (Array.isArray(received)) return checked(received, matcher);
  if (isObject(received) && "records" in received) {
    const records: unknown = received.records;
    if (typeof records === "function") return checked(records.call(received) as unknown, matcher);
    if (Array.isArray(records)) return checked(records, matcher);
  }
  throw new TypeError(`${matcher}: expected a Rig (startRig), a ScenarioRun (runScenario) or an array of journal records, got ${describeValue(received)}.`);
}

/** A scenario's report (a `ScenarioRun` or a report from report.json), for `toPass`. */
export function reportOf(received: unknown, matcher: string): ScenarioReport & { records?: readonly JournalRecord[] } {
  if (isObject(received) && typeof received.status === "string" && Array.isArray(received.checks)) {
    return received as unknown as ScenarioReport & { records?: readonly JournalRecord[] };
  }
  throw new TypeError(`${matcher}: expected a ScenarioRun (runScenario), got ${describeValue(received)}. A Rig has no expect list: use the check matchers (toHaveNoLoss…) on it.`);
}

function checked(value: unknown, matcher: string): readonly JournalRecord[] {
  const records = value as unknown[];
  // Only the first element is looked at: enough to catch a list of something else, free on a 100k journal.
  const first = records[0];
  if (first !== undefined && !(isObject(first) && typeof first.type === "string" && typeof first.seq === "number")) {
    throw new TypeError(`${matcher}: expected journal records ({ seq, t, type, … }), got an array of ${describeValue(first)}.`);
  }
  return records as readonly JournalRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (isObject(value) && typeof value.then === "function") return "a Promise (await runScenario / startRig first)";
  if (Array.isArray(value)) return "an array";
  if (isObject(value)) return `an object with keys ${Object.keys(value).slice(0, 6).join(", ") || "(none)"}`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
