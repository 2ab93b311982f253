import { CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, SetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from "@aws-sdk/client-sqs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtualClock, realWorkPending, type TimeScale } from "../clock/index.js";
import { CHECKS, type CheckName, type CheckResult } from "../checks/index.js";
import { inProcessRequestHandler, type Engine, type EngineOptions, type IngestReport } from "../engine/index.js";
import type { FaultInjector, WireHandler } from "../faults/index.js";
import { createJournal, type Journal, type JournalRecord } from "../journal/index.js";
import { startSqsrigServer, type SqsrigServer } from "../server/index.js";
import { RecordCounter } from "./conditions.js";
import { ScenarioRunError } from "./run-error.js";
import { settle, type SettleOptions, type SettleResult } from "./settle.js";
import type { ScenarioDestination } from "./types.js";
import type { RoleConfig } from "../emulator/index.js";

/** A queue to create: SQS attributes as CreateQueue takes them, and an optional redrive to another rig queue. */
export interface RigQueue {
  name: string;
  attributes?: Record<string, string>;
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
  /** The scenario line that declared it, for errors. */
  line?: number;
}

export interface RigOptions {
  /** Seeds fault chance, backoff jitter, MessageIds and generated events. @default 1 */
  seed?: number;
  /** `max` skips to the next timer whenever the rig is idle; `manual` moves only on `clock.advance`. @default "max" */
  timeScale?: TimeScale;
  queues?: RigQueue[];
  /** The Pushrail destination, `queue` naming one of `queues`. */
  destination?: ScenarioDestination;
  /** Fault rules in force from the start (`rig.faults.setRules` replaces them). */
  faults?: unknown[];
  /** Engine options (retry, lingerMs, maxInFlight…). */
  engine?: Partial<Omit<EngineOptions, "clock" | "journal" | "dataDir">>;
  /** IAM roles the embedded STS lets the engine assume (ASSUME_ROLE destinations). */
  roles?: RoleConfig[];
  /** Port of the rig's SQS endpoint (`rig.endpoint`). @default 0, a free one */
  port?: number;
  /** Where the engine's outbox and the emulator live. @default a temporary directory removed on close */
  dataDir?: string;
}

/**
 * Static credentials the embedded backend accepts (it checks signatures' shape, not secrets). A fresh
 * object each time: the SDK tags the identity object it is given (`$source`).
 */
const rigCredentials = () => ({ accessKeyId: "sqsrig", secretAccessKey: "sqsrig" });
const RIG_REGION = "us-east-1";
/** Real time a user handler may hold a `max` clock before virtual time moves on without it. */
export const HOLD_CAP_MS = 2_000;
/** The host of the queue URLs the rig hands out in process. */
const RIG_HOST = "http://sqsrig.localhost";

/** A whole sqsrig in one test: emulator, engine, fault rules, journal, on one virtual clock. */
export interface Rig {
  /** The SQS endpoint (and `/v1` API) of this rig, for any SDK client: `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  readonly clock: VirtualClock;
  readonly journal: Journal;
  readonly engine: Engine;
  readonly faults: FaultInjector;
  /** An SDK client in process, through the fault rules, on the rig's clock (what consumers use). */
  readonly client: SQSClient;
  readonly server: SqsrigServer;
  /**
   * The URL of a queue the rig created (`http://sqsrig.localhost/000000000000/NAME`): any SDK client
   * pointed at {@link Rig.endpoint} takes it, since the emulator finds queues by path.
   */
  queueUrl(name: string): string;
  /** Creates queues (then their redrive policies, so a DLQ may be listed after its source). */
  createQueues(queues: RigQueue[]): Promise<void>;
  /**
   * Saves the destination, resolving its `queue` to the rig's queue URL. A save the preflight refuses
   * (queue missing, AssumeRole refused…) is journaled as `destination.refused` and returned, not thrown.
   */
  putDestination(destination: ScenarioDestination): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Ingests canonical events as `POST /v1/events` would (accepted ones are durable when this resolves). */
  send(events: unknown | unknown[]): Promise<IngestReport>;
  /** Waits (in virtual time) until the engine has nothing pending and the watched queues are drained. */
  settle(options?: Partial<SettleOptions>): Promise<SettleResult>;
  /** PurgeQueue, outside the fault rules (the harness's hand, not a client under test). */
  purge(queue: string): Promise<void>;
  /** StartMessageMoveTask from a DLQ (to `destination`, or each message's source queue); returns its TaskHandle. */
  startMoveTask(source: string, destination?: string, maxPerSecond?: number): Promise<string>;
  /** Kills the engine mid-flight and starts a new one that recovers from the outbox. */
  restartEngine(): Promise<void>;
  /**
   * Holds a `max` clock while `work` runs (up to {@link HOLD_CAP_MS} of real time): a user's handler
   * awaiting a database or an HTTP call must not see a 3 s function timeout pass in a millisecond.
   */
  holdClock<T>(work: Promise<T>): Promise<T>;
  /** Every journal record so far. */
  records(): JournalRecord[];
  /** Runs one check over the journal so far. */
  check(name: CheckName, options?: unknown): CheckResult;
  readonly counter: RecordCounter;
  close(): Promise<void>;
}

/**
 * Starts a rig: an embedded emulator, the delivery engine and the fault layer on one virtual clock, with
 * a journal that keeps every record, for tests written in code rather than YAML.
 *
 * @example
 * const rig = await startRig({ queues: [{ name: "orders" }], destination: { type: "SQS", name: "orders", queue: "orders", region: "us-east-1", fifo: false, messageGroupIdField: "customerExternalId" } });
 * await rig.send({ eventType: "order.created", occurredAt: new Date().toISOString(), customerExternalId: "c-1", idempotencyKey: "o-1", payload: {} });
 * await rig.settle();
 * expect(rig.check("noLoss").ok).toBe(true);
 * await rig.close();
 */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const seed = options.seed ?? 1;
  let held = 0;
  const clock = new VirtualClock({
    start: Date.UTC(2026, 0, 1),
    timeScale: options.timeScale ?? "max",
    realWorkPending: () => held > 0 || realWorkPending(),
    onForcedJump: ({ from, to }) => journal.emit({ type: "run.clockForced", from, to }),
  });
  const journal = createJournal(clock, { retain: Infinity });
  const counter = new RecordCounter();
  journal.subscribe((r) => counter.add(r));
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "sqsrig-rig-")));
  let server: SqsrigServer;
  try {
    server = await startSqsrigServer({
      port: options.port ?? 0,
      clock,
      journal,
      dataDir,
      emulatorInMemory: true,
      seed,
      faults: options.faults ?? [],
      emulator: { seed, ...(options.roles ? { roles: options.roles } : {}) },
      engine: { seed, lingerMs: 0, ...options.engine },
    });
  } catch (err) {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const sdkClient = (handler: WireHandler) => {
    const sdk = new SQSClient({
      // A fixed host: queue URLs in the journal (destination.saved) stay the same run to run, whatever
      // port the rig listens on. Requests never leave the process, so the host is only a name.
      endpoint: RIG_HOST,
      region: RIG_REGION,
      credentials: rigCredentials(),
      // The rig's consumers retry on its clock; the SDK's own retries would wait in real time.
      maxAttempts: 1,
      requestHandler: inProcessRequestHandler(handler, { clock }),
    });
    // The SDK's logger step copies every input and output through its redaction filter even for its
    // no-op logger: ~5% of a 100k-event run's CPU, for log lines nobody reads. Nothing else changes.
    sdk.middlewareStack.remove("loggerMiddleware");
    return sdk;
  };
  const client = sdkClient(server.sqs);
  // Setup and bookkeeping (creating queues, reading their depth) are not under test: no fault rules.
  const admin = sdkClient(server.backendSqs);
  const urls = new Map<string, string>();

  const queueUrl = (name: string): string => {
    const url = urls.get(name);
    if (!url) throw new ScenarioRunError(`queue '${name}' was not created by this rig (created: ${[...urls.keys()].join(", ") || "none"}).`);
    return url;
  };

  const rig: Rig = {
    endpoint: server.url,
    clock,
    journal,
    get engine() {
      return server.engine;
    },
    faults: server.faults,
    client,
    server,
    counter,
    queueUrl,
    async createQueues(queues) {
      for (const q of queues) {
        try {
          const out = await admin.send(new CreateQueueCommand({ QueueName: q.name, Attributes: q.attributes ?? {} }));
          urls.set(q.name, out.QueueUrl!);
        } catch (err) {
          throw new ScenarioRunError(`queue '${q.name}' could not be created: ${describe(err)}`, q.line);
        }
      }
      for (const q of queues.filter((x) => x.redrive)) {
        const { deadLetterQueue, maxReceiveCount } = q.redrive!;
        try {
          const { Attributes } = await admin.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(deadLetterQueue), AttributeNames: ["QueueArn"] }));
          const policy = JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount });
          await admin.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl(q.name), Attributes: { RedrivePolicy: policy } }));
        } catch (err) {
          throw new ScenarioRunError(`queue '${q.name}': its redrive to '${deadLetterQueue}' was refused: ${describe(err)}`, q.line);
        }
      }
    },
    async putDestination(destination) {
      const { queue, ...rest } = destination;
      const saved = await server.engine.destinations.put({ ...rest, queueUrl: queueUrl(queue), auth: destination.auth ?? { mode: "ACCESS_KEYS", ...rigCredentials() } });
      if (saved.ok) return { ok: true };
      return { ok: false, message: `destination '${destination.name}' was refused: ${saved.errors.map((e) => `${e.field ? `${e.field}: ` : ""}${e.message}`).join("; ")}` };
    },
    send: (events) => server.engine.ingest(Array.isArray(events) ? events : [events]),
    settle: (settleOptions = {}) =>
      settle({ clock, engine: () => server.engine, counter, depth: (name) => queueDepth(admin, queueUrl(name)) }, settleOptions),
    async purge(name) {
      await admin.send(new PurgeQueueCommand({ QueueUrl: queueUrl(name) }));
    },
    async startMoveTask(source, destination, maxPerSecond) {
      const arn = async (name: string) => {
        const { Attributes } = await admin.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(name), AttributeNames: ["QueueArn"] }));
        return Attributes!.QueueArn!;
      };
      const out = await admin.send(
        new StartMessageMoveTaskCommand({
          SourceArn: await arn(source),
          ...(destination !== undefined ? { DestinationArn: await arn(destination) } : {}),
          ...(maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}),
        }),
      );
      return out.TaskHandle!;
    },
    async restartEngine() {
      await server.restartEngine();
    },
    holdClock(work) {
      held++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held--;
        clearTimeout(cap);
      };
      // A handler that never answers must not freeze the run: past the cap its time races the clock.
      const cap = setTimeout(release, HOLD_CAP_MS);
      cap.unref();
      return work.finally(release);
    },
    records: () => journal.records(),
    check: (name, checkOptions = {}) => CHECKS[name].run(journal.records(), checkOptions as never),
    async close() {
      client.destroy();
      admin.destroy();
      try {
        await server.close();
      } finally {
        // A max clock keeps the process alive while timers remain (message retention, long polls).
        clock.setTimeScale("manual");
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
  try {
    if (options.queues) await rig.createQueues(options.queues);
    if (options.destination) {
      const saved = await rig.putDestination(options.destination);
      if (!saved.ok) throw new ScenarioRunError(saved.message);
    }
  } catch (err) {
    // A rig that failed to set up must not leave its server, clock and directory behind.
    await rig.close();
    throw err;
  }
  return rig;
}

/** Messages a queue still holds: visible, in flight and delayed (exact on the embedded backend). */
async function queueDepth(admin: SQSClient, url: string): Promise<number> {
  const { Attributes = {} } = await admin.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name !== "Error" ? `${err.name}: ` : ""}${err.message}`;
  return String(err);
}
