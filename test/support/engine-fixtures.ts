import { compileDestination, validateEvent, type CanonicalEvent, type SqsDestination } from "../../src/engine/index.js";

/** The AWS docs' example secret key: a value tests can search output for to prove it never leaks. */
export const EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/** A compiled FIFO destination on a real-looking AWS queue URL; `overrides` replace top-level fields. */
export function fixtureDestination(overrides: Record<string, unknown> = {}): SqsDestination {
  const r = compileDestination({
    type: "SQS",
    name: "orders",
    queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo",
    region: "us-east-1",
    auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: EXAMPLE_SECRET },
    ...overrides,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.destination;
}

/** The standard-queue twin of {@link fixtureDestination}'s queue. */
export const STANDARD_QUEUE = { queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" };

/** The seed's example event (Pushrail "Example payload"), validated; `extra` replaces top-level fields. */
export function fixtureEvent(extra: Record<string, unknown> = {}, payload: Record<string, unknown> = { orderId: "ord_38a91f", amount: 12900 }): CanonicalEvent {
  const r = validateEvent({
    eventType: "order.completed",
    occurredAt: "2026-05-26T14:21:08.493Z",
    customerExternalId: "acct_8K2zRq",
    idempotencyKey: "order_38a91f-completed",
    payload,
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
}
