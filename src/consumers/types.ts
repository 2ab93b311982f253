/**
 * The shapes a consumer's handler sees, exactly as AWS Lambda delivers SQS records (AWS Lambda Developer
 * Guide, "Using Lambda with Amazon SQS", example event): top-level keys camelCase, `attributes` keys
 * PascalCase with string values, `messageAttributes` values with camelCase fields.
 */
export interface LambdaSqsMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface LambdaSqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
    MessageGroupId?: string;
    MessageDeduplicationId?: string;
    SequenceNumber?: string;
    AWSTraceHeader?: string;
    DeadLetterQueueSourceArn?: string;
  };
  messageAttributes: Record<string, LambdaSqsMessageAttribute>;
  /**
   * Present on every record Lambda delivers, `null` when the message has no attributes (records logged
   * from real invocations; the developer guide's example omits the key).
   */
  md5OfMessageAttributes?: string | null;
  md5OfBody: string;
  eventSource: "aws:sqs";
  eventSourceARN: string;
  awsRegion: string;
}

/** What a Lambda function receives from an SQS event source mapping. */
export interface SqsEvent {
  Records: LambdaSqsRecord[];
}

/**
 * The partial batch response (ReportBatchItemFailures). Anything else a handler returns counts as full
 * success; a thrown error fails the whole batch.
 */
export interface BatchResponse {
  batchItemFailures?: { itemIdentifier?: unknown }[] | null;
}

/** Per-invocation context, a small subset of Lambda's. */
export interface HandlerContext {
  /** `lambda` | `pipe` | `poller`. */
  consumer: string;
  /** The consumer's name in the run. */
  name: string;
  /** Clock time of the invocation. */
  now: number;
}

/**
 * A consumer's handler. `lambda` passes an {@link SqsEvent}; `pipe` passes the bare array of records (an
 * EventBridge Pipes target gets a JSON array, even for one message); `poller` passes an {@link SqsEvent}
 * with one record per call, so one handler module works for all three.
 */
export type ConsumerHandler = (event: SqsEvent | LambdaSqsRecord[], context: HandlerContext) => unknown;
