import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, createQueue, itVirtual, receive, sendFifo, deleteMessage as deleteHandle, changeVisibility as changeHandle } from "./lifecycle-helpers.js";

// SQS Developer Guide, "FIFO queue delivery logic": while messages of a group are in flight, no later
// message of that group is returned; a second receiver gets other groups or nothing.
describe("FIFO: a message group is locked while its messages are in flight", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);
  const changeVisibility = (url: string, handle: string | undefined, seconds: number) => changeHandle(target, url, handle, seconds);

  // Validated `test_fifo_message_group_visibility`: one in-flight message holds back the rest of its group.
  it("gives a second receiver nothing while the only group is in flight, and the next message after delete", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "message-1", "1");
    await sendFifo(target, q.url, "message-2", "1");
    const [first] = await receive(target, q.url);
    expect(first?.Body).toBe("message-1");
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
    await deleteMessage(q.url, first!.ReceiptHandle);
    expect(bodies(await receive(target, q.url))).toEqual(["message-2"]);
  });

  // Validated `test_fifo_message_group_visibility_after_partial_delete`.
  it("gives a second receiver only the other groups while one group still has a message in flight", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "g1-m1", "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    await sendFifo(target, q.url, "g1-m2", "group-1");
    await sendFifo(target, q.url, "g2-m2", "group-2");
    await sendFifo(target, q.url, "g1-m3", "group-1");
    await sendFifo(target, q.url, "g1-m4", "group-1");
    await sendFifo(target, q.url, "g3-m1", "group-3");
    const got = await receive(target, q.url, { MaxNumberOfMessages: 2 });
    expect(bodies(got)).toEqual(["g1-m1", "g1-m2"]);
    await deleteMessage(q.url, got[0]!.ReceiptHandle);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["g2-m1", "g2-m2", "g3-m1"]);
  });

  // Validated `test_fifo_message_group_visibility_after_terminate_visibility_timeout`: making the head
  // visible again unlocks it although a later message of the group is still in flight.
  it("delivers a group's head again once its visibility is set to 0, while the later message stays out", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30" } });
    await sendFifo(target, q.url, "g1-m1", "group-1");
    await sendFifo(target, q.url, "g1-m2", "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    const got = await receive(target, q.url, { MaxNumberOfMessages: 2 });
    expect(bodies(got)).toEqual(["g1-m1", "g1-m2"]);
    await changeVisibility(q.url, got[0]!.ReceiptHandle, 0);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 3 }))).toEqual(["g2-m1", "g1-m1"]);
  });

  // Validated `test_fifo_message_group_visibility_after_change_message_visibility`.
  itVirtual("delivers a group's head after its shortened timeout while the later message keeps its own", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30" } });
    await sendFifo(target, q.url, "g1-m1", "group-1");
    await sendFifo(target, q.url, "g1-m2", "group-1");
    await sendFifo(target, q.url, "g2-m1", "group-2");
    const got = await receive(target, q.url, { MaxNumberOfMessages: 2 });
    await changeVisibility(q.url, got[0]!.ReceiptHandle, 1);
    await target.advance(2_000);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 3 }))).toEqual(["g2-m1", "g1-m1"]);
  });

  // Recorded `test_fifo_group_visibility_extends_with_change_message_visibility[0|1|2-visible]`
  // (19-11-2025; LocalStack PR #13386 fixing #12457): extending one message of a received batch hides
  // it and every later message of its group; the earlier ones come back when the original timeout ends.
  for (const position of [0, 1, 2]) {
    itVirtual(`keeps message ${position} of a batch and everything after it hidden when only it is extended`, async () => {
      const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "1" } });
      for (const b of ["foo", "bar", "baz"]) await sendFifo(target, q.url, b, "1");
      const got = await receive(target, q.url, { MaxNumberOfMessages: 5 });
      expect(bodies(got)).toEqual(["foo", "bar", "baz"]);
      await changeVisibility(q.url, got[position]!.ReceiptHandle, 4);
      await target.advance(2_500);
      const again = await receive(target, q.url, { MaxNumberOfMessages: 5 });
      expect(bodies(again)).toEqual(["foo", "bar", "baz"].slice(0, position));
    });
  }

  // Validated `test_fifo_approximate_number_of_messages_not_visible`: successive single receives each take
  // the oldest message of the next unlocked group, and locked groups give nothing more.
  it("returns the oldest message of each unlocked group to successive single receives", async () => {
    const q = await createQueue(target, { fifo: true });
    for (const [body, group] of [["m1", "1"], ["m2", "1"], ["m3", "2"], ["m4", "2"], ["m5", "3"], ["m6", "3"]]) {
      await sendFifo(target, q.url, body!, group!);
    }
    const a = await receive(target, q.url, { MessageSystemAttributeNames: ["MessageGroupId"] });
    const b = await receive(target, q.url, { MessageSystemAttributeNames: ["MessageGroupId"] });
    expect(a[0]?.Attributes?.MessageGroupId).toBe("1");
    expect(b[0]?.Attributes?.MessageGroupId).toBe("2");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["m5", "m6"]);
  });

  // Validated `test_fifo_empty_message_groups_added_back_to_queue` (LocalStack #10107): a group whose
  // messages were all deleted accepts and delivers new messages.
  it("keeps delivering a group after all its earlier messages were deleted", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "Message 1", "g1", "1");
    const [m] = await receive(target, q.url);
    await deleteMessage(q.url, m!.ReceiptHandle);
    expect(await receive(target, q.url)).toEqual([]);
    await sendFifo(target, q.url, "Message 2", "g1", "2");
    expect(bodies(await receive(target, q.url))).toEqual(["Message 2"]);
  });
});
