import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { Emulator, openEmulator } from "../../src/emulator/index.js";

const ctx = { baseUrl: "http://127.0.0.1:1", principal: { arn: "arn:aws:iam::000000000000:root" } };
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
/** RFC 9562 version 4: version nibble 4, variant bits 10. */
const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The same requests against a fresh emulator: MessageIds of 5 sends and a 10-entry batch, one move task. */
async function run(seed: number | undefined): Promise<{ messageIds: string[]; taskHandle: string }> {
  const clock = new VirtualClock();
  const em = new Emulator({ clock, journal: createJournal(clock, { retain: 0 }), ...(seed === undefined ? {} : { seed }) });
  const dlq = (await em.handle("CreateQueue", { QueueName: "dlq" }, ctx)).QueueUrl as string;
  const policy = JSON.stringify({ deadLetterTargetArn: arnOf("dlq"), maxReceiveCount: 1 });
  const src = (await em.handle("CreateQueue", { QueueName: "src", Attributes: { RedrivePolicy: policy } }, ctx)).QueueUrl as string;
  const messageIds: string[] = [];
  for (let n = 0; n < 5; n++) messageIds.push((await em.handle("SendMessage", { QueueUrl: src, MessageBody: `m${n}` }, ctx)).MessageId as string);
  const batch = await em.handle("SendMessageBatch", { QueueUrl: dlq, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `b${i}` })) }, ctx);
  for (const ok of batch.Successful as { MessageId: string }[]) messageIds.push(ok.MessageId);
  const taskHandle = (await em.handle("StartMessageMoveTask", { SourceArn: arnOf("dlq") }, ctx)).TaskHandle as string;
  em.close();
  return { messageIds, taskHandle };
}

// SendMessage / SendMessageBatch API reference: MessageId is "an identifier for the message", a UUID in
// practice; StartMessageMoveTask returns a TaskHandle (base64 JSON naming the task id and source ARN).
// STYLE "Time and chance": a run with a seed replays exactly, so the ids it journals must repeat too.
describe("seeded MessageIds and move-task ids", () => {
  it("repeat exactly for the same seed and the same requests, and stay v4 UUIDs", async () => {
    const a = await run(42);
    const b = await run(42);
    expect(a).toEqual(b);
    expect(a.messageIds).toHaveLength(15);
    expect(new Set(a.messageIds).size).toBe(15);
    for (const id of a.messageIds) expect(id).toMatch(V4_UUID);
    const task = JSON.parse(Buffer.from(a.taskHandle, "base64").toString("utf8")) as { taskId: string; sourceArn: string };
    expect(task.taskId).toMatch(V4_UUID);
    expect(task.sourceArn).toBe(arnOf("dlq"));
    expect(a.messageIds).not.toContain(task.taskId);
  });

  it("differ between seeds, and are random without one", async () => {
    const [one, two] = [await run(1), await run(2)];
    expect(one.messageIds.filter((id) => two.messageIds.includes(id))).toEqual([]);
    expect(one.taskHandle).not.toBe(two.taskHandle);
    const [r1, r2] = [await run(undefined), await run(undefined)];
    expect(r1.messageIds.filter((id) => r2.messageIds.includes(id))).toEqual([]);
    for (const id of r1.messageIds) expect(id).toMatch(V4_UUID);
  });

  it("reach the wire through openEmulator's seed option; receipt handles stay random", async () => {
    const send = async () => {
      const embedded = await openEmulator({ clock: new VirtualClock(), seed: 7 });
      const url = (await embedded.emulator.handle("CreateQueue", { QueueName: "q" }, ctx)).QueueUrl as string;
      const sent = await embedded.emulator.handle("SendMessage", { QueueUrl: url, MessageBody: "x" }, ctx);
      const got = await embedded.emulator.handle("ReceiveMessage", { QueueUrl: url }, ctx);
      await embedded.close();
      const message = (got.Messages as { MessageId: string; ReceiptHandle: string }[])[0]!;
      return { id: sent.MessageId as string, received: message.MessageId, receipt: message.ReceiptHandle };
    };
    const [a, b] = [await send(), await send()];
    expect(a.id).toBe(b.id);
    expect(a.received).toBe(a.id);
    expect(a.receipt).not.toBe(b.receipt);
  });
});
