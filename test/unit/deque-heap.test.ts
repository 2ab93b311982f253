import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deque } from "../../src/emulator/deque.js";
import { MinHeap } from "../../src/clock/index.js";

describe("Deque", () => {
  it("behaves like an array under any sequence of operations", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), v: fc.integer() }),
      fc.record({ kind: fc.constant("unshift" as const), v: fc.integer() }),
      fc.record({ kind: fc.constant("shift" as const) }),
      fc.record({ kind: fc.constant("removeAt" as const), i: fc.nat(40) }),
      fc.record({ kind: fc.constant("insertSorted" as const), v: fc.integer({ min: 0, max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const d = new Deque<number>(2);
        const a: number[] = [];
        for (const o of ops) {
          if (o.kind === "push") (d.push(o.v), a.push(o.v));
          if (o.kind === "unshift") (d.unshift(o.v), a.unshift(o.v));
          if (o.kind === "shift") expect(d.shift()).toBe(a.shift());
          if (o.kind === "removeAt") expect(d.removeAt(o.i)).toBe(o.i < a.length ? a.splice(o.i, 1)[0] : undefined);
          if (o.kind === "insertSorted") {
            d.insertSorted(o.v, (x) => x);
            let i = 0;
            while (i < a.length && a[i]! < o.v) i++;
            a.splice(i, 0, o.v);
          }
          expect(d.length).toBe(a.length);
        }
        expect([...d]).toEqual(a);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("MinHeap", () => {
  it("popDue releases only what is due, ties in insertion order", () => {
    const heap = new MinHeap<string>();
    heap.push(20, "late");
    heap.push(10, "a");
    heap.push(10, "b");
    expect(heap.popDue(9)).toBeUndefined();
    expect([heap.popDue(10), heap.popDue(10), heap.popDue(10)]).toEqual(["a", "b", undefined]);
    expect(heap.popDue(20)).toBe("late");
    expect(heap.popDue(Infinity)).toBeUndefined();
  });

  it("pops keys in ascending order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (keys) => {
        const h = new MinHeap<number>();
        for (const k of keys) h.push(k, k);
        const out: number[] = [];
        while (h.size > 0) out.push(h.pop()!);
        expect(out).toEqual([...keys].sort((x, y) => x - y));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
