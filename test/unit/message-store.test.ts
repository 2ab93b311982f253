import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deque } from "../../src/emulator/deque.js";
import { MinHeap } from "../../src/clock/index.js";
import { buildStoredMessage, type StoredMessage } from "../../src/emulator/message.js";
import { MessageStore } from "../../src/emulator/message-store.js";
import { StandardVisibleSet } from "../../src/emulator/visible-set.js";

/**
 * What the message bookkeeping holds must follow what the queue holds, not everything it ever held:
 * SQS keeps a message only until it is deleted or its retention period ends (SQS developer guide,
 * "Amazon SQS message lifecycle"; SetQueueAttributes API reference, MessageRetentionPeriod).
 */

let nextId = 0;
function message(enqueuedAt = 0): StoredMessage {
  const id = `m${nextId++}`;
  return buildStoredMessage(
    { id, body: id, md5OfBody: "", bytes: 1, senderId: "s", sentAt: enqueuedAt },
    { enqueuedAt, seq: BigInt(nextId), state: "visible", visibleAt: enqueuedAt, receiveCount: 0, receiveSeq: 1, timerVersion: 0 },
  );
}

const RETENTION_MS = 345_600_000;

describe("MessageStore retention bookkeeping", () => {
  it("does not keep timer entries of deleted messages until they would have come due", () => {
    const store = new MessageStore(false);
    for (let i = 0; i < 20_000; i++) {
      store.place(message(i));
      const [taken] = store.take(1, () => true);
      store.markInflight(taken!, i, 43_200);
      store.remove(taken!);
    }
    // A bounded number of stale entries, not one per message ever sent (each holds its message).
    const sizes = store.heapSizes;
    expect(sizes.retention).toBeLessThan(2_000);
    expect(sizes.inflight).toBeLessThan(2_000);
  });

  it("does not keep an in-flight entry per ChangeMessageVisibility", () => {
    const store = new MessageStore(false);
    const msg = message();
    store.place(msg);
    store.take(1, () => true);
    store.markInflight(msg, 0, 30);
    for (let i = 1; i <= 10_000; i++) store.setVisibility(msg, i, 30);
    expect(store.heapSizes.inflight).toBeLessThan(2_000);
    // The deadline that counts is the last one set.
    expect(store.advance(10_000 + 29_999, RETENTION_MS, () => {})).toBe(false);
    expect(store.advance(10_000 + 30_000, RETENTION_MS, () => {})).toBe(true);
    expect(store.countsNow).toEqual({ visible: 1, inflight: 0, delayed: 0 });
  });

  it("still expires every live message, oldest first, after stale entries were dropped", () => {
    const store = new MessageStore(false);
    const live: StoredMessage[] = [];
    for (let i = 0; i < 5_000; i++) {
      const msg = message(i);
      store.place(msg);
      if (i % 10 === 0) live.push(msg);
      else store.remove(msg);
    }
    expect(store.heapSizes.retention).toBeLessThan(2 * live.length + 1_100);
    const expired: string[] = [];
    store.advance(5_000 + RETENTION_MS, RETENTION_MS, (msg) => expired.push(msg.id));
    expect(expired).toEqual(live.map((m) => m.id));
    expect(store.countsNow).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });
});

describe("StandardVisibleSet", () => {
  const remove = (set: StandardVisibleSet, msg: StoredMessage) => {
    msg.state = "deleted";
    set.removed(msg, "visible");
  };

  it("drops messages removed at the head at once", () => {
    const set = new StandardVisibleSet();
    const msgs = Array.from({ length: 1_000 }, () => message());
    for (const m of msgs) set.addNew(m);
    for (const m of msgs.slice(0, 990)) remove(set, m);
    expect(set.entries).toBe(10);
  });

  it("compacts when removed messages outnumber live ones, and still delivers the live ones in order", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), (keep) => {
        const set = new StandardVisibleSet();
        const msgs = keep.map(() => message());
        for (const m of msgs) set.addNew(m);
        // Removed from the back, so head-dropping alone would keep every entry.
        for (let i = msgs.length - 1; i >= 0; i--) if (!keep[i]) remove(set, msgs[i]!);
        const live = msgs.filter((_, i) => keep[i]);
        expect(set.entries).toBeLessThanOrEqual(2 * live.length + 1);
        expect(set.take(Infinity, () => true)).toEqual(live);
        expect(set.entries).toBe(0);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

// The data structures under the bookkeeping above: plain invariants, no SQS behaviour of their own.
describe("Deque.retain", () => {
  it("keeps exactly the accepted items, in order, across wrap-around", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.nat(20), (items, shifts) => {
        const d = new Deque<number>(2);
        const a: number[] = [];
        for (const [i, v] of items.entries()) {
          d.push(v);
          a.push(v);
          if (i < shifts) expect(d.shift()).toBe(a.shift());
        }
        d.retain((v) => v % 3 !== 0);
        const kept = a.filter((v) => v % 3 !== 0);
        expect([...d]).toEqual(kept);
        d.unshift(99);
        d.push(98);
        expect([...d]).toEqual([99, ...kept, 98]);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe("MinHeap.retain", () => {
  it("keeps the accepted entries and still pops them in key order, ties in insertion order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), (keys) => {
        const h = new MinHeap<{ key: number; i: number }>();
        keys.forEach((key, i) => h.push(key, { key, i }));
        h.retain((v) => v.i % 3 !== 1);
        const out: number[] = [];
        while (h.size > 0) out.push(h.pop()!.i);
        const expected = keys
          .map((key, i) => ({ key, i }))
          .filter((v) => v.i % 3 !== 1)
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map((v) => v.i);
        expect(out).toEqual(expected);
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});
