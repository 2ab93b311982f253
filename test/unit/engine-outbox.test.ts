import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Outbox, OUTBOX_FILE } from "../../src/engine/index.js";
import type { DlqEntry } from "../../src/engine/index.js";
import { useTempDirs } from "../support/temp-dirs.js";

const event = (k: string) => ({ eventType: "t", occurredAt: "2026-01-01T00:00:00Z", idempotencyKey: k, payload: {} });

// DESIGN "Engine", Outbox: "an accepted event is on disk before 202 (append-only log, group commit) and is
// delivered after a crash and restart".
describe("Outbox", () => {
  const tempDir = useTempDirs("outbox");

  const accept = (outbox: Outbox, key: string, destinations = ["a"]) => {
    const eventId = outbox.nextEventId();
    const deliveries = destinations.map((destination) => ({ id: outbox.nextDeliveryId(), eventId, destination, event: event(key) }));
    outbox.accept(eventId, event(key), deliveries);
    return deliveries;
  };

  it("restores what is unfinished, with its send marks, and never reuses an id", async () => {
    const dir = tempDir();
    const first = await Outbox.open(dir);
    const [d1] = accept(first, "k1");
    const [d2, d3] = accept(first, "k2", ["a", "b"]);
    first.sent([d1!.id, d2!.id], 1000);
    first.done([d1!.id]);
    await first.commit();
    await first.close();

    const second = await Outbox.open(dir);
    expect(second.pendingDeliveries().map((d) => [d.id, d.destination, d.sentAt])).toEqual([
      [d2!.id, "a", 1000],
      [d3!.id, "b", undefined],
    ]);
    expect(second.nextEventId()).toBe("e3");
    expect(second.nextDeliveryId()).toBe("d4");
    await second.close();
  });

  it("keeps the DLQ across restarts and compaction, and ids keep counting after everything finished", async () => {
    const dir = tempDir();
    const first = await Outbox.open(dir);
    const [d1] = accept(first, "k1");
    const entry: DlqEntry = {
      id: first.nextDlqId(),
      destination: "a",
      eventId: d1!.eventId,
      delivery: d1!.id,
      event: d1!.event,
      entry: { MessageBody: "{}", MessageAttributes: {} },
      bytes: 2,
      reason: "AccessDenied",
      attempts: [],
      deadAt: 5,
      replays: [],
    };
    first.dead(entry);
    await first.close();
    // Reopening compacts the log into a snapshot; a third open reads that snapshot.
    await (await Outbox.open(dir)).close();
    const third = await Outbox.open(dir);
    expect(third.pendingCount).toBe(0);
    expect(third.dlqEntries()).toEqual([entry]);
    expect(third.nextDlqId()).toBe("q2");
    expect(third.nextEventId()).toBe("e2");
    await third.close();
  });

  it("skips a torn last line (a crash mid-write) but refuses damage elsewhere, naming file and line", async () => {
    const dir = tempDir();
    const first = await Outbox.open(dir);
    accept(first, "k1");
    await first.close();
    appendFileSync(join(dir, OUTBOX_FILE), '{"op":"accept","eventId":"e9","ev');
    const second = await Outbox.open(dir);
    expect(second.pendingCount).toBe(1);
    await second.close();

    const file = join(dir, OUTBOX_FILE);
    appendFileSync(file, "not json\n" + readFileSync(file, "utf8"));
    await expect(Outbox.open(dir)).rejects.toThrow(/outbox\.ndjson:\d+ is not valid JSON/);
  });

  it("replaying a line twice changes nothing (a snapshot followed by lines pending when it was taken)", async () => {
    const dir = tempDir();
    const first = await Outbox.open(dir);
    const [d1] = accept(first, "k1");
    await first.close();
    const file = join(dir, OUTBOX_FILE);
    const lines = readFileSync(file, "utf8");
    appendFileSync(file, lines);
    const second = await Outbox.open(dir);
    expect(second.pendingDeliveries().map((d) => d.id)).toEqual([d1!.id]);
    await second.close();
  });
});
