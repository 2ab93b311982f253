// The example run: starts `sqsrig emulator`, then drives it with the AWS SDK v3 the way an app would —
// a FIFO queue with a DLQ, three customers' orders, two competing consumers, a duplicate send and a
// poison message — and checks the guarantees SQS gives. Exit 0 when every guarantee held, 1 otherwise.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SQSClient, CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand,
  ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand,
} from "@aws-sdk/client-sqs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const proc = spawn(process.execPath, [join(root, "bin/sqsrig.js"), "emulator", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  proc.stdout.on("data", (d) => {
    const m = /sqsrig ready (\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  });
  proc.once("exit", (code) => reject(new Error(`sqsrig emulator exited with ${code}`)));
});
console.log(`emulator: ${url}`);
const sqs = new SQSClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "demo", secretAccessKey: "demo" } });
const checks = [];
const check = (name, ok, detail) => {
  checks.push(ok);
  console.log(`${ok ? "✓" : "✗"} ${name}${detail ? ` — ${detail}` : ""}`);
};

try {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "orders-dlq.fifo", Attributes: { FifoQueue: "true" } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({
    QueueName: "orders.fifo",
    Attributes: {
      FifoQueue: "true",
      VisibilityTimeout: "5",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes.QueueArn, maxReceiveCount: 2 }),
    },
  }));

  const customers = ["cust-1", "cust-2", "cust-3"];
  const events = [];
  for (let i = 0; i < 30; i++) events.push({ customer: customers[i % 3], n: i, poison: i === 7 });
  for (let i = 0; i < events.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl,
      Entries: events.slice(i, i + 10).map((e) => ({
        Id: `e${e.n}`,
        MessageBody: JSON.stringify(e),
        MessageGroupId: e.customer,
        MessageDeduplicationId: `order-${e.n}`,
      })),
    }));
  }
  const again = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: JSON.stringify(events[0]), MessageGroupId: "cust-1", MessageDeduplicationId: "order-0",
  }));
  console.log(`sent 30 orders for 3 customers, then order-0 again (MessageId ${again.MessageId.slice(0, 8)}…)`);

  // Two consumers compete, one message at a time. A poison order is handed back at once (visibility 0)
  // each time it fails; SQS must move it to the DLQ instead of delivering it a third time, and its
  // customer's later orders must wait for it, never overtake it.
  const seen = new Map(customers.map((c) => [c, []]));
  let idle = 0;
  const consumer = async () => {
    while (idle < 20) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
      if (!out.Messages?.length) {
        idle++;
        continue;
      }
      idle = 0;
      for (const m of out.Messages) {
        const e = JSON.parse(m.Body);
        if (e.poison) {
          await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
          continue;
        }
        seen.get(e.customer).push(e.n);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  };
  await Promise.all([consumer(), consumer()]);
  const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }));

  for (const c of customers) {
    const order = seen.get(c);
    const sorted = [...order].sort((a, b) => a - b);
    check(`${c}: orders consumed in send order`, JSON.stringify(order) === JSON.stringify(sorted), order.join(","));
  }
  const total = [...seen.values()].reduce((n, o) => n + o.length, 0);
  check("every order but the poison one consumed exactly once (the duplicate send was dropped)", total === 29, `${total} consumed`);
  const poison = dead.Messages ?? [];
  check("the poison order is in the DLQ after maxReceiveCount receives", poison.length === 1 && JSON.parse(poison[0].Body).n === 7,
    poison[0] ? `ApproximateReceiveCount ${poison[0].Attributes.ApproximateReceiveCount}, from ${poison[0].Attributes.DeadLetterQueueSourceArn}` : "DLQ empty");
} finally {
  sqs.destroy();
  proc.kill();
}
const failed = checks.filter((ok) => !ok).length;
console.log(`\n${checks.length - failed} guarantees held, ${failed} broken`);
process.exitCode = failed ? 1 : 0;
