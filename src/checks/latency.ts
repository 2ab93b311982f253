import { parseDuration } from "../clock/index.js";
import type { JournalRecord, RecordOf } from "../journal/index.js";
import { fail, indexDeliveries, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

/** Bounds on one phase; each a duration (`"2s"`, `"250ms"`) or a number of milliseconds. */
export interface LatencyBounds {
  p50?: string | number;
  p95?: string | number;
  p99?: string | number;
  max?: string | number;
}

export interface LatencyOptions {
  /** `event.accepted` → the delivery's first `event.delivered` (SQS answered with a MessageId). */
  enqueue?: LatencyBounds;
  /** `event.accepted` → the first `consumer.result` "succeeded" for the delivered MessageId (any consumer). */
  consumed?: LatencyBounds;
}

export const LATENCY_PHASES = ["enqueue", "consumed"] as const;
export const LATENCY_STATS = ["p50", "p95", "p99", "max"] as const;
type Phase = (typeof LATENCY_PHASES)[number];
type Stat = (typeof LATENCY_STATS)[number];

interface Sample {
  eventId: string;
  ms: number;
  records: JournalRecord[];
}

export interface PhaseStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** How many of the slowest events a failure names and keeps as evidence. */
const SLOWEST = 5;

/**
 * `latency` (DESIGN "Scenarios and checks"; "Budgets": engine p99 from `POST /v1/events` to enqueued):
 * percentiles of virtual milliseconds (record `t`) per delivery made at acceptance. Replays are re-sent
 * later on purpose and left out; deliveries that never got there are left out too and counted
 * (`noLoss` judges them). With no bounds the check only reports the figures.
 */
export function latency(records: readonly JournalRecord[], options: LatencyOptions = {}): CheckResult {
  const check = "latency";
  const { samples, missing } = collect(records);
  const actual: Record<string, PhaseStats | undefined | number> = { enqueue: stats(samples.enqueue), consumed: stats(samples.consumed), ...missing };
  const expected: Record<string, Record<string, number>> = {};
  const problems: string[] = [];
  const evidence: JournalRecord[] = [];
  for (const phase of LATENCY_PHASES) {
    const bounds = options[phase];
    if (bounds === undefined) continue;
    const list = samples[phase];
    const limits = (expected[phase] = {} as Record<string, number>);
    for (const stat of LATENCY_STATS) {
      if (bounds[stat] === undefined) continue;
      const limit = parseDuration(bounds[stat]);
      if (limit === undefined) {
        problems.push(`${phase}.${stat}: ${JSON.stringify(bounds[stat])} is not a duration`);
        continue;
      }
      limits[stat] = limit;
      if (list.length === 0) {
        problems.push(`${phase}: no samples to measure ${stat} on${phase === "consumed" ? " (no consumer succeeded on a delivered message)" : " (nothing was delivered)"}`);
        continue;
      }
      const value = statOf(list, stat);
      if (value <= limit) continue;
      const slow = list.filter((s) => s.ms > limit).sort((a, b) => b.ms - a.ms);
      problems.push(`${phase} ${stat} ${value}ms > ${limit}ms (n=${list.length}); slowest: eventId ${listNames(slow.map((s) => `${s.eventId} ${s.ms}ms`), SLOWEST)}`);
      for (const s of slow.slice(0, SLOWEST)) evidence.push(...s.records);
    }
  }
  const text = (phase: Phase) => {
    const s = stats(samples[phase]);
    return s ? `${phase} p50 ${s.p50}ms p95 ${s.p95}ms p99 ${s.p99}ms max ${s.max}ms (n=${s.n})` : `${phase}: no samples`;
  };
  if (problems.length > 0) return fail(check, problems.join("; "), expected, actual, evidence);
  return pass(check, `${text("enqueue")}; ${text("consumed")}`, { expected, actual });
}

/** Every delivery made at acceptance, as an enqueue sample and (when a consumer succeeded on it) a consumed one. */
function collect(records: readonly JournalRecord[]): { samples: Record<Phase, Sample[]>; missing: { undelivered: number; unconsumed: number } } {
  const index = indexDeliveries(records);
  const consumedBy = new Map<string, RecordOf<"consumer.result">>();
  for (const r of ofType(records, "consumer.result")) if (r.outcome === "succeeded" && !consumedBy.has(r.messageId)) consumedBy.set(r.messageId, r);
  const samples: Record<Phase, Sample[]> = { enqueue: [], consumed: [] };
  let undelivered = 0;
  let unconsumed = 0;
  for (const a of index.accepted.values()) {
    for (const delivery of a.deliveries) {
      const d = index.deliveredByDelivery.get(delivery);
      if (!d) {
        undelivered++;
        continue;
      }
      samples.enqueue.push({ eventId: a.eventId, ms: d.t - a.t, records: [a, d] });
      const c = consumedBy.get(d.messageId);
      if (c) samples.consumed.push({ eventId: a.eventId, ms: c.t - a.t, records: [a, d, c] });
      else unconsumed++;
    }
  }
  return { samples, missing: { undelivered, unconsumed } };
}

function stats(list: readonly Sample[]): PhaseStats | undefined {
  if (list.length === 0) return undefined;
  return { n: list.length, p50: statOf(list, "p50"), p95: statOf(list, "p95"), p99: statOf(list, "p99"), max: statOf(list, "max") };
}

function statOf(list: readonly Sample[], stat: Stat): number {
  const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
  return stat === "max" ? sorted[sorted.length - 1]! : nearestRank(sorted, Number(stat.slice(1)));
}

/**
 * Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it, i.e.
 * the value at 1-based rank ⌈p/100 · N⌉ of the sorted list. No interpolation, so every figure reported
 * is a latency some event really had (p99 of 10 samples is the slowest one).
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
