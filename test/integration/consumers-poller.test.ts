import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPoller, PollerOptionsError, type Poller, type PollerOptions } from "../../src/consumers/poller.js";
import { scriptedHandler } from "../../src/consumers/scripted.js";
import type { ConsumerHandler, LambdaSqsRecord, SqsEvent } from "../../src/consumers/types.js";
import type { JournalType, RecordOf } from "../../src/journal/index.js";
import { countsOf, createQueue, errorOf, receive, send, type TestQueue } from "../conformance/lifecycle-helpers.js";
import { createTarget, sdkClient, type SqsTarget } from "../support/target.js";

/**
 * The `poller` consumer: a ReceiveMessage / DeleteMessageBatch worker against the embedded emulator, on
 * a manual virtual clock. Time moves only by `advance`; waits are on journal records.
 */
describe.skipIf(Boolean(process.env.SQSRIG_CONFORMANCE_ENDPOINT))("poller", () => {
  let target: SqsTarget;
  const running: Poller[] = [];
  beforeAll(async () => {
    target = await createTarget();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(() => target.close());

  const journal = () => target.journal!;
  const clock = () => target.clock!;

  async function start(queue: TestQueue, handler: ConsumerHandler, extra: Partial<PollerOptions> = {}): Promise<{ poller: Poller; name: string }> {
    const name = target.name("worker");
    const poller = await startPoller({ name, client: target.client, queueUrl: queue.url, clock: clock(), journal: journal(), handler, ...extra });
    running.push(poller);
    return { poller, name };
  }

  /** Records of one type for one consumer (or queue), oldest first. */
  function mine<T extends JournalType>(type: T, owner: string): RecordOf<T>[] {
    return journal()
      .records(type)
      .filter((r) => ("consumer" in r ? r.consumer : (r as { queue?: string }).queue) === owner) as RecordOf<T>[];
  }

  /** Resolves once `count` records of `type` for `owner` exist. */
  async function waitCount<T extends JournalType>(type: T, owner: string, count: number): Promise<RecordOf<T>[]> {
    await journal().waitFor(type, () => mine(type, owner).length >= count);
    return mine(type, owner);
  }

  /** Resolves once a long poll on the queue was parked after journal position `afterSeq`. */
  const parked = (queue: TestQueue, afterSeq: number) => journal().waitFor("poll.waiting", (r) => r.queue === queue.name, { afterSeq });

  async function sendBatch(queue: TestQueue, bodies: string[], fifoGroup?: (body: string) => string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < bodies.length; i += 10) {
      const chunk = bodies.slice(i, i + 10);
      const out = await target.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((body, n) => ({
            Id: String(n),
            MessageBody: body,
            ...(fifoGroup ? { MessageGroupId: fifoGroup(body), MessageDeduplicationId: body } : {}),
          })),
        }),
      );
      expect(out.Failed ?? []).toEqual([]);
      ids.push(...chunk.map((_, n) => out.Successful!.find((s) => s.Id === String(n))!.MessageId!));
    }
    return ids;
  }

  const recording = (seen: LambdaSqsRecord[], inner?: ConsumerHandler): ConsumerHandler => {
    return async (event, context) => {
      seen.push(...(event as SqsEvent).Records);
      return inner?.(event, context);
    };
  };

  // SQS Developer Guide, "Amazon SQS short and long polling" and "Receive and delete a message": a
  // consumer receives, processes and deletes each message; a deleted message is not delivered again.
  // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": the record shape the handler sees.
  it("processes every message once, in the Lambda record shape, and leaves the queue empty", async () => {
    const queue = await createQueue(target);
    const bodies = Array.from({ length: 25 }, (_, i) => `order-${i}`);
    const ids = await sendBatch(queue, bodies);
    const seen: LambdaSqsRecord[] = [];
    const { name } = await start(queue, recording(seen), { concurrency: 3, maxMessages: 10 });

    await journal().waitFor("consumer.deleted", () => mine("consumer.deleted", name).flatMap((r) => r.messageIds).length >= 25);
    expect(seen.map((r) => r.body).sort()).toEqual([...bodies].sort());
    const results = mine("consumer.result", name);
    expect(results.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    expect(results.every((r) => r.outcome === "succeeded")).toBe(true);
    expect(mine("consumer.deleted", name).flatMap((r) => r.messageIds).sort()).toEqual([...ids].sort());
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(seen[0]).toMatchObject({
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: "us-east-1",
      attributes: { ApproximateReceiveCount: "1" },
    });
    expect(Object.keys(seen[0]!.attributes)).toEqual(["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"]);
  });

  // SQS Developer Guide, "Amazon SQS visibility timeout" (a message not deleted becomes visible again when
  // its timeout ends) and "Using dead-letter queues in Amazon SQS" (after maxReceiveCount receives it is
  // moved to the dead-letter queue; recorded `test_dead_letter_queue_message_attributes`: the count
  // continues there).
  it("a failing message comes back after the visibility timeout, then ends in the DLQ", async () => {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const queue = await createQueue(target, {
      attributes: { VisibilityTimeout: "30", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) },
    });
    const [poisonId, fineId] = await sendBatch(queue, ["poison", "fine"]);
    const { name } = await start(queue, scriptedHandler({ failIf: { bodyContains: "poison" } }, { clock: clock() }));

    const [returned] = await waitCount("consumer.returned", name, 1);
    expect(returned).toMatchObject({ messageIds: [poisonId], visibleInSeconds: 30 });
    expect(mine("consumer.result", name).map((r) => [r.messageId, r.outcome, r.reason])).toEqual([
      [poisonId, "failed", "error"],
      [fineId, "succeeded", undefined],
    ]);
    expect(mine("consumer.deleted", name).flatMap((r) => r.messageIds)).toEqual([fineId]);

    // Not before the timeout: 29.999 s later nothing was received again.
    await parked(queue, returned!.seq);
    await target.advance(29_999);
    expect(await receive(target, queue.url, { WaitTimeSeconds: 0 })).toEqual([]);
    await target.advance(1);
    const batches = await waitCount("consumer.batch", name, 2);
    expect(batches[1]!.messages).toEqual([{ messageId: poisonId, receiveCount: 2 }]);

    const [, again] = await waitCount("consumer.returned", name, 2);
    await parked(queue, again!.seq);
    await target.advance(30_000);
    const moved = await journal().waitFor("message.movedToDlq", (r) => r.queue === queue.name);
    expect(moved).toMatchObject({ messageId: poisonId, dlq: dlq.name, receiveCount: 2 });
    const [inDlq] = await receive(target, dlq.url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
    expect([inDlq?.MessageId, inDlq?.Body, inDlq?.Attributes?.ApproximateReceiveCount]).toEqual([poisonId, "poison", "3"]);
    expect(mine("consumer.batch", name)).toHaveLength(2);
  });

  // ChangeMessageVisibility API reference: the new timeout counts from the call, so a worker that keeps
  // extending holds a message past its original timeout (SQS Developer Guide, "Amazon SQS visibility
  // timeout": extend it while processing takes longer than expected).
  it("a heartbeat keeps a slow message invisible past its original timeout", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    const [id] = await sendBatch(queue, ["slow"]);
    const { name } = await start(queue, scriptedHandler({ slowMs: "70s" }, { clock: clock() }), { heartbeat: { everySeconds: 20, extendBy: 30 } });
    await waitCount("consumer.batch", name, 1);

    await target.advance(20_000);
    await waitCount("consumer.visibilityExtended", name, 1);
    await target.advance(20_000); // 40 s: past the original 30 s timeout
    await waitCount("consumer.visibilityExtended", name, 2);
    expect(await receive(target, queue.url, { WaitTimeSeconds: 0 })).toEqual([]);
    expect(await countsOf(target, queue.url)).toMatchObject({ visible: 0, notVisible: 1 });
    await target.advance(20_000);
    await waitCount("consumer.visibilityExtended", name, 3);
    await target.advance(10_000); // 70 s: the handler answers
    const [deleted] = await waitCount("consumer.deleted", name, 1);

    expect(deleted!.messageIds).toEqual([id]);
    expect(mine("consumer.visibilityExtended", name).map((r) => [r.messageId, r.visibilityTimeout])).toEqual([
      [id, 30],
      [id, 30],
      [id, 30],
    ]);
    expect(journal().records("message.received").filter((r) => r.queue === queue.name)).toHaveLength(1);
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  // SQS Developer Guide, "FIFO queue delivery logic": messages of a group are delivered in order, and
  // one receive may return several of a group. A worker that went on after a failure would process A2
  // before A1; it leaves the rest of the group to come back with the failed message instead.
  it("on FIFO, a failure stops its group for the rest of the batch while other groups flow", async () => {
    const queue = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30" } });
    const [a1, a2, b1] = await sendBatch(queue, ["A1", "A2", "B1"], (body) => body[0]!);
    const seen: LambdaSqsRecord[] = [];
    const failOnce = scriptedHandler({ failIf: (r) => r.body === "A1" && r.attributes.ApproximateReceiveCount === "1" }, { clock: clock() });
    const { name } = await start(queue, recording(seen, failOnce));

    const [returned] = await waitCount("consumer.returned", name, 1);
    expect(mine("consumer.result", name).map((r) => [r.messageId, r.outcome, r.reason])).toEqual([
      [a1, "failed", "error"],
      [a2, "failed", "fifoStop"],
      [b1, "succeeded", undefined],
    ]);
    expect(returned!.messageIds).toEqual([a1, a2]);
    await parked(queue, returned!.seq);
    await target.advance(30_000);
    await journal().waitFor("consumer.deleted", () => mine("consumer.deleted", name).flatMap((r) => r.messageIds).length === 3);
    expect(seen.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`)).toEqual(["A1#1", "B1#1", "A1#2", "A2#2"]);
  });

  // SQS Developer Guide, "Amazon SQS at-least-once delivery": consumers should be idempotent; the
  // ledger flags a second successful processing of the same idempotency key.
  it("with idempotency, results carry the key and flag a second processing as a duplicate", async () => {
    const queue = await createQueue(target);
    await sendBatch(queue, [JSON.stringify({ idempotencyKey: "k-1", n: 1 })]);
    await send(target, queue.url, JSON.stringify({ idempotencyKey: "k-1", n: 2 }));
    const { name } = await start(queue, async () => undefined, { idempotency: true, maxMessages: 1 });
    const results = await waitCount("consumer.result", name, 2);
    expect(results.map((r) => [r.idempotencyKey, r.duplicate])).toEqual([
      ["k-1", false],
      ["k-1", true],
    ]);
  });

  // ReceiveMessage API reference (WaitTimeSeconds): a long poll ends early when the client hangs up;
  // a stopped worker leaves unreceived messages where they are.
  it("stop() aborts parked long polls and takes nothing afterwards", async () => {
    const queue = await createQueue(target);
    const seq = journal().lastSeq;
    const { poller, name } = await start(queue, async () => undefined, { concurrency: 2 });
    await journal().waitFor("poll.waiting", () => journal().records("poll.waiting").filter((r) => r.queue === queue.name && r.seq > seq).length >= 2);
    await poller.stop();
    await journal().waitFor("poll.abandoned", () => journal().records("poll.abandoned").filter((r) => r.queue === queue.name).length >= 2);
    expect(mine("consumer.stopped", name)).toHaveLength(1);
    await send(target, queue.url, "after stop");
    const [m] = await receive(target, queue.url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
    expect([m?.Body, m?.Attributes?.ApproximateReceiveCount]).toEqual(["after stop", "1"]);
  });

  // ChangeMessageVisibility API reference: a timeout of 0 makes the message visible at once, so a
  // stopping worker hands back what it had not started instead of sitting on it for a whole timeout.
  it("stop() waits for the running handler and releases the messages it had not started", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "60" } });
    const [first, second] = await sendBatch(queue, ["first", "second"]);
    const { poller, name } = await start(queue, scriptedHandler({ slowMs: "10s" }, { clock: clock() }), { concurrency: 2 });
    const [batch] = await waitCount("consumer.batch", name, 1);
    expect(batch!.messages.map((m) => m.messageId)).toEqual([first, second]);
    await parked(queue, batch!.seq); // the second loop, idle

    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await journal().waitFor("poll.abandoned", (r) => r.queue === queue.name, { afterSeq: batch!.seq });
    expect(stopped).toBe(false);
    await target.advance(10_000);
    await stopping;

    expect(mine("consumer.deleted", name).flatMap((r) => r.messageIds)).toEqual([first]);
    expect(mine("consumer.returned", name)).toMatchObject([{ messageIds: [second], visibleInSeconds: 0 }]);
    const types = journal().records().filter((r) => "consumer" in r && r.consumer === name).map((r) => r.type);
    expect(types.at(-1)).toBe("consumer.stopped");
    const [m] = await receive(target, queue.url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
    expect([m?.MessageId, m?.Attributes?.ApproximateReceiveCount]).toEqual([second, "2"]);
  });

  // SQS Developer Guide, "Amazon SQS short and long polling": a short poll returns at once, empty or not,
  // so a short-polling worker must pause between empty receives (here on the run's clock).
  it("short polling idles on the clock between empty receives, and stop() cuts the pause short", async () => {
    const queue = await createQueue(target);
    const client = sdkClient(target.endpoint);
    let emptyReceives = 0;
    const waiters: { count: number; resolve: () => void }[] = [];
    const emptyCount = (count: number) => new Promise<void>((resolve) => (emptyReceives >= count ? resolve() : waiters.push({ count, resolve })));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === "ReceiveMessageCommand" && !(out.output as { Messages?: unknown[] }).Messages) {
          emptyReceives++;
          for (const w of waiters) if (emptyReceives >= w.count) w.resolve();
        }
        return out;
      },
      { step: "initialize" },
    );
    const name = target.name("worker");
    const poller = await startPoller({ name, client, queueUrl: queue.url, clock: clock(), journal: journal(), handler: async () => undefined, waitTimeSeconds: 0 });
    running.push(poller);
    await emptyCount(1);
    // A few round trips, time enough for a worker that did not pause to poll again.
    for (let n = 0; n < 3; n++) await countsOf(target, queue.url);
    const [id] = await sendBatch(queue, ["later"]);
    expect(emptyReceives).toBe(1);
    expect(mine("consumer.batch", name)).toHaveLength(0);
    await target.advance(1_000);
    const [deleted] = await waitCount("consumer.deleted", name, 1);
    expect(deleted!.messageIds).toEqual([id]);
    await emptyCount(2);
    // Drain the microtasks between the SDK's answer and the loop's pause: it now waits on a clock that
    // nobody advances.
    await new Promise((resolve) => setImmediate(resolve));
    await poller.stop();
    expect(mine("consumer.stopped", name)).toHaveLength(1);
    client.destroy();
  });

  // ReceiveMessage API reference: MaxNumberOfMessages 1–10, WaitTimeSeconds 0–20; a queue that does not
  // exist is reported at setup (recorded QueueDoesNotExist), before any message could be taken.
  it("refuses bad options and a missing queue before it starts", async () => {
    const queue = await createQueue(target);
    const options = { name: "w", client: target.client, queueUrl: queue.url, clock: clock(), journal: journal(), handler: async () => undefined };
    const bad = async (extra: Partial<PollerOptions>) => (await errorOf(startPoller({ ...options, ...extra }))).message;
    expect(await bad({ maxMessages: 11 })).toBe("maxMessages: must be an integer from 1 to 10, got 11");
    expect(await bad({ waitTimeSeconds: 21 })).toBe("waitTimeSeconds: must be an integer from 0 to 20, got 21");
    expect(await bad({ heartbeat: { everySeconds: 30, extendBy: 30 } })).toContain("heartbeat.everySeconds: must be below heartbeat.extendBy (30 ≥ 30)");
    await expect(startPoller({ ...options, concurrency: 0 })).rejects.toBeInstanceOf(PollerOptionsError);
    const missing = await errorOf(startPoller({ ...options, queueUrl: `${queue.url}-missing` }));
    expect(missing.type).toBe("QueueDoesNotExist");
    expect(journal().records("consumer.started").filter((r) => r.consumer === "w")).toHaveLength(0);
  });

  // SQS Developer Guide, "Amazon SQS visibility timeout": once it ends the message is visible to other
  // consumers; a worker still holding it would process it a second time.
  it("without a heartbeat, does not run a message whose visibility ran out while earlier ones were handled", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    await sendBatch(queue, ["slow", "late"]);
    const ran: string[] = [];
    const { name } = await start(queue, async (event) => {
      const body = (event as SqsEvent).Records[0]!.body;
      ran.push(body);
      if (body === "slow") await clock().sleep(31_000);
      return undefined;
    }, { maxMessages: 2, waitTimeSeconds: 0 });
    await waitCount("consumer.batch", name, 1);
    const batch = mine("consumer.batch", name)[0]!;
    expect(batch.messages).toHaveLength(2);
    await clock().advance(31_000);
    const returned = await waitCount("consumer.returned", name, 1);
    expect(ran).toEqual(["slow"]);
    expect(returned[0]!.visibleInSeconds).toBe(0);
  });
});
