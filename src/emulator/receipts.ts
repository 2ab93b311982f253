import { LIMITS, SqsError } from "../sqs/index.js";
import { randomToken } from "./ids.js";

/**
 * Receipt handles are opaque to clients but must name one receive of one message in one queue. Layout
 * before base64: `queue \n messageId \n receiveSeq \n nonce`. What tells handles apart is the queue
 * name, the message id and the receive generation `receiveSeq`, which every receive and every move into
 * a queue bumps: a handle from an earlier receive or an earlier life of the message carries an older
 * one. The random nonce is never checked; it only keeps handles from looking sequential.
 */
export function makeReceiptHandle(queue: string, messageId: string, receiveSeq: number): string {
  const nonce = randomToken(24);
  return Buffer.from(`${queue}\n${messageId}\n${receiveSeq}\n${nonce}`, "utf8").toString("base64");
}

export interface ParsedReceipt {
  queue: string;
  messageId: string;
  receiveSeq: number;
}

export function parseReceiptHandle(handle: unknown): ParsedReceipt | undefined {
  if (typeof handle !== "string" || handle.length === 0 || handle.length > 4096) return undefined;
  if (!/^[A-Za-z0-9+/=]+$/.test(handle)) return undefined;
  const parts = Buffer.from(handle, "base64").toString("utf8").split("\n");
  if (parts.length !== 4) return undefined;
  const receiveSeq = Number(parts[2]);
  if (!parts[0] || !parts[1] || !Number.isInteger(receiveSeq)) return undefined;
  return { queue: parts[0], messageId: parts[1], receiveSeq };
}

export function invalidReceiptHandle(handle: unknown): SqsError {
  return new SqsError("ReceiptHandleIsInvalid", `The input receipt handle "${String(handle)}" is not a valid receipt handle.`);
}

/** A FIFO handle that is not the latest, or whose visibility timeout ran out. */
export function expiredReceiptHandle(handle: unknown): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  );
}

/** ChangeMessageVisibility on a message that no longer exists. */
export function notChangeableReceiptHandle(handle: unknown): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
  );
}

/** A visibility timeout that would keep a message in flight past 12 hours from its receive. */
export function visibilityBeyondLimit(timeoutSeconds: number): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${LIMITS.visibilityTimeoutMax} seconds]`,
  );
}
