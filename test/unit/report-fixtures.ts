import type { JournalEvent, JournalRecord } from "../../src/journal/index.js";
import type { CheckOutcome, RunCounts, RunReport, ScenarioReport } from "../../src/report/index.js";

// Synthetic reports for the reporter tests: a passed, a failed (with evidence) and an errored scenario,
// with fixed times so every rendering is deterministic.

export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A record as the bus would stamp it, `ms` after the scenario's first record. */
export function rec(seq: number, ms: number, event: JournalEvent): JournalRecord {
  return { ...event, seq, t: T0 + ms };
}

export function countsWith(partial: Partial<RunCounts> = {}): RunCounts {
  return { accepted: 0, rejected: 0, delivered: 0, deadLettered: 0, consumed: 0, dedupHits: 0, retries: 0, faults: 0, ...partial };
}

export function outcome(partial: Partial<CheckOutcome> & Pick<CheckOutcome, "check" | "line">): CheckOutcome {
  return { ok: true, summary: "ok", evidence: [], ...partial };
}

export const FIFO_EVIDENCE: JournalRecord[] = [
  rec(3, 20, { type: "event.accepted", eventId: "e-5", eventType: "order.created", idempotencyKey: "k-5", destinations: ["orders"], deliveries: ["d-5"] }),
  rec(40, 1200, { type: "event.delivered", destination: "orders", delivery: "d-7", eventId: "e-7", messageId: "m-7", groupId: "cust-3", attempts: 2 }),
  rec(57, 1250, { type: "consumer.result", consumer: "worker", batchId: "b-9", messageId: "m-7", outcome: "succeeded" }),
];

export function scenario(partial: Partial<ScenarioReport> & Pick<ScenarioReport, "name" | "file" | "status">): ScenarioReport {
  return {
    seed: 42,
    timeScale: "max",
    backend: "embedded",
    startedAt: new Date(T0).toISOString(),
    wallMs: 1240,
    virtualMs: 300_000,
    counts: countsWith(),
    checks: [],
    ...partial,
  };
}

export const PASSED = scenario({
  name: "happy path",
  file: "scenarios/happy.yaml",
  status: "passed",
  wallMs: 310,
  virtualMs: 5000,
  counts: countsWith({ accepted: 3, delivered: 3, consumed: 3 }),
  checks: [
    outcome({ check: "noLoss", line: 20, summary: "3 deliveries settled: 3 delivered, 0 dead-lettered", actual: { deliveries: 3 } }),
    outcome({ check: "delivered", line: 21, options: { count: 3 }, summary: "3 delivered (exactly 3)" }),
  ],
});

export const FAILED = scenario({
  name: "FIFO order survives throttling",
  file: "scenarios/fifo-order.yaml",
  status: "failed",
  journalStart: T0,
  counts: countsWith({ accepted: 1000, delivered: 1000, consumed: 998, retries: 12, faults: 30, dedupHits: 1 }),
  checks: [
    outcome({ check: "noLoss", line: 30, summary: "1000 deliveries settled: 1000 delivered, 0 dead-lettered" }),
    outcome({
      check: "fifoOrder",
      line: 31,
      ok: false,
      summary: "group cust-3: eventId e-7 consumed before e-5",
      expected: { order: "accepted" },
      actual: { group: "cust-3", consumed: ["e-7", "e-5"] },
      evidence: FIFO_EVIDENCE,
    }),
  ],
});

export const ERRORED = scenario({
  name: "broken backend",
  file: "scenarios/broken.yaml",
  status: "error",
  wallMs: 50,
  virtualMs: 0,
  error: { message: 'queue "orders.fifo" could not be created: AccessDenied', line: 7 },
});

export function runOf(scenarios: ScenarioReport[], wallMs = 1600): RunReport {
  return {
    startedAt: new Date(T0).toISOString(),
    wallMs,
    scenarios,
    passed: scenarios.filter((s) => s.status === "passed").length,
    failed: scenarios.filter((s) => s.status === "failed").length,
    errored: scenarios.filter((s) => s.status === "error").length,
  };
}

export const RUN = runOf([PASSED, FAILED, ERRORED]);

/** A summary that needs every kind of escaping: quotes, markup, an ampersand, a newline, a control char. */
export const NASTY = `said "no" to <queue> & 'friends'\nsecond line \u0001 end`;

export type MemoryStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; text(): string; writes(): number };

/** A writable that remembers what was written, with the TTY fields the pretty reporter reads. */
export function memoryStream(tty: { isTTY?: boolean; columns?: number } = {}): MemoryStream {
  const chunks: string[] = [];
  const stream = {
    ...tty,
    writable: true,
    write(chunk: string | Uint8Array, encOrCb?: unknown, cb?: unknown): boolean {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = typeof encOrCb === "function" ? encOrCb : cb;
      if (typeof done === "function") (done as (err?: Error | null) => void)(null);
      return true;
    },
    text: () => chunks.join(""),
    writes: () => chunks.length,
  };
  // Only write() is used by the reporters; the rest of the stream interface is never called here.
  return stream as unknown as MemoryStream;
}
