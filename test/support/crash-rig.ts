import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { VirtualClock, type Clock } from "../../src/clock/index.js";
import { openEmulator, type OpenEmulator } from "../../src/emulator/index.js";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/index.js";
import { inProcessRequestHandler } from "../../src/engine/in-process-transport.js";
import { FaultInjector, withFaults } from "../../src/faults/index.js";
import { parseWireRequest, type WireHandler, type WireResponse } from "../../src/faults/wire-request.js";
import { createJournal, type Journal } from "../../src/journal/index.js";
import { CREDENTIALS } from "./target.js";

/** What the scripted wire does with the n-th SendMessageBatch that reaches it. */
export type Treatment =
  /** Passes it on and back. */
  | "forward"
  /** SQS stores it; the answer never comes back (the engine's process dies waiting for it). */
  | "storeUnheard"
  /** Held before SQS sees it, until {@link ScriptedWire.sendHeld} (bytes still on their way at the crash). */
  | "holdUnsent";

export interface ScriptedWire {
  readonly handler: WireHandler;
  /** SendMessageBatch requests seen so far. */
  readonly seen: number;
  /** Resolves once `n` SendMessageBatch requests have been treated (stored ones stored). */
  reached(n: number): Promise<void>;
  /** Hands the held requests to SQS now, which stores them; their answers go nowhere. */
  sendHeld(): Promise<void>;
}

/**
 * A wire between the engine's in-process transport and SQS that treats each SendMessageBatch as `script`
 * says, so a test can crash the engine with requests in every state a real crash leaves them in.
 */
export function scriptedWire(forward: WireHandler, script: (n: number) => Treatment): ScriptedWire {
  let seen = 0;
  let treated = 0;
  const held: (() => Promise<void>)[] = [];
  const waiters: { n: number; resolve(): void }[] = [];
  const done = () => {
    treated++;
    for (const w of waiters.filter((w) => w.n <= treated)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const handler: WireHandler = async (request) => {
    if (parseWireRequest(request)?.action !== "SendMessageBatch") return forward(request);
    const treatment = script(++seen);
    if (treatment === "forward") {
      const answer = await forward(request);
      done();
      return answer;
    }
    if (treatment === "storeUnheard") {
      await forward(request);
      done();
      return new Promise<WireResponse>(() => {});
    }
    return new Promise<WireResponse>((resolve) => {
      held.push(async () => resolve(await forward(request)));
      done();
    });
  };
  return {
    handler,
    get seen() {
      return seen;
    },
    reached: (n) => (treated >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    sendHeld: async () => {
      for (const send of held.splice(0)) await send();
    },
  };
}

/** The engine's clock, watched: what the engine schedules and what of it fires, after a given moment. */
export interface WatchedClock {
  readonly clock: Clock;
  /** `setTimeout` calls and timer firings of the engine since {@link WatchedClock.mark}. */
  activity(): string[];
  mark(): void;
}

export function watchClock(inner: Clock): WatchedClock {
  let log: string[] = [];
  const clock: Clock = {
    virtual: inner.virtual,
    now: () => inner.now(),
    setTimeout: (fn, ms) => {
      log.push(`setTimeout ${ms}`);
      return inner.setTimeout(() => {
        log.push(`fired ${ms}`);
        fn();
      }, ms);
    },
    sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
  };
  return { clock, activity: () => [...log], mark: () => void (log = []) };
}

export interface CrashRig {
  clock: VirtualClock;
  journal: Journal;
  embedded: OpenEmulator;
  faults: FaultInjector;
  wire: ScriptedWire;
  engineClock: WatchedClock;
  queueUrl: string;
  dataDir: string;
  /** Failures the engines reported with no request to answer (bugs): a test expects none. */
  internalErrors: unknown[];
  /** An engine on the rig's dataDir through the same wire; the first saves the destination, later ones (restarts) find it there. */
  openEngine(extra?: Partial<EngineOptions>): Promise<Engine>;
  /** Receives and deletes everything in the queue, in the order SQS hands it out. */
  drain(): Promise<Message[]>;
  close(): Promise<void>;
}

/**
 * The embedded emulator in process on a manual virtual clock, one queue, and engines on `dataDir`
 * sending to it in process through the fault layer and a {@link scriptedWire}: the shape `sqsrig serve`
 * and the scenario runner give the engine, with every request's fate in the test's hands.
 */
export async function createCrashRig(options: { fifo: boolean; dataDir: string; script: (n: number) => Treatment; engine?: Partial<EngineOptions> }): Promise<CrashRig> {
  const clock = new VirtualClock({ timeScale: "manual" });
  const journal = createJournal(clock, { retain: 100_000 });
  const embedded = await openEmulator({ clock, journal });
  const wire = scriptedWire(embedded.handleWire, options.script);
  const faults = new FaultInjector({ clock, journal });
  const sqsWire = withFaults(wire.handler, faults, clock);
  // The endpoint is never dialled: it names the host the SDK signs for and queue URLs carry.
  const endpoint = "http://127.0.0.1:4590";
  const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials: { ...CREDENTIALS }, maxAttempts: 1, requestHandler: inProcessRequestHandler(embedded.handleWire) });
  const name = options.fifo ? "orders.fifo" : "orders";
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: options.fifo ? { FifoQueue: "true" } : {} }));
  const engineClock = watchClock(clock);
  const internalErrors: unknown[] = [];
  const engines: Engine[] = [];
  const engineOptions: EngineOptions = {
    clock: engineClock.clock,
    journal,
    dataDir: options.dataDir,
    endpoint,
    inProcessSqs: sqsWire,
    lingerMs: 0,
    onInternalError: (err) => internalErrors.push(err),
    destinations: [{ type: "SQS", name: "main", queueUrl: QueueUrl!, region: "us-east-1", fifo: options.fifo, auth: { mode: "ACCESS_KEYS", accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey } }],
    ...options.engine,
  };
  return {
    clock,
    journal,
    embedded,
    faults,
    wire,
    engineClock,
    queueUrl: QueueUrl!,
    dataDir: options.dataDir,
    internalErrors,
    openEngine: async (extra = {}) => {
      const engine = await createEngine({ ...engineOptions, ...(engines.length > 0 ? { destinations: [] } : {}), ...extra });
      engines.push(engine);
      return engine;
    },
    drain: async () => {
      const out: Message[] = [];
      for (let empty = 0; empty < 2; ) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
        if (Messages.length === 0) {
          empty++;
          continue;
        }
        out.push(...Messages);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      return out;
    },
    close: async () => {
      for (const e of engines) await e.close();
      sqs.destroy();
      await embedded.close();
    },
  };
}
