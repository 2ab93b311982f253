// Follows the SendMessageBatch API reference: at most 10 entries, and the sum of the message sizes at
// most 1 MiB (the queue's MaximumMessageSize); DESIGN "Engine": an event that cannot fit is `oversize`.
import { describe, expect, it } from "vitest";
import { BatchPacker } from "../../src/engine/index.js";

type Item = { id: number; bytes: number };
const items = (sizes: number[]): Item[] => sizes.map((bytes, i) => ({ id: i, bytes }));
const ids = (batches: { id: number }[][]) => batches.map((b) => b.map((x) => x.id));

describe("BatchPacker", () => {
  it("closes a batch at 10 entries and keeps order", () => {
    const out = new BatchPacker<Item>().pack(items(Array(23).fill(1)));
    expect(out.batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(out.batches.flat().map((x) => x.id)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(out.oversize).toEqual([]);
  });

  it("fills a batch to exactly maxBytes and starts a new one one byte later", () => {
    const out = new BatchPacker<Item>({ maxBytes: 1_048_576 }).pack(items([524_288, 524_288, 524_288, 524_287, 1, 1]));
    expect(ids(out.batches)).toEqual([[0, 1], [2, 3, 4], [5]]);
    expect(out.batches.map((b) => b.reduce((n, x) => n + x.bytes, 0))).toEqual([1_048_576, 1_048_576, 1]);
  });

  it("defaults maxBytes to 1 MiB", () => {
    const out = new BatchPacker<Item>().pack(items([1_048_576, 1]));
    expect(ids(out.batches)).toEqual([[0], [1]]);
  });

  it("returns an item larger than maxBytes as oversize, never packed, without breaking the open batch", () => {
    const out = new BatchPacker<Item>({ maxBytes: 100 }).pack(items([40, 101, 60, 1]));
    expect(out.oversize.map((x) => x.id)).toEqual([1]);
    expect(ids(out.batches)).toEqual([[0, 2], [3]]);
  });

  it("streams: add returns the batch it closed; flush returns the rest once", () => {
    const p = new BatchPacker<Item>({ maxBytes: 10 });
    expect(p.add({ id: 0, bytes: 6 }).batches).toEqual([]);
    expect(ids(p.add({ id: 1, bytes: 5 }).batches)).toEqual([[0]]);
    expect(p.flush()!.map((x) => x.id)).toEqual([1]);
    expect(p.flush()).toBeUndefined();
  });

  it("refuses more than 10 entries per batch as a setting", () => {
    expect(() => new BatchPacker({ maxEntries: 11 })).toThrow(RangeError);
  });
});
