import { buildStoredMessage, type MessagePlacement, type StoredMessage } from "./message.js";

/**
 * One message as persistence saves it: every StoredMessage field but the in-memory ones. In-flight
 * state is not kept: after a restart the message is visible again. Both converters below check with
 * `satisfies` that they list every field, so a field added to StoredMessage fails to compile here
 * until it is saved and restored.
 */
export type SavedMessage = Omit<StoredMessage, "seq" | "state" | "visibleAt" | "timerVersion"> & {
  /** The queue-internal order (a bigint as a decimal string). */
  seq: string;
  /** Set when the message was stored with a delay: it stays invisible until then. */
  delayedUntil?: number;
};

/**
 * The saved form of a message, serialised at once (a message is mutable). A literal, not a rest-spread:
 * this runs for every message a send stores, and the spread made it twice as slow.
 */
export function saveMessage(msg: StoredMessage): SavedMessage {
  return {
    id: msg.id,
    body: msg.body,
    md5OfBody: msg.md5OfBody,
    attributes: msg.attributes,
    md5OfMessageAttributes: msg.md5OfMessageAttributes,
    systemAttributes: msg.systemAttributes,
    md5OfMessageSystemAttributes: msg.md5OfMessageSystemAttributes,
    bytes: msg.bytes,
    senderId: msg.senderId,
    sentAt: msg.sentAt,
    groupId: msg.groupId,
    dedupId: msg.dedupId,
    enqueuedAt: msg.enqueuedAt,
    sequenceNumber: msg.sequenceNumber,
    seq: msg.seq.toString(),
    receiveCount: msg.receiveCount,
    firstReceiveAt: msg.firstReceiveAt,
    receiveSeq: msg.receiveSeq,
    deadLetterSourceArn: msg.deadLetterSourceArn,
    delayedUntil: msg.state === "delayed" ? msg.visibleAt : undefined,
  } satisfies Record<keyof SavedMessage, unknown>;
}

/**
 * The message a saved one stands for. `SqsQueue.restore` decides its state: delayed while `visibleAt`
 * is ahead, visible otherwise. The receipt generation is kept, so a handle from before a restart still
 * names the latest receive.
 */
export function restoreMessage(m: SavedMessage): StoredMessage {
  return buildStoredMessage(m, {
    enqueuedAt: m.enqueuedAt,
    sequenceNumber: m.sequenceNumber,
    seq: BigInt(m.seq),
    state: "visible" as const,
    visibleAt: m.delayedUntil ?? m.enqueuedAt,
    receiveCount: m.receiveCount,
    firstReceiveAt: m.firstReceiveAt,
    receiveSeq: m.receiveSeq,
    timerVersion: 0,
    deadLetterSourceArn: m.deadLetterSourceArn,
  } satisfies Record<keyof MessagePlacement, unknown>);
}
