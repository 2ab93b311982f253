// Engine lifecycle edges found in review: retries while every request slot is busy, re-saving or
// deleting a destination with requests in flight, closing with answers on the way, a size limit that
// shrinks after events were admitted, repeated replay ids. DESIGN "Engine" (FIFO gate: "a failed entry
// halts its group until it is resolved"; Outbox: "nothing accepted is ever lost"). The queue here is a
// scripted QueueClient: what is under test is the engine's bookkeeping, not the wire (the engine suites
// in test/integration cover the real SDK and emulator).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { createEngine, type BatchOutcome, type QueueClient, type QueueInfo, type SendEntry } from "../../src/engine/index.js";
import { useTempDirs } from "../support/temp-dirs.js";

const ok = (entries: SendEntry[]): BatchOutcome => ({
  kind: "response",
  httpStatus: 200,
  results: new Map(entries.map((e) => [e.Id, { ok: true as const, messageId: `m-${e.Id}`, md5Ok: true }])),
});
const throttled: BatchOutcome = { kind: "error", failure: { kind: "error", code: "Throttling", httpStatus: 400 }, message: "Rate exceeded" };
const denied: BatchOutcome = { kind: "error", failure: { kind: "error", code: "AccessDenied", httpStatus: 403, senderFault: true }, message: "denied" };

function held() {
  let release!: (o: BatchOutcome) => void;
  const promise = new Promise<BatchOutcome>((r) => (release = r));
  return { promise, release };
}

const tick = () => new Promise((r) => setImmediate(r));
async function ticks(n = 10) {
  for (let i = 0; i < n; i++) await tick();
}
const keys = (sends: SendEntry[][]) => sends.flat().map((e) => (JSON.parse(e.MessageBody) as { idempotencyKey: string }).idempotencyKey);
const event = (key: string, customer = "c1", extra: Record<string, unknown> = {}) => ({
  eventType: "t",
  occurredAt: "2026-01-01T00:00:00Z",
  customerExternalId: customer,
  idempotencyKey: key,
  payload: {},
  ...extra,
});

interface RigOptions {
  fifo?: boolean;
  reply: (entries: SendEntry[], n: number) => BatchOutcome | Promise<BatchOutcome>;
  info?: () => Promise<QueueInfo>;
  engine?: Record<string, unknown>;
}

