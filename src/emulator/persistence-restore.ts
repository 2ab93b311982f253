import { queueArn } from "../sqs/index.js";
import type { Emulator } from "./emulator.js";
import type { StoredMessage } from "./message.js";
import type { SavedMessage, StateImage } from "./persistence-image.js";
import { SqsQueue } from "./queue.js";

/**
 * Builds the queues of a saved state into a fresh emulator. Nothing here goes through the hooks: the
 * state is already on disk. A message that was in flight comes back visible with its receive count, the
 * way a restarted broker redelivers what it had handed out.
 */
export function restoreInto(emulator: Emulator, image: StateImage): void {
  const now = emulator.clock.now();
  const queues: SqsQueue[] = [];
  for (const { queue: saved, messages } of image.restorable(now)) {
    const arn = queueArn(emulator.region, emulator.accountId, saved.name);
    const queue = new SqsQueue(saved.name, saved.url, arn, { ...saved.attributes }, emulator);
    queue.tags = { ...saved.tags };
    queue.lastModifiedAt = saved.lastModifiedAt;
    queue.lastPurgeAt = saved.lastPurgeAt;
    queue.restore({
      createdAt: saved.createdAt,
      messages: messages.map(storedMessage),
      dedup: saved.dedup,
      nextSeq: BigInt(saved.nextSeq),
    });
    queues.push(queue);
  }
  emulator.restore(queues, image.deletedAt);
}

function storedMessage(m: SavedMessage): StoredMessage {
  return {
    id: m.id,
    body: m.body,
    md5OfBody: m.md5OfBody,
    attributes: m.attributes,
    md5OfMessageAttributes: m.md5OfMessageAttributes,
    systemAttributes: m.systemAttributes,
    md5OfMessageSystemAttributes: m.md5OfMessageSystemAttributes,
    bytes: m.bytes,
    senderId: m.senderId,
    sentAt: m.sentAt,
    enqueuedAt: m.enqueuedAt,
    groupId: m.groupId,
    dedupId: m.dedupId,
    sequenceNumber: m.sequenceNumber,
    seq: BigInt(m.seq),
    // `restore` decides: delayed while `visibleAt` is ahead, visible otherwise.
    state: "visible",
    visibleAt: m.delayedUntil ?? m.enqueuedAt,
    receiveCount: m.receiveCount,
    firstReceiveAt: m.firstReceiveAt,
    receiveSeq: m.receiveSeq,
    timerVersion: 0,
    deadLetterSourceArn: m.deadLetterSourceArn,
  };
}
