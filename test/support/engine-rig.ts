import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import type { EmulatorServerOptions } from "../../src/emulator/index.js";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/index.js";
import { startSqsProxy, type ProxyHandler, type SqsProxy } from "./sqs-proxy.js";
import { createTarget, CREDENTIALS, type SqsTarget } from "./target.js";

export interface EngineRig {
  target: SqsTarget;
  engine: Engine;
  queueUrl: string;
  destination: Record<string, unknown>;
  /** The HTTP proxy between engine and emulator, when `options.proxy` asked for one. */
  proxy?: SqsProxy;
  /** Receives (and deletes) everything in the queue, in the order SQS hands it out. */
  drain(queueUrl?: string): Promise<Message[]>;
  /**
   * Another engine on the same emulator, clock and journal, with the rig's options plus `extra` (a
   * restart on the same `dataDir`). The rig closes it too.
   */
  openEngine(extra?: Partial<EngineOptions>): Promise<Engine>;
  close(): Promise<void>;
}

export interface EngineRigOptions {
  fifo?: boolean;
  queueAttributes?: Record<string, string>;
  engine?: Partial<EngineOptions>;
  destination?: Record<string, unknown>;
  /** Emulator options (STS `roles`, `resolvePrincipal`, `limits`). */
  target?: Partial<EmulatorServerOptions>;
  /**
   * Puts a real HTTP proxy (test/support/sqs-proxy.ts) between the engine and the emulator, for SQS
   * and STS requests alike, deciding each request with this handler.
   */
  proxy?: ProxyHandler;
}

/**
 * The embedded emulator on a manual virtual clock, one queue, and a real engine delivering to it through
 * the AWS SDK over HTTP (no stand-ins). `lingerMs: 0` so nothing waits on virtual time unless a test moves it.
 */
export async function createEngineRig(options: EngineRigOptions = {}): Promise<EngineRig> {
  const target = await createTarget(options.target);
  const fifo = options.fifo ?? false;
  const name = target.name("engine") + (fifo ? ".fifo" : "");
  const attributes = { ...(fifo ? { FifoQueue: "true" } : {}), ...options.queueAttributes };
  const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const destination = {
    type: "SQS",
    name: "main",
    queueUrl: QueueUrl!,
    region: "us-east-1",
    auth: { mode: "ACCESS_KEYS", accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey },
    ...options.destination,
  };
  const proxy = options.proxy ? await startSqsProxy(target.endpoint, options.proxy) : undefined;
  const engineOptions: EngineOptions = {
    clock: target.clock!,
    journal: target.journal!,
    endpoint: proxy?.url ?? target.endpoint,
    stsEndpoint: proxy?.url ?? target.endpoint,
    baseCredentials: { ...CREDENTIALS },
    lingerMs: 0,
    destinations: [destination],
    ...options.engine,
  };
  const engines: Engine[] = [];
  const openEngine = async (extra: Partial<EngineOptions> = {}) => {
    const opened = await createEngine({ ...engineOptions, ...extra });
    engines.push(opened);
    return opened;
  };
  const engine = await openEngine();
  const drain = async (url = QueueUrl!) => {
    const out: Message[] = [];
    for (let empty = 0; empty < 2; ) {
      const { Messages = [] } = await target.client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }),
      );
      if (Messages.length === 0) {
        empty++;
        continue;
      }
      out.push(...Messages);
      await target.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    return out;
  };
  return {
    target,
    engine,
    queueUrl: QueueUrl!,
    destination,
    ...(proxy ? { proxy } : {}),
    drain,
    openEngine,
    close: async () => {
      for (const e of engines) await e.close();
      await proxy?.close();
      await target.close();
    },
  };
}

/** A valid canonical event for `customer`, number `n`. */
export function makeEvent(customer: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    eventType: "order.created",
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)).toISOString(),
    source: "shop",
    customerExternalId: customer,
    idempotencyKey: `${customer}-${n}`,
    correlationId: `corr-${n}`,
    payload: { n, customer },
    ...extra,
  };
}
