// README "Programmatic use": the whole-rig example, run as written (with a queue and auth filled in), so
// the README cannot drift from what works.
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { startSqsrigServer, VirtualClock } from "../../src/index.js";

it("the README's rig example delivers a throttled event after its backoff on the virtual clock", async () => {
  const clock = new VirtualClock({ timeScale: "manual" });
  const server = await startSqsrigServer({
    port: 0,
    clock,
    engine: { lingerMs: 0 },
    faults: [{ on: "SendMessageBatch", error: "Throttling", times: 1 }],
  });
  try {
    const sqs = new SQSClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders" }));
    const auth = { mode: "ACCESS_KEYS", accessKeyId: "a", secretAccessKey: "b" };
    const event = { eventType: "order.created", occurredAt: "2026-01-01T00:00:00Z", idempotencyKey: "k1", payload: {} };
    await server.engine.destinations.put({ type: "SQS", name: "orders", region: "us-east-1", queueUrl, auth });
    await server.engine.ingest([event]);
    await server.journal.waitFor("retry.scheduled");
    await clock.advance(1_000);
    await server.engine.idle();
    expect(server.journal.records("fault.injected").map((r) => r.error)).toEqual(["Throttling"]);
    expect(server.journal.records("event.delivered")).toHaveLength(1);
    sqs.destroy();
  } finally {
    await server.close();
  }
});
