// Every check fails when its guarantee is broken (DESIGN "Scenarios and checks": "A failed check says what
// was expected, what happened, and the journal records that show it"; CheckResult: "on failure it names
// the offending events"). Each fixture in test/fixtures/scenarios/broken-*.yaml breaks one guarantee the
// way real systems break it, and cites the AWS document that makes it a break in its opening comment:
// messages expiring (SetQueueAttributes, MessageRetentionPeriod), a retrying producer on a standard queue
// ("Amazon SQS standard queues"), a FIFO function skipping ahead (Lambda Developer Guide, "Handling errors
// for an SQS event source"), sender-fault entries (SendMessageBatch, BatchResultErrorEntry)…
// Invalid files come back as status `error` naming file:line:column (issue 7 "Validation before anything
// runs"), and `sqsrig run` exits 1 for a failed check and 2 for bad input (DESIGN "Contracts").
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CHECK_NAMES, EVIDENCE_CAP, type CheckName } from "../../src/checks/index.js";
import type { JournalRecord, RecordOf } from "../../src/journal/index.js";
import { runScenario } from "../../src/scenario/index.js";
import { useTempDirs } from "../support/temp-dirs.js";
import { runCli } from "../support/run-cli.js";

const DIR = resolve(import.meta.dirname, "..", "fixtures", "scenarios");
const tempDir = useTempDirs("broken-scenarios");

const of = <T extends JournalRecord["type"]>(records: readonly JournalRecord[], type: T) => records.filter((r) => r.type === type) as RecordOf<T>[];

/** eventId → the MessageId SQS gave its (first) delivery. */
function messageIdsOf(records: readonly JournalRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of of(records, "event.delivered")) if (!out.has(d.eventId)) out.set(d.eventId, d.messageId);
  return out;
}

interface Broken {
  check: CheckName;
  file: string;
  /** The identifiers (eventId, MessageId, idempotencyKey) of the events that really broke the guarantee. */
  offenders(records: readonly JournalRecord[]): Set<string>;
  /** How many `expect` entries fail (a fixture may assert the broken guarantee twice). @default 1 */
  failing?: number;
}

const BROKEN: Broken[] = [
  {
    check: "noLoss",
    file: "broken-no-loss.yaml",
    // The messages SQS deleted at the end of their retention period, never received.
    offenders: (records) => {
      const expired = new Set(of(records, "message.expired").map((r) => r.messageId));
      const events = of(records, "event.delivered").filter((d) => expired.has(d.messageId)).map((d) => d.eventId);
      return new Set([...expired, ...events]);
    },
  },
  {
    check: "noDuplicates",
    file: "broken-no-duplicates.yaml",
    failing: 2,
    // Keys accepted more than once, and every message of those keys.
    offenders: (records) => {
      const accepted = of(records, "event.accepted");
      const keys = accepted.map((a) => a.idempotencyKey).filter((k, i, all) => all.indexOf(k) !== i);
      const events = accepted.filter((a) => keys.includes(a.idempotencyKey)).map((a) => a.eventId);
      const messages = of(records, "event.delivered").filter((d) => events.includes(d.eventId)).map((d) => d.messageId);
      return new Set([...keys, ...events, ...messages]);
    },
  },
  {
    check: "fifoOrder",
    file: "broken-fifo-order.yaml",
    // Events of a group processed before one of the group accepted earlier, and those earlier ones.
    offenders: (records) => {
      const eventOf = new Map(of(records, "event.delivered").map((d) => [d.messageId, d] as const));
      const acceptedAt = new Map(of(records, "event.accepted").map((a, i) => [a.eventId, i] as const));
      const firstSuccess: RecordOf<"event.delivered">[] = [];
      const seen = new Set<string>();
      for (const r of of(records, "consumer.result")) {
        if (r.outcome !== "succeeded" || seen.has(r.messageId)) continue;
        seen.add(r.messageId);
        firstSuccess.push(eventOf.get(r.messageId)!);
      }
      const out = new Set<string>();
      firstSuccess.forEach((early, i) => {
        for (const late of firstSuccess.slice(i + 1)) {
          if (late.groupId === early.groupId && acceptedAt.get(late.eventId)! < acceptedAt.get(early.eventId)!) out.add(early.eventId).add(late.eventId);
        }
      });
      return out;
    },
  },
  {
    check: "dedupHits",
    file: "broken-dedup-hits.yaml",
    offenders: (records) => new Set(of(records, "message.dedupHit").flatMap((h) => [h.dedupId, h.messageId])),
  },
  {
    check: "dlq",
    file: "broken-dlq.yaml",
    offenders: (records) => new Set(of(records, "event.deadLettered").map((d) => d.eventId)),
  },
  {
    check: "delivered",
    file: "broken-delivered.yaml",
    offenders: (records) => {
      const delivered = messageIdsOf(records);
      return new Set(of(records, "event.accepted").filter((a) => !delivered.has(a.eventId)).map((a) => a.eventId));
    },
  },
  {
    check: "attempts",
    file: "broken-attempts.yaml",
    // Deliveries over the allowed two attempts, and the events of every throttled entry.
    offenders: (records) =>
      new Set([
        ...of(records, "event.delivered").filter((d) => d.attempts > 2).map((d) => d.eventId),
        ...of(records, "entry.result").filter((r) => !r.ok).map((r) => r.eventId),
      ]),
  },
  {
    check: "latency",
    file: "broken-latency.yaml",
    offenders: (records) => {
      const acceptedAt = new Map(of(records, "event.accepted").map((a) => [a.eventId, a.t] as const));
      return new Set(of(records, "event.delivered").filter((d) => d.t - acceptedAt.get(d.eventId)! > 500).map((d) => d.eventId));
    },
  },
  {
    check: "accepted",
    file: "broken-accepted.yaml",
    // The 5 KB events sent to a queue whose MaximumMessageSize is 4 KiB.
    offenders: (records) => new Set(of(records, "event.accepted").filter((a) => a.idempotencyKey.startsWith("large-")).map((a) => a.eventId)),
  },
  {
    check: "consumerSaw",
    file: "broken-consumer-saw.yaml",
    offenders: (records) => {
      const ids = of(records, "consumer.batch").flatMap((b) => b.messages.map((m) => m.messageId));
      const events = of(records, "event.delivered").filter((d) => ids.includes(d.messageId)).map((d) => d.eventId);
      return new Set([...ids, ...events]);
    },
  },
];

