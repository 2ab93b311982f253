/**
 * Journal robustness. Not SQS behaviour: these follow Node's stream contract (Node.js docs, "Stream":
 * a stream without an 'error' listener throws; `write()` returning false asks the writer to wait for
 * 'drain') and DESIGN's promise that the journal is the spine every component emits to.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, readJournal, writeJournalTo, type JournalRecord } from "../../src/journal/index.js";

describe("journal subscribers", () => {
  it("a subscriber that throws neither breaks emit nor starves the subscribers after it", () => {
    const reported: [unknown, string][] = [];
    const journal = createJournal(new VirtualClock(), { onListenerError: (err, record) => reported.push([err, record.type]) });
    const seen: number[] = [];
    journal.subscribe(() => {
      throw new Error("UI bug");
    });
    journal.subscribe((r) => seen.push(r.seq));
    expect(() => journal.emit({ type: "queue.deleted", queue: "a" })).not.toThrow();
    journal.emit({ type: "queue.deleted", queue: "b" });
    expect(seen).toEqual([1, 2]);
    expect(reported.map(([err, type]) => [(err as Error).message, type])).toEqual([
      ["UI bug", "queue.deleted"],
      ["UI bug", "queue.deleted"],
    ]);
  });

  it("by default reports a broken subscriber once on stderr, not once per record", () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const journal = createJournal(new VirtualClock());
      journal.subscribe(() => {
        throw new Error("UI bug");
      });
      for (let i = 0; i < 3; i++) journal.emit({ type: "queue.deleted", queue: `q${i}` });
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0]![0])).toContain("journal subscriber threw on a queue.deleted record");
    } finally {
      stderr.mockRestore();
    }
  });

  it("accepts any object with now() as its clock (the journal imports no clock of ours)", () => {
    const journal = createJournal({ now: () => 42 });
    expect(journal.emit({ type: "queue.deleted", queue: "a" }).t).toBe(42);
  });
});

describe("writeJournalTo", () => {
  it("does not crash on a path in a missing directory; close() rejects naming the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sqsrig-journal-"));
    const path = join(dir, "missing", "run.ndjson");
    const journal = createJournal(new VirtualClock());
    const writer = writeJournalTo(journal, path);
    journal.emit({ type: "queue.deleted", queue: "a" });
    journal.emit({ type: "queue.deleted", queue: "b" });
    await expect(writer.close()).rejects.toThrow(`sqsrig: cannot write the journal to ${path}: ENOENT`);
    // Closing twice gives the same answer rather than a second, different failure.
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });

  it("keeps every record, in order, when the file lags behind (write() asked to wait)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sqsrig-journal-")), "run.ndjson");
    const journal = createJournal(new VirtualClock(), { retain: 0 });
    const writer = writeJournalTo(journal, path);
    const big = "x".repeat(20_000); // past the stream's 16 KiB high-water mark on the first record
    for (let i = 0; i < 50; i++) journal.emit({ type: "request.failed", action: `a${i}`, code: "c", httpStatus: 400, message: big });
    await writer.close();
    const back = (await readJournal(path)) as Extract<JournalRecord, { type: "request.failed" }>[];
    expect(back.map((r) => r.action)).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
  });

  it("bounds what it holds for a stuck file and says in close() how many records it dropped", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sqsrig-journal-")), "run.ndjson");
    const journal = createJournal(new VirtualClock(), { retain: 0 });
    const writer = writeJournalTo(journal, path, { maxBufferedBytes: 50_000 });
    const big = "x".repeat(20_000);
    for (let i = 0; i < 10; i++) journal.emit({ type: "request.failed", action: `a${i}`, code: "c", httpStatus: 400, message: big });
    // The first record is handed to the stream; two more fit in 50 kB; seven are dropped.
    await expect(writer.close()).rejects.toThrow(/incomplete: 7 records were dropped/);
    expect((await readJournal(path)).length).toBe(3);
  });
});
