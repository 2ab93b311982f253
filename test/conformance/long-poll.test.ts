import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, createQueue, errorOf, itVirtual, receive, send, sendFifo } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Amazon SQS short and long polling": a long poll returns as soon as at least one
// message is available, without waiting to fill MaxNumberOfMessages, and returns empty when the wait
// time passes; ReceiveMessageWaitTimeSeconds is used when WaitTimeSeconds is absent.
describe("long polling", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  /** Resolves once `count` receives on the queue are parked waiting. */
  const waiting = async (queue: string, count = 1) => {
    for (let n = 1; n <= count; n++) {
      await target.journal!.waitFor("poll.waiting", () => target.journal!.records("poll.waiting").filter((r) => r.queue === queue).length >= n);
    }
    return target.journal!.records("poll.waiting").filter((r) => r.queue === queue);
  };

  // Validated `test_wait_time_seconds_waits_correctly`.
  itVirtual("returns as soon as a message is sent, without the clock moving", async () => {
    const q = await createQueue(target);
    const pending = receive(target, q.url, { WaitTimeSeconds: 20 });
    await waiting(q.name);
    const before = target.clock!.now();
    await send(target, q.url, "foobared");
    expect(bodies(await pending)).toEqual(["foobared"]);
    expect(target.clock!.now()).toBe(before);
  });

  // SQS Developer Guide, "Amazon SQS short and long polling": a message is received only by a
  // ReceiveMessage that returns it. A client that hangs up mid-poll gets nothing, so the poll must not
  // take a message it can no longer deliver (it would vanish for a whole visibility timeout).
  itVirtual("a long poll whose client hung up takes nothing sent afterwards", async () => {
    const q = await createQueue(target);
    const hangUp = new AbortController();
    const abandoned = target.client
      .send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 20 }), { abortSignal: hangUp.signal })
      .catch((err: Error) => err.name);
    await waiting(q.name);
    hangUp.abort();
    expect(await abandoned).toBe("AbortError");
    await target.journal!.waitFor("poll.abandoned", (r) => r.queue === q.name);
    await send(target, q.url, "after hang-up");
    const got = await target.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
    expect(got.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([["after hang-up", "1"]]);
  });

  // Recorded `test_receive_empty_queue`: an empty long poll has no Messages key.
  itVirtual("returns empty once the wait time has passed, and not before", async () => {
    const q = await createQueue(target);
    const pending = target.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 20 }));
    await waiting(q.name);
    await target.advance(20_000);
    const out = await pending;
    expect(out.Messages).toBeUndefined();
    // A second poll, still waiting after 19.999 s, is served by a message sent then.
    const second = receive(target, q.url, { WaitTimeSeconds: 20 });
    await waiting(q.name, 2);
    await target.advance(19_999);
    await send(target, q.url, "just in time");
    expect(bodies(await second)).toEqual(["just in time"]);
  });

  // Validated `test_wait_time_seconds_queue_attribute_waits_correctly`; LocalStack PR #6118.
  itVirtual("uses the queue's ReceiveMessageWaitTimeSeconds when WaitTimeSeconds is absent", async () => {
    const q = await createQueue(target, { attributes: { ReceiveMessageWaitTimeSeconds: "10" } });
    const pending = receive(target, q.url);
    const [record] = await waiting(q.name);
    expect(record?.waitSeconds).toBe(10);
    await send(target, q.url, "foobared");
    expect(bodies(await pending)).toEqual(["foobared"]);
    // An explicit WaitTimeSeconds=0 short-polls even on such a queue.
    expect(await receive(target, q.url, { WaitTimeSeconds: 0 })).toEqual([]);
  });

  // Validated `test_send_delay_and_wait_time`: a delayed message that becomes due wakes the poll.
  itVirtual("wakes a waiting receiver when a delayed message becomes due", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "foobar", { DelaySeconds: 5 });
    const pending = receive(target, q.url, { WaitTimeSeconds: 20 });
    await waiting(q.name);
    await target.advance(5_000);
    expect(bodies(await pending)).toEqual(["foobar"]);
  });

  // Validated `test_receive_after_visibility_timeout` (third receive, a long poll).
  itVirtual("wakes a waiting receiver when a message's visibility timeout expires", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "3" } });
    await send(target, q.url, "foobar");
    const [first] = await receive(target, q.url);
    const pending = receive(target, q.url, { WaitTimeSeconds: 20 });
    await waiting(q.name);
    await target.advance(3_000);
    const [again] = await pending;
    expect(again?.MessageId).toBe(first!.MessageId);
  });

  // Validated `test_receive_message_wait_time_seconds_and_max_number_of_messages_does_not_block`.
  it("returns what is there without waiting to fill MaxNumberOfMessages", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "foobar1");
    await send(target, q.url, "foobar2");
    const got = await receive(target, q.url, { MaxNumberOfMessages: 3, WaitTimeSeconds: 20 });
    expect(bodies(got).sort()).toEqual(["foobar1", "foobar2"]);
  });

  // Validated `test_fifo_message_group_visibility`: of three waiting receivers one gets the message, a
  // second message of the locked group reaches nobody until the first is deleted.
  itVirtual("serves waiting FIFO receivers one group message at a time", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "60" } });
    const results: string[][] = [];
    const polls = [0, 1, 2].map(() => receive(target, q.url, { WaitTimeSeconds: 10 }).then((m) => (results.push(bodies(m)), m)));
    await waiting(q.name, 3);
    await sendFifo(target, q.url, "message-1", "1");
    const first = await Promise.race(polls);
    expect(bodies(first)).toEqual(["message-1"]);
    await sendFifo(target, q.url, "message-2", "1");
    const deletedAt = target.journal!.lastSeq;
    await target.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first[0]!.ReceiptHandle }));
    const second = await target.journal!.waitFor("message.received", (r) => r.queue === q.name, { afterSeq: deletedAt });
    const deleted = target.journal!.records("message.deleted").find((r) => r.queue === q.name)!;
    expect(second.seq).toBeGreaterThan(deleted.seq);
    await target.advance(10_000);
    await Promise.all(polls);
    expect(results.map((r) => r.join()).sort()).toEqual(["", "message-1", "message-2"]);
  });

  // Recorded `test_send_receive_wait_time_seconds` (E20).
  it("refuses WaitTimeSeconds above 20", async () => {
    const q = await createQueue(target);
    const err = await errorOf(receive(target, q.url, { WaitTimeSeconds: 21 }));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
    });
  });
});