/** Identifiers a summary names: eventIds (e12), MessageIds (UUIDs) and the generated idempotency keys. */
function namedIn(summary: string): string[] {
  return summary.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\be\d+\b|\bgen\d+-\d+\b/g) ?? [];
}

describe("each check fails, naming the offenders, when its guarantee is broken", () => {
  it("covers every check", () => {
    expect(BROKEN.map((b) => b.check).sort()).toEqual([...CHECK_NAMES].sort());
  });

  for (const broken of BROKEN) {
    it(`${broken.check}: ${broken.file}`, async () => {
      const file = join(DIR, broken.file);
      const run = await runScenario(file);
      expect(run.error).toBeUndefined();
      expect(run.status).toBe("failed");
      // Exactly the broken guarantee fails; any other check of the fixture held.
      const failed = run.checks.filter((c) => !c.ok);
      expect(failed.map((c) => c.check)).toEqual(Array(broken.failing ?? 1).fill(broken.check));

      const offenders = broken.offenders(run.records);
      expect(offenders.size, "the fixture really broke the guarantee").toBeGreaterThan(0);
      const lines = readFileSync(file, "utf8").split("\n");
      for (const outcome of failed) {
        const named = namedIn(outcome.summary);
        expect(named.length, outcome.summary).toBeGreaterThan(0);
        // Every event the summary names is one that broke the guarantee; none is a bystander.
        for (const id of named) expect(offenders, `${id} named in: ${outcome.summary}`).toContain(id);
        expect(outcome.evidence.length).toBeGreaterThan(0);
        expect(outcome.evidence.length).toBeLessThanOrEqual(EVIDENCE_CAP);
        // The outcome points at its `expect` entry (what reporters and GitHub annotations show).
        expect(lines[outcome.line - 1]).toContain(broken.check);
      }
    });
  }
});

describe("invalid scenarios come back as errors at file:line:column", () => {
  const cases = [
    { file: "invalid-yaml-syntax.yaml", at: "6:1", says: "YAML syntax error" },
    { file: "invalid-unknown-key.yaml", at: "6:1", says: "Did you mean 'expect'?" },
    { file: "invalid-bad-duration.yaml", at: "7:9", says: `at "5 minutes" is not a duration` },
    { file: "invalid-undefined-queue.yaml", at: "7:28", says: "queue 'orderz' is not declared in queues" },
    // Found while setting up the run (loading the module), still named at the consumer's node.
    { file: "invalid-missing-handler.yaml", at: "7:5", says: "does-not-exist.ts does not exist" },
  ];
  for (const c of cases) {
    it(c.file, async () => {
      const file = join(DIR, c.file);
      const run = await runScenario(file);
      expect(run.status).toBe("error");
      expect(run.checks).toEqual([]);
      expect(run.error?.message).toContain(`${file}:${c.at} `);
      expect(run.error?.message).toContain(c.says);
      expect(run.error?.line).toBe(Number(c.at.split(":")[0]));
    });
  }
});

describe("sqsrig run exit codes for broken and invalid scenarios", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    // The run index goes to a temporary SQSRIG_HOME, not the working tree.
    vi.stubEnv("SQSRIG_HOME", tempDir());
    return runCli(...argv);
  }

  it("exits 1 when a check fails, and says which events", async () => {
    const { code, out } = await cli("run", join(DIR, "broken-delivered.yaml"), "--reporter", "json");
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.failed).toBe(1);
    expect(report.scenarios[0].checks[0]).toMatchObject({ check: "delivered", ok: false });
    expect(report.scenarios[0].checks[0].summary).toContain("not delivered: eventId e11, e12");
  });

  it("exits 2 for an invalid file, naming file:line:column, and runs nothing", async () => {
    const file = join(DIR, "invalid-unknown-key.yaml");
    const { code, out, err } = await cli("run", file, join(DIR, "broken-delivered.yaml"));
    expect(code).toBe(2);
    expect(err).toContain(`${file}:6:1`);
    expect(err).toContain("nothing was run");
    expect(out).not.toContain("delivered");
  });

  it("exits 2 for a missing handler module, found before anything runs", async () => {
    const file = join(DIR, "invalid-missing-handler.yaml");
    const { code, err } = await cli("run", file);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:7:\\d+`));
    expect(err).toContain("does not exist");
  });
});
