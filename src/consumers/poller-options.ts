import { ConsumerConfigError } from "./config-error.js";
import type { ConsumerBase } from "./consumer-base.js";

/** Visibility extension while a message is held: every `everySeconds`, set its timeout to `extendBy`. */
export interface HeartbeatOptions {
  /** Seconds between two ChangeMessageVisibility calls; must be below `extendBy`. */
  everySeconds: number;
  /** The visibility timeout each call sets, counted from the call (0–43,200 s). */
  extendBy: number;
}

export interface PollerOptions extends ConsumerBase {
  /** Receive loops running at once; each handles its own batch. @default 1 */
  concurrency?: number;
  /** ReceiveMessage WaitTimeSeconds (0–20). @default 20 (long polling) */
  waitTimeSeconds?: number;
  /** ReceiveMessage MaxNumberOfMessages (1–10). @default 10 */
  maxMessages?: number;
  /** ReceiveMessage VisibilityTimeout (0–43,200 s). @default the queue's VisibilityTimeout */
  visibilityTimeout?: number;
  /** Keep held messages invisible while they wait or run. @default none */
  heartbeat?: HeartbeatOptions;
}

export interface ResolvedPollerOptions extends PollerOptions {
  concurrency: number;
  waitTimeSeconds: number;
  maxMessages: number;
}

/** A poller option that cannot be used; `field` names it. A ConsumerConfigError, so one catch serves every consumer option. */
export class PollerOptionsError extends ConsumerConfigError {}

/**
 * Checks poller options against SQS's limits (ReceiveMessage and ChangeMessageVisibility API
 * references: WaitTimeSeconds 0–20, MaxNumberOfMessages 1–10, VisibilityTimeout 0–43,200) and fills
 * the defaults.
 */
export function compilePollerOptions(input: PollerOptions): ResolvedPollerOptions {
  if (typeof input.name !== "string" || input.name === "") fail("name", "must be a non-empty string");
  if (typeof input.queueUrl !== "string" || input.queueUrl === "") fail("queueUrl", "must be a queue URL");
  if (typeof input.handler !== "function") fail("handler", "must be a function");
  const resolved: ResolvedPollerOptions = {
    ...input,
    concurrency: integer("concurrency", input.concurrency ?? 1, 1, 1_000),
    waitTimeSeconds: integer("waitTimeSeconds", input.waitTimeSeconds ?? 20, 0, 20),
    maxMessages: integer("maxMessages", input.maxMessages ?? 10, 1, 10),
  };
  if (input.visibilityTimeout !== undefined) integer("visibilityTimeout", input.visibilityTimeout, 0, 43_200);
  if (input.journalContents !== undefined && typeof input.journalContents !== "boolean") fail("journalContents", "must be true or false");
  if (input.heartbeat !== undefined) {
    const { everySeconds, extendBy } = input.heartbeat;
    if (typeof everySeconds !== "number" || !Number.isFinite(everySeconds) || everySeconds <= 0) {
      fail("heartbeat.everySeconds", `must be a number of seconds > 0, got ${String(everySeconds)}`);
    }
    integer("heartbeat.extendBy", extendBy, 1, 43_200);
    if (everySeconds >= extendBy) {
      fail("heartbeat.everySeconds", `must be below heartbeat.extendBy (${everySeconds} ≥ ${extendBy}), or the message becomes visible between two heartbeats`);
    }
  }
  return resolved;
}

function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function fail(field: string, rule: string): never {
  throw new PollerOptionsError(field, rule);
}
