// Follows DESIGN "Engine" (FIFO gate contract) and the SendMessageBatch API reference: "For a FIFO queue,
// multiple messages within a single batch are enqueued in the order they are sent" and "The result of
// sending each message is reported individually" — so a partial failure can store a later entry of a
// group ahead of a failed earlier one, which the gate must prevent (default) or report.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FifoGate } from "../../src/engine/index.js";
import type { GateEntry, GateResult } from "../../src/engine/index.js";

const items = (batch: GateEntry<string>[]) => batch.map((e) => e.item);
const delivered = (batch: GateEntry<string>[]): GateResult<string>[] => batch.map((entry) => ({ entry, outcome: "delivered" }));

describe("FifoGate (FIFO mode)", () => {
  it("keeps each group's order under interleaved enqueues and sends one request per group at a time", () => {
    const gate = new FifoGate<string>();
    for (const [g, v] of [["a", "a1"], ["b", "b1"], ["a", "a2"], ["c", "c1"], ["b", "b2"], ["a", "a3"]] as const) gate.enqueue(g, v);
    const first = gate.takeReady(0);
    expect(items(first)).toEqual(["a1", "b1", "c1"]);
    // Every group has a request in flight: nothing more may go.
    expect(gate.takeReady(0)).toEqual([]);
    gate.resolve(delivered(first));
    const second = gate.takeReady(0);
    expect(items(second)).toEqual(["a2", "b2"]);
    gate.resolve(delivered(second));
    expect(items(gate.takeReady(0))).toEqual(["a3"]);
  });

  it("halts a group after a retry until retryAt, then sends the retried entry first", () => {
    const gate = new FifoGate<string>();
    gate.enqueue("a", "a1");
    gate.enqueue("a", "a2");
    gate.enqueue("b", "b1");
    const [a1, b1] = gate.takeReady(0);
    gate.resolve([{ entry: a1!, outcome: "retry", retryAt: 500 }, { entry: b1!, outcome: "delivered" }]);
    gate.enqueue("b", "b2");
    gate.enqueue("a", "a3");
    // a2 must not overtake the failed a1 while a is halted; b goes on.
    expect(items(gate.takeReady(499))).toEqual(["b2"]);
    expect(gate.nextRetryAt()).toBe(500);
    expect(items(gate.takeReady(499))).toEqual([]);
    const retried = gate.takeReady(500);
    expect(items(retried)).toEqual(["a1"]);
    gate.resolve(delivered(retried));
    expect(items(gate.takeReady(500))).toEqual(["a2"]);
  });

  it("lets a group continue after a dead-lettered entry", () => {
    const gate = new FifoGate<string>();
    gate.enqueue("a", "a1");
    gate.enqueue("a", "a2");
    const batch = gate.takeReady(0);
    gate.resolve([{ entry: batch[0]!, outcome: "deadLettered" }]);
    expect(items(gate.takeReady(0))).toEqual(["a2"]);
    expect(gate.size).toBe(1);
  });

  it("takes several entries of one group in order when allowed, and reports the overtaking one on a partial failure", () => {
    const gate = new FifoGate<string>({ maxEntriesPerGroup: 10 });
    for (const v of ["a1", "a2", "a3", "a4"]) gate.enqueue("a", v);
    const batch = gate.takeReady(0, 3);
    expect(items(batch)).toEqual(["a1", "a2", "a3"]);
    // Entry 2 failed (SenderFault=false), entries 1 and 3 were stored: SQS now holds a3 ahead of a2.
    const report = gate.resolve([
      { entry: batch[0]!, outcome: "delivered" },
      { entry: batch[2]!, outcome: "delivered" },
      { entry: batch[1]!, outcome: "retry", retryAt: 10 },
    ]);
    expect(items(report.overtaken)).toEqual(["a3"]);
    expect(items(gate.takeReady(10))).toEqual(["a2", "a4"]);
  });

  it("with the default of one entry per group, a partial failure cannot reorder a group", () => {
    const gate = new FifoGate<string>();
    for (const v of ["a1", "a2", "a3"]) gate.enqueue("a", v);
    const batch = gate.takeReady(0);
    expect(items(batch)).toEqual(["a1"]);
  });

  it("stops a request at the first item that does not fit and gives that group the next turn", () => {
    const gate = new FifoGate<string>();
    gate.enqueue("a", "small");
    gate.enqueue("b", "big");
    gate.enqueue("c", "small2");
    const fits = (item: string, taken: readonly GateEntry<string>[]) => !(item === "big" && taken.length > 0);
    expect(items(gate.takeReady(0, 10, fits))).toEqual(["small"]);
    expect(items(gate.takeReady(0, 10, fits))).toEqual(["big", "small2"]);
  });

  it("serves many groups round-robin so none starves behind a busy one", () => {
    const gate = new FifoGate<string>();
    for (let i = 0; i < 50; i++) gate.enqueue("busy", `busy${i}`);
    for (let g = 0; g < 25; g++) gate.enqueue(`g${g}`, `g${g}`);
    const firstSeen = new Map<string, number>();
    for (let take = 0; gate.size > 0 && take < 100; take++) {
      const batch = gate.takeReady(0, 10);
      for (const e of batch) if (!firstSeen.has(e.groupId)) firstSeen.set(e.groupId, take);
      gate.resolve(delivered(batch));
    }
    // 26 groups, 10 entries a request: every group is served within the first 3 requests.
    expect(firstSeen.size).toBe(26);
    expect(Math.max(...firstSeen.values())).toBeLessThanOrEqual(2);
  });

  it("rejects a resolve that does not match the request in flight", () => {
    const gate = new FifoGate<string>({ maxEntriesPerGroup: 2 });
    gate.enqueue("a", "a1");
    gate.enqueue("a", "a2");
    const batch = gate.takeReady(0);
    expect(() => gate.resolve([{ entry: batch[0]!, outcome: "delivered" }])).toThrow(/2 entries in flight/);
    expect(() => gate.resolve(delivered([{ groupId: "z", item: "x" }]))).toThrow(/no request in flight/);
  });
});

