import { DeleteMessageBatchCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { parseQueueArn } from "../sqs/index.js";
import { errorText } from "./batch-response.js";
import type { LambdaSqsRecord } from "./types.js";

/** The queue as the source reads it once at start (GetQueueAttributes, as Lambda's role needs). */
export interface SourceQueue {
  arn: string;
  name: string;
  region: string;
  fifo: boolean;
  visibilityTimeout: number;
}

/** Reads QueueArn, FifoQueue and VisibilityTimeout; a missing queue fails the start. */
export async function describeSourceQueue(client: SQSClient, queueUrl: string): Promise<SourceQueue> {
  const out = await client
    .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn", "FifoQueue", "VisibilityTimeout"] }))
    .catch((err: unknown) => {
      throw new Error(`Cannot read the source queue ${queueUrl}: ${errorText(err)}`, { cause: err });
    });
  const attrs = out.Attributes ?? {};
  const arn = attrs.QueueArn ?? "";
  const parsed = parseQueueArn(arn);
  if (!parsed) throw new Error(`GetQueueAttributes returned no usable QueueArn for ${queueUrl}`);
  return { arn, name: parsed.name, region: parsed.region, fifo: attrs.FifoQueue === "true", visibilityTimeout: Number(attrs.VisibilityTimeout ?? 30) };
}

/**
 * DeleteMessageBatch, ten entries a call; returns the message ids SQS confirmed and tells `report` about
 * every entry or call it refused (a stale receipt handle, a deleted queue).
 */
export async function deleteMessages(
  client: SQSClient,
  queueUrl: string,
  records: readonly LambdaSqsRecord[],
  report: (message: string) => void,
): Promise<string[]> {
  const deleted: string[] = [];
  for (let i = 0; i < records.length; i += 10) {
    const chunk = records.slice(i, i + 10);
    try {
      const out = await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })) }),
      );
      for (const ok of out.Successful ?? []) deleted.push(chunk[Number(ok.Id)]!.messageId);
      for (const bad of out.Failed ?? []) report(`DeleteMessageBatch failed for ${chunk[Number(bad.Id)]?.messageId}: ${bad.Code}: ${bad.Message}`);
    } catch (err) {
      report(`DeleteMessageBatch failed: ${errorText(err)}`);
    }
  }
  return deleted;
}
