/**
 * In-process lifecycle of the emulator core. ReceiveMessage API reference (WaitTimeSeconds: "the call
 * waits ... for a message to arrive") and DeleteQueue API reference ("you must wait at least 60 seconds
 * before creating a queue with the same name"); closing and pruning are emulator housekeeping that must
 * not change either.
 */
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { Emulator, type RequestContext } from "../../src/emulator/index.js";
import { createJournal } from "../../src/journal/index.js";

function setup() {
  const clock = new VirtualClock({ start: 0 });
  const journal = createJournal(clock);
  const emulator = new Emulator({ clock, journal });
  const ctx: RequestContext = { baseUrl: "http://h", principal: { arn: "arn:aws:iam::000000000000:root" } };
  return { clock, journal, emulator, ctx };
}

describe("Emulator.close()", () => {
  it("ends a waiting long poll at once, with no messages, instead of letting it wait again", { timeout: 5_000 }, async () => {
    const { journal, emulator, ctx } = setup();
    const { QueueUrl } = (await emulator.handle("CreateQueue", { QueueName: "q" }, ctx)) as { QueueUrl: string };
    const poll = emulator.handle("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 20 }, ctx);
    await journal.waitFor("poll.waiting", (r) => r.queue === "q");
    emulator.close();
    // No time passes on the virtual clock: before the fix this never resolved.
    await expect(poll).resolves.toEqual({});
  });
});

describe("a long poll whose client already hung up", () => {
  it("ends as soon as it would start waiting, and records poll.abandoned", { timeout: 5_000 }, async () => {
    const { journal, emulator, ctx } = setup();
    const { QueueUrl } = (await emulator.handle("CreateQueue", { QueueName: "q" }, ctx)) as { QueueUrl: string };
    const gone = { ...ctx, signal: AbortSignal.abort() };
    await expect(emulator.handle("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 20 }, gone)).resolves.toEqual({});
    expect(journal.records("poll.abandoned").map((r) => r.queue)).toEqual(["q"]);
  });
});

describe("recently deleted queue names", () => {
  it("still refuse re-creation within 60 s, and are forgotten once older than that", async () => {
    const { clock, emulator, ctx } = setup();
    const deletedAt = (emulator as unknown as { deletedAt: Map<string, number> }).deletedAt; // white-box: the memory being pruned
    for (const name of ["a", "b", "c"]) {
      const { QueueUrl } = (await emulator.handle("CreateQueue", { QueueName: name }, ctx)) as { QueueUrl: string };
      await emulator.handle("DeleteQueue", { QueueUrl }, ctx);
      await clock.advance(10_000);
    }
    expect([...deletedAt.keys()]).toEqual(["a", "b", "c"]);
    await expect(emulator.handle("CreateQueue", { QueueName: "c" }, ctx)).rejects.toMatchObject({ code: "QueueDeletedRecently" });
    await clock.advance(35_000); // a was deleted 65 s ago, b 55 s ago
    await emulator.handle("CreateQueue", { QueueName: "x" }, ctx);
    expect([...deletedAt.keys()]).toEqual(["b", "c"]);
    await expect(emulator.handle("CreateQueue", { QueueName: "b" }, ctx)).rejects.toMatchObject({ code: "QueueDeletedRecently" });
    await clock.advance(60_000);
    await emulator.handle("CreateQueue", { QueueName: "b" }, ctx);
    expect(deletedAt.size).toBe(0);
  });
});