describe("FifoGate (standard mode: no gate)", () => {
  it("sends every item at once regardless of group, and holds a retry until its time", () => {
    const gate = new FifoGate<string>({ fifo: false });
    for (const v of ["a1", "a2", "a3"]) gate.enqueue("a", v);
    const batch = gate.takeReady(0);
    expect(items(batch)).toEqual(["a1", "a2", "a3"]);
    gate.resolve([
      { entry: batch[0]!, outcome: "delivered" },
      { entry: batch[1]!, outcome: "retry", retryAt: 100 },
      { entry: batch[2]!, outcome: "deadLettered" },
    ]);
    gate.enqueue("a", "a4");
    expect(items(gate.takeReady(99))).toEqual(["a4"]);
    expect(items(gate.takeReady(100))).toEqual(["a2"]);
    expect(gate.size).toBe(2);
  });
});

describe("FifoGate property: random outcomes", () => {
  type Op =
    | { kind: "enqueue"; group: number }
    | { kind: "take"; max: number }
    | { kind: "resolve"; pick: number; outcomes: number[] }
    | { kind: "advance"; ms: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("enqueue" as const), group: fc.nat(4) }),
    fc.record({ kind: fc.constant("take" as const), max: fc.integer({ min: 1, max: 10 }) }),
    fc.record({ kind: fc.constant("resolve" as const), pick: fc.nat(), outcomes: fc.array(fc.nat(2), { minLength: 10, maxLength: 10 }) }),
    fc.record({ kind: fc.constant("advance" as const), ms: fc.nat(300) }),
  );

  for (const perGroup of [1, 3]) {
    it(`every item ends delivered or dead-lettered exactly once, in group order (maxEntriesPerGroup ${perGroup})`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
          const gate = new FifoGate<number>({ maxEntriesPerGroup: perGroup });
          let now = 0;
          let next = 0;
          const requests: GateEntry<number>[][] = [];
          const busy = new Set<string>();
          const ended = new Map<number, string>();
          const orderOf = new Map<string, number[]>();
          const overtaken = new Set<number>();
          const notBefore = new Map<number, number>();
          const resolve = (batch: GateEntry<number>[], outcomes: number[]) => {
            const results = batch.map((entry, i): GateResult<number> => {
              const o = outcomes[i] ?? 0;
              return o === 0 ? { entry, outcome: "delivered" } : o === 1 ? { entry, outcome: "deadLettered" } : { entry, outcome: "retry", retryAt: now + 50 };
            });
            for (const r of results) {
              if (r.outcome === "retry") {
                notBefore.set(r.entry.item, r.retryAt);
                continue;
              }
              expect(ended.has(r.entry.item)).toBe(false);
              ended.set(r.entry.item, r.outcome);
              if (r.outcome === "delivered") orderOf.set(r.entry.groupId, [...(orderOf.get(r.entry.groupId) ?? []), r.entry.item]);
            }
            for (const e of gate.resolve(results).overtaken) overtaken.add(e.item);
            for (const e of batch) busy.delete(e.groupId);
          };
          const take = (max: number) => {
            const batch = gate.takeReady(now, max);
            // FIFO: a halted group sends nothing before its retry time.
            for (const e of batch) expect(now).toBeGreaterThanOrEqual(notBefore.get(e.item) ?? 0);
            for (const e of new Set(batch.map((b) => b.groupId))) {
              // At most one unresolved request per group.
              expect(busy.has(e)).toBe(false);
              busy.add(e);
            }
            if (batch.length > 0) requests.push(batch);
          };
          for (const o of ops) {
            if (o.kind === "enqueue") gate.enqueue(`g${o.group}`, next++);
            else if (o.kind === "take") take(o.max);
            else if (o.kind === "advance") now += o.ms;
            else if (requests.length > 0) resolve(requests.splice(o.pick % requests.length, 1)[0]!, o.outcomes);
          }
          // Drain: resolve what is in flight, then deliver everything left.
          for (const batch of requests.splice(0)) resolve(batch, []);
          for (let guard = 0; gate.size > 0; guard++) {
            expect(guard).toBeLessThan(10_000);
            now += 1_000;
            take(10);
            for (const batch of requests.splice(0)) resolve(batch, []);
          }
          expect(ended.size).toBe(next);
          for (const seq of orderOf.values()) {
            const inOrder = seq.filter((v) => !overtaken.has(v));
            expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
          }
          if (perGroup === 1) expect(overtaken.size).toBe(0);
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  }
});
