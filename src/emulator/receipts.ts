import { SqsError } from "../sqs/index.js";
import { randomToken } from "./ids.js";

/**
 * Receipt handles are opaque to clients but must name one receive of one message in one queue, so a
 * handle from an earlier receive, another queue or a typo can be told apart. Layout before base64:
 * `queue \n messageId \n receiveSeq \n nonce`.
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