async function rig(options: RigOptions) {
  const fifo = options.fifo ?? true;
  const clock = new VirtualClock();
  const journal = createJournal(clock);
  const sends: SendEntry[][] = [];
  const info = options.info ?? (async () => ({ fifo, contentBasedDeduplication: false, maximumMessageSize: 1_048_576 }));
  const queueClientFactory = (): QueueClient => ({
    sendBatch: async (entries) => {
      sends.push(entries);
      return options.reply(entries, sends.length);
    },
    getQueueInfo: info,
    close: () => {},
  });
  const destination = {
    type: "SQS",
    name: "orders",
    region: "us-east-1",
    queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/orders${fifo ? ".fifo" : ""}`,
    auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" },
  };
  const engine = await createEngine({ clock, journal, queueClientFactory, destinations: [destination], lingerMs: 0, ...options.engine });
  return { clock, journal, engine, sends, destination };
}

describe("engine lifecycle", () => {
  const tempDir = useTempDirs("engine-lifecycle");

  it("a retry that falls due while every request slot is busy waits for a slot, without a timer loop", async () => {
    const slot = held();
    const r = await rig({ engine: { maxInFlight: 1 }, reply: (entries, n) => (n === 1 ? throttled : n === 2 ? slot.promise : ok(entries)) });
    await r.engine.ingest([event("a", "A")]);
    await ticks();
    await r.engine.ingest([event("b", "B")]);
    await ticks();
    await r.clock.advance(10_000);
    expect(r.clock.pendingTimers()).toBe(0);
    slot.release(ok([{ Id: "0" } as SendEntry]));
    await r.engine.idle();
    expect(keys(r.sends)).toEqual(["a", "b", "a"]);
  });

  it("re-saving a destination mid-request keeps new events and never re-sends what SQS stored", async () => {
    const first = held();
    const r = await rig({ fifo: false, reply: (entries, n) => (n === 1 ? first.promise : ok(entries)) });
    await r.engine.ingest([event("a")]);
    await ticks();
    const put = r.engine.destinations.put(r.destination);
    await ticks();
    await r.engine.ingest([event("b")]);
    first.release(ok([{ Id: "0" } as SendEntry]));
    expect((await put).ok).toBe(true);
    await r.engine.idle();
    expect(r.engine.dlq.list()).toEqual([]);
    expect(keys(r.sends)).toEqual(["a", "b"]);
    expect(r.engine.pending()).toBe(0);
  });

  it("FIFO order survives a re-save: what the old delivery left goes before events taken meanwhile", async () => {
    const first = held();
    const r = await rig({ reply: (entries, n) => (n === 1 ? first.promise : n === 2 ? throttled : ok(entries)) });
    await r.engine.ingest([event("a1", "A")]);
    await ticks();
    const put = r.engine.destinations.put(r.destination);
    await ticks();
    await r.engine.ingest([event("a2", "A")]);
    first.release(throttled);
    await put;
    await ticks();
    for (let i = 0; i < 20 && r.engine.pending() > 0; i++) await r.clock.advance(60_000);
    await r.engine.idle();
    const sentA = keys(r.sends).filter((k) => k.startsWith("a"));
    expect(sentA.indexOf("a2")).toBeGreaterThan(sentA.lastIndexOf("a1"));
  });

  it("an event accepted while a re-save waits is delivered once, and pending() never goes below zero", async () => {
    const first = held();
    const r = await rig({ fifo: false, engine: { dataDir: tempDir() }, reply: (entries, n) => (n === 1 ? first.promise : ok(entries)) });
    await r.engine.ingest([event("a")]);
    await ticks();
    const put = r.engine.destinations.put(r.destination);
    await ticks();
    const ingest = r.engine.ingest([event("c")]);
    first.release(ok([{ Id: "0" } as SendEntry]));
    await Promise.all([put, ingest]);
    await r.engine.idle();
    expect(keys(r.sends).filter((k) => k === "c")).toHaveLength(1);
    expect(r.engine.pending()).toBe(0);
    await r.engine.close();
  });

  it("deleting a destination mid-request dead-letters only what SQS did not store", async () => {
    const first = held();
    const r = await rig({ fifo: false, engine: { maxInFlight: 1 }, reply: (entries, n) => (n === 1 ? first.promise : ok(entries)) });
    await r.engine.ingest([event("a")]);
    await ticks();
    await r.engine.ingest([event("b")]);
    const removal = r.engine.destinations.delete("orders");
    await ticks();
    first.release(ok([{ Id: "0" } as SendEntry]));
    expect(await removal).toBe(true);
    await r.engine.idle();
    expect(r.engine.dlq.list().map((e) => [e.event.idempotencyKey, e.reason])).toEqual([["b", "destinationDeleted"]]);
  });

  it("closing with an answer on the way still records what SQS stored, so a restart does not re-send it", async () => {
    const dir = tempDir();
    const first = held();
    const r = await rig({ fifo: false, engine: { dataDir: dir }, reply: (entries, n) => (n === 1 ? first.promise : ok(entries)) });
    await r.engine.ingest([event("a")]);
    await ticks();
    const closing = r.engine.close();
    first.release(ok([{ Id: "0" } as SendEntry]));
    await closing;
    const again = await rig({ fifo: false, engine: { dataDir: dir, destinations: [] }, reply: (entries) => ok(entries) });
    await ticks();
    expect(again.engine.pending()).toBe(0);
    expect(again.sends).toEqual([]);
    await again.engine.close();
  });

  it("an event admitted under a larger size limit still goes out alone when the limit shrinks", async () => {
    let lookups = 0;
    const info = async (): Promise<QueueInfo> => {
      lookups++;
      // 1: the save's preflight; 2: the delivery's first read fails (1 MiB assumed); 3: a minute later, 256 KiB.
      if (lookups === 2) throw Object.assign(new Error("throttled"), { failure: { kind: "error", code: "Throttling" } });
      return { fifo: true, contentBasedDeduplication: false, maximumMessageSize: lookups === 1 ? 1_048_576 : 262_144 };
    };
    // "big" keeps being throttled until well after the limit shrank, then SQS refuses it.
    let bigSends = 0;
    let bigSendsAfterShrink = 0;
    const reply = (entries: SendEntry[]) => {
      if (!entries.some((e) => e.MessageBody.length > 262_144)) return ok(entries);
      bigSends++;
      if (lookups === 3) bigSendsAfterShrink++;
      return bigSends < 6 ? throttled : denied;
    };
    const r = await rig({ info, reply, engine: { retry: { baseMs: 30_000, capMs: 30_000 } } });
    await r.engine.ingest([event("big", "A", { payload: { blob: "x".repeat(300_000) } })]);
    await ticks();
    await r.engine.ingest([event("small", "B")]);
    for (let i = 0; i < 40 && r.engine.pending() > 0; i++) {
      await r.clock.advance(30_000);
      await ticks();
    }
    await r.engine.idle();
    expect(lookups).toBe(3);
    expect(bigSendsAfterShrink).toBeGreaterThan(0);
    expect(keys(r.sends)).toContain("small");
    expect(r.engine.dlq.list().map((e) => e.reason)).toEqual(["AccessDenied"]);
  });

  it("a replay naming one entry twice sends it once", async () => {
    const r = await rig({ fifo: false, reply: (entries, n) => (n === 1 ? denied : ok(entries)) });
    await r.engine.ingest([event("a")]);
    await r.engine.idle();
    const report = await r.engine.dlq.replay({ ids: ["q1", "q1"] });
    await r.engine.idle();
    expect(report.replayed).toBe(1);
    expect(keys(r.sends)).toEqual(["a", "a"]);
  });
});
