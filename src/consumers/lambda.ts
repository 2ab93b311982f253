import { ConsumerConfigError } from "./config-error.js";
import { EventSource, INVOCATION_PAYLOAD_MAX_BYTES, type EventSourceSettings, type RunningConsumer } from "./event-source.js";
import { describeSourceQueue, type SourceQueue } from "./source-queue.js";
import { compileCommon, integer, show, type SourceOptions } from "./source-options.js";

/**
 * An SQS event source mapping (CreateEventSourceMapping with an SQS queue), as the Lambda Developer
 * Guide, "Using Lambda with Amazon SQS", describes it.
 */
export interface LambdaConsumerOptions extends SourceOptions {
  /**
   * `BatchSize`: 1–10,000 on a standard queue, 1–10 on a FIFO queue; above 10 needs
   * `maximumBatchingWindowInSeconds` ≥ 1 (CreateEventSourceMapping API reference). @default 10
   */
  batchSize?: number;
  /**
   * `MaximumBatchingWindowInSeconds`, 0–300; "This applies only to standard queues" (developer guide,
   * Batch window), so a FIFO mapping takes none. @default 0
   */
  maximumBatchingWindowInSeconds?: number;
  /**
   * `ScalingConfig.MaximumConcurrency`, 2–1000 (ScalingConfig API reference): at most this many
   * invocations at once. Without it AWS starts with five concurrent batches and scales up; the emulation
   * keeps five. @default 5
   */
  maximumConcurrency?: number;
  /** `FunctionResponseTypes: ["ReportBatchItemFailures"]`: read `batchItemFailures`. @default false */
  reportBatchItemFailures?: boolean;
  /** The function timeout, 1–900 s; a longer invocation fails its whole batch. @default 3 (Lambda's default) */
  functionTimeoutSeconds?: number;
}

/**
 * Checks the options the way CreateEventSourceMapping would for this queue and resolves the defaults;
 * an option AWS would refuse is a {@link ConsumerConfigError} naming it.
 *
 * @example
 * compileLambdaOptions({ ...base, batchSize: 100 }, { fifo: false });
 * // ConsumerConfigError: batchSize: above 10 needs maximumBatchingWindowInSeconds of at least 1 …
 */
export function compileLambdaOptions(input: LambdaConsumerOptions, queue: { fifo: boolean; visibilityTimeout?: number }): EventSourceSettings {
  const common = compileCommon(input);
  if (queue.fifo && common.batchSize > 10) {
    throw new ConsumerConfigError("batchSize", `must be at most 10 for a FIFO queue, got ${common.batchSize}`);
  }
  if (queue.fifo && common.windowSeconds > 0) {
    // CDK's SqsEventSource refuses the same: "Batching window is not supported for FIFO queues".
    throw new ConsumerConfigError("maximumBatchingWindowInSeconds", "is not supported for FIFO queues (the batch window applies only to standard queues)");
  }
  if (common.batchSize > 10 && common.windowSeconds < 1) {
    throw new ConsumerConfigError(
      "batchSize",
      `above 10 needs maximumBatchingWindowInSeconds of at least 1, got batchSize ${common.batchSize} with a window of ${common.windowSeconds}`,
    );
  }
  const reportBatchItemFailures = input.reportBatchItemFailures ?? false;
  if (typeof reportBatchItemFailures !== "boolean") {
    throw new ConsumerConfigError("reportBatchItemFailures", `must be true or false, got ${show(reportBatchItemFailures)}`);
  }
  const handler = common.handler;
  const timeoutSeconds = integer("functionTimeoutSeconds", input.functionTimeoutSeconds ?? 3, 1, 900);
  if (queue.visibilityTimeout !== undefined && queue.visibilityTimeout < timeoutSeconds) {
    // CreateEventSourceMapping refuses this: "InvalidParameterValueException: Queue visibility timeout:
    // 30 seconds is less than Function timeout: 60 seconds" (as reported in terraform-provider-aws#18099).
    throw new ConsumerConfigError(
      "functionTimeoutSeconds",
      `Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${timeoutSeconds} seconds`,
    );
  }
  return {
    ...common,
    kind: "lambda",
    concurrency: integer("maximumConcurrency", input.maximumConcurrency ?? 5, 2, 1_000),
    reportBatchItemFailures,
    timeoutSeconds,
    maxPayloadBytes: INVOCATION_PAYLOAD_MAX_BYTES,
    envelopeBytes: '{"Records":[]}'.length,
    invoke: (records, context) => handler({ Records: records }, context),
  };
}

/**
 * Starts a Lambda SQS event source mapping on `queueUrl`: its pollers invoke `handler` with
 * `{ Records }` in the exact Lambda event shape, delete what succeeded and leave failures to come back
 * after the visibility timeout (and to the queue's DLQ after maxReceiveCount). Options are checked
 * before anything is received.
 *
 * @example
 * const consumer = await startLambdaConsumer({ name: "orders", client, queueUrl, clock, journal,
 *   handler: async (event) => ({ batchItemFailures: [] }), reportBatchItemFailures: true });
 * await consumer.stop();
 */
export async function startLambdaConsumer(options: LambdaConsumerOptions): Promise<RunningConsumer> {
  // The name's suffix says FIFO before any request; the queue's own attribute then has the last word.
  compileLambdaOptions(options, { fifo: typeof options.queueUrl === "string" && options.queueUrl.endsWith(".fifo") });
  const queue: SourceQueue = await describeSourceQueue(options.client, options.queueUrl);
  const source = new EventSource(compileLambdaOptions(options, queue), queue);
  source.start();
  return source;
}
