/**
 * The starter files `sqsrig init` writes: a scenario that passes `sqsrig validate` as written, the
 * handler module its consumer loads, and a destination file for `sqsrig preview`.
 */

/** Where the schema lives once sqsrig is installed, relative to `scenarios/example.yaml` (the folder init writes). */
export const SCHEMA_FROM_SCENARIOS = "../node_modules/sqsrig/schema/scenario.schema.json";

export interface StarterFile {
  /** Path relative to the folder init writes into, with `/` separators. */
  path: string;
  /** What it is, for the list init prints. */
  about: string;
  content: string;
}

const SCENARIO = `# yaml-language-server: $schema=${SCHEMA_FROM_SCENARIOS}
name: FIFO orders arrive once, in order, while SQS throttles
description: >-
  100 order events for 5 customers go through the delivery engine into a FIFO queue while a fifth of the
  SendMessageBatch calls are throttled; a Lambda-style worker consumes them. Nothing may be lost,
  duplicated or reordered within a customer.
seed: 1
timeScale: max
queues:
  - name: orders.fifo
    attributes: { FifoQueue: "true", VisibilityTimeout: 30 }
    redrive: { deadLetterQueue: orders-dlq.fifo, maxReceiveCount: 5 }
  - name: orders-dlq.fifo
    attributes: { FifoQueue: "true" }
destination:
  type: SQS
  name: orders
  queue: orders.fifo
  region: us-east-1
  fifo: true
  messageGroupIdField: customerExternalId
engine:
  retry: { baseMs: 200ms, capMs: 30s }
faults:
  - { name: throttled, on: SendMessageBatch, error: Throttling, probability: 0.2 }
consumers:
  - name: worker
    queue: orders.fifo
    kind: lambda
    handler: ../handlers/worker.ts
    batchSize: 10
    reportBatchItemFailures: true
timeline:
  - at: 0s
    generate: { count: 100, groups: 5, eventType: order.created, payloadBytes: 256 }
expect:
  - noLoss
  - fifoOrder
  - noDuplicates
  - delivered: { count: 100 }
`;

const HANDLER = `// A Lambda-style SQS handler, loaded by the \`worker\` consumer of scenarios/example.yaml (TypeScript runs
// as is, no build step). It reports failed messages in \`batchItemFailures\` (ReportBatchItemFailures)
// instead of throwing, so one bad message does not send its whole batch back to the queue.
// Types: npm install --save-dev sqsrig.
import type { LambdaSqsRecord, SqsEvent } from "sqsrig";

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export async function handler(event: SqsEvent | LambdaSqsRecord[]): Promise<SqsBatchResponse> {
  // A pipe consumer hands over a bare array of records; lambda and poller consumers an event.
  const records = Array.isArray(event) ? event : event.Records;
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const stoppedGroups = new Set<string>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId;
    // FIFO: after a message of a group fails, its later messages must wait for it, so they are reported
    // as failed too (Lambda Developer Guide, "Implementing partial batch responses").
    if (group !== undefined && stoppedGroups.has(group)) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      await processOrder(record);
    } catch (err) {
      console.error(\`message \${record.messageId} failed:\`, err);
      batchItemFailures.push({ itemIdentifier: record.messageId });
      if (group !== undefined) stoppedGroups.add(group);
    }
  }
  return { batchItemFailures };
}

interface OrderEvent {
  eventType: string;
  idempotencyKey: string;
  customerExternalId?: string;
  payload: Record<string, unknown>;
}

async function processOrder(record: LambdaSqsRecord): Promise<void> {
  const event = JSON.parse(record.body) as OrderEvent;
  // Your work goes here. SQS delivers at least once: make it idempotent on event.idempotencyKey.
  if (typeof event.idempotencyKey !== "string") throw new Error("the body is not a sqsrig event");
}
`;

const DESTINATION = `${JSON.stringify(
  {
    type: "SQS",
    name: "orders",
    queueUrl: "http://127.0.0.1:4590/000000000000/orders.fifo",
    region: "us-east-1",
    fifo: true,
    messageGroupIdField: "customerExternalId",
    auth: { mode: "ACCESS_KEYS", accessKeyId: "test", secretAccessKey: "test" },
  },
  null,
  2,
)}\n`;

export const STARTER_FILES: readonly StarterFile[] = [
  { path: "scenarios/example.yaml", about: "a FIFO scenario: throttling faults, a Lambda-style consumer, four checks", content: SCENARIO },
  { path: "handlers/worker.ts", about: "the consumer's handler, reporting batchItemFailures", content: HANDLER },
  { path: "destination.json", about: "the destination for `sqsrig preview` (the queue on `sqsrig serve`)", content: DESTINATION },
];
