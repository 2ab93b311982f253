import { queueArn } from "../sqs/index.js";
import type { Emulator } from "./emulator.js";
import type { StateImage } from "./persistence-image.js";
import { restoreMessage } from "./persistence-message.js";
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
      dedupScope: saved.dedupScope,
      messages: messages.map(restoreMessage),
      dedup: saved.dedup,
      nextSeq: BigInt(saved.nextSeq),
    });
    queues.push(queue);
  }
  emulator.restore(queues, image.deletedAt);
}
