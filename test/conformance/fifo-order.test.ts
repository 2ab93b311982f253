import { DeleteMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, countsOf, createQueue, itVirtual, receive, sendFifo } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Amazon SQS FIFO queues" / "Message ordering": messages of one message group are
// delivered strictly in the order sent; the groups themselves have no promised order.
describe("FIFO: order within a message group", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  // Validated LocalStack test `test_fifo_queue_send_multiple_messages_multiple_single_receives`.
  it("returns one group's messages in send order across single receives", async () => {
    const q = await createQueue(target, { fifo: true });
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await sendFifo(target, q.url, `message${i}`, "g"));
    for (let i = 0; i < 4; i++) {
      const [m] = await receive(target, q.url);
      expect(m?.Body).toBe(`message${i}`);
      expect(m?.MessageId).toBe(sent[i]!.MessageId);
      await target.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m!.ReceiptHandle }));
    }
  });

  // Validated `test_fifo_receive_message_group_id_ordering`: one receive returns as many messages of one
  // group as it can, in order, before another group's message, even when the sends were interleaved.
  it("returns several messages of one group in one receive, in order, before the next group", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    await sendFifo(target, q.url, "g1-m2", "group-1");
    await sendFifo(target, q.url, "g1-m3", "group-1");
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10 });
    expect(bodies(got)).toEqual(["g1-m1", "g1-m2", "g1-m3", "g2-m1"]);
  });

  // Validated `test_fifo_receive_message_with_zero_visibility_timeout`: the exact AWS ordering after a
  // VisibilityTimeout=0 receive puts the untouched group first, then the returned groups in turn.
  it("orders groups after a VisibilityTimeout=0 receive exactly as AWS does", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    await sendFifo(target, q.url, "g2-m2", "group-2");
    await sendFifo(target, q.url, "g3-m1", "group-3");
    await sendFifo(target, q.url, "g1-m2", "group-1");
    const first = await receive(target, q.url, { MaxNumberOfMessages: 3, VisibilityTimeout: 0 });
    expect(bodies(first)).toEqual(["g1-m1", "g1-m2", "g2-m1"]);
    const all = await receive(target, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    expect(bodies(all)).toEqual(["g3-m1", "g1-m1", "g1-m2", "g2-m1", "g2-m2"]);
  });

  // Validated `test_fifo_messages_in_order_after_timeout` and
  // `test_fifo_receive_message_visibility_timeout_shared_in_group` (AWS ordering of the final drain).
  itVirtual("returns a group's messages in order again after their visibility timeout expires", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "1" } });
    for (const b of ["g1-m1", "g1-m2", "g1-m3", "g1-m4"]) await sendFifo(target, q.url, b, "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    await sendFifo(target, q.url, "g3-m1", "group-3");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 2 }))).toEqual(["g1-m1", "g1-m2"]);
    // The whole of group 1 waits for its in-flight head, so the next receive moves to group 2.
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 1 }))).toEqual(["g2-m1"]);
    await target.advance(1_000);
    const all = await receive(target, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    expect(bodies(all)).toEqual(["g3-m1", "g1-m1", "g1-m2", "g1-m3", "g1-m4", "g2-m1"]);
  });

  // Validated `test_fifo_approx_number_of_messages`: received messages leave ApproximateNumberOfMessages,
  // and the locked remainder of a group still counts as visible.
  it("counts a locked group's waiting messages as visible and its received ones as not visible", async () => {
    const q = await createQueue(target, { fifo: true });
    for (const b of ["g1-m1", "g1-m2", "g1-m3"]) await sendFifo(target, q.url, b, "1");
    await sendFifo(target, q.url, "g2-m1", "2");
    await sendFifo(target, q.url, "g2-m2", "2");
    await sendFifo(target, q.url, "g3-m1", "3");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 4 }))).toEqual(["g1-m1", "g1-m2", "g1-m3", "g2-m1"]);
    expect(await countsOf(target, q.url)).toEqual({ visible: 2, notVisible: 4, delayed: 0 });
  });

  // SQS Developer Guide, "FIFO queue delivery logic": many consumers may receive concurrently; each group
  // is processed in order and every message is delivered exactly once when each one is deleted.
  it("keeps every group strictly in order and delivers each message once to 8 concurrent receivers", async () => {
    const q = await createQueue(target, { fifo: true });
    const groups = 20;
    const perGroup = 25;
    for (let n = 0; n < perGroup; n++) {
      for (let g = 0; g < groups; g++) await sendFifo(target, q.url, `g${g}-m${n}`, `g${g}`);
    }
    const seen = new Map<string, number[]>();
    let total = 0;
    const loop = async (): Promise<void> => {
      for (let idle = 0; idle < 3 && total < groups * perGroup; ) {
        const got = await receive(target, q.url, { MaxNumberOfMessages: 10 });
        if (got.length === 0) {
          idle++;
          continue;
        }
        idle = 0;
        for (const m of got) {
          const [g, n] = m.Body!.split("-");
          const list = seen.get(g!) ?? [];
          list.push(Number(n!.slice(1)));
          seen.set(g!, list);
          total++;
          await target.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, loop));
    expect(total).toBe(groups * perGroup);
    expect(seen.size).toBe(groups);
    const expected = Array.from({ length: perGroup }, (_, i) => i);
    for (const list of seen.values()) expect(list).toEqual(expected);
  });
});
