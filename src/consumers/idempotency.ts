import type { LambdaSqsRecord } from "./types.js";

/** The idempotency fields of a `consumer.result` record. */
export interface IdempotencyFields {
  idempotencyKey?: string;
  /** The key had already been processed successfully before this delivery. */
  duplicate?: boolean;
}

/**
 * The consumer-side idempotency helper: remembers the keys of messages a consumer has processed, so a
 * second successful processing of the same event shows up as `duplicate: true` in the journal and a
 * `noDuplicates` check can be asserted at the consumer. It detects, it does not suppress: the handler
 * still runs, as a worker without an idempotency table would.
 */
export interface IdempotencyLedger {
  /** Whether `key` was already processed. */
  has(key: string): boolean;
  /** Number of distinct keys processed. */
  readonly size: number;
  /**
   * Settles one handled record: reads its key, says whether it was already processed and, when this
   * delivery succeeded, records it as processed. Returns the fields for its `consumer.result` record.
   */
  settle(record: LambdaSqsRecord, succeeded: boolean): IdempotencyFields;
}

/**
 * The idempotency key of a record, where sqsrig events carry it: the body's top-level `idempotencyKey`
 * when the body is a JSON object (the canonical event), else the `idempotencyKey` message attribute
 * (the engine sets it as an envelope attribute), else the FIFO MessageDeduplicationId (which the engine
 * sets from it).
 */
export function idempotencyKeyOf(record: LambdaSqsRecord): string | undefined {
  const fromBody = bodyKey(record.body);
  if (fromBody !== undefined) return fromBody;
  const attribute = record.messageAttributes?.idempotencyKey?.stringValue;
  if (attribute !== undefined && attribute !== "") return attribute;
  const dedupId = record.attributes?.MessageDeduplicationId;
  return dedupId !== undefined && dedupId !== "" ? dedupId : undefined;
}

/**
 * A ledger of processed keys. One per consumer; pass the same ledger to several consumers of one queue
 * to catch an event processed once by each.
 *
 * @example
 * const ledger = createIdempotencyLedger();
 * journal.emit({ type: "consumer.result", consumer, batchId, messageId, outcome: "succeeded", ...ledger.settle(record, true) });
 */
export function createIdempotencyLedger(): IdempotencyLedger {
  const processed = new Set<string>();
  return {
    has: (key) => processed.has(key),
    get size() {
      return processed.size;
    },
    settle(record, succeeded) {
      const key = idempotencyKeyOf(record);
      if (key === undefined) return {};
      const duplicate = processed.has(key);
      if (succeeded) processed.add(key);
      return { idempotencyKey: key, duplicate };
    },
  };
}

function bodyKey(body: string): string | undefined {
  // Only a body that looks like a JSON object is parsed: most non-JSON bodies are skipped for free.
  if (!body.trimStart().startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const key = (parsed as { idempotencyKey?: unknown }).idempotencyKey;
  if (typeof key === "string" && key !== "") return key;
  return typeof key === "number" ? String(key) : undefined;
}
