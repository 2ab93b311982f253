import { Deque } from "./deque.js";
import type { MessageState, StoredMessage } from "./message.js";

/**
 * Where a queue keeps the messages a receive may pick. The standard and FIFO queues differ only here:
 * the standard set is one line of visible messages; the FIFO set keeps a line per message group and a
 * set of groups that are unlocked and have something visible, so a receive never scans all messages.
 */
export interface VisibleSet {
  /** A new message, not delayed. */
  addNew(msg: StoredMessage): void;
  /** A new message that is delayed (FIFO keeps its place in the group). */
  addDelayed(msg: StoredMessage): void;
  /** A delayed message whose delay ended. */
  delayEnded(msg: StoredMessage): void;
  /** An in-flight message left flight: visible again, or gone (deleted, expired, dead-lettered). */
  inflightEnded(msg: StoredMessage, visibleAgain: boolean): void;
  /**
   * Takes up to `max` visible messages in delivery order. Each candidate leaves the set before `accept`
   * sees it; `accept` returning false means the caller disposed of it (moved it to the DLQ).
   */
  take(max: number, accept: (msg: StoredMessage) => boolean): StoredMessage[];
  /** A visible or delayed message was removed by delete, purge or retention. */
  removed(msg: StoredMessage, previous: MessageState): void;
  clear(): void;
}

/**
 * Standard delivery: one line of visible messages, oldest first, redelivered ones at the front. A
 * message that leaves while visible (deleted, expired, moved) becomes a dead entry; dead entries at the
 * head go at once and the line is compacted when they outnumber the live ones, so a queue nobody
 * receives from (a DLQ) does not keep every message it ever held.
 */
export class StandardVisibleSet implements VisibleSet {
  private readonly line = new Deque<StoredMessage>();
  /** Entries in `line` whose message is no longer visible. */
  private dead = 0;

  /** Entries in the line, dead ones included (a diagnostic: it must stay bounded). */
  get entries(): number {
    return this.line.length;
  }

  addNew(msg: StoredMessage): void {
    this.line.push(msg);
  }
  addDelayed(): void {}
  delayEnded(msg: StoredMessage): void {
    this.line.push(msg);
  }
  inflightEnded(msg: StoredMessage, visibleAgain: boolean): void {
    // Returned messages go to the front: SQS does not promise order, but redelivering the oldest
    // first is what most users expect and what keeps retries from starving behind new traffic.
    if (visibleAgain) this.line.unshift(msg);
  }
  take(max: number, accept: (msg: StoredMessage) => boolean): StoredMessage[] {
    const taken: StoredMessage[] = [];
    while (taken.length < max && this.line.length > 0) {
      const msg = this.line.shift()!;
      if (msg.state !== "visible") {
        this.dead--;
        continue;
      }
      if (accept(msg)) taken.push(msg);
    }
    return taken;
  }
  removed(_msg: StoredMessage, previous: MessageState): void {
    // Only a visible message is in the line (a delayed one joins when its delay ends).
    if (previous !== "visible") return;
    this.dead++;
    while (this.line.length > 0 && this.line.peek()!.state !== "visible") {
      this.line.shift();
      this.dead--;
    }
    if (this.dead > this.line.length - this.dead) {
      this.line.retain((m) => m.state === "visible");
      this.dead = 0;
    }
  }
  clear(): void {
    this.line.clear();
    this.dead = 0;
  }
}

interface MessageGroup {
  readonly id: string;
  /** Visible and delayed messages in SequenceNumber order; in-flight ones leave it while in flight. */
  readonly line: Deque<StoredMessage>;
  /** Messages of this group now in flight. */
  readonly inflight: Set<StoredMessage>;
  visible: number;
}

