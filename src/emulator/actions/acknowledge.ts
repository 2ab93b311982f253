import { LIMITS } from "../../sqs/index.js";
import type { SqsQueue } from "../queue.js";
import { batchEntries, eachEntry, type BatchOutput } from "./batch.js";
import { intInRange, requireString, type Input } from "./params.js";

export function deleteMessage(queue: SqsQueue, input: Input): Input {
  queue.deleteByReceipt(requireString(input, "ReceiptHandle"));
  return {};
}

export function deleteMessageBatch(queue: SqsQueue, input: Input): BatchOutput {
  const entries = batchEntries(input, "DeleteMessageBatchRequestEntry");
  return eachEntry(entries, (entry) => queue.deleteByReceipt(requireString(entry, "ReceiptHandle")));
}

function visibilityOf(input: Input): number {
  const value = intInRange(input, "VisibilityTimeout", 0, LIMITS.visibilityTimeoutMax, "VisibilityTimeout must be >= 0 and <= 43200");
  if (value === undefined) requireString(input, "VisibilityTimeout");
  return value!;
}

export function changeMessageVisibility(queue: SqsQueue, input: Input): Input {
  const handle = requireString(input, "ReceiptHandle");
  queue.changeVisibility(handle, visibilityOf(input));
  return {};
}

export function changeMessageVisibilityBatch(queue: SqsQueue, input: Input): BatchOutput {
  const entries = batchEntries(input, "ChangeMessageVisibilityBatchRequestEntry");
  return eachEntry(entries, (entry) => queue.changeVisibility(requireString(entry, "ReceiptHandle"), visibilityOf(entry)));
}
