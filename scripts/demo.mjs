// The example run: the whole sqsrig pipeline in one process, on the real clock, over real HTTP.
// `startSqsrigServer` (embedded emulator + delivery engine + fault rules) takes 31 order events for three
// customers on POST /v1/events (one a repeat of an earlier idempotencyKey), delivers them to a FIFO
// queue through two throttled batches and one partly failed batch, and a Lambda event source mapping
// consumes them with one poison order that must end in the queue's DLQ. Then it checks, from the
// journal and the SDK, the guarantees the pipeline gives. Exit 0 when every guarantee held, 1 otherwise.
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { startSqsrigServer, startLambdaConsumer, scriptedHandler } from "../dist/index.js";

const started = Date.now();
const customers = ["cust-1", "cust-2", "cust-3"];
const POISON = "order-29"; // cust-3's last order: nothing of its group is behind it, so only it reaches the DLQ
const faults = [
  { name: "burst", on: "SendMessageBatch", error: "Throttling", times: 2 },
  { name: "one-entry", on: "SendMessageBatch", match: { group: "cust-2" }, partial: { senderFault: false }, times: 1 },
];
const server = await startSqsrigServer({ port: 0, faults, seed: 1 });
const { engine, journal, clock } = server;
console.log(`sqsrig serve: ${server.url} (embedded emulator, engine, ${faults.length} fault rules)`);
const sqs = new SQSClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "demo", secretAccessKey: "demo" } });
const checks = [];
const check = (name, ok, detail) => {
  checks.push(ok);
  console.log(`${ok ? "✓" : "✗"} ${name}${detail ? ` — ${detail}` : ""}`);
};
let consumer;

