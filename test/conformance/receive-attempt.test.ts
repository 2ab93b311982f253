import { type Message } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, createQueue, errorOf, itVirtual, receive, send, sendFifo, deleteMessage as deleteHandle, changeVisibility as changeHandle } from "./lifecycle-helpers.js";

const ids = (messages: Message[]) => messages.map((m) => m.MessageId);
const handles = (messages: Message[]) => messages.map((m) => m.ReceiptHandle);

// ReceiveMessage API reference, ReceiveRequestAttemptId: a retry with the same id within 5 minutes
// returns "the same messages and receipt handles" and "resets the visibility timeout", as long as none
// of the messages was "modified (deleted or had their visibility changes)"; the id works "only for 5
// minutes after a ReceiveMessage action"; it "applies only to FIFO queues"; at most 128 alphanumeric
// or punctuation characters. SQS developer guide, "Using the Amazon SQS receive request attempt ID".
describe("ReceiveRequestAttemptId", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);
  const changeVisibility = (url: string, handle: string | undefined, seconds: number) => changeHandle(target, url, handle, seconds);

  it("a retry with the same id returns the same messages and receipt handles; other receivers get nothing", async () => {
    const q = await createQueue(target, { fifo: true });
    for (const b of ["m1", "m2", "m3"]) await sendFifo(target, q.url, b, "g1");
    const first = await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "attempt-1" });
    expect(bodies(first)).toEqual(["m1", "m2", "m3"]);
    const retry = await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "attempt-1" });
    expect(ids(retry)).toEqual(ids(first));
    expect(handles(retry)).toEqual(handles(first));
    expect(bodies(retry)).toEqual(["m1", "m2", "m3"]);
    // The group stays locked for everyone else: without the id, or with another one, nothing comes back.
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "attempt-2" })).toEqual([]);
    // The replayed handles are live: deleting by them frees the group.
    for (const m of retry) await deleteMessage(q.url, m.ReceiptHandle);
    await sendFifo(target, q.url, "m4", "g1");
    expect(bodies(await receive(target, q.url))).toEqual(["m4"]);
  });

  itVirtual("a retry that long-polls is answered at once from the remembered receive", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "m1", "g1");
    const first = await receive(target, q.url, { ReceiveRequestAttemptId: "lp" });
    const before = target.clock!.now();
    // With the group locked, an ordinary long poll would wait 20 virtual seconds, which never pass here.
    const retry = await receive(target, q.url, { ReceiveRequestAttemptId: "lp", WaitTimeSeconds: 20 });
    expect(handles(retry)).toEqual(handles(first));
    expect(target.clock!.now()).toBe(before);
  });

  itVirtual("a retry within the window restarts the visibility timeout", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "m1", "g1");
    await receive(target, q.url, { VisibilityTimeout: 60, ReceiveRequestAttemptId: "reset" });
    await target.advance(50_000);
    expect(bodies(await receive(target, q.url, { VisibilityTimeout: 60, ReceiveRequestAttemptId: "reset" }))).toEqual(["m1"]);
    // 70 s after the first receive, 20 s after the retry: without the reset it would be visible again.
    await target.advance(20_000);
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(41_000); // 61 s after the retry
    expect(bodies(await receive(target, q.url))).toEqual(["m1"]);
  });

  itVirtual("the id replays just before 5 minutes have passed since the receive", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "m1", "g1");
    const first = await receive(target, q.url, { VisibilityTimeout: 900, ReceiveRequestAttemptId: "window" });
    await target.advance(5 * 60_000 - 1_000);
    expect(handles(await receive(target, q.url, { ReceiveRequestAttemptId: "window" }))).toEqual(handles(first));
  });

  // After the window the retry is an ordinary receive (the doc names no error for it): the group of the
  // first receive is still in flight, so it gets the other group's message, with a fresh handle.
  itVirtual("after 5 minutes the id no longer replays: the retry is an ordinary receive", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "g1");
    const first = await receive(target, q.url, { VisibilityTimeout: 900, ReceiveRequestAttemptId: "late" });
    expect(bodies(first)).toEqual(["g1-m1"]);
    await sendFifo(target, q.url, "g2-m1", "g2");
    await target.advance(5 * 60_000 + 1_000);
    const retry = await receive(target, q.url, { ReceiveRequestAttemptId: "late" });
    expect(bodies(retry)).toEqual(["g2-m1"]);
    expect(retry[0]!.ReceiptHandle).not.toBe(first[0]!.ReceiptHandle);
  });

  it("once a message of the set is deleted, the retry is an ordinary receive", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "g1");
    await sendFifo(target, q.url, "g1-m2", "g1");
    const first = await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "del" });
    expect(bodies(first)).toEqual(["g1-m1", "g1-m2"]);
    await deleteMessage(q.url, first[0]!.ReceiptHandle);
    // A replay would return both again; g1-m2 is still in flight, so an ordinary receive gets nothing.
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "del" })).toEqual([]);
    await sendFifo(target, q.url, "g2-m1", "g2");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "del" }))).toEqual(["g2-m1"]);
  });

  it("once a message of the set had its visibility changed, the retry is an ordinary receive", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "g1");
    await sendFifo(target, q.url, "g1-m2", "g1");
    const first = await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "cmv" });
    await changeVisibility(q.url, first[0]!.ReceiptHandle, 0);
    // The head is visible again (recorded `test_fifo_group_visibility_extends_with_change_message_visibility`):
    // an ordinary receive returns it alone, under a new handle.
    const retry = await receive(target, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: "cmv" });
    expect(bodies(retry)).toEqual(["g1-m1"]);
    expect(retry[0]!.ReceiptHandle).not.toBe(first[0]!.ReceiptHandle);
  });

  // The same handles are promised "during a visibility timeout"; once it ran out the messages are
  // visible again and the retry receives them anew.
  itVirtual("once the visibility timeout ran out, the retry receives the messages under new handles", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "m1", "g1");
    const first = await receive(target, q.url, { VisibilityTimeout: 30, ReceiveRequestAttemptId: "expired" });
    await target.advance(31_000);
    const retry = await receive(target, q.url, { VisibilityTimeout: 30, ReceiveRequestAttemptId: "expired" });
    expect(ids(retry)).toEqual(ids(first));
    expect(retry[0]!.ReceiptHandle).not.toBe(first[0]!.ReceiptHandle);
  });

  it("an attempt that received nothing is not remembered: its retry takes what has arrived since", async () => {
    const q = await createQueue(target, { fifo: true });
    expect(await receive(target, q.url, { ReceiveRequestAttemptId: "empty" })).toEqual([]);
    await sendFifo(target, q.url, "m1", "g1");
    expect(bodies(await receive(target, q.url, { ReceiveRequestAttemptId: "empty" }))).toEqual(["m1"]);
  });

  it("accepts 128 alphanumeric and punctuation characters and refuses 129 or a space", async () => {
    const q = await createQueue(target, { fifo: true });
    const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    const ok = (punctuation + "a".repeat(128)).slice(0, 128);
    expect(await receive(target, q.url, { ReceiveRequestAttemptId: ok })).toEqual([]);
    for (const bad of ["a".repeat(129), "attempt 1", ""]) {
      expect(await errorOf(receive(target, q.url, { ReceiveRequestAttemptId: bad }))).toEqual({
        name: "InvalidParameterValue",
        type: "InvalidParameterValueException",
        status: 400,
        message: `Value ${bad} for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      });
    }
  });

  it("a standard queue ignores the id: a retry receives anew, and an invalid id is no error", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "a");
    await send(target, q.url, "b");
    const first = await receive(target, q.url, { ReceiveRequestAttemptId: "std" });
    const retry = await receive(target, q.url, { ReceiveRequestAttemptId: "std" });
    expect([...bodies(first), ...bodies(retry)].sort()).toEqual(["a", "b"]);
    expect(await receive(target, q.url, { ReceiveRequestAttemptId: "not valid ".repeat(20) })).toEqual([]);
  });
});
