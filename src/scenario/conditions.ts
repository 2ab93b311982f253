import { parseDuration } from "../clock/index.js";
import { didYouMean } from "../checks/index.js";
import { JOURNAL_TYPES, type JournalRecord, type JournalType } from "../journal/index.js";
import { addToCounts, emptyCounts, type RunCounts } from "../report/index.js";

/** What a `waitUntil` can wait for: each a count of journal records, reached when at least this many exist. */
export const CONDITION_COUNTS = {
  accepted: "event.accepted",
  delivered: "event.delivered",
  deadLettered: "event.deadLettered",
  retries: "retry.scheduled",
  dedupHits: "message.dedupHit",
  movedToDlq: "message.movedToDlq",
  consumerBatches: "consumer.batch",
  faults: "fault.injected",
} as const satisfies Record<string, JournalType>;

type CountName = keyof typeof CONDITION_COUNTS | "consumed";
const COUNT_NAMES = [...Object.keys(CONDITION_COUNTS), "consumed"] as CountName[];
export const CONDITION_KEYS = [...COUNT_NAMES, "idle", "record", "timeout"] as const;

/** How long a `waitUntil` waits (virtual time) before the run fails it. */
export const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;

/**
 * A `waitUntil` condition: every named count reached (AND), `idle` (the engine has nothing pending), and
 * `record: { type, count }` for any other journal record type.
 */
export interface WaitCondition {
  counts: Partial<Record<CountName, number>>;
  records: { type: string; count: number }[];
  idle: boolean;
  timeoutMs: number;
}

export type ConditionCheck = { ok: true; condition: WaitCondition } | { ok: false; errors: { path: (string | number)[]; message: string }[] };

/** Checks a scenario's `waitUntil` value; errors carry the path below the step's `waitUntil` key. */
export function compileCondition(value: unknown): ConditionCheck {
  const errors: { path: (string | number)[]; message: string }[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ path: [], message: `waitUntil takes a condition such as { delivered: 100 } or { idle: true, timeout: 2m } (keys: ${CONDITION_KEYS.join(", ")}).` }] };
  }
  const input = value as Record<string, unknown>;
  const condition: WaitCondition = { counts: {}, records: [], idle: false, timeoutMs: DEFAULT_WAIT_TIMEOUT_MS };
  for (const [key, v] of Object.entries(input)) {
    if ((COUNT_NAMES as string[]).includes(key)) {
      if (Number.isSafeInteger(v) && (v as number) >= 0) condition.counts[key as CountName] = v as number;
      else errors.push({ path: [key], message: `waitUntil.${key} must be a count (an integer ≥ 0).` });
    } else if (key === "idle") {
      if (typeof v === "boolean") condition.idle = v;
      else errors.push({ path: [key], message: "waitUntil.idle must be true or false." });
    } else if (key === "timeout") {
      const ms = parseDuration(v);
      if (ms === undefined || ms <= 0) errors.push({ path: [key], message: `waitUntil.timeout ${JSON.stringify(v)} is not a positive duration such as 30s or 5m.` });
      else condition.timeoutMs = ms;
    } else if (key === "record") {
      const r = v as { type?: unknown; count?: unknown } | null;
      if (typeof r !== "object" || r === null || typeof r.type !== "string" || !(r.count === undefined || (Number.isSafeInteger(r.count) && (r.count as number) >= 0))) {
        errors.push({ path: [key], message: "waitUntil.record must be { type: RECORD_TYPE, count?: N } (count defaults to 1)." });
      } else if (!(JOURNAL_TYPES as readonly string[]).includes(r.type)) {
        const hint = didYouMean(r.type, JOURNAL_TYPES);
        errors.push({ path: [key, "type"], message: `waitUntil.record.type '${r.type}' is not a journal record type${hint ? `. Did you mean '${hint}'?` : "."}` });
      } else condition.records.push({ type: r.type, count: (r.count as number | undefined) ?? 1 });
    } else {
      errors.push({ path: [key], message: `Unknown waitUntil condition '${key}' (one of ${CONDITION_KEYS.join(", ")}).` });
    }
  }
  if (errors.length === 0 && Object.keys(condition.counts).length === 0 && condition.records.length === 0 && !condition.idle) {
    errors.push({ path: [], message: "waitUntil needs something to wait for: a count such as delivered: 100, idle: true, or record: { type, count }." });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, condition };
}

/**
 * Counts of journal records by type, and the run's {@link RunCounts} (the report's own tally), kept as
 * records arrive.
 */
export class RecordCounter {
  private readonly byType = new Map<string, number>();
  /** What progress lines and the report show (successful consumer results among them). */
  readonly counts: RunCounts = emptyCounts();

  add(record: JournalRecord): void {
    this.byType.set(record.type, (this.byType.get(record.type) ?? 0) + 1);
    addToCounts(this.counts, record);
  }

  count(type: string): number {
    return this.byType.get(type) ?? 0;
  }

  get consumed(): number {
    return this.counts.consumed;
  }
}

/** What is still missing for `condition` (empty when it holds), e.g. `delivered 40/100`. */
export function unmet(condition: WaitCondition, counter: RecordCounter, enginePending: number): string[] {
  const missing: string[] = [];
  for (const [name, want] of Object.entries(condition.counts) as [CountName, number][]) {
    const have = name === "consumed" ? counter.consumed : counter.count(CONDITION_COUNTS[name]);
    if (have < want) missing.push(`${name} ${have}/${want}`);
  }
  for (const r of condition.records) {
    const have = counter.count(r.type);
    if (have < r.count) missing.push(`${r.type} ${have}/${r.count}`);
  }
  if (condition.idle && enginePending > 0) missing.push(`engine idle (${enginePending} pending)`);
  return missing;
}
