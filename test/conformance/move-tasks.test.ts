import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type StartMessageMoveTaskCommandInput,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, countsOf, createQueue, errorOf, itVirtual, receive, send, type TestQueue } from "./lifecycle-helpers.js";

// StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask API reference, and the recorded
// LocalStack snapshot `test_sqs_move_task.snapshot.json` (E38–E44, F8 in the notes).
describe("message move tasks", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const start = (input: StartMessageMoveTaskCommandInput) => target.client.send(new StartMessageMoveTaskCommand(input));
  const list = async (sourceArn: string) =>
    (await target.client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }))).Results ?? [];
  const cancel = (taskHandle: string) => target.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }));

  /** A source queue whose DLQ holds `n` messages (each received once, then moved on the next attempt). */
  async function dlqWith(n: number, source?: TestQueue): Promise<{ source: TestQueue; dlq: TestQueue }> {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    const src = source ?? (await createQueue(target, { attributes: { RedrivePolicy: redrivePolicy } }));
    for (let i = 0; i < n; i++) await send(target, src.url, `message-${i}`);
    for (let i = 0; i < n * 2; i++) await receive(target, src.url, { VisibilityTimeout: 0 });
    expect((await countsOf(target, dlq.url)).visible).toBe(n);
    return { source: src, dlq };
  }

  // Recorded `test_source_needs_redrive_policy` (E38).
  it("refuses a source queue that is no queue's dead-letter queue", async () => {
    const source = await createQueue(target);
    const destination = await createQueue(target);
    const err = await errorOf(start({ SourceArn: source.arn, DestinationArn: destination.arn }));
    expect(err).toMatchObject({ name: "InvalidParameterValue", status: 400, message: "Source queue must be configured as a Dead Letter Queue." });
  });

  // Recorded `test_destination_needs_to_exist` (E39).
  it("refuses a DestinationArn that does not exist with ResourceNotFoundException", async () => {
    const { dlq } = await dlqWith(1);
    const err = await errorOf(start({ SourceArn: dlq.arn, DestinationArn: `${dlq.arn}doesntexist` }));
    expect(err).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
    });
  });

  // StartMessageMoveTask API reference, errors: ResourceNotFoundException (text not recorded).
  it("refuses a SourceArn that does not exist with ResourceNotFoundException", async () => {
    const err = await errorOf(start({ SourceArn: "arn:aws:sqs:us-east-1:000000000000:no-such-queue" }));
    expect(err).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  // Recorded `test_start_multiple_move_tasks` (E40).
  it("allows one running task per source queue", async () => {
    const { dlq } = await dlqWith(3);
    const destination = await createQueue(target);
    await start({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1 });
    const err = await errorOf(start({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1 }));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
    });
  });

  // Validated `test_basic_move_task_workflow`: the TaskHandle is base64 JSON with taskId (a UUID) and
  // sourceArn; recorded `test_move_task_with_throughput_limit` and F8 result shapes.
  itVirtual("moves at MaxNumberOfMessagesPerSecond, reporting RUNNING then COMPLETED progress", async () => {
    const { dlq } = await dlqWith(4);
    const destination = await createQueue(target);
    const { TaskHandle } = await start({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1 });
    const decoded = JSON.parse(Buffer.from(TaskHandle!, "base64").toString("utf8")) as { taskId: string; sourceArn: string };
    expect(decoded.taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(decoded.sourceArn).toBe(dlq.arn);

    await target.advance(0);
    const [running] = await list(dlq.arn);
    expect(running).toMatchObject({
      Status: "RUNNING",
      TaskHandle,
      SourceArn: dlq.arn,
      DestinationArn: destination.arn,
      MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesMoved: 1,
      ApproximateNumberOfMessagesToMove: 4,
    });
    expect(typeof running!.StartedTimestamp).toBe("number");
    await target.advance(2_000);
    expect((await list(dlq.arn))[0]).toMatchObject({ Status: "RUNNING", ApproximateNumberOfMessagesMoved: 3 });
    await target.advance(1_000);
    const [done] = await list(dlq.arn);
    expect(done).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 4, ApproximateNumberOfMessagesToMove: 4 });
    expect(done!.TaskHandle).toBeUndefined();
    expect((await countsOf(target, dlq.url)).visible).toBe(0);
    const moved = await receive(target, destination.url, { MaxNumberOfMessages: 10 });
    expect(bodies(moved).sort()).toEqual(["message-0", "message-1", "message-2", "message-3"]);
  });

  // Validated `test_move_task_workflow_with_multiple_sources_as_default_destination`: without a
  // DestinationArn every message goes back to the queue it was dead-lettered from; the result has no
  // DestinationArn and no MaxNumberOfMessagesPerSecond.
  itVirtual("moves messages back to their original source queues when no DestinationArn is given", async () => {
    const { source: first, dlq } = await dlqWith(2);
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    const second = await createQueue(target, { attributes: { RedrivePolicy: redrivePolicy } });
    for (const b of ["message-2-1", "message-2-2"]) await send(target, second.url, b);
    for (let i = 0; i < 4; i++) await receive(target, second.url, { VisibilityTimeout: 0 });
    await start({ SourceArn: dlq.arn });
    await target.advance(1_000);
    const [done] = await list(dlq.arn);
    expect(done).toMatchObject({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 4, ApproximateNumberOfMessagesToMove: 4 });
    expect(done).not.toHaveProperty("DestinationArn");
    expect(done).not.toHaveProperty("MaxNumberOfMessagesPerSecond");
    expect(bodies(await receive(target, first.url, { MaxNumberOfMessages: 10 })).sort()).toEqual(["message-0", "message-1"]);
    expect(bodies(await receive(target, second.url, { MaxNumberOfMessages: 10 })).sort()).toEqual(["message-2-1", "message-2-2"]);
  });

  // Recorded `test_move_task_cancel`: CancelMessageMoveTask answers the number moved so far; the task is
  // then CANCELLED without a TaskHandle and the rest stays in the DLQ.
  itVirtual("cancels a running task and leaves the remaining messages in the DLQ", async () => {
    const { dlq } = await dlqWith(10);
    const destination = await createQueue(target);
    const { TaskHandle } = await start({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1 });
    await target.advance(1_000);
    const out = await cancel(TaskHandle!);
    expect(out.ApproximateNumberOfMessagesMoved).toBe(2);
    await target.advance(10_000);
    const [cancelled] = await list(dlq.arn);
    expect(cancelled).toMatchObject({ Status: "CANCELLED", ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 10 });
    expect(cancelled!.TaskHandle).toBeUndefined();
    expect((await countsOf(target, dlq.url)).visible).toBe(8);
    expect((await countsOf(target, destination.url)).visible).toBe(2);
  });

  // Recorded `test_cancel_with_invalid_task_handle` (E41), `…invalid_source_arn_in_task_handle` (E42)
  // and `…invalid_task_id_in_task_handle` (E43).
  it("refuses cancelling a malformed handle, an unknown source and an unknown task", async () => {
    expect(await errorOf(cancel("foobared"))).toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: "Value for parameter TaskHandle is invalid.",
    });
    const handle = (taskId: string, sourceArn: string) => Buffer.from(JSON.stringify({ taskId, sourceArn })).toString("base64");
    const missing = "arn:aws:sqs:us-east-1:000000000000:test-queue-doesnt-exist-123456";
    expect(await errorOf(cancel(handle("10f57157-fc38-4da9-a113-4de7e12d05dd", missing)))).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
    });
    const existing = await createQueue(target);
    expect(await errorOf(cancel(handle("10f57157-fc38-4da9-a113-4de7e12d05aa", existing.arn)))).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
      message: "Task does not exist.",
    });
  });

  // Recorded `test_move_task_delete_destination_queue_while_running` (E44).
  itVirtual("fails a task whose destination queue is deleted while it runs", async () => {
    const { dlq } = await dlqWith(10);
    const destination = await createQueue(target);
    await start({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 1 });
    await target.client.send(new DeleteQueueCommand({ QueueUrl: destination.url }));
    await target.advance(2_000);
    const [failed] = await list(dlq.arn);
    expect(failed).toMatchObject({ Status: "FAILED", FailureReason: "AWS.SimpleQueueService.NonExistentQueue" });
    expect((await countsOf(target, dlq.url)).visible).toBeGreaterThan(0);
  });
});
