import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { Journal, type JournalEvent, type JournalRecord } from "../../src/journal/index.js";
import { Emulator } from "../../src/emulator/index.js";
import { NULL_STATE_LOG, type StateLog } from "../../src/emulator/persistence.js";

/**
 * Receives that must end and must leave every message accounted for, whatever the queue's settings
 * or the code listening to it do. In-process (no socket): the faults injected here are the emulator's
 * own collaborators, which a client cannot reach.
 */

const ctx = { baseUrl: "http://127.0.0.1:1", principal: { arn: "arn:aws:iam::000000000000:root" } };
type Out = Record<string, unknown>;
interface Msg {
  Body: string;
  ReceiptHandle: string;
  Attributes?: Record<string, string>;
}

function messagesOf(out: Out): Msg[] {
  return (out.Messages as Msg[] | undefined) ?? [];
}

/** A journal whose emit throws once, on the first record of `type` (a broken emitter path). */
class ThrowOnceJournal extends Journal {
  thrown = false;
  constructor(
    clock: VirtualClock,
    private readonly type: string,
  ) {
    super(clock, { retain: 0 });
  }
  override emit(event: JournalEvent): JournalRecord {
    const record = super.emit(event);
    if (event.type === this.type && !this.thrown) {
      this.thrown = true;
      throw new Error("subscriber failure");
    }
    return record;
  }
}

async function counts(em: Emulator, url: string): Promise<{ visible: number; notVisible: number }> {
  const out = await em.handle(
    "GetQueueAttributes",
    { QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] },
    ctx,
  );
  const a = out.Attributes as Record<string, string>;
  return { visible: Number(a.ApproximateNumberOfMessages), notVisible: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

// SQS developer guide, "Using dead-letter queues": the DLQ is another queue of the same type. What
// AWS does with a RedrivePolicy naming the queue itself is unrecorded; the emulator treats it as no
// DLQ, so the message keeps being delivered and its receive count keeps growing.
describe("a RedrivePolicy that targets its own queue", () => {
  for (const fifo of [false, true]) {
    it(`does not loop inside a receive (${fifo ? "FIFO" : "standard"})`, async () => {
      const clock = new VirtualClock();
      let stored = 0;
      // Before the fix the receive moved the message into its own queue forever; this turns that
      // endless loop into a failure instead of a hung test run.
      const stateLog: StateLog = {
        ...NULL_STATE_LOG,
        messageStored() {
          if (++stored > 100) throw new Error("the receive keeps storing the message again");
        },
      };
      const em = new Emulator({ clock, journal: new Journal(clock, { retain: 0 }), stateLog });
      const name = fifo ? "self.fifo" : "self";
      const attrs = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : {};
      const url = (await em.handle("CreateQueue", { QueueName: name, Attributes: attrs }, ctx)).QueueUrl as string;
      const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
      const policy = JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 });
      await em.handle("SetQueueAttributes", { QueueUrl: url, Attributes: { RedrivePolicy: policy } }, ctx);
      await em.handle("SendMessage", { QueueUrl: url, MessageBody: "x", ...(fifo ? { MessageGroupId: "g" } : {}) }, ctx);
      const receive = () =>
        em.handle("ReceiveMessage", { QueueUrl: url, VisibilityTimeout: 0, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }, ctx);
      expect(messagesOf(await receive()).map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["1"]);
      expect(messagesOf(await receive()).map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["2"]);
      expect(stored).toBe(1);
    });
  }
});

// ReceiveMessage API reference: a received message stays invisible for the visibility timeout and
// then becomes visible again; nothing a journal subscriber does may lose it or lock its FIFO group
// ("FIFO queue message grouping": later messages of a group wait only while an earlier one is in
// flight).
describe("a journal emitter that throws during a receive", () => {
  it("leaves every taken FIFO message in flight, so none is lost and the group unlocks", async () => {
    const clock = new VirtualClock();
    const journal = new ThrowOnceJournal(clock, "message.received");
    const em = new Emulator({ clock, journal });
    const url = (await em.handle("CreateQueue", { QueueName: "q.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }, ctx))
      .QueueUrl as string;
    for (const body of ["a", "b", "c"]) await em.handle("SendMessage", { QueueUrl: url, MessageBody: body, MessageGroupId: "g" }, ctx);
    await expect(em.handle("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }, ctx)).rejects.toThrow(
      "subscriber failure",
    );
    expect(journal.thrown).toBe(true);
    expect(await counts(em, url)).toEqual({ visible: 0, notVisible: 3 });
    await clock.advance(30_000);
    expect(await counts(em, url)).toEqual({ visible: 3, notVisible: 0 });
    const again = messagesOf(await em.handle("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 }, ctx));
    expect(again.map((m) => m.Body)).toEqual(["a", "b", "c"]);
    for (const m of again) await em.handle("DeleteMessage", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle }, ctx);
    await em.handle("SendMessage", { QueueUrl: url, MessageBody: "d", MessageGroupId: "g" }, ctx);
    expect(messagesOf(await em.handle("ReceiveMessage", { QueueUrl: url }, ctx)).map((m) => m.Body)).toEqual(["d"]);
  });

  it("leaves every taken standard message in flight, and dead-letters the exhausted ones", async () => {
    const clock = new VirtualClock();
    const journal = new ThrowOnceJournal(clock, "message.received");
    const em = new Emulator({ clock, journal });
    const dlq = (await em.handle("CreateQueue", { QueueName: "dlq" }, ctx)).QueueUrl as string;
    const policy = JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq", maxReceiveCount: 2 });
    const url = (await em.handle("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: policy } }, ctx)).QueueUrl as string;
    await em.handle("SendMessage", { QueueUrl: url, MessageBody: "poison" }, ctx);
    journal.thrown = true; // armed only for the receive under test
    for (let i = 0; i < 2; i++) await em.handle("ReceiveMessage", { QueueUrl: url, VisibilityTimeout: 0 }, ctx);
    journal.thrown = false;
    for (const body of ["a", "b"]) await em.handle("SendMessage", { QueueUrl: url, MessageBody: body }, ctx);
    // This receive moves "poison" (received twice already) and takes "a" and "b"; a record throws.
    await expect(em.handle("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 }, ctx)).rejects.toThrow("subscriber failure");
    expect(await counts(em, url)).toEqual({ visible: 0, notVisible: 2 });
    expect(await counts(em, dlq)).toEqual({ visible: 1, notVisible: 0 });
    await clock.advance(30_000);
    const again = messagesOf(await em.handle("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 }, ctx));
    expect(again.map((m) => m.Body).sort()).toEqual(["a", "b"]);
  });
});
