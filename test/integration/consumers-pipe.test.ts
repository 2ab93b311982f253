import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ConsumerConfigError,
  compilePipeOptions,
  startPipeConsumer,
  type ConsumerHandler,
  type LambdaSqsRecord,
  type PipeConsumerOptions,
  type RunningConsumer,
} from "../../src/consumers/index.js";
import { countsOf, createQueue, type TestQueue } from "../conformance/lifecycle-helpers.js";
import { consumerJournal, sendBodies, shapeProblems } from "../support/consumer-rig.js";
import { createTarget, type SqsTarget } from "../support/target.js";

/**
 * An EventBridge pipe with an SQS source against the embedded emulator, on a manual virtual clock.
 * EventBridge User Guide, "Amazon SQS as a source" (record shape, batching, "Reporting batch item
 * failures"), "Amazon EventBridge Pipes batching and concurrency" (a JSON array "even if the batch size
 * is 1"), "Event filtering in Amazon EventBridge Pipes"; Pipes API reference, PipeSourceSqsQueueParameters.
 */
describe.skipIf(Boolean(process.env.SQSRIG_CONFORMANCE_ENDPOINT))("pipe with an SQS source", () => {
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

  async function start(queue: TestQueue, handler: ConsumerHandler, extra: Partial<PipeConsumerOptions> = {}) {
    const name = target.name("pipe");
    const consumer = await startPipeConsumer({ name, client: target.client, queueUrl: queue.url, clock: target.clock!, journal: target.journal!, handler, ...extra });
    running.push(consumer);
    return { consumer, name };
  }

  it("hands the target a bare array of records in the documented shape, even for one message", async () => {
    const queue = await createQueue(target);
    const [only] = await sendBodies(target, queue.url, ["Test message."]);
    const events: unknown[] = [];
    const { name } = await start(queue, (event) => {
      events.push(event);
      return undefined;
    });
    await j.waitDeleted(name, [only!]);
    expect(events).toHaveLength(1);
    expect(Array.isArray(events[0])).toBe(true);
    const [record] = events[0] as LambdaSqsRecord[];
    expect(shapeProblems(record!, { arn: queue.arn, region: "us-east-1", fifo: false })).toEqual([]);
    expect(record).toMatchObject({ messageId: only, body: "Test message.", md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3", eventSource: "aws:sqs" });
  });

  it("FIFO records carry the FIFO attributes in the documented order", async () => {
    const queue = await createQueue(target, { fifo: true });
    const ids = await sendBodies(target, queue.url, ["f1", "f2"], () => "1");
    const seen: LambdaSqsRecord[] = [];
    const { name } = await start(queue, (records) => {
      seen.push(...(records as LambdaSqsRecord[]));
      return undefined;
    });
    await j.waitDeleted(name, ids);
    expect(seen.map((r) => r.body)).toEqual(["f1", "f2"]);
    for (const r of seen) expect(shapeProblems(r, { arn: queue.arn, region: "us-east-1", fifo: true })).toEqual([]);
    expect(seen[0]!.attributes).toMatchObject({ MessageGroupId: "1", MessageDeduplicationId: "f1" });
  });

  // "Reporting batch item failures": the same success and failure conditions as Lambda, always on.
  it("reads batchItemFailures without any setting: reported messages stay, the rest are deleted; a bad identifier fails the batch", async () => {
    const queue = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    const ids = await sendBodies(target, queue.url, ["p0", "p1", "p2"]);
    const { name } = await start(queue, (records) => ({
      batchItemFailures: (records as LambdaSqsRecord[]).filter((r) => r.body === "p1").map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const [returned] = await j.waitCount("consumer.returned", name, 1);
    expect(returned!.messageIds).toEqual([ids[1]]);
    await j.waitDeleted(name, [ids[0]!, ids[2]!]);

    const bad = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    const badIds = await sendBodies(target, bad.url, ["q0", "q1"]);
    const { name: badPipe } = await start(bad, () => ({ batchItemFailures: [{ itemIdentifier: "" }] }));
    const [all] = await j.waitCount("consumer.returned", badPipe, 1);
    expect([...all!.messageIds].sort()).toEqual([...badIds].sort());
    expect(j.mine("consumer.result", badPipe).map((r) => r.reason)).toEqual(["invalidResponse", "invalidResponse"]);
    expect(j.deletedIds(badPipe)).toEqual([]);
  });

  // "Event filtering in Amazon EventBridge Pipes"; Lambda Developer Guide, "Using event filtering with an
  // Amazon SQS event source" (JSON bodies matched by field, plain bodies by string rules; records that
  // match no filter are discarded, i.e. deleted from the queue).
  it("filters records before the target: JSON fields, numeric ranges, prefix on plain bodies; the rest is deleted unseen", async () => {
    const queue = await createQueue(target);
    const bodies = [
      JSON.stringify({ status: "paid", total: 120 }),
      JSON.stringify({ status: "paid", total: 5 }),
      JSON.stringify({ status: "pending", total: 300 }),
      "PRIORITY: call the customer",
      "routine note",
      JSON.stringify({ total: 999 }),
    ];
    const ids = await sendBodies(target, queue.url, bodies);
    const seen: string[] = [];
    const { name } = await start(
      queue,
      (records) => {
        seen.push(...(records as LambdaSqsRecord[]).map((r) => r.body));
        return undefined;
      },
      { filter: [{ body: { status: ["paid"], total: [{ numeric: [">=", 100] }] } }, { body: [{ prefix: "PRIORITY:" }] }] },
    );
    const passed = [ids[0]!, ids[3]!];
    const dropped = ids.filter((id) => !passed.includes(id));
    await j.waitDeleted(name, passed);
    const filtered = await j.waitCount("consumer.filtered", name, 1);
    expect(filtered.flatMap((r) => r.messageIds).sort()).toEqual([...dropped].sort());
    expect(seen.sort()).toEqual([bodies[0]!, bodies[3]!].sort());
    expect(j.mine("consumer.result", name).map((r) => r.messageId).sort()).toEqual([...passed].sort());
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it("a batch that every filter drops never reaches the target", async () => {
    const queue = await createQueue(target);
    const ids = await sendBodies(target, queue.url, ["a", "b"]);
    let calls = 0;
    const { name } = await start(queue, () => void calls++, { filter: { body: [{ "anything-but": ["a", "b"] }] } });
    const [filtered] = await j.waitCount("consumer.filtered", name, 1);
    expect([...filtered!.messageIds].sort()).toEqual([...ids].sort());
    expect(calls).toBe(0);
    expect(j.mine("consumer.result", name)).toEqual([]);
    expect(await countsOf(target, queue.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  // "Amazon SQS as a source": EventBridge polls "until one of these things occurs: The batch window
  // expires. The invocation payload size quota is reached. The configured maximum batch size is reached."
  it("gathers past 10 records across receives: a full batch goes at once, a partial one when its window ends", async () => {
    const full = await createQueue(target);
    const fullIds = await sendBodies(target, full.url, Array.from({ length: 25 }, (_, i) => `f${i}`));
    const sizes: number[] = [];
    const { name } = await start(full, (records) => void sizes.push((records as unknown[]).length), { batchSize: 25, maximumBatchingWindowInSeconds: 60, concurrency: 1 });
    await j.waitDeleted(name, fullIds);
    expect(sizes).toEqual([25]);

    const partial = await createQueue(target);
    const partIds = await sendBodies(target, partial.url, Array.from({ length: 12 }, (_, i) => `p${i}`));
    const { name: slow } = await start(partial, () => undefined, { batchSize: 25, maximumBatchingWindowInSeconds: 60, concurrency: 1 });
    await j.journal.waitFor("poll.waiting", (r) => r.queue === partial.name && r.waitSeconds === 20);
    await target.advance(59_999);
    expect(j.mine("consumer.batch", slow)).toEqual([]);
    await target.advance(1);
    await j.waitDeleted(slow, partIds);
    expect(j.mine("consumer.batch", slow).map((b) => b.messages.length)).toEqual([12]);
  });

  // PipeSourceSqsQueueParameters: BatchSize 1–10,000, MaximumBatchingWindowInSeconds 0–300; malformed
  // filter patterns are refused when the pipe is created.
  it("refuses options outside the documented ranges, naming them", () => {
    const base = { name: "p", client: target.client, queueUrl: "http://x/000000000000/q", clock: target.clock!, journal: target.journal!, handler: () => undefined };
    const field = (options: Partial<PipeConsumerOptions>) => {
      try {
        compilePipeOptions({ ...base, ...options });
        return undefined;
      } catch (err) {
        expect(err).toBeInstanceOf(ConsumerConfigError);
        return (err as ConsumerConfigError).field;
      }
    };
    expect(field({ batchSize: 10_000 })).toBeUndefined();
    expect(field({ batchSize: 10_001 })).toBe("batchSize");
    expect(field({ batchSize: 0 })).toBe("batchSize");
    expect(field({ maximumBatchingWindowInSeconds: 301 })).toBe("maximumBatchingWindowInSeconds");
    expect(field({ concurrency: 0 })).toBe("concurrency");
    expect(field({ filter: { body: { total: [{ numeric: [">"] }] } } })).toBe("filter.body.total[0].numeric");
    expect(field({ filter: [{ a: ["1"] }, { b: ["2"] }, { c: ["3"] }, { d: ["4"] }, { e: ["5"] }, { f: ["6"] }] })).toBe("filter");
  });
});
