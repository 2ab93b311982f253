// A Lambda handler for a FIFO queue that fails some messages on their first delivery (a flaky
// downstream call) and reports them the way AWS asks FIFO functions to: it stops processing a message
// group at its first failure and returns that message and every later one of the group in
// batchItemFailures, so nothing of the group is processed out of order. Other groups go on.
// Stateless on purpose (it reads ApproximateReceiveCount), so a seeded run gives the same journal twice.
// AWS docs: Lambda Developer Guide, "Handling errors for an SQS event source in Lambda" /
// "Implementing partial batch responses" ("stop processing messages after the first failure and return
// all failed and unprocessed messages").
import type { SqsEvent } from "sqsrig";

export async function handler(event: SqsEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const stopped = new Set<string>();
  for (const record of event.Records) {
    const group = record.attributes.MessageGroupId ?? "";
    if (stopped.has(group)) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const { payload } = JSON.parse(record.body) as { payload: { seq: number } };
    const firstTry = record.attributes.ApproximateReceiveCount === "1";
    if (firstTry && payload.seq % 4 === 1) {
      stopped.add(group);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    // Otherwise the message is processed here.
  }
  return { batchItemFailures };
}
