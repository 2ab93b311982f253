import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, readJournal, writeJournalTo } from "../../src/journal/index.js";

describe("journal", () => {
  it("stamps records with seq and clock time and hands them to subscribers", async () => {
    const clock = new VirtualClock({ start: 5_000 });
    const journal = createJournal(clock);
    const seen: string[] = [];
    journal.subscribe((r) => seen.push(`${r.seq}:${r.type}:${r.t}`));
    journal.emit({ type: "queue.deleted", queue: "a" });
    await clock.advance(10);
    journal.emit({ type: "queue.deleted", queue: "b" });
    expect(seen).toEqual(["1:queue.deleted:5000", "2:queue.deleted:5010"]);
    expect(journal.records("queue.deleted").map((r) => r.queue)).toEqual(["a", "b"]);
  });

  it("waitFor resolves on a later matching record, or at once on one already held", async () => {
    const journal = createJournal(new VirtualClock());
    journal.emit({ type: "queue.deleted", queue: "early" });
    await expect(journal.waitFor("queue.deleted", (r) => r.queue === "early")).resolves.toMatchObject({ seq: 1 });
    const later = journal.waitFor("queue.deleted", (r) => r.queue === "late");
    journal.emit({ type: "queue.deleted", queue: "other" });
    journal.emit({ type: "queue.deleted", queue: "late" });
    await expect(later).resolves.toMatchObject({ queue: "late", seq: 3 });
  });

  it("keeps only the newest `retain` records in memory", () => {
    const journal = createJournal(new VirtualClock(), { retain: 3 });
    for (let i = 0; i < 10; i++) journal.emit({ type: "queue.deleted", queue: `q${i}` });
    expect(journal.records().map((r) => r.seq)).toEqual([8, 9, 10]);
    expect(journal.lastSeq).toBe(10);
  });

  it("writes NDJSON and reads it back; a bad line is reported with its number", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sqsrig-journal-"));
    const path = join(dir, "journal.ndjson");
    const journal = createJournal(new VirtualClock());
    const writer = writeJournalTo(journal, path);
    journal.emit({ type: "queue.created", queue: "a", fifo: false, attributes: {} });
    journal.emit({ type: "queue.deleted", queue: "a" });
    await writer.close();
    const back = await readJournal(path);
    expect(back.map((r) => r.type)).toEqual(["queue.created", "queue.deleted"]);
    const { appendFileSync } = await import("node:fs");
    appendFileSync(path, "{not json\n");
    await expect(readJournal(path)).rejects.toThrow(/journal\.ndjson:3:/);
  });
});