/**
 * FIFO delivery. A receive takes as many messages of one group as it may, in order, before moving on
 * to the next group (validated `test_fifo_receive_message_group_id_ordering`). Within a group only the
 * visible messages that come before its earliest in-flight message can be delivered: while the head of
 * a group is in flight nothing of it is delivered, but once an earlier message is visible again
 * (timeout expiry, ChangeMessageVisibility) it is delivered although later ones are still in flight
 * (validated `test_fifo_message_group_visibility_after_terminate_visibility_timeout` and
 * `test_fifo_group_visibility_extends_with_change_message_visibility`; LocalStack PR #13386).
 */
export class FifoVisibleSet implements VisibleSet {
  private readonly groups = new Map<string, MessageGroup>();
  /** Groups with a deliverable message, in the order they became deliverable. */
  private readonly ready = new Set<MessageGroup>();

  addNew(msg: StoredMessage): void {
    const group = this.group(msg.groupId!);
    group.line.push(msg);
    group.visible++;
    this.refresh(group);
  }
  addDelayed(msg: StoredMessage): void {
    this.group(msg.groupId!).line.push(msg);
  }
  delayEnded(msg: StoredMessage): void {
    const group = this.group(msg.groupId!);
    group.visible++;
    this.refresh(group);
  }
  inflightEnded(msg: StoredMessage, visibleAgain: boolean): void {
    const group = this.group(msg.groupId!);
    group.inflight.delete(msg);
    if (visibleAgain) {
      group.line.insertSorted(msg, (m) => m.seq);
      group.visible++;
    }
    this.refresh(group);
  }
  take(max: number, accept: (msg: StoredMessage) => boolean): StoredMessage[] {
    const taken: StoredMessage[] = [];
    const touched: MessageGroup[] = [];
    for (const group of this.ready) {
      if (taken.length >= max) break;
      this.ready.delete(group);
      touched.push(group);
      const barrier = earliestSeq(group.inflight);
      let i = 0;
      while (i < group.line.length && taken.length < max) {
        const msg = group.line.at(i)!;
        if (msg.state === "deleted") {
          group.line.removeAt(i);
          continue;
        }
        if (barrier !== undefined && msg.seq > barrier) break;
        // A delayed message does not hold back the ones behind it (it was never visible).
        if (msg.state !== "visible") {
          i++;
          continue;
        }
        group.line.removeAt(i);
        group.visible--;
        if (!accept(msg)) continue;
        taken.push(msg);
        group.inflight.add(msg);
      }
    }
    for (const group of touched) this.refresh(group);
    return taken;
  }
  removed(msg: StoredMessage, previous: MessageState): void {
    const group = this.groups.get(msg.groupId!);
    if (!group) return;
    if (previous === "visible") group.visible--;
    if (previous === "inflight") group.inflight.delete(msg);
    this.refresh(group);
  }
  clear(): void {
    this.groups.clear();
    this.ready.clear();
  }

  private group(id: string): MessageGroup {
    let group = this.groups.get(id);
    if (!group) {
      group = { id, line: new Deque<StoredMessage>(4), inflight: new Set(), visible: 0 };
      this.groups.set(id, group);
    }
    return group;
  }

  /** Puts a group in `ready` exactly when it has a deliverable message; forgets empty groups. */
  private refresh(group: MessageGroup): void {
    if (this.deliverable(group)) {
      if (!this.ready.has(group)) this.ready.add(group);
      return;
    }
    this.ready.delete(group);
    if (group.inflight.size === 0 && group.line.length === 0) this.groups.delete(group.id);
  }

  /** Whether the group's first visible message precedes every in-flight message of the group. */
  private deliverable(group: MessageGroup): boolean {
    while (group.line.length > 0 && group.line.peek()!.state === "deleted") group.line.shift();
    if (group.visible <= 0) return false;
    const barrier = earliestSeq(group.inflight);
    if (barrier === undefined) return true;
    for (const msg of group.line) {
      if (msg.seq > barrier) return false;
      if (msg.state === "visible") return true;
    }
    return false;
  }
}

function earliestSeq(messages: Set<StoredMessage>): bigint | undefined {
  let min: bigint | undefined;
  for (const msg of messages) if (min === undefined || msg.seq < min) min = msg.seq;
  return min;
}
