import type { StoredMessage } from "./message.js";
import type { QueueHost, SqsQueue } from "./queue.js";

/** Where a receive of a queue moves the messages it finds exhausted. */
export interface DeadLetterTarget {
  readonly dlq: SqsQueue;
  readonly maxReceiveCount: number;
}

/**
 * The dead-letter queue of `queue`'s RedrivePolicy, when it exists. A policy naming the queue itself
 * counts as none: "moving" a message into the queue it is in would find it exhausted again, forever,
 * inside one receive. AWS documents that the DLQ must be a queue of the same type (SQS developer
 * guide, "Using dead-letter queues") but recorded nothing for a queue that targets itself.
 */
export function deadLetterTarget(queue: SqsQueue, host: QueueHost): DeadLetterTarget | undefined {
  const policy = queue.redrivePolicy;
  if (!policy) return undefined;
  const dlq = host.queueByArn(policy.deadLetterTargetArn);
  if (!dlq || dlq === queue) return undefined;
  return { dlq, maxReceiveCount: policy.maxReceiveCount };
}

/**
 * Places an exhausted message, already detached from `source`, in its dead-letter queue, then logs
 * its removal from the source: a crash in between must duplicate the message, never lose it.
 *
 * Kept: MessageId, body, attributes, receive count, first SentTimestamp (SQS developer guide, "Using
 * dead-letter queues"; LocalStack #8234 verified the lazy move against AWS).
 */
export function copyToDeadLetterQueue(msg: StoredMessage, source: SqsQueue, dlq: SqsQueue, host: QueueHost): void {
  dlq.store(msg, {
    delaySeconds: 0,
    receiveCount: msg.receiveCount,
    firstReceiveAt: msg.firstReceiveAt,
    receiveSeq: msg.receiveSeq,
    deadLetterSourceArn: source.arn,
    // "For standard queues, the expiration of a message is always based on its original enqueue
    // timestamp"; for FIFO queues it resets (SQS Developer Guide, dead-letter queue retention).
    enqueuedAt: dlq.fifo ? undefined : msg.enqueuedAt,
  });
  host.stateLog.messageRemoved(source, msg.id);
}

/** The journal records of dead-letter moves, emitted once every message is where it belongs. */
export function announceDeadLettered(moved: readonly StoredMessage[], source: SqsQueue, dlq: SqsQueue, host: QueueHost): void {
  for (const msg of moved) {
    host.journal.emit({ type: "message.movedToDlq", queue: source.name, dlq: dlq.name, messageId: msg.id, receiveCount: msg.receiveCount });
  }
}
