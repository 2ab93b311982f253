import { md5OfBody, md5OfMessageAttributes } from "../sqs/index.js";
import type { MessageAttributes } from "../sqs/index.js";
import type { MessageContent } from "./message.js";

/** A send the caller already validated (actions/send.ts). */
export interface EnqueueInput {
  body: string;
  attributes?: MessageAttributes;
  systemAttributes?: MessageAttributes;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
  /** Size as SQS counts it, already computed for the size check. */
  bytes: number;
}

/** The digests SendMessage answers with (SendMessage API reference, response elements). */
export interface SendDigests {
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
}

export interface EnqueueResult extends SendDigests {
  messageId: string;
  sequenceNumber?: string;
  duplicate: boolean;
}

export function sendDigests(input: EnqueueInput): SendDigests {
  return {
    md5OfBody: md5OfBody(input.body),
    md5OfMessageAttributes: md5OfMessageAttributes(input.attributes),
    md5OfMessageSystemAttributes: md5OfMessageAttributes(input.systemAttributes),
  };
}

/** The content of a new message with MessageId `id` (fresh, from the emulator's id source), sent now. */
export function sentContent(input: EnqueueInput, digests: SendDigests, now: number, id: string): MessageContent {
  return {
    id,
    body: input.body,
    md5OfBody: digests.md5OfBody,
    attributes: input.attributes,
    md5OfMessageAttributes: digests.md5OfMessageAttributes,
    systemAttributes: input.systemAttributes,
    md5OfMessageSystemAttributes: digests.md5OfMessageSystemAttributes,
    bytes: input.bytes,
    senderId: input.senderId,
    sentAt: now,
    groupId: input.groupId,
    dedupId: input.dedupId,
  };
}
