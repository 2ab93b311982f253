import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { countsOf, createQueue, errorOf, itVirtual, receive, send, sendFifo, deleteMessage as deleteHandle, changeVisibility as changeHandle } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Amazon SQS visibility timeout", and the ChangeMessageVisibility API reference.
describe("visibility timeout", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const changeVisibility = (url: string, handle: string | undefined, seconds: number) => changeHandle(target, url, handle, seconds);
  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);
  const receiveCount = (url: string) => receive(target, url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });

  // Validated `test_receive_after_visibility_timeout`: hidden for VisibilityTimeout, then back with a new
  // receipt handle and ApproximateReceiveCount + 1.
  itVirtual("hides a received message for the queue's VisibilityTimeout, then returns it with the count + 1", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "10" } });
    await send(target, q.url, "foobar");
    const [first] = await receiveCount(q.url);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(await countsOf(target, q.url)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    await target.advance(9_999);
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(1);
    const [second] = await receiveCount(q.url);
    expect(second?.MessageId).toBe(first!.MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(second?.ReceiptHandle).not.toBe(first!.ReceiptHandle);
  });

  // ReceiveMessage API reference, VisibilityTimeout: the request's value overrides the queue's.
  itVirtual("uses the VisibilityTimeout of the receive request over the queue's", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    await send(target, q.url, "m");
    await receive(target, q.url, { VisibilityTimeout: 3 });
    await target.advance(3_000);
    expect((await receive(target, q.url)).length).toBe(1);
  });

  // Validated `test_receive_terminate_visibility_timeout`: VisibilityTimeout=0 leaves the message visible.
  it("makes a message receivable again at once when received with VisibilityTimeout=0", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "foobar");
    const [a] = await receive(target, q.url, { VisibilityTimeout: 0 });
    const [b] = await receive(target, q.url);
    expect(b?.MessageId).toBe(a!.MessageId);
    expect(b?.ReceiptHandle).not.toBe(a!.ReceiptHandle);
    expect(await receive(target, q.url)).toEqual([]);
  });

  // ChangeMessageVisibility API reference: the new timeout counts from the time of the call.
  itVirtual("extends the visibility of an in-flight message", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    await send(target, q.url, "m");
    const [m] = await receive(target, q.url);
    await target.advance(20_000);
    await changeVisibility(q.url, m!.ReceiptHandle, 60);
    await target.advance(59_999);
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(1);
    expect((await receive(target, q.url))[0]?.MessageId).toBe(m!.MessageId);
  });

  itVirtual("shortens the visibility of an in-flight message", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "300" } });
    await send(target, q.url, "m");
    const [m] = await receive(target, q.url);
    await changeVisibility(q.url, m!.ReceiptHandle, 5);
    await target.advance(5_000);
    expect((await receive(target, q.url))[0]?.MessageId).toBe(m!.MessageId);
  });

  // Validated `test_change_message_visibility_not_permanent`.
  it("makes a message visible at once with ChangeMessageVisibility 0", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "test");
    const [m] = await receive(target, q.url);
    await changeVisibility(q.url, m!.ReceiptHandle, 0);
    expect((await receive(target, q.url))[0]?.MessageId).toBe(m!.MessageId);
    expect(await receive(target, q.url)).toEqual([]);
  });

  // Validated `test_terminate_visibility_timeout_after_receive`: a handle from an earlier receive still
  // changes the visibility of the message now in flight.
  it("acts on the in-flight message through a handle from an earlier receive", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "test");
    const [first] = await receive(target, q.url, { VisibilityTimeout: 0 });
    expect((await receive(target, q.url, { VisibilityTimeout: 3 })).length).toBe(1);
    await changeVisibility(q.url, first!.ReceiptHandle, 0);
    expect((await receive(target, q.url)).length).toBe(1);
  });

  // Recorded `test_change_message_visibility_after_visibility_timeout_expiration` (04/2024): HTTP 200 and
  // an empty result for a message no longer in flight; the MessageNotInflight error is never returned.
  itVirtual("answers 200 to ChangeMessageVisibility on a message whose timeout has expired", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "1" } });
    await send(target, q.url, "test");
    const [m] = await receive(target, q.url);
    await target.advance(2_000);
    const out = await changeVisibility(q.url, m!.ReceiptHandle, 2);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  // Validated `test_change_visibility_on_deleted_message_raises_invalid_parameter_value` (exact text).
  it("refuses ChangeMessageVisibility on a deleted message with InvalidParameterValue", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "foo");
    const [m] = await receive(target, q.url);
    await changeVisibility(q.url, m!.ReceiptHandle, 42);
    await deleteMessage(q.url, m!.ReceiptHandle);
    const err = await errorOf(changeVisibility(q.url, m!.ReceiptHandle, 42));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    });
  });

  // Validated `test_invalid_receipt_handle_should_return_error_message`.
  it("refuses a malformed receipt handle with ReceiptHandleIsInvalid", async () => {
    const q = await createQueue(target);
    const err = await errorOf(changeVisibility(q.url, "INVALID", 60));
    expect(err.name).toBe("ReceiptHandleIsInvalid");
  });

  // SQS Developer Guide, "Visibility timeout": at most 12 hours from the receive; SQS does not clip a
  // longer request to what is left but refuses it (text not recorded; moto-style wording).
  itVirtual("refuses a visibility that would end more than 12 hours after the receive", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "m");
    const [m] = await receive(target, q.url);
    await changeVisibility(q.url, m!.ReceiptHandle, 43_200);
    await target.advance(3_600_000);
    const err = await errorOf(changeVisibility(q.url, m!.ReceiptHandle, 43_200));
    expect(err).toMatchObject({ name: "InvalidParameterValue", status: 400 });
    await changeVisibility(q.url, m!.ReceiptHandle, 39_600);
  });
});

