import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import type { IdempotencyLedger } from "./idempotency.js";
import type { ConsumerHandler } from "./types.js";

/** What every consumer takes, whatever reads the queue: a Lambda mapping, a pipe or a poller. */
export interface ConsumerBase {
  /** The consumer's name in the journal. */
  name: string;
  /** Reads the queue through the real SQS API. */
  client: SQSClient;
  queueUrl: string;
  /** Drives every wait: batching windows, timeouts, retry pauses, heartbeats. */
  clock: Clock;
  journal: Journal;
  handler: ConsumerHandler;
  /**
   * Record idempotency keys of processed messages (`consumer.result` gets `idempotencyKey` and
   * `duplicate`); `true` for a ledger of this consumer's own, or a ledger shared with other consumers.
   * @default false
   */
  idempotency?: boolean | IdempotencyLedger;
  /**
   * Keep each message as the handler got it (minus its receipt handle) in `consumer.batch`, for the
   * `consumerSaw` check. Off by default: bodies can be large. @default false
   */
  journalContents?: boolean;
}
