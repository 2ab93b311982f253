import { isPlainObject } from "./field-error.js";
import type { FieldError } from "./field-error.js";

/**
 * The canonical Pushrail event (seed 000, "Example payload"). It is the SQS message body, byte for byte
 * as `JSON.stringify` writes this object.
 */
export interface CanonicalEvent {
  eventType: string;
  occurredAt: string;
  source?: string;
  customerExternalId?: string;
  idempotencyKey: string;
  correlationId?: string;
  payload: Record<string, unknown>;
  metadata?: Record<string, string>;
}

export type EventCheck = { ok: true; event: CanonicalEvent } | { ok: false; errors: FieldError[] };

/**
 * Which fields are required. Seed 000 (Pushrail "Send events to Amazon SQS") never says; it does say
 * the event type and payload are what consumers act on, that `MessageDeduplicationId` "is the event's
 * `idempotencyKey`" and that on standard queues "the customer's worker is expected to be idempotent on
 * `idempotencyKey`" — so an event without one could not be delivered safely at all. Required:
 * `eventType`, `occurredAt`, `idempotencyKey`, `payload`. Optional: `source`, `customerExternalId`,
 * `correlationId`, `metadata`. `customerExternalId` is the default FIFO group, but only FIFO
 * destinations need it; the mapper reports its absence there (a per-destination, not per-event, rule).
 */
const REQUIRED_STRINGS = ["eventType", "occurredAt", "idempotencyKey"] as const;
const OPTIONAL_STRINGS = ["source", "customerExternalId", "correlationId"] as const;

/** Every top-level field of the canonical event, in the order the body is written. */
export const EVENT_FIELDS = [
  "eventType",
  "occurredAt",
  "source",
  "customerExternalId",
  "idempotencyKey",
  "correlationId",
  "payload",
  "metadata",
] as const;

/**
 * Checks one ingested event and returns it in canonical field order, or every error found.
 *
 * Unknown top-level fields are rejected (rule `unknown`). Seed 000 is silent on them; DESIGN says
 * "Validation errors name the field". Since the body is re-serialised from the known fields, an unknown
 * one would otherwise vanish silently — a typo such as `idempotency_key` must not turn into an event
 * delivered without its key.
 */
export function validateEvent(input: unknown): EventCheck {
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ field: "", rule: "type", message: "An event must be a JSON object." }] };
  }
  const errors: FieldError[] = [];
  for (const field of REQUIRED_STRINGS) checkString(input, field, true, errors);
  for (const field of OPTIONAL_STRINGS) checkString(input, field, false, errors);
  if (typeof input.occurredAt === "string" && input.occurredAt !== "" && !isIsoDateTime(input.occurredAt)) {
    errors.push({
      field: "occurredAt",
      rule: "format",
      message: "occurredAt must be an ISO-8601 date-time with a time zone, e.g. 2026-05-26T14:21:08.493Z.",
    });
  }
  if (!("payload" in input) || input.payload === undefined) {
    errors.push({ field: "payload", rule: "required", message: "payload is required." });
  } else if (!isPlainObject(input.payload)) {
    errors.push({ field: "payload", rule: "type", message: "payload must be a JSON object (not an array or null)." });
  }
  checkMetadata(input.metadata, errors);
  for (const key of Object.keys(input)) {
    if (!(EVENT_FIELDS as readonly string[]).includes(key)) {
      errors.push({ field: key, rule: "unknown", message: `Unknown field '${key}'; allowed: ${EVENT_FIELDS.join(", ")}.` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const event: Record<string, unknown> = {};
  for (const field of EVENT_FIELDS) if (input[field] !== undefined) event[field] = input[field];
  return { ok: true, event: event as unknown as CanonicalEvent };
}

function checkString(input: Record<string, unknown>, field: string, required: boolean, errors: FieldError[]): void {
  const value = input[field];
  if (value === undefined) {
    if (required) errors.push({ field, rule: "required", message: `${field} is required.` });
  } else if (typeof value !== "string") {
    errors.push({ field, rule: "type", message: `${field} must be a string.` });
  } else if (value.length === 0) {
    errors.push({ field, rule: "nonEmpty", message: `${field} must not be empty.` });
  }
}

function checkMetadata(metadata: unknown, errors: FieldError[]): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) {
    errors.push({ field: "metadata", rule: "type", message: "metadata must be an object of string values." });
    return;
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") {
      errors.push({ field: `metadata.${key}`, rule: "type", message: `metadata.${key} must be a string.` });
    }
  }
}

/**
 * `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`, and a real calendar instant: `Date.parse` alone accepts
 * 2026-02-30 (it rolls over to March), so the fields are checked too. A zone is required because a
 * local time means a different instant on every machine that reads it.
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

export function isIsoDateTime(text: string): boolean {
  const m = ISO_DATE_TIME.exec(text);
  if (!m || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as number[];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second <= 59 && offsetOk;
}
