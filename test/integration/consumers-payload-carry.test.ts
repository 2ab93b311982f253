// Lambda's 6 MB invocation payload quota (Lambda Developer Guide, "Lambda quotas": 6 MB synchronous
// payload) splits large batches; what does not fit waits for the poller's next invocation. FIFO order must
// survive a failure of the first part (Lambda Developer Guide, "Using Lambda with Amazon SQS": FIFO
// "messages in the same message group are processed in order"), and no invocation may exceed 6 MB.
// CreateEventSourceMapping refuses a queue visibility timeout below the function timeout.
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsumerConfigError, startLambdaConsumer, type RunningConsumer, type SqsEvent } from "../../src/consumers/index.js";
import { createQueue } from "../conformance/lifecycle-helpers.js";
import { consumerJournal } from "../support/consumer-rig.js";
import { createTarget, type SqsTarget } from "../support/target.js";

describe.skipIf(Boolean(process.env.SQSRIG_CONFORMANCE_ENDPOINT))("lambda payload carry-over", () => {
  let target: SqsTarget;
  let j: ReturnType<typeof consumerJournal>;
  beforeAll(async () => {
    target = await createTarget();
    j = consumerJournal(target);
  });
  afterAll(() => target.close());
  const big = "x".repeat(1_000_000);

  it("a failed first part sends the held rest of its FIFO group back too, so nothing later overtakes it", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { VisibilityTimeout: "30" } });
    for (let i = 1; i <= 10; i++) {
      await target.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `A${i}:${big}`, MessageGroupId: "A", MessageDeduplicationId: `A${i}` }));
    }
    const seen: string[][] = [];
    let consumer: RunningConsumer | undefined;
    try {
      consumer = await startLambdaConsumer({
        name: "carry-fifo",
        client: target.client,
        queueUrl: q.url,
        clock: target.clock!,
        journal: target.journal!,
        batchSize: 10,
        maximumConcurrency: 2,
        handler: (event) => {
          seen.push((event as SqsEvent).Records.map((r) => r.body.split(":")[0]!));
          if (seen.length === 1) throw new Error("first invocation fails");
          return undefined;
        },
      });
      await j.waitCount("consumer.returned", "carry-fifo", 2);
      expect(seen).toHaveLength(1);
      expect(j.deletedIds("carry-fifo")).toEqual([]);
      // After the visibility timeout the group comes back in order, and is processed in order.
      await target.advance(31_000);
      await j.waitCount("consumer.deleted", "carry-fifo", 2);
      const processed = seen.slice(1).flat();
      expect(processed.slice(0, 6)).toEqual(["A1", "A2", "A3", "A4", "A5", "A6"]);
    } finally {
      await consumer?.stop();
    }
  });

  it("never invokes with more than 6 MB, even from messages held over", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "300" } });
    for (let i = 1; i <= 12; i++) await target.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `m${i}:${big}` }));
    const sizes: number[] = [];
    let consumer: RunningConsumer | undefined;
    try {
      consumer = await startLambdaConsumer({
        name: "carry-size",
        client: target.client,
        queueUrl: q.url,
        clock: target.clock!,
        journal: target.journal!,
        batchSize: 20,
        maximumBatchingWindowInSeconds: 1,
        maximumConcurrency: 2,
        handler: (event) => {
          sizes.push(Buffer.byteLength(JSON.stringify(event)));
          return undefined;
        },
      });
      // The first batch closes when the next message would pass 6 MB; the held rest and the last two then
      // wait for their 1 s window on the clock, with both pollers parked in long polls.
      await j.waitCount("consumer.deleted", "carry-size", 1);
      const parked = () => target.journal!.records("poll.waiting").filter((r) => r.queue === q.name).length;
      await target.journal!.waitFor("poll.waiting", () => parked() >= 2);
      await target.advance(1_000);
      await target.journal!.waitFor("consumer.deleted", () => j.deletedIds("carry-size").length >= 12);
      expect(j.deletedIds("carry-size")).toHaveLength(12);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(6 * 1024 * 1024);
    } finally {
      await consumer?.stop();
    }
  });

  it("refuses a queue whose visibility timeout is shorter than the function timeout, with AWS's words", async () => {
    const q = await createQueue(target, { attributes: { VisibilityTimeout: "30" } });
    const start = startLambdaConsumer({ name: "vis", client: target.client, queueUrl: q.url, clock: target.clock!, journal: target.journal!, functionTimeoutSeconds: 60, handler: () => undefined });
    await expect(start).rejects.toBeInstanceOf(ConsumerConfigError);
    await expect(start).rejects.toThrow("Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");
  });
});
