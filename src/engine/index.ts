/**
 * engine — the Pushrail SQS destination: turns accepted canonical events into SendMessageBatch calls
 * against a customer's queue. It promises at-least-once delivery, per-group order on FIFO queues, the
 * event's idempotencyKey as MessageDeduplicationId, batches within SQS's entry and byte limits, retries
 * it owns (transient → backoff with seeded full jitter; permanent → DLQ with every attempt), and no
 * secret in any log or report. `createEngine` is the runtime (durable outbox, per-destination delivery,
 * DLQ and replay); the rest are its parts, exported for the server, the CLI and tests.
 */
export { validateEvent, isIsoDateTime, EVENT_FIELDS } from "./event.js";
export type { CanonicalEvent, EventCheck } from "./event.js";
export type { FieldError } from "./field-error.js";
export { compileDestination, redactDestination } from "./destination.js";
export type { SqsDestination, AssumeRoleAuth, AccessKeysAuth, DestinationCheck } from "./destination.js";
export { mapEvent, readPath, ENVELOPE_ATTRIBUTES, METADATA_OVERFLOW_ATTRIBUTE } from "./mapper.js";
export type { MappedEntry, MappedEvent, MapOptions, Rejection } from "./mapper.js";
export { BatchPacker } from "./batch-packer.js";
export type { BatchPackerOptions, Packed } from "./batch-packer.js";
export { classifyFailure, sdkWouldRetry, compileRetryPolicy, backoffDelay, mayRetry } from "./retry-policy.js";
/** Re-exported from src/clock, where time and chance live, for callers of the engine door. */
export { parseDuration, createSeededRandom } from "../clock/index.js";
export type { FailureInfo, FailureClass, RetryPolicy, RetryPolicyCheck } from "./retry-policy.js";
export { FifoGate } from "./fifo-gate.js";
export type { FifoGateOptions, GateEntry, GateResult, Fits, ResolveReport } from "./fifo-gate.js";
export { createEngine, PreviewInputError } from "./engine.js";
export { IngestError } from "./engine-api.js";
export type {
  Engine,
  DestinationRegistry,
  IngestOptions,
  IngestResult,
  IngestReport,
  DlqEntry,
  ReplayRequest,
  ReplayOutcome,
  ReplayReport,
  PreviewReport,
  PutDestinationResult,
} from "./engine-api.js";
export { ReplayRequestError } from "./replay.js";
export { ENGINE_DEFAULTS } from "./engine-options.js";
export type { EngineOptions, Credentials } from "./engine-options.js";
export type { QueueClient, QueueClientFactory, QueueInfo, SendEntry, BatchOutcome, EntryOutcome } from "./queue-client.js";
export { QueueLookupError } from "./queue-client.js";
export { createSqsQueueClient, sqsEndpointFor } from "./sqs-queue-client.js";
export type { SqsQueueClientOptions } from "./sqs-queue-client.js";
export { failureFromError, describeFailure } from "./sdk-failure.js";
export { createCredentialsProvider, sessionNameFor } from "./credentials.js";
export type { CredentialsProvider, CredentialsProviderOptions } from "./credentials.js";
export { SecretBox, SecretBoxError } from "./secret-box.js";
export { DestinationStore, DestinationFileError } from "./destination-store.js";
export { preflightDestination, warningsFor } from "./preflight.js";
export type { PreflightResult } from "./preflight.js";
export { buildPreview, formatPreview } from "./preview.js";
export { Outbox, OUTBOX_FILE } from "./outbox.js";
export { inProcessRequestHandler } from "./in-process-transport.js";
export type { InProcessSqs } from "./in-process-transport.js";
