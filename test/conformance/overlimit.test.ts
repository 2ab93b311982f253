import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { Emulator } from "../../src/emulator/index.js";
import { createJournal } from "../../src/journal/index.js";
import { LIMITS, SqsError } from "../../src/sqs/index.js";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, countsOf, createQueue, errorOf, receive, send, sendFifo, deleteMessage as deleteHandle } from "./lifecycle-helpers.js";

/** AWS's OverLimit text (query-protocol answer, HTTP 403, quoted in Cbsoftware/pressureNET-server#74). */
const OVER_LIMIT_MESSAGE =
  "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.";

// SQS developer guide, "Amazon SQS standard queue quotas", Messages per queue (in flight): about
// 120,000; "If you reach this quota while using short polling, Amazon SQS returns the OverLimit error
// message. If you use long polling, Amazon SQS returns no error messages." "Amazon SQS FIFO queue
// quotas": 120,000; "If this limit is reached, Amazon SQS does not return an error". The emulator's
// `limits` option lowers the quota so these cases need a handful of messages, not 120,000.
describe("in-flight quota (lowered to 3 through the emulator's limits option)", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget({ limits: { maxInflightStandard: 3, maxInflightFifo: 3 } });
  });
  afterAll(() => target.close());

  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);
  /** Resolves once the receive is parked in a long poll; fails at once if it answered instead. */
  const parked = (pending: Promise<unknown>, queue: string) =>
    Promise.race([
      target.journal!.waitFor("poll.waiting", (r) => r.queue === queue),
      pending.then((out) => {
        throw new Error(`answered instead of waiting: ${JSON.stringify(out)}`);
      }),
    ]);
  const sendMany = (url: string, n: number) =>
    target.client.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }),
    );

  it("standard: a receive stops at the quota, and the next short poll gets OverLimit (403)", async () => {
    const q = await createQueue(target);
    await sendMany(q.url, 5);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toHaveLength(3);
    expect(await countsOf(target, q.url)).toEqual({ visible: 2, notVisible: 3, delayed: 0 });
    expect(await errorOf(receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual({
      name: "OverLimit",
      type: "OverLimit",
      status: 403,
      message: OVER_LIMIT_MESSAGE,
    });
  });

  it("standard: deleting an in-flight message makes room for one more", async () => {
    const q = await createQueue(target);
    await sendMany(q.url, 5);
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10 });
    await deleteMessage(q.url, got[0]!.ReceiptHandle);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toHaveLength(1);
    expect((await errorOf(receive(target, q.url))).name).toBe("OverLimit");
  });

  it("standard: messages whose visibility timeout ran out no longer count", async () => {
    const q = await createQueue(target);
    await sendMany(q.url, 5);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 10 })).toHaveLength(3);
    await target.advance(11_000);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toHaveLength(3);
  });

  it("standard: a long poll at the quota gets no error, just no messages when the wait is over", async () => {
    const q = await createQueue(target);
    await sendMany(q.url, 5);
    await receive(target, q.url, { MaxNumberOfMessages: 10 });
    const pending = target.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 5 }));
    await parked(pending, q.name);
    await target.advance(5_000);
    expect((await pending).Messages).toBeUndefined();
  });

  it("standard: the queue's ReceiveMessageWaitTimeSeconds makes a receive a long poll, so no error", async () => {
    const q = await createQueue(target, { attributes: { ReceiveMessageWaitTimeSeconds: "5" } });
    await sendMany(q.url, 5);
    await receive(target, q.url, { MaxNumberOfMessages: 10 });
    const pending = receive(target, q.url);
    await parked(pending, q.name);
    await target.advance(5_000);
    expect(await pending).toEqual([]);
  });

  it("standard: a long poll waiting at the quota gets a message as soon as a delete makes room", async () => {
    const q = await createQueue(target);
    await sendMany(q.url, 4);
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10 });
    const pending = receive(target, q.url, { WaitTimeSeconds: 20 });
    await parked(pending, q.name);
    const before = target.clock!.now();
    await deleteMessage(q.url, got[0]!.ReceiptHandle);
    expect(await pending).toHaveLength(1);
    expect(target.clock!.now()).toBe(before);
  });

  it("FIFO: a receive at the quota returns fewer messages, then none, and never an error", async () => {
    const q = await createQueue(target, { fifo: true });
    for (const g of ["g1", "g2", "g3", "g4", "g5"]) await sendFifo(target, q.url, `${g}-m1`, g);
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10 });
    expect(bodies(got)).toEqual(["g1-m1", "g2-m1", "g3-m1"]);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
    await deleteMessage(q.url, got[0]!.ReceiptHandle);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["g4-m1"]);
  });

  it("a quota is per queue: another queue still delivers", async () => {
    const full = await createQueue(target);
    const other = await createQueue(target);
    await sendMany(full.url, 3);
    await receive(target, full.url, { MaxNumberOfMessages: 10 });
    await send(target, other.url, "other");
    expect(bodies(await receive(target, other.url))).toEqual(["other"]);
  });
});

// Same quota pages, at AWS's real 120,000, through the emulator core in-process (the SDK would need
// 12,000 batch sends and 12,000 receives over HTTP).
describe("in-flight quota at AWS's 120,000", () => {
  const ctx = { baseUrl: "http://127.0.0.1:4590", principal: { arn: "arn:aws:iam::000000000000:root" } };

  async function queueWithAllInFlight(fifo: boolean): Promise<{ emulator: Emulator; url: string }> {
    const clock = new VirtualClock();
    const emulator = new Emulator({ clock, journal: createJournal(clock, { retain: 0 }) });
    const name = fifo ? "full.fifo" : "full";
    const created = await emulator.handle("CreateQueue", { QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }, ctx);
    const url = created.QueueUrl as string;
    const queue = emulator.get(name)!;
    const limit = fifo ? LIMITS.maxInflightFifo : LIMITS.maxInflightStandard;
    // Every message in its own group, so a FIFO receive is limited by the quota, not by group locks.
    for (let i = 0; i <= limit; i++) queue.enqueue({ body: "x", bytes: 1, senderId: "test", groupId: fifo ? `g${i}` : undefined, dedupId: fifo ? `d${i}` : undefined });
    let taken = 0;
    while (taken < limit) taken += queue.receive(10, 600).length;
    expect(taken).toBe(limit);
    expect(queue.approximateCounts).toEqual({ visible: 1, inflight: limit, delayed: 0 });
    return { emulator, url };
  }

  it("standard: the 120,001st message is refused to a short poll with OverLimit", async () => {
    const { emulator, url } = await queueWithAllInFlight(false);
    const err = await emulator.handle("ReceiveMessage", { QueueUrl: url }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqsError);
    expect(err).toMatchObject({ code: "OverLimit", message: OVER_LIMIT_MESSAGE });
    expect((err as SqsError).spec.httpStatus).toBe(403);
  });

  it("FIFO: the 120,001st message is not returned, without an error", async () => {
    const { emulator, url } = await queueWithAllInFlight(true);
    expect(await emulator.handle("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10 }, ctx)).toEqual({});
  });
});
