import {
  LIMITS,
  attributeNameProblem,
  firstInvalidBodyChar,
  isSqsError,
  isValidFifoId,
  messageBytes,
  validateMessageAttributes,
} from "../sqs/index.js";
import type { MessageAttributes } from "../sqs/index.js";
import type { CanonicalEvent } from "./event.js";
import type { SqsDestination } from "./destination.js";

/** One SendMessageBatch entry without its `Id`; the sender numbers entries per request. */
export interface MappedEntry {
  MessageBody: string;
  MessageAttributes: MessageAttributes;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

/** Why real SQS would refuse the entry. `rule` is stable; `oversize` is the DLQ reason of DESIGN "Engine". */
export interface Rejection {
  rule: "oversize" | "attributeCount" | "attributeName" | "attributeValue" | "bodyChars" | "groupId" | "dedupId";
  field: string;
  message: string;
}

export interface MappedEvent {
  entry: MappedEntry;
  /** Body plus attribute names, types and values in UTF-8 bytes: what SQS counts against its limit. */
  bytes: number;
  /** Every reason AWS would reject the entry; empty when it would be accepted. */
  rejections: Rejection[];
}

export interface MapOptions {
  /** The queue's MaximumMessageSize. @default LIMITS.maxMessageSizeDefault (1 MiB) */
  maxMessageBytes?: number;
}

/** Envelope fields sent as String attributes, named as in the event so consumers filter on the same names. */
export const ENVELOPE_ATTRIBUTES = ["eventType", "occurredAt", "source", "customerExternalId", "idempotencyKey", "correlationId"] as const;

/**
 * The attribute that carries metadata that did not fit: one `String.json` value holding the JSON object
 * of the remaining keys. Named `metadata`, like the event field it comes from, so a consumer looks in
 * one obvious place; the `.json` custom type (allowed after a base type, SQS developer guide "Amazon SQS
 * message attributes") tells it to parse the value. The full metadata is always in the body too.
 */
export const METADATA_OVERFLOW_ATTRIBUTE = "metadata";

/**
 * Maps one canonical event to the SendMessageBatch entry the engine would send (seed 000: "The canonical
 * event JSON is the message body. Envelope fields are set as message attributes."), and lists every
 * reason AWS would refuse it. Pure: `sqsrig preview` and the engine share it.
 */
export function mapEvent(event: CanonicalEvent, destination: SqsDestination, options: MapOptions = {}): MappedEvent {
  const maxBytes = options.maxMessageBytes ?? LIMITS.maxMessageSizeDefault;
  const body = JSON.stringify(event);
  const attributes = buildAttributes(event);
  const entry: MappedEntry = { MessageBody: body, MessageAttributes: attributes };
  const rejections: Rejection[] = [];

  if (destination.fifo) {
    const group = readPath(event, destination.messageGroupIdField);
    if (group === undefined) {
      rejections.push({
        rule: "groupId",
        field: destination.messageGroupIdField,
        message: `FIFO queues need a MessageGroupId, but the event has no string at '${destination.messageGroupIdField}'.`,
      });
    } else {
      entry.MessageGroupId = group;
      if (!isValidFifoId(group)) rejections.push(fifoIdRejection("groupId", "MessageGroupId", destination.messageGroupIdField));
    }
    entry.MessageDeduplicationId = event.idempotencyKey;
    if (!isValidFifoId(event.idempotencyKey)) rejections.push(fifoIdRejection("dedupId", "MessageDeduplicationId", "idempotencyKey"));
  }

  const bad = firstInvalidBodyChar(body);
  if (bad !== undefined) {
    rejections.push({ rule: "bodyChars", field: "MessageBody", message: `The body contains U+${hex(bad)}, a character SQS does not accept.` });
  }
  rejections.push(...attributeRejections(attributes));
  const bytes = messageBytes(body, attributes);
  if (bytes > maxBytes) {
    rejections.push({
      rule: "oversize",
      field: "MessageBody",
      message: `The message is ${bytes} bytes (body and attributes), over the queue's MaximumMessageSize of ${maxBytes} bytes.`,
    });
  }
  return { entry, bytes, rejections };
}

function buildAttributes(event: CanonicalEvent): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const name of ENVELOPE_ATTRIBUTES) {
    const value = event[name];
    if (typeof value === "string" && value !== "") attributes[name] = { DataType: "String", StringValue: value };
  }
  const entries = Object.entries(event.metadata ?? {});
  const free = LIMITS.maxMessageAttributes - Object.keys(attributes).length;
  const fitsAll = entries.length <= free;
  // When some must fold, one slot goes to the overflow attribute itself.
  let slots = fitsAll ? free : free - 1;
  const overflow: Record<string, string> = {};
  for (const [key, value] of entries) {
    // Keys SQS cannot take as names (or would collide) and empty values (SQS rejects them) still reach
    // the consumer, folded, instead of failing a valid event.
    const usable = slots > 0 && value !== "" && attributeNameProblem(key) === undefined && !(key in attributes) && key !== METADATA_OVERFLOW_ATTRIBUTE;
    if (usable) {
      attributes[key] = { DataType: "String", StringValue: value };
      slots--;
    } else {
      overflow[key] = value;
    }
  }
  if (Object.keys(overflow).length > 0) {
    attributes[METADATA_OVERFLOW_ATTRIBUTE] = { DataType: "String.json", StringValue: JSON.stringify(overflow) };
  }
  return attributes;
}

/** Each attribute checked on its own, so every problem is listed, not only the first SQS would name. */
function attributeRejections(attributes: MessageAttributes): Rejection[] {
  const rejections: Rejection[] = [];
  const names = Object.keys(attributes);
  if (names.length > LIMITS.maxMessageAttributes) {
    rejections.push({
      rule: "attributeCount",
      field: "MessageAttributes",
      message: `Number of message attributes [${names.length}] exceeds the allowed maximum [${LIMITS.maxMessageAttributes}].`,
    });
  }
  for (const name of names) {
    try {
      validateMessageAttributes({ [name]: attributes[name]! });
    } catch (err) {
      if (!isSqsError(err)) throw err;
      const rule = attributeNameProblem(name) === undefined ? "attributeValue" : "attributeName";
      rejections.push({ rule, field: `MessageAttributes.${name}`, message: err.message });
    }
  }
  return rejections;
}

/** The string at a dotted path; finite numbers count (an id stored as a number still names a group). */
export function readPath(event: CanonicalEvent, path: string): string | undefined {
  let value: unknown = event;
  for (const segment of path.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function fifoIdRejection(rule: "groupId" | "dedupId", name: string, field: string): Rejection {
  return {
    rule,
    field,
    message: `${name} must be 1–128 characters of letters, digits and ASCII punctuation (SendMessage API reference).`,
  };
}

function hex(codePoint: number): string {
  return codePoint.toString(16).toUpperCase().padStart(4, "0");
}
