// `sqsrig serve --backend endpoint`: POST / proxies every SQS request to another endpoint (LocalStack, another
// emulator) through the fault rules, and the engine's sends take the same faulted path (issue 5, "Attachment
// points"). The "endpoint" here is a second embedded emulator on its own port, reached over real HTTP.
// Error wire forms: SQS-FACTS "JSON errors"; pass-through answers are the target's bytes (SendMessage /
// ReceiveMessage API references). Resets: what a client of a reset TCP connection sees (ECONNRESET).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createProxyHandler } from "../../src/faults/index.js";
import { startSqsrigServer, type SqsrigServer } from "../../src/server/index.js";
import { createTarget, sdkClient, type SqsTarget } from "../support/target.js";

let target: SqsTarget;
let server: SqsrigServer;
let client: SQSClient;

beforeEach(async () => {
  target = await createTarget();
  server = await startSqsrigServer({
    port: 0,
    backend: "endpoint",
    endpoint: target.endpoint,
    engine: { lingerMs: 0, retry: { baseMs: 1, capMs: 5 } },
    onInternalError: (err) => {
      throw err;
    },
  });
  client = sdkClient(server.url);
});

afterEach(async () => {
  client.destroy();
  await server.close();
  await target.close();
});

async function putFaults(rules: unknown): Promise<{ rules: Record<string, unknown>[] }> {
  const res = await fetch(`${server.url}/api/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(rules) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { rules: Record<string, unknown>[] };
}

async function createQueue(): Promise<{ name: string; url: string }> {
  const name = target.name("px");
  const url = (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  return { name, url };
}

const enqueuedAtTarget = (queue: string) => target.journal!.records("message.enqueued").filter((r) => r.queue === queue);

describe("proxy without rules: the target endpoint answers, byte for byte", () => {
  it("creates the queue and stores the message at the target; queue URLs point back at sqsrig", async () => {
    const { name, url } = await createQueue();
    // The client's Host goes on, so the target hands out URLs on the sqsrig port (followed URLs stay faulted).
    expect(url).toBe(`${server.url}/000000000000/${name}`);
    await target.journal!.waitFor("queue.created", (r) => r.queue === name);
    expect(server.embedded.emulator.journal.records("queue.created").filter((r) => r.queue === name)).toHaveLength(0);
    const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "through the proxy" }));
    expect(enqueuedAtTarget(name).map((r) => r.messageId)).toEqual([sent.MessageId]);
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, "through the proxy"]]);
  });

  it("passes query-protocol requests and the target's errors through unchanged", async () => {
    const res = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ Action: "GetQueueUrl", QueueName: "missing-queue" }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
  });

  it("takes a long poll the client gives up on away from the target too (no poll left to swallow messages)", async () => {
    const { name, url } = await createQueue();
    const abort = new AbortController();
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }), { abortSignal: abort.signal }).catch((e: unknown) => e);
    await target.journal!.waitFor("poll.waiting", (r) => r.queue === name);
    abort.abort();
    await target.journal!.waitFor("poll.abandoned", (r) => r.queue === name);
    expect(await polling).toMatchObject({ name: "AbortError" });
  });
});

describe("proxy with rules (DESIGN Faults: error, reset, dropResponse)", () => {
  it("answers an injected Throttling to the SDK client and nothing reaches the target", async () => {
    const { name, url } = await createQueue();
    await putFaults([{ on: "SendMessage", error: "Throttling" }]);
    const err = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "refused" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
    expect(enqueuedAtTarget(name)).toHaveLength(0);
    expect(server.journal.records("fault.injected")).toEqual([expect.objectContaining({ action: "SendMessage", queue: name, effect: "error", error: "Throttling" })]);
  });

  it("throttles requests over a token bucket's rate through the proxy with ThrottlingException", async () => {
    const name = target.name("px") + ".fifo";
    const url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }))).QueueUrl!;
    // The server runs on the real clock: a bucket of 2 that refills 2 per hour cannot refill during the
    // test, so two pass and the third is throttled ("aws" mode's 300/s is covered on a virtual clock in
    // test/unit/faults-throttle.test.ts).
    const set = await putFaults([{ on: "SendMessage", throttle: { rate: 2 / 3600, burst: 2 } }]);
    expect(set.rules[0]!.throttle).toEqual({ rate: 2 / 3600, burst: 2, error: "ThrottlingException" });
    for (const body of ["a", "b"]) await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: "g" }));
    const err = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "c", MessageGroupId: "g" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    expect(enqueuedAtTarget(name)).toHaveLength(2);
  });

  it("resets the client's connection before the target sees the request", async () => {
    const { name, url } = await createQueue();
    await putFaults([{ on: "SendMessage", reset: true }]);
    const err = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "never sent" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ECONNRESET" });
    expect(enqueuedAtTarget(name)).toHaveLength(0);
  });

  it("drops the answer after the target stored the message: the client sees a reset", async () => {
    const { name, url } = await createQueue();
    await putFaults([{ on: "SendMessage", dropResponse: true }]);
    const err = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "stored anyway" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ECONNRESET" });
    expect(enqueuedAtTarget(name)).toHaveLength(1);
  });

  it("sends the engine's batches through the same rules to the target", async () => {
    const { name, url } = await createQueue();
    const put = await fetch(`${server.url}/v1/destinations/orders`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "SQS",
        queueUrl: url,
        region: "us-east-1",
        auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
      }),
    });
    expect(put.status, await put.clone().text()).toBe(201);
    await putFaults([{ on: "SendMessageBatch", error: "ServiceUnavailable", times: 1 }]);
    const res = await fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventType: "order.completed", occurredAt: "2026-05-26T14:21:08.493Z", customerExternalId: "acct_1", idempotencyKey: "k-1", payload: { n: 1 } }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    await server.engine.idle();
    expect(server.journal.records("fault.injected")).toEqual([expect.objectContaining({ action: "SendMessageBatch", queue: name, error: "ServiceUnavailable" })]);
    expect(enqueuedAtTarget(name)).toHaveLength(1);
  });
});

describe("createProxyHandler", () => {
  it("fails like a broken connection when the target cannot be reached", async () => {
    const closed = await createTarget();
    const endpoint = closed.endpoint;
    await closed.close();
    const proxy = createProxyHandler(endpoint);
    const err = await proxy({ url: "/", headers: { "x-amz-target": "AmazonSQS.ListQueues", "content-type": "application/x-amz-json-1.0" }, body: Buffer.from("{}") }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "ECONNREFUSED" });
    proxy.close();
  });
});
