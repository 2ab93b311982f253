import { EventSource, INVOCATION_PAYLOAD_MAX_BYTES, type EventSourceSettings, type RunningConsumer } from "./event-source.js";
import { describeSourceQueue } from "./source-queue.js";
import { compileCommon, integer, type SourceOptions } from "./source-options.js";

/**
 * An EventBridge pipe with an SQS source (EventBridge User Guide, "Amazon SQS as a source"; Pipes API
 * reference, PipeSourceSqsQueueParameters). The target gets a bare JSON array of records, "even if the
 * batch size is 1" ("Amazon EventBridge Pipes batching and concurrency"), and batch item failures are
 * always read.
 */
export interface PipeConsumerOptions extends SourceOptions {
  /** `BatchSize`, 1–10,000. @default 10 ("By default, EventBridge polls up to 10 messages") */
  batchSize?: number;
  /** `MaximumBatchingWindowInSeconds`, 0–300. @default 0 */
  maximumBatchingWindowInSeconds?: number;
  /**
   * Batches processed at once. Pipes has no setting for it: it "reads up to five batches" and scales
   * up to 1,000; the emulation keeps a fixed number. @default 5
   */
  concurrency?: number;
  /** How long the target may take before its batch fails (1–900 s). @default none */
  targetTimeoutSeconds?: number;
}

/**
 * Checks pipe options against the documented ranges and resolves the defaults.
 *
 * @example
 * compilePipeOptions({ ...base, batchSize: 0 }); // ConsumerConfigError: batchSize: must be an integer from 1 to 10000, got 0
 */
export function compilePipeOptions(input: PipeConsumerOptions): EventSourceSettings {
  const common = compileCommon(input);
  const handler = common.handler;
  return {
    ...common,
    kind: "pipe",
    concurrency: integer("concurrency", input.concurrency ?? 5, 1, 1_000),
    reportBatchItemFailures: true,
    timeoutSeconds: input.targetTimeoutSeconds === undefined ? undefined : integer("targetTimeoutSeconds", input.targetTimeoutSeconds, 1, 900),
    // "The invocation payload size quota is reached" ends a batch, as for Lambda (6 MB).
    maxPayloadBytes: INVOCATION_PAYLOAD_MAX_BYTES,
    envelopeBytes: "[]".length,
    invoke: (records, context) => handler(records, context),
  };
}

/**
 * Starts a pipe reading `queueUrl`: it filters records (filtered ones are deleted unseen), invokes
 * `handler` with the array of the rest, and settles them by the partial batch response rules.
 *
 * @example
 * const pipe = await startPipeConsumer({ name: "orders-pipe", client, queueUrl, clock, journal,
 *   filter: { body: { status: ["paid"] } }, handler: async (records) => ({ batchItemFailures: [] }) });
 */
export async function startPipeConsumer(options: PipeConsumerOptions): Promise<RunningConsumer> {
  const settings = compilePipeOptions(options);
  const source = new EventSource(settings, await describeSourceQueue(options.client, options.queueUrl));
  source.start();
  return source;
}