// DeleteMessage API reference and the recorded receipt-handle behaviour in the notes (E21, V1, V4).
describe("deleting with old receipt handles", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);
  const changeVisibility = (url: string, handle: string | undefined, seconds: number) => changeHandle(target, url, handle, seconds);

  // DeleteMessage API reference: "you must provide the most recently received ReceiptHandle for the
  // message (otherwise, the request succeeds, but the message will not be deleted)".
  itVirtual("succeeds without deleting when the handle is from an earlier receive", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "5" } });
    await send(target, q.url, "m");
    const [first] = await receive(target, q.url);
    await target.advance(5_000);
    const [second] = await receive(target, q.url);
    expect(second?.MessageId).toBe(first!.MessageId);
    const out = await deleteMessage(q.url, first!.ReceiptHandle);
    expect(out.$metadata.httpStatusCode).toBe(200);
    await target.advance(5_000);
    expect((await receive(target, q.url))[0]?.MessageId).toBe(first!.MessageId);
  });

  // Validated `test_remove_message_with_old_receipt_handle` and recorded `test_delete_after_visibility_timeout`:
  // on a standard queue the latest handle still deletes after its visibility timeout ran out.
  itVirtual("deletes with the latest handle after the visibility timeout expired (standard queue)", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "test");
    const [m] = await receive(target, q.url, { VisibilityTimeout: 1 });
    await target.advance(2_000);
    await deleteMessage(q.url, m!.ReceiptHandle);
    expect(await countsOf(target, q.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(await receive(target, q.url)).toEqual([]);
  });

  // Recorded `test_fifo_delete_after_visibility_timeout` (E21, 28-03-2025).
  itVirtual("refuses an expired handle on a FIFO queue: the receipt handle has expired", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "1" } });
    await sendFifo(target, q.url, "foobar", "1");
    const [m] = await receive(target, q.url);
    await target.advance(1_000);
    const err = await errorOf(deleteMessage(q.url, m!.ReceiptHandle));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      type: "InvalidParameterValueException",
      status: 400,
      message: `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    });
    expect((await countsOf(target, q.url)).visible).toBe(1);
  });

  // Recorded `test_fifo_delete_after_visibility_timeout_extended` (10/2025).
  itVirtual("deletes from a FIFO queue with a handle whose visibility was extended", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "1" } });
    await sendFifo(target, q.url, "foobar", "1");
    const [m] = await receive(target, q.url);
    await changeVisibility(q.url, m!.ReceiptHandle, 5);
    await target.advance(1_500);
    await deleteMessage(q.url, m!.ReceiptHandle);
    await target.advance(5_000);
    expect(await receive(target, q.url)).toEqual([]);
  });

  // Validated `test_delete_message_with_deleted_receipt_handle`.
  it("accepts the same handle three times", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "foo");
    const [m] = await receive(target, q.url);
    for (let i = 0; i < 3; i++) expect((await deleteMessage(q.url, m!.ReceiptHandle)).$metadata.httpStatusCode).toBe(200);
  });

  // Validated `test_delete_message_with_illegal_receipt_handle` (exact code and message).
  it("refuses a garbage handle with ReceiptHandleIsInvalid", async () => {
    const q = await createQueue(target);
    const err = await errorOf(deleteMessage(q.url, "garbage"));
    expect(err).toMatchObject({ name: "ReceiptHandleIsInvalid", message: 'The input receipt handle "garbage" is not a valid receipt handle.' });
  });
});
