import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ConsumerConfigError,
  compileLambdaOptions,
  startLambdaConsumer,
  type ConsumerHandler,
  type LambdaConsumerOptions,
  type LambdaSqsRecord,
  type RunningConsumer,
  type SqsEvent,
} from "../../src/consumers/index.js";
import { countsOf, createQueue, receive, send, type TestQueue } from "../conformance/lifecycle-helpers.js";
import { consumerJournal, sendBodies, sendEntries, shapeProblems } from "../support/consumer-rig.js";
import { createTarget, type SqsTarget } from "../support/target.js";

/**
 * The Lambda SQS event source mapping against the embedded emulator, on a manual virtual clock: time
 * moves only by `advance`, waits are on journal records. AWS Lambda Developer Guide, "Using Lambda with
 * Amazon SQS" (polling, batching, scaling, FIFO) and "Handling errors for an SQS event source in
 * Lambda" (partial batch responses); SQS Developer Guide, "Using dead-letter queues".
 */
describe.skipIf(Boolean(process.env.SQSRIG_CONFORMANCE_ENDPOINT))("lambda event source mapping", () => {
  let target: SqsTarget;
  let j: ReturnType<typeof consumerJournal>;
  const running: RunningConsumer[] = [];
  beforeAll(async () => {
    target = await createTarget();
    j = consumerJournal(target);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(() => target.close());

  async function start(queue: TestQueue, handler: ConsumerHandler, extra: Partial<LambdaConsumerOptions> = {}) {
    const name = target.name("fn");
    const consumer = await startLambdaConsumer({ name, client: target.client, queueUrl: queue.url, clock: target.clock!, journal: target.journal!, handler, ...extra });
    running.push(consumer);
    return { consumer, name };
  }
  const recordsOf = (event: unknown) => (event as SqsEvent).Records;
  const redrive = (dlq: TestQueue, maxReceiveCount: number) => JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount });

  // Developer guide, Scaling and processing: "Lambda sorts the messages into groups and sends only one
  // batch at a time for a group. If your function returns an error, the function attempts all retries on
  // the affected messages before Lambda receives additional messages from the same group."
  it("FIFO: a failing message holds back the rest of its group while another group flows; after maxReceiveCount it is in the DLQ and its group continues", async () => {
    const dlq = await createQueue(target, { fifo: true, prefix: "dlq" });
    const queue = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30", RedrivePolicy: redrive(dlq, 2) } });
    const [a1, a2, a3, b1, b2, b3] = await sendBodies(target, queue.url, ["A1", "A2", "A3", "B1", "B2", "B3"], (b) => b[0]!);
    const seen: string[] = [];
    const handler: ConsumerHandler = (event) => {
      const records = recordsOf(event);
      seen.push(...records.map((r) => r.body));
      if (records.some((r) => r.body === "A1")) throw new Error("A1 cannot be processed");
      return undefined;
    };
    const { name } = await start(queue, handler, { batchSize: 1, maximumConcurrency: 2 });
    const group = (g: string) => seen.filter((b) => b.startsWith(g));

    await j.waitDeleted(name, [b1!, b2!, b3!]);
    const [first] = await j.waitCount("consumer.returned", name, 1);
    expect(first).toMatchObject({ messageIds: [a1], visibleInSeconds: 30 });
    expect(group("B")).toEqual(["B1", "B2", "B3"]);
    // A1 is in flight, so SQS delivers nothing more of group A: A2 and A3 wait.
    expect(group("A")).toEqual(["A1"]);

    await target.advance(30_000);
    await j.waitCount("consumer.returned", name, 2);
    expect(group("A")).toEqual(["A1", "A1"]);
    expect(j.mine("consumer.result", name).filter((r) => r.messageId === a1).map((r) => [r.outcome, r.reason])).toEqual([
      ["failed", "error"],
      ["failed", "error"],
    ]);

    // The receive after the second failure moves A1 to the DLQ (maxReceiveCount 2) and A continues.
    await target.advance(30_000);
    await j.waitDeleted(name, [a2!, a3!]);
    expect(group("A")).toEqual(["A1", "A1", "A2", "A3"]);
    expect(j.journal.records("message.movedToDlq").filter((r) => r.queue === queue.name)).toMatchObject([{ messageId: a1, dlq: dlq.name, receiveCount: 2 }]);
    const inDlq = await receive(target, dlq.url, { MaxNumberOfMessages: 10 });
    expect(inDlq.map((m) => [m.MessageId, m.Body])).toEqual([[a1, "A1"]]);
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  // Developer guide, "Implementing partial batch responses", Note: with a FIFO queue "your function
  // should stop processing messages after the first failure and return all failed and unprocessed
  // messages in batchItemFailures". The mapping itself deletes whatever is not reported
  // (aws/aws-dotnet-messaging#174), so a function that reports only the failed one loses group order.
  it("FIFO partial failure: reporting only the failed message lets its group's later messages be deleted, as on AWS; fifoStopOnFailure holds them back", async () => {
    for (const fifoStopOnFailure of [false, true]) {
      const queue = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30" } });
      const [a1, b1, a2, b2] = await sendBodies(target, queue.url, ["A1", "B1", "A2", "B2"], (b) => b[0]!);
      const seenA: string[] = [];
      const handler: ConsumerHandler = (event) => {
        const records = recordsOf(event);
        seenA.push(...records.filter((r) => r.body.startsWith("A")).map((r) => r.body));
        const firstTry = records.find((r) => r.body === "A1" && r.attributes.ApproximateReceiveCount === "1");
        return { batchItemFailures: firstTry ? [{ itemIdentifier: firstTry.messageId }] : [] };
      };
      const { name } = await start(queue, handler, { reportBatchItemFailures: true, fifoStopOnFailure });
      const [returned] = await j.waitCount("consumer.returned", name, 1);
      const results = Object.fromEntries(j.mine("consumer.result", name).map((r) => [r.messageId, r.reason ?? r.outcome]));
      expect(j.deletedIds(name).sort()).toEqual((fifoStopOnFailure ? [b1, b2] : [b1, a2, b2]).sort());
      expect(returned!.messageIds).toEqual(fifoStopOnFailure ? [a1, a2] : [a1]);
      expect(results).toEqual({ [a1!]: "reported", [b1!]: "succeeded", [a2!]: fifoStopOnFailure ? "fifoStop" : "succeeded", [b2!]: "succeeded" });

      await target.advance(30_000);
      await j.waitDeleted(name, [a1!, a2!]);
      // Without the stop, A2 was processed (and deleted) before A1 ever succeeded.
      expect(seenA).toEqual(fifoStopOnFailure ? ["A1", "A2", "A1", "A2"] : ["A1", "A2", "A1"]);
    }
  });

  type Respond = (ids: string[]) => unknown;
  const reportIds = (...ids: (string | undefined)[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });
  const cases: { rule: string; respond: Respond; failed: number[] | "all"; reason?: string; report?: boolean }[] = [
    { rule: "an empty batchItemFailures list is a complete success", respond: () => ({ batchItemFailures: [] }), failed: [] },
    { rule: "a null batchItemFailures list is a complete success", respond: () => ({ batchItemFailures: null }), failed: [] },
    { rule: "an empty EventResponse ({}) is a complete success", respond: () => ({}), failed: [] },
    { rule: "a null EventResponse is a complete success", respond: () => null, failed: [] },
    { rule: "reported message ids fail alone", respond: (ids) => reportIds(ids[1], ids[3]), failed: [1, 3], reason: "reported" },
    { rule: "an invalid JSON response fails the whole batch", respond: () => ({ batchItemFailures: [{ itemIdentifier: 1n }] }), failed: "all", reason: "invalidResponse" },
    { rule: "an empty string itemIdentifier fails the whole batch", respond: (ids) => reportIds(ids[1], ""), failed: "all", reason: "invalidResponse" },
    { rule: "a null itemIdentifier fails the whole batch", respond: (ids) => ({ batchItemFailures: [{ itemIdentifier: ids[1] }, { itemIdentifier: null }] }), failed: "all", reason: "invalidResponse" },
    { rule: "an itemIdentifier with a bad key name fails the whole batch", respond: (ids) => ({ batchItemFailures: [{ ItemIdentifier: ids[1] }] }), failed: "all", reason: "invalidResponse" },
    { rule: "an itemIdentifier that is no message of the batch fails the whole batch", respond: (ids) => reportIds(ids[1], "00000000-0000-4000-8000-000000000000"), failed: "all", reason: "invalidResponse" },
    { rule: "a thrown error fails the whole batch", respond: () => { throw new Error("handler blew up"); }, failed: "all", reason: "error" },
    { rule: "without ReportBatchItemFailures a returned failure list is ignored: complete success", respond: (ids) => reportIds(ids[1]), failed: [], report: false },
  ];

  // Developer guide, "Implementing partial batch responses" → "Success and failure conditions": one
  // case per listed condition, end to end (the messages deleted, the ones left in flight).
  it.each(cases)("partial batch response: $rule", async (c) => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    const ids = await sendBodies(target, queue.url, ["m0", "m1", "m2", "m3", "m4"]);
    const { name } = await start(queue, (event) => c.respond(recordsOf(event).map((r) => r.messageId)), { reportBatchItemFailures: c.report ?? true });
    const failed = c.failed === "all" ? ids : c.failed.map((i) => ids[i]!);
    const succeeded = ids.filter((id) => !failed.includes(id));
    if (failed.length > 0) await j.waitCount("consumer.returned", name, 1);
    if (succeeded.length > 0) await j.waitDeleted(name, succeeded);

    const [batch] = j.mine("consumer.batch", name);
    expect(batch!.messages.map((m) => m.messageId).sort()).toEqual([...ids].sort());
    const results = j.mine("consumer.result", name);
    expect(results.filter((r) => r.outcome === "failed").map((r) => r.messageId).sort()).toEqual([...failed].sort());
    expect(results.filter((r) => r.outcome === "failed").every((r) => r.reason === c.reason)).toBe(true);
    expect(j.deletedIds(name).sort()).toEqual([...succeeded].sort());
    expect(j.mine("consumer.returned", name).flatMap((r) => r.messageIds).sort()).toEqual([...failed].sort());
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: failed.length, delayed: 0 });
  });

  // Developer guide: "When your function returns an error, Lambda leaves it in the queue. After the
  // visibility timeout occurs, Lambda receives the message again"; SQS Developer Guide, "Amazon SQS
  // visibility timeout".
  it("failed messages come back after the queue's visibility timeout with their receive count raised", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "45" } });
    const [m0, m1] = await sendBodies(target, queue.url, ["m0", "m1"]);
    const { name } = await start(queue, (event) => reportIds(...recordsOf(event).filter((r) => r.body === "m1" && r.attributes.ApproximateReceiveCount === "1").map((r) => r.messageId)), {
      reportBatchItemFailures: true,
    });
    const [returned] = await j.waitCount("consumer.returned", name, 1);
    expect(returned).toMatchObject({ messageIds: [m1], visibleInSeconds: 45 });
    expect(j.deletedIds(name)).toEqual([m0]);
    await target.advance(44_999);
    expect(j.mine("consumer.batch", name)).toHaveLength(1);
    await target.advance(1);
    const batches = await j.waitCount("consumer.batch", name, 2);
    expect(batches[1]!.messages).toEqual([{ messageId: m1, receiveCount: 2 }]);
    await j.waitDeleted(name, [m1!]);
  });

  // Developer guide, "Configuring a queue as an event source": batch size up to 10,000 (standard), "Lambda
  // passes all of the records in the batch to the function in a single call, as long as the total size of
  // the events doesn't exceed the invocation payload size quota for synchronous invocation (6 MB)"; ESM
  // ScalingConfig.MaximumConcurrency limits concurrent invocations (ScalingConfig API reference).
  it("20,000 messages with maximumConcurrency 5 and batchSize 10: each processed at least once, every record in the exact Lambda shape", async () => {
    // An emulator of its own: this run's 100,000 journal records would slow every later journal scan.
    const target = await createTarget();
    try {
      await twentyThousand(target);
    } finally {
      await Promise.all(running.splice(0).map((c) => c.stop()));
      await target.close();
    }
  }, 120_000);

  async function twentyThousand(target: SqsTarget): Promise<void> {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "300" } });
    const total = 20_000;
    const entries: Omit<SendMessageBatchRequestEntry, "Id">[] = Array.from({ length: total }, (_, i) => {
      const attributes: NonNullable<SendMessageBatchRequestEntry["MessageAttributes"]> = {};
      if (i % 3 === 0) Object.assign(attributes, { n: { DataType: "Number", StringValue: String(i) }, kind: { DataType: "String", StringValue: "load" } });
      if (i % 7 === 0) attributes.blob = { DataType: "Binary", BinaryValue: Buffer.from([i % 256, 1, 2]) };
      return { MessageBody: i % 2 ? JSON.stringify({ n: i }) : `message ${i}`, ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}) };
    });
    const sent = await sendEntries(target, queue.url, entries, 8);
    const seen = new Set<string>();
    const problems: string[] = [];
    let active = 0;
    let maxActive = 0;
    let largestBatch = 0;
    const expectShape = { arn: queue.arn, region: "us-east-1", fifo: false };
    const handler: ConsumerHandler = async (event) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const records: LambdaSqsRecord[] = recordsOf(event);
      largestBatch = Math.max(largestBatch, records.length);
      if (Object.keys(event as object).join() !== "Records") problems.push(`event keys ${Object.keys(event as object).join()}`);
      for (const r of records) {
        seen.add(r.messageId);
        if (problems.length < 20) problems.push(...shapeProblems(r, expectShape));
      }
      // Yield to the event loop so invocations overlap and the concurrency limit is exercised.
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return undefined;
    };
    const deleted = new Set<string>();
    let allDeleted!: () => void;
    const done = new Promise<void>((resolve) => (allDeleted = resolve));
    const name = target.name("fn");
    const unsubscribe = target.journal!.subscribe((r) => {
      if (r.type !== "consumer.deleted" || r.consumer !== name) return;
      for (const id of r.messageIds) deleted.add(id);
      if (deleted.size === total) allDeleted();
    });
    try {
      const consumer = await startLambdaConsumer({ name, client: target.client, queueUrl: queue.url, clock: target.clock!, journal: target.journal!, handler, maximumConcurrency: 5, batchSize: 10 });
      running.push(consumer);
      await done;
    } finally {
      unsubscribe();
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBe(total);
    expect([...sent].every((id) => seen.has(id) && deleted.has(id))).toBe(true);
    expect(maxActive).toBeLessThanOrEqual(5);
    expect(largestBatch).toBeLessThanOrEqual(10);
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  }

  // Developer guide, Batch window: "Lambda continues to poll messages from the SQS standard queue until the
  // batch window expires, the invocation payload size quota is reached, or the configured maximum batch
  // size is reached."
  it("a batching window holds the batch until it ends; the 6 MB payload quota splits a batch", async () => {
    const windowed = await createQueue(target, { attributes: { VisibilityTimeout: "60" } });
    await sendBodies(target, windowed.url, Array.from({ length: 15 }, (_, i) => `w${i}`));
    const { name } = await start(windowed, () => undefined, { batchSize: 25, maximumBatchingWindowInSeconds: 5 });
    const received = await j.journal.waitFor("message.received", () => j.mine("message.received", windowed.name).length >= 15);
    // The two pollers holding the 10 and the 5 (up to 10 a receive) wait out the 5 s left of their window.
    await j.journal.waitFor("poll.waiting", () => j.mine("poll.waiting", windowed.name).filter((r) => r.waitSeconds === 5).length >= 2);
    expect(j.mine("consumer.batch", name)).toEqual([]);
    await target.advance(5_000);
    await j.waitDeleted(name, j.mine("message.received", windowed.name).map((r) => r.messageId));
    const batches = j.mine("consumer.batch", name);
    expect(batches.reduce((n, b) => n + b.messages.length, 0)).toBe(15);
    // Each batch is invoked when its window (opened by its first message) ends, not before.
    for (const b of batches) expect(b.t).toBe(received.t + 5_000);

    const big = await createQueue(target);
    const body = "x".repeat(1_048_576);
    const ids: string[] = [];
    // One at a time: seven 1 MiB messages are more than a SendMessageBatch may carry.
    for (let i = 0; i < 7; i++) ids.push((await send(target, big.url, `${i}${body.slice(1)}`)).MessageId!);
    const sizes: number[] = [];
    const { name: splitter } = await start(big, (event) => {
      sizes.push(Buffer.byteLength(JSON.stringify(event)));
      return undefined;
    });
    await j.waitDeleted(splitter, ids);
    expect(j.mine("consumer.batch", splitter).map((b) => b.messages.length)).toEqual([5, 2]);
    expect(sizes).toHaveLength(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
  });

  // Developer guide, Batch window note: "If your batch window is greater than 0, and (batch window) +
  // (function timeout) > (queue visibility timeout), then your effective queue visibility timeout is
  // (batch window) + (function timeout) + 30s."
  it("with a batch window, receives extend the visibility timeout to window + function timeout + 30 s when the queue's is shorter", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    await sendBodies(target, queue.url, ["v0"]);
    await start(queue, () => undefined, { maximumBatchingWindowInSeconds: 20, functionTimeoutSeconds: 15 });
    const got = await j.journal.waitFor("message.received", (r) => r.queue === queue.name);
    expect(got.visibleAt - got.t).toBe((20 + 15 + 30) * 1000);
  });

  // Lambda Developer Guide, "Configure Lambda function timeout": an invocation that runs past its timeout
  // fails ("Task timed out after N seconds"), so the whole batch returns to the queue.
  it("an invocation past the function timeout fails its whole batch", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "60" } });
    const [slow] = await sendBodies(target, queue.url, ["slow"]);
    const { name } = await start(queue, () => target.clock!.sleep(10_000), { functionTimeoutSeconds: 3 });
    await j.waitCount("consumer.batch", name, 1);
    await target.advance(2_999);
    expect(j.mine("consumer.result", name)).toEqual([]);
    await target.advance(1);
    const [result] = await j.waitCount("consumer.result", name, 1);
    expect(result).toMatchObject({ messageId: slow, outcome: "failed", reason: "error", error: "Error: Task timed out after 3.00 seconds" });
    await j.waitCount("consumer.returned", name, 1);
  });

  // CreateEventSourceMapping API reference (BatchSize 1–10,000, FIFO max 10; MaximumBatchingWindowInSeconds
  // 0–300, "when you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to
  // at least 1"); ScalingConfig API reference (MaximumConcurrency 2–1000); developer guide, Batch window
  // "applies only to standard queues".
  it("refuses what CreateEventSourceMapping refuses, naming the option", async () => {
    const base = { name: "fn", client: target.client, queueUrl: "http://x/000000000000/q", clock: target.clock!, journal: target.journal!, handler: () => undefined };
    const refused = (options: Partial<LambdaConsumerOptions>, fifo: boolean) => {
      try {
        compileLambdaOptions({ ...base, ...options }, { fifo });
        return undefined;
      } catch (err) {
        expect(err).toBeInstanceOf(ConsumerConfigError);
        return (err as ConsumerConfigError).field;
      }
    };
    expect(refused({ batchSize: 0 }, false)).toBe("batchSize");
    expect(refused({ batchSize: 10_001, maximumBatchingWindowInSeconds: 1 }, false)).toBe("batchSize");
    expect(refused({ batchSize: 11 }, false)).toBe("batchSize");
    expect(refused({ batchSize: 11, maximumBatchingWindowInSeconds: 1 }, false)).toBeUndefined();
    expect(refused({ batchSize: 10_000, maximumBatchingWindowInSeconds: 300 }, false)).toBeUndefined();
    expect(refused({ batchSize: 11, maximumBatchingWindowInSeconds: 1 }, true)).toBe("batchSize");
    expect(refused({ maximumBatchingWindowInSeconds: 1 }, true)).toBe("maximumBatchingWindowInSeconds");
    expect(refused({ maximumBatchingWindowInSeconds: 301 }, false)).toBe("maximumBatchingWindowInSeconds");
    expect(refused({ maximumConcurrency: 1 }, false)).toBe("maximumConcurrency");
    expect(refused({ maximumConcurrency: 1001 }, false)).toBe("maximumConcurrency");
    expect(refused({ maximumConcurrency: 2 }, false)).toBeUndefined();
    expect(refused({ functionTimeoutSeconds: 901 }, false)).toBe("functionTimeoutSeconds");
    expect(refused({ filter: { body: { status: [] } } }, false)).toBe("filter.body.status");
    expect(refused({ handler: "index.handler" as never }, false)).toBe("handler");

    // A FIFO queue is refused a batch above 10 before anything is received from it.
    const fifo = await createQueue(target, { fifo: true });
    await expect(startLambdaConsumer({ ...base, queueUrl: fifo.url, batchSize: 20, maximumBatchingWindowInSeconds: 0 })).rejects.toMatchObject({ field: "batchSize" });
    expect(j.journal.records("message.received").filter((r) => r.queue === fifo.name)).toEqual([]);
    // A queue that does not exist fails the start, saying which.
    const missing = fifo.url.replace(fifo.name, "no-such-queue");
    await expect(startLambdaConsumer({ ...base, queueUrl: missing })).rejects.toThrow(`Cannot read the source queue ${missing}: QueueDoesNotExist`);
  });
});
