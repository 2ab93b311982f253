/**
 * Realistic throttling: a token bucket per (rule, queue, action) on the run's clock, so virtual time
 * refills it exactly like real time and a run's throttling is reproducible.
 *
 * Quotas behind `throttle: "aws"` — SQS Developer Guide, "Amazon SQS message quotas" (Message throughput):
 * - standard queues support "a very high, nearly unlimited number of API calls per second, per action"
 *   → never throttled;
 * - FIFO queues without high-throughput mode: 300 transactions per second per API action
 *   (SendMessage, ReceiveMessage, DeleteMessage; a batch call counts once — "300 API calls, each with a
 *   batch of 10 messages"). "Troubleshoot FIFO throttling issues in Amazon SQS" says requests over it get
 *   `ThrottlingException`.
 * A queue is FIFO when its name ends in `.fifo` (the only thing every attachment point can see: a proxy
 * to LocalStack or AWS does not know the queue's attributes). High-throughput FIFO queues
 * (`FifoThroughputLimit=perMessageGroupId`) are treated like the others at 300/s per action; their
 * per-region limits (e.g. up to 70,000 TPS in us-east-1, 19,000 in us-east-2, same page) belong in an
 * explicit `throttle: { rate, burst }`.
 */

import { FAULT_ERROR_NAMES, isFaultErrorName } from "./fault-errors.js";

/** A bucket's shape: `rate` tokens per second refill it up to `burst`; each request takes one. */
export interface ThrottleSpec {
  /** Requests per second in the long run. */
  rate: number;
  /** Requests that may arrive at once after a quiet spell (the bucket's size). */
  burst: number;
}

/** The rule effect `throttle`: `"aws"` picks the bucket per request from SQS's quotas. */
export interface ThrottleEffect {
  kind: "throttle";
  limit: "aws" | ThrottleSpec;
  /** The fault error name requests over the rate get. */
  error: string;
}

/** The non-high-throughput FIFO quota: 300 calls per second per action. AWS documents no burst; one second's worth. */
export const AWS_FIFO_THROTTLE: ThrottleSpec = { rate: 300, burst: 300 };

/** The actions the FIFO quota names (with their batch and visibility siblings); queue management is not throttled. */
const MESSAGE_ACTIONS = new Set([
  "SendMessage",
  "SendMessageBatch",
  "ReceiveMessage",
  "DeleteMessage",
  "DeleteMessageBatch",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
]);

/** The bucket `throttle: "aws"` gives a request, or undefined when AWS would not throttle it. */
export function awsThrottleSpec(action: string, queue: string | undefined): ThrottleSpec | undefined {
  if (queue === undefined || !queue.endsWith(".fifo") || !MESSAGE_ACTIONS.has(action)) return undefined;
  return AWS_FIFO_THROTTLE;
}

/**
 * What requests over a quota get: "Requests over 300 TPS get the ThrottlingException error" (SQS
 * Developer Guide, "Troubleshoot FIFO throttling issues in Amazon SQS").
 */
const THROTTLE_ERROR = "ThrottlingException";

/**
 * Compiles a rule's `throttle` value: `"aws"` or `{rate, burst?, error?}` (burst defaults to one second's
 * worth); `fail` names the field, as the other effects' checks in rules.ts do.
 *
 * @example
 * compileThrottle({ rate: 5, burst: 2 }, fail) // { kind: "throttle", limit: { rate: 5, burst: 2 }, error: "ThrottlingException" }
 */
export function compileThrottle(value: unknown, fail: (field: string, message: string) => void): ThrottleEffect | undefined {
  if (value === "aws") return { kind: "throttle", limit: "aws", error: THROTTLE_ERROR };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return badThrottle(fail);
  const spec = value as Record<string, unknown>;
  if (typeof spec.rate !== "number" || !Number.isFinite(spec.rate) || spec.rate <= 0) return badThrottle(fail);
  const unknown = Object.keys(spec).find((key) => !["rate", "burst", "error"].includes(key));
  if (unknown !== undefined) {
    fail(`throttle.${unknown}`, `unknown throttle field '${unknown}' (rate, burst, error).`);
    return undefined;
  }
  const burst = spec.burst ?? Math.max(1, Math.ceil(spec.rate));
  if (typeof burst !== "number" || !Number.isInteger(burst) || burst < 1) {
    fail("throttle.burst", "throttle.burst must be an integer ≥ 1 (requests that may arrive at once).");
    return undefined;
  }
  const error = spec.error ?? THROTTLE_ERROR;
  if (typeof error !== "string" || !isFaultErrorName(error)) {
    fail("throttle.error", `unknown error '${String(error)}' (one of ${FAULT_ERROR_NAMES.join(", ")}).`);
    return undefined;
  }
  return { kind: "throttle", limit: { rate: spec.rate, burst }, error };
}

function badThrottle(fail: (field: string, message: string) => void): undefined {
  fail("throttle", 'throttle must be "aws" (SQS\'s quotas: FIFO 300 calls/s per action) or {"rate": 300, "burst": 300} with rate > 0 requests per second.');
  return undefined;
}

/** One bucket's state: tokens are kept in thousandths, so integer rates refill with exact arithmetic. */
interface BucketState {
  milliTokens: number;
  updatedAt: number;
}

/**
 * Many token buckets, created full on first use. `take` is a pure function of the clock readings it is
 * given: the same requests at the same (virtual) times always get the same answers.
 *
 * @example
 * const buckets = new TokenBuckets();
 * buckets.take("orders.fifo SendMessage", { rate: 300, burst: 300 }, clock.now()); // true until 300 are taken within a second
 */
export class TokenBuckets {
  private readonly states = new Map<string, BucketState>();

  /** Takes one token from the bucket `key`; false when it is empty (the request is over the rate). */
  take(key: string, spec: ThrottleSpec, now: number): boolean {
    const capacity = spec.burst * 1000;
    let state = this.states.get(key);
    if (!state) {
      state = { milliTokens: capacity, updatedAt: now };
      this.states.set(key, state);
    }
    const elapsed = Math.max(0, now - state.updatedAt);
    // rate tokens per second = rate thousandths of a token per millisecond.
    state.milliTokens = Math.min(capacity, state.milliTokens + elapsed * spec.rate);
    state.updatedAt = Math.max(state.updatedAt, now);
    if (state.milliTokens < 1000) return false;
    state.milliTokens -= 1000;
    return true;
  }

  clear(): void {
    this.states.clear();
  }
}
