import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { VirtualClock } from "../../src/clock/index.js";
import type { EngineOptions } from "../../src/engine/index.js";
import { startSqsrigServer, type SqsrigServer } from "../../src/server/index.js";
import { waitingRetries } from "./engine-steps.js";
import { CREDENTIALS, sdkClient } from "./target.js";

/**
 * `sqsrig serve` on a free port with a manual virtual clock, its real engine and embedded emulator, and
 * the fault rules between them (issue 5 "Show it works"). Nothing moves in time unless the test or
 * {@link FaultsRig.runToIdle} advances the clock, so retries happen only when asked.
 */
export interface FaultsRig {
  server: SqsrigServer;
  clock: VirtualClock;
  sqs: SQSClient;
  /** Creates a queue through the SQS API (a FIFO queue when the name ends in `.fifo`). */
  queue(name: string, attributes?: Record<string, string>): Promise<string>;
  /** Saves destination `name` for `queueUrl` through the engine's registry (with its preflight). */
  destination(name: string, queueUrl: string): Promise<void>;
  /** `PUT /api/faults` over real HTTP; throws unless it answered 200. */
  putFaults(rules: unknown): Promise<void>;
  /**
   * Drives the engine until nothing is pending: waits (journal records, no sleeps) until no batch is in
   * flight, then moves the clock to the earliest waiting retry; a request held by an injected `delay` is
   * released by moving the clock by that delay. Returns the virtual time it moved.
   */
  runToIdle(): Promise<number>;
  /** Receives and deletes everything in the queue. */
  drain(queueUrl: string): Promise<Message[]>;
  /** Stops the server; throws if it reported an internal error meanwhile. */
  close(): Promise<void>;
}

export const RETRY = { baseMs: 1_000, capMs: 1_000 };

export interface FaultsRigOptions {
  /** Seed of the fault rules' chance. @default 1 */
  seed?: number;
  /** Rules in force from the start. */
  faults?: unknown;
  /** Engine options over the rig's (`lingerMs: 0`, seed 1, {@link RETRY}). */
  engine?: Partial<Omit<EngineOptions, "clock" | "journal" | "dataDir">>;
}

export async function createFaultsRig(options: FaultsRigOptions = {}): Promise<FaultsRig> {
  const clock = new VirtualClock({ timeScale: "manual" });
  const internalErrors: unknown[] = [];
  const server = await startSqsrigServer({
    port: 0,
    clock,
    engine: { lingerMs: 0, seed: 1, retry: RETRY, ...options.engine },
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.faults !== undefined ? { faults: options.faults } : {}),
    // Collected, not thrown: the emulator answers InternalFailure meanwhile; close() then fails the test.
    onInternalError: (err) => void internalErrors.push(err),
  });
  const sqs = sdkClient(server.url);
  const journal = server.journal;
  /** Delay records already paid for with a clock move. */
  const released = new Set<number>();

  /** What to do next, or undefined while the engine is busy without the clock (a request in flight, a queue lookup). */
  const nextStep = (): { done: true } | { advance: number; release?: number } | undefined => {
    if (server.engine.pending() === 0) return { done: true };
    const formed = journal.records("batch.formed");
    const results = new Set(journal.records("entry.result").map((r) => `${r.batchId}/${r.delivery}`));
    const open = formed.filter((b) => b.entries.some((e) => !results.has(`${b.batchId}/${e.delivery}`)));
    if (open.length > 0) {
      const firstOpen = Math.min(...open.map((b) => b.seq));
      const held = journal.records("fault.injected").find((r) => r.effect === "delay" && r.seq > firstOpen && !released.has(r.seq));
      return held ? { advance: held.delayMs ?? 0, release: held.seq } : undefined;
    }
    const waiting = waitingRetries(journal);
    if (waiting.length === 0) return undefined;
    return { advance: Math.max(0, Math.min(...waiting.map((r) => r.retryAt)) - clock.now()) };
  };

  /** Resolves with the next step once there is one, checking after each journal record settles. */
  const awaitStep = () =>
    new Promise<NonNullable<ReturnType<typeof nextStep>>>((resolve) => {
      let stop = () => {};
      const check = () => {
        const step = nextStep();
        if (!step) return;
        stop();
        resolve(step);
      };
      // After the emitter's synchronous run: the engine forms follow-up batches in the same run.
      stop = journal.subscribe(() => setImmediate(check));
      setImmediate(check);
    });

  const rig: FaultsRig = {
    server,
    clock,
    sqs,
    queue: async (name, attributes = {}) => {
      const fifo = name.endsWith(".fifo") ? { FifoQueue: "true" } : {};
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...fifo, ...attributes } }));
      return QueueUrl!;
    },
    destination: async (name, queueUrl) => {
      const saved = await server.engine.destinations.put({ type: "SQS", name, queueUrl, region: "us-east-1", auth: { mode: "ACCESS_KEYS", accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey } });
      if (!saved.ok) throw new Error(`destination ${name}: ${JSON.stringify(saved.errors)}`);
    },
    putFaults: async (rules) => {
      const res = await fetch(`${server.url}/api/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(rules) });
      if (res.status !== 200) throw new Error(`PUT /api/faults answered ${res.status}: ${await res.text()}`);
    },
    runToIdle: async () => {
      const start = clock.now();
      for (;;) {
        const step = await awaitStep();
        if ("done" in step) return clock.now() - start;
        if (step.release !== undefined) released.add(step.release);
        await clock.advance(step.advance);
      }
    },
    drain: async (queueUrl) => {
      const out: Message[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], VisibilityTimeout: 600 }),
        );
        if (Messages.length === 0) return out;
        out.push(...Messages);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    },
    close: async () => {
      sqs.destroy();
      await server.close();
      if (internalErrors.length > 0) throw new Error(`sqsrig reported ${internalErrors.length} internal error(s); the first: ${String(internalErrors[0])}`);
    },
  };
  return rig;
}

/** Delivery id → idempotency key of its event, from the `event.accepted` records. */
export function keyOfDelivery(journal: SqsrigServer["journal"]): Map<string, string> {
  return new Map(journal.records("event.accepted").flatMap((r) => r.deliveries.map((d) => [d, r.idempotencyKey] as const)));
}

/** Idempotency keys of the messages, from their bodies (the canonical event JSON). */
export function keysOf(messages: readonly Message[]): string[] {
  return messages.map((m) => (JSON.parse(m.Body!) as { idempotencyKey: string }).idempotencyKey);
}
