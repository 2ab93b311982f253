import type { SQSClientConfig } from "@aws-sdk/client-sqs";
import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import type { InProcessSqs } from "./in-process-transport.js";
import type { QueueClientFactory } from "./queue-client.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Static keys or a provider, as every AWS SDK v3 client takes them. */
export type Credentials = NonNullable<SQSClientConfig["credentials"]>;

export interface EngineOptions {
  clock: Clock;
  journal: Journal;
  /** Outbox, DLQ, destinations and the secret key live here; in memory only when absent. */
  dataDir?: string;
  /** `fsync` makes every 202 survive power loss, not only a killed process. @default "write" */
  durability?: "write" | "fsync";
  /** Seed of the backoff jitter, so a run's retry timeline is reproducible. @default 1 */
  seed?: number;
  /** @default { baseMs: 200, capMs: 180000 } (DESIGN "Engine": default cap 3 minutes), no attempt limit */
  retry?: Partial<RetryPolicy>;
  /** How long a batch that is not full waits for more events. @default 5 */
  lingerMs?: number;
  /** Byte cap per SendMessageBatch below the queue's MaximumMessageSize (Pushrail documents 256 KB). @default 1048576 */
  maxBatchBytes?: number;
  /** Entries per SendMessageBatch (1–10): fewer makes smaller, more frequent batches. @default 10 */
  maxBatchEntries?: number;
  /** SendMessageBatch requests in flight per destination. @default 16 */
  maxInFlight?: number;
  /** SQS endpoint for every destination (the embedded emulator, LocalStack); else derived from each queueUrl. */
  endpoint?: string;
  /** STS endpoint for AssumeRole; else the SDK's regional default. */
  stsEndpoint?: string;
  /** The identity that calls AssumeRole. @default the SDK's default credential chain */
  baseCredentials?: Credentials;
  /** Per-request timeout of SendMessageBatch. @default 30000 */
  requestTimeoutMs?: number;
  /** Destinations to start with (a scenario's), saved like `PUT /v1/destinations`. */
  destinations?: unknown[];
  /**
   * The embedded emulator's wire handler: the SDK sender hands it each request in process instead of
   * over loopback HTTP (same signing, same wire format, same answers).
   */
  inProcessSqs?: InProcessSqs;
  /** Where failures with no request to answer go (bugs, not SQS errors). @default console.error */
  onInternalError?: (err: unknown) => void;
  /** Replaces the AWS SDK sender (the fault layer wraps it). */
  queueClientFactory?: QueueClientFactory;
}

export const ENGINE_DEFAULTS = {
  retry: { baseMs: 200, capMs: 180_000 },
  lingerMs: 5,
  maxInFlight: 16,
  requestTimeoutMs: 30_000,
} as const;