try {
  // 1. The queue (with a DLQ after 3 receives, 2 s visibility so the poison gets there in seconds) and
  //    the engine's destination for it.
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "orders-dlq.fifo", Attributes: { FifoQueue: "true" } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({
    QueueName: "orders.fifo",
    Attributes: {
      FifoQueue: "true",
      VisibilityTimeout: "2",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes.QueueArn, maxReceiveCount: 3 }),
    },
  }));
  const saved = await engine.destinations.put({
    type: "SQS", name: "orders", region: "us-east-1", queueUrl: QueueUrl,
    auth: { mode: "ACCESS_KEYS", accessKeyId: "demo", secretAccessKey: "demo" },
  });
  if (!saved.ok) throw new Error(`destination refused: ${JSON.stringify(saved.errors)}`);

  // 2. Ingest over HTTP: 30 orders, then order-0 again (a producer retrying) in a second request.
  const event = (n) => ({
    eventType: "order.created", occurredAt: new Date(Date.UTC(2026, 10, 23, 10, 0, n)).toISOString(),
    customerExternalId: customers[n % 3], idempotencyKey: `order-${n}`,
    payload: { orderId: n, ...(`order-${n}` === POISON ? { poison: true } : {}) },
  });
  const post = async (body) => {
    const res = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const report = await res.json();
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(report)}`);
    return report.accepted;
  };
  const accepted = (await post(Array.from({ length: 30 }, (_, n) => event(n)))) + (await post(event(0)));
  await engine.idle();
  console.log(`POST /v1/events: ${accepted} accepted (30 orders for 3 customers, then order-0 again); engine idle`);

  // 3. A Lambda mapping on the queue; the function fails the poison order every time and says so in
  //    batchItemFailures. The wrapper notes what it handled successfully, in order.
  const consumed = new Map(customers.map((c) => [c, []]));
  const scripted = scriptedHandler({ failIf: (r) => JSON.parse(r.body).payload.poison === true, returnFailures: true }, { clock });
  const handler = async (event, context) => {
    const result = await scripted(event, context);
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    for (const r of event.Records) {
      if (!failed.has(r.messageId)) consumed.get(r.attributes.MessageGroupId).push(JSON.parse(r.body).idempotencyKey);
    }
    return result;
  };
  consumer = await startLambdaConsumer({
    name: "orders-fn", client: sqs, queueUrl: QueueUrl, clock, journal, handler,
    batchSize: 10, reportBatchItemFailures: true, functionTimeoutSeconds: 2,
  });

  // 4. Wait, on the journal, until the 29 good orders are deleted and the poison moved to the DLQ.
  const deleted = () => journal.records("consumer.deleted").reduce((n, r) => n + r.messageIds.length, 0);
  const settled = () => deleted() >= 29 && journal.records("message.movedToDlq").length > 0;
  await new Promise((resolve) => {
    const timer = clock.setTimeout(finish, 15_000);
    const off = journal.subscribe(() => settled() && finish());
    function finish() {
      timer.cancel();
      off();
      resolve();
    }
    if (settled()) finish();
  });
  await consumer.stop();
  console.log(`consumer orders-fn: ${deleted()} messages deleted, ${journal.records("consumer.batch").length} invocations\n`);

  // Guarantees. Event ids → idempotency keys and groups, from the engine's own records.
  const keyOf = new Map(journal.records("event.accepted").map((r) => [r.eventId, r.idempotencyKey]));
  const groupOf = (key) => customers[Number(key.slice("order-".length)) % 3];
  const injected = journal.records("fault.injected");
  const throttled = injected.filter((r) => r.error === "Throttling");
  const throttleRetries = journal.records("retry.scheduled").filter((r) => r.code === "Throttling");
  const delivered = journal.records("event.delivered");
  const keysDelivered = new Set(delivered.map((r) => keyOf.get(r.eventId)));
  check("throttled batches were retried and delivered", throttled.length === 2 && throttleRetries.length > 0 && keysDelivered.size === 30,
    `${throttled.length} × Throttling injected, ${throttleRetries.length} entry retries scheduled, ${keysDelivered.size}/30 orders enqueued`);

  const partial = injected.find((r) => r.effect === "partial");
  // Entries SQS answered in Failed[] (not the whole throttled requests).
  const failedEntries = journal.records("entry.result").filter((r) => !r.ok && r.failure?.kind === "entry");
  const partKeys = [...new Set(failedEntries.map((r) => keyOf.get(r.eventId)))];
  const partGroup = partKeys.length > 0 ? groupOf(partKeys[0]) : undefined;
  // Held: SQS numbered the group's orders in their ingestion order, retried one included.
  const seqs = delivered.filter((r) => r.groupId === partGroup)
    .map((r) => ({ n: Number(keyOf.get(r.eventId).slice(6)), seq: BigInt(r.sequenceNumber) }))
    .filter((d, i, all) => all.findIndex((x) => x.n === d.n) === i)
    .sort((a, b) => a.n - b.n);
  const held = seqs.every((d, i) => i === 0 || d.seq > seqs[i - 1].seq);
  const retriedOk = partKeys.length > 0 && partKeys.every((k) => delivered.some((r) => keyOf.get(r.eventId) === k && r.attempts > 1));
  check(`the partly failed entry was retried and ${partGroup ?? "its customer"}'s order held`, Boolean(partial) && retriedOk && held,
    partial
      ? `${partKeys.join(", ")} failed (${failedEntries[0]?.failure?.code}, SenderFault ${partial.senderFault}), delivered on attempt ` +
        `${delivered.find((r) => keyOf.get(r.eventId) === partKeys[0])?.attempts}; its ${seqs.length} orders enqueued in ingestion order`
      : "no partial failure injected");

  for (const c of customers) {
    const got = consumed.get(c).map((k) => Number(k.slice(6)));
    const want = Array.from({ length: 30 }, (_, n) => n).filter((n) => n % 3 === customers.indexOf(c) && `order-${n}` !== POISON);
    check(`${c}: orders consumed in ingestion order`, JSON.stringify(got) === JSON.stringify(want), got.join(","));
  }

  const all = [...consumed.values()].flat();
  const dedup = journal.records("message.dedupHit").filter((r) => r.dedupId === "order-0");
  check("every order consumed exactly once (the repeated order-0 deduplicated by SQS)",
    all.length === 29 && new Set(all).size === 29 && dedup.length === 1, `${all.length} consumed, ${new Set(all).size} distinct, ${dedup.length} message.dedupHit for order-0`);

  const moved = journal.records("message.movedToDlq");
  const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }));
  const poison = dead.Messages ?? [];
  check("the poison order is in the DLQ after maxReceiveCount receives",
    moved.length === 1 && moved[0].receiveCount === 3 && poison.length === 1 && JSON.parse(poison[0].Body).idempotencyKey === POISON,
    poison[0] ? `${POISON}, ${moved[0]?.receiveCount} receives, from ${poison[0].Attributes.DeadLetterQueueSourceArn}` : "DLQ empty");

  const engineDlq = engine.dlq.list();
  check("the engine's own DLQ is empty (nothing given up on)", engineDlq.length === 0, `${engineDlq.length} entries`);
} finally {
  await consumer?.stop();
  sqs.destroy();
  await server.close();
}
const failed = checks.filter((ok) => !ok).length;
console.log(`\n${checks.length - failed} guarantees held, ${failed} broken (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = failed ? 1 : 0;
