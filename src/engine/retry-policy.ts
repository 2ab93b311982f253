import { parseDuration } from "../clock/index.js";
import { isPlainObject } from "./field-error.js";
import type { FieldError } from "./field-error.js";

/** One failed attempt as the sender saw it. */
export interface FailureInfo {
  /** AWS error code (`__type` suffix or query `Code`), or the Node error code for socket errors. */
  code?: string;
  httpStatus?: number;
  /** `SenderFault` of a per-entry failure, or of the error response. */
  senderFault?: boolean;
  /** `error`: the whole request failed; `entry`: one entry in `Failed[]` of an HTTP 200. */
  kind: "error" | "entry" | "timeout" | "reset";
}

export type FailureClass = "transient" | "permanent";

/** Throttling codes across the SQS JSON/query wire names and the AWS front end. */
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "KmsThrottled",
  "KMS.ThrottlingException",
]);

/**
 * Never fixed by waiting (DESIGN "Engine": AccessDenied, QueueDoesNotExist, InvalidParameterValue,
 * oversize → permanent). Both wire spellings of each are listed: JSON `__type` and query `Code`.
 */
const PERMANENT = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "InvalidParameterValue",
  "InvalidParameterValueException",
  "oversize",
  "Oversize",
  "BatchRequestTooLong",
  "AWS.SimpleQueueService.BatchRequestTooLong",
  "InvalidMessageContents",
]);

/**
 * DESIGN "Engine", classification table. Order matters: throttling (including KMS throttling, which SQS
 * reports with SenderFault=true) is transient before SenderFault is consulted; the named permanent codes
 * win over an entry's SenderFault=false. Anything else falls to SenderFault, then the HTTP status
 * (429 and 5xx transient, other 4xx permanent); a failure with no information at all is transient, so
 * the optional max-attempts bound, not a guess, decides when to stop.
 */
export function classifyFailure(failure: FailureInfo): FailureClass {
  if (failure.kind === "timeout" || failure.kind === "reset") return "transient";
  const code = failure.code;
  if (code !== undefined && THROTTLING.has(code)) return "transient";
  if (code !== undefined && PERMANENT.has(code)) return "permanent";
  if (failure.senderFault !== undefined) return failure.senderFault ? "permanent" : "transient";
  const status = failure.httpStatus;
  if (status !== undefined) return status === 429 || status >= 500 ? "transient" : status >= 400 ? "permanent" : "transient";
  return "transient";
}

/** SDK v3's throttling list (`@smithy/service-error-classification`), which includes SQS's RequestThrottled. */
const SDK_THROTTLING = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const SDK_TRANSIENT_CODES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const SDK_TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Whether AWS SDK v3's standard retry strategy would have retried this by itself (DESIGN "Details worth
 * getting right"): throttling codes, HTTP 429/500/502/503/504, timeouts and socket errors — never
 * KmsThrottled, AccessDenied, QueueDoesNotExist, InvalidParameterValue, ExpiredToken, nor entries in
 * `Failed[]` of an HTTP 200. Shown next to each fault and DLQ attempt.
 */
export function sdkWouldRetry(failure: FailureInfo): boolean {
  if (failure.kind === "entry") return false;
  if (failure.kind === "timeout" || failure.kind === "reset") return true;
  if (failure.code !== undefined && (SDK_THROTTLING.has(failure.code) || SDK_TRANSIENT_CODES.has(failure.code))) return true;
  return failure.httpStatus !== undefined && SDK_TRANSIENT_STATUS.has(failure.httpStatus);
}

export interface RetryPolicy {
  /** First backoff ceiling in ms; the n-th retry waits up to `baseMs · 2^(n-1)`, capped. */
  baseMs: number;
  /** Largest wait in ms. @default 180000 (DESIGN "Engine": default cap 3 minutes) */
  capMs: number;
  /** Attempts including the first; absent means unbounded (transient failures retry until they pass). */
  maxAttempts?: number;
}

export type RetryPolicyCheck = { ok: true; policy: RetryPolicy } | { ok: false; errors: FieldError[] };

/**
 * Validates a retry policy once, at the boundary (STYLE "Options are a documented interface and one
 * compiler"). Durations accept `500`, `"500ms"`, `"30s"`, `"5m"`.
 */
export function compileRetryPolicy(input: unknown): RetryPolicyCheck {
  if (!isPlainObject(input)) return { ok: false, errors: [{ field: "", rule: "type", message: "A retry policy must be an object." }] };
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!["baseMs", "capMs", "maxAttempts"].includes(key)) errors.push({ field: key, rule: "unknown", message: `Unknown field '${key}'.` });
  }
  const baseMs = input.baseMs === undefined ? undefined : parseDuration(input.baseMs);
  if (input.baseMs === undefined) errors.push({ field: "baseMs", rule: "required", message: "baseMs is required." });
  else if (baseMs === undefined || baseMs <= 0) errors.push({ field: "baseMs", rule: "duration", message: "baseMs must be a positive duration (500, \"500ms\", \"30s\", \"5m\")." });
  const capMs = input.capMs === undefined ? 180_000 : parseDuration(input.capMs);
  if (capMs === undefined || capMs <= 0) errors.push({ field: "capMs", rule: "duration", message: "capMs must be a positive duration." });
  else if (baseMs !== undefined && capMs < baseMs) errors.push({ field: "capMs", rule: "range", message: "capMs must be at least baseMs." });
  const maxAttempts = input.maxAttempts;
  if (maxAttempts !== undefined && (typeof maxAttempts !== "number" || !Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    errors.push({ field: "maxAttempts", rule: "range", message: "maxAttempts must be an integer ≥ 1." });
  }
  if (errors.length > 0) return { ok: false, errors };
  const policy: RetryPolicy = { baseMs: baseMs!, capMs: capMs! };
  if (maxAttempts !== undefined) policy.maxAttempts = maxAttempts as number;
  return { ok: true, policy };
}


/**
 * Wait before retry number `attempt` (1 = the first retry): "full jitter", uniform in
 * [0, min(cap, base · 2^(attempt-1))) (AWS Architecture Blog, "Exponential Backoff And Jitter").
 * `random` returns [0, 1) and must be seeded so a run is reproducible (STYLE "Time and chance").
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  // Cap the exponent so 2^n never overflows to Infinity on a long-failing destination.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.floor(random() * ceiling);
}

/** Whether another attempt is allowed after `attempts` have been made. */
export function mayRetry(policy: RetryPolicy, attempts: number): boolean {
  return policy.maxAttempts === undefined || attempts < policy.maxAttempts;
}
