import { LIMITS } from "./limits.js";

/** Queue names: 1–80 of `[A-Za-z0-9_-]`, and FIFO names end in `.fifo` (CreateQueue API reference). */
export function isValidQueueName(name: string, fifo: boolean): boolean {
  const base = fifo ? name.slice(0, -".fifo".length) : name;
  if (fifo && !name.endsWith(".fifo")) return false;
  return name.length <= LIMITS.maxQueueNameLength && base.length > 0 && /^[A-Za-z0-9_-]+$/.test(base);
}

/** Batch entry ids: 1–80 of `[A-Za-z0-9_-]` (SendMessageBatchRequestEntry). */
export function isValidBatchEntryId(id: string): boolean {
  return id.length > 0 && id.length <= LIMITS.maxBatchEntryIdLength && /^[A-Za-z0-9_-]+$/.test(id);
}

/**
 * MessageGroupId and MessageDeduplicationId: 1–128 characters, alphanumeric or punctuation
 * ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`` (SendMessage API reference).
 */
export function isValidFifoId(id: string): boolean {
  return id.length > 0 && id.length <= 128 && /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/.test(id);
}

/**
 * Message bodies and string attribute values may hold only #x9 | #xA | #xD | #x20–#xD7FF |
 * #xE000–#xFFFD | #x10000–#x10FFFF (SendMessage API reference). Returns the first offending code point.
 */
export function firstInvalidBodyChar(text: string): number | undefined {
  // One compiled regex instead of a per-character loop: bodies run to a megabyte on the hot path.
  const bad = INVALID_BODY_CHAR.exec(text);
  return bad ? bad[0].codePointAt(0) : undefined;
}

/** Anything outside SQS's allowed ranges; with the `u` flag a lone surrogate matches too. */
const INVALID_BODY_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Message attribute names: up to 256 letters, digits, `_`, `-` and `.`, not starting with `AWS.` or
 * `Amazon.` (any case), not starting or ending with a period, no two periods in a row (SQS developer
 * guide, "Amazon SQS message attributes"). Letters include non-ASCII ones: AWS accepts `attr.1øßä`
 * (validated `test_send_message_with_invalid_string_attributes`). AWS recorded no texts for these
 * errors; the first three are LocalStack's, which read as copied from AWS (recorded-errors §3).
 */
export function attributeNameProblem(name: string): string | undefined {
  if (name.length === 0) return "The message attribute name must not be empty.";
  if (name.length > LIMITS.maxAttributeNameLength) return "Message (user) attribute names must be shorter than 256 Bytes";
  if (!/^[\p{L}\p{N}_.-]+$/u.test(name)) {
    return "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ";
  }
  const lower = name.toLowerCase();
  if (lower.startsWith("aws.") || lower.startsWith("amazon.") || name.startsWith(".") || name.endsWith(".")) {
    return "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.";
  }
  if (name.includes("..")) return `Message attribute name '${name}' must not contain successive periods.`;
  return undefined;
}
