import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { Emulator } from "../../src/emulator/index.js";
import { NULL_STATE_LOG, type StateLog } from "../../src/emulator/persistence.js";

/** In-process: what a move task writes to persistence and what it keeps in memory. */

const ctx = { baseUrl: "http://127.0.0.1:1", principal: { arn: "arn:aws:iam::000000000000:root" } };
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function dlqPair(em: Emulator): Promise<{ src: string; dlq: string }> {
  const dlq = (await em.handle("CreateQueue", { QueueName: "dlq" }, ctx)).QueueUrl as string;
  const policy = JSON.stringify({ deadLetterTargetArn: arnOf("dlq"), maxReceiveCount: 1 });
  const src = (await em.handle("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: policy } }, ctx)).QueueUrl as string;
  return { src, dlq };
}

// StartMessageMoveTask API reference: the task moves messages from the DLQ to their source. The state
// log is the emulator's durability promise (persistence.ts): a crash between two records of one move
// must leave the message in both queues, never in neither.
describe("a move task's state-log records", () => {
  it("stores each message in its destination before removing it from the DLQ", async () => {
    const clock = new VirtualClock();
    const ops: string[] = [];
    const stateLog: StateLog = {
      ...NULL_STATE_LOG,
      messageStored: (queue, msg) => ops.push(`stored ${queue.name} ${msg.id}`),
      messageRemoved: (queue, id) => ops.push(`removed ${queue.name} ${id}`),
    };
    const em = new Emulator({ clock, journal: createJournal(clock, { retain: 0 }), stateLog });
    const { src } = await dlqPair(em);
    const ids: string[] = [];
    for (const body of ["a", "b"]) ids.push((await em.handle("SendMessage", { QueueUrl: src, MessageBody: body }, ctx)).MessageId as string);
    await em.handle("ReceiveMessage", { QueueUrl: src, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }, ctx);
    await em.handle("ReceiveMessage", { QueueUrl: src, MaxNumberOfMessages: 10 }, ctx); // both go to the DLQ
    ops.length = 0;
    await em.handle("StartMessageMoveTask", { SourceArn: arnOf("dlq") }, ctx);
    await clock.advance(1_000);
    // Redriven messages are new messages with new MessageIds (SQS Developer Guide, "Configuring a
    // dead-letter queue redrive"): each is stored in its source under a new id before the old one leaves the DLQ.
    const moved = ops.filter((op) => op.startsWith("removed")).map((op) => op.split(" ")[2]!);
    expect([...moved].sort()).toEqual([...ids].sort());
    expect(ops).toHaveLength(4);
    for (let i = 0; i < ops.length; i += 2) {
      const [stored, removed] = [ops[i]!.split(" "), ops[i + 1]!.split(" ")];
      expect([stored[0], stored[1], removed[0], removed[1]]).toEqual(["stored", "src", "removed", "dlq"]);
      expect(ids).not.toContain(stored[2]);
    }
  });
});

// ListMessageMoveTasks API reference: it returns the most recent tasks of a source, "up to 10"; older
// finished tasks can never be listed again, so they are not kept.
describe("finished move tasks", () => {
  it("keeps only the 10 newest finished tasks of a source", async () => {
    const clock = new VirtualClock();
    const em = new Emulator({ clock, journal: createJournal(clock, { retain: 0 }) });
    await dlqPair(em);
    const handles: string[] = [];
    for (let i = 0; i < 15; i++) {
      handles.push((await em.handle("StartMessageMoveTask", { SourceArn: arnOf("dlq") }, ctx)).TaskHandle as string);
      await clock.advance(1_000); // nothing to move: the task completes at its first step
    }
    const kept = em.moveTasks.list(arnOf("dlq"), Number.MAX_SAFE_INTEGER);
    expect(kept).toHaveLength(10);
    expect(kept.every((t) => t.Status === "COMPLETED")).toBe(true);
    const listed = (await em.handle("ListMessageMoveTasks", { SourceArn: arnOf("dlq"), MaxResults: 10 }, ctx)).Results as unknown[];
    expect(listed).toEqual(kept);
    expect(handles).toHaveLength(15);
  });
});
