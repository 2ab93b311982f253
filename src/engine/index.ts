/**
 * engine — the Pushrail SQS destination: turns accepted canonical events into SendMessageBatch calls
 * against a customer's queue. It promises at-least-once delivery, per-group order on FIFO queues, the
 * event's idempotencyKey as MessageDeduplicationId, batches within SQS's entry and byte limits, retries
 * it owns (transient → backoff with seeded full jitter; permanent → DLQ with every attempt), and no
 * secret in any log or report. These are its pure building blocks: validation, destination compiling,
 * mapping with AWS's rejection reasons, batch packing, retry classification and the FIFO group gate. No I/O here.
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
export { classifyFailure, sdkWouldRetry, compileRetryPolicy, parseDuration, backoffDelay, mayRetry } from "./retry-policy.js";
export type { FailureInfo, FailureClass, RetryPolicy, RetryPolicyCheck } from "./retry-policy.js";
export { createSeededRandom } from "./random.js";
export { FifoGate } from "./fifo-gate.js";
export type { FifoGateOptions, GateEntry, GateResult, Fits, ResolveReport } from "./fifo-gate.js";
