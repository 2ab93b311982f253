import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { createHash } from "node:crypto";
import type { JournalType, RecordOf } from "../../src/journal/index.js";
import type { LambdaSqsRecord } from "../../src/consumers/index.js";
import type { SqsTarget } from "./target.js";

/** Journal helpers for consumer tests on the embedded emulator (manual clock). */
export function consumerJournal(target: SqsTarget) {
  const journal = target.journal!;
  /** Records of one type whose `consumer` (or `queue`) is `owner`, oldest first. */
  function mine<T extends JournalType>(type: T, owner: string): RecordOf<T>[] {
    return journal.records(type).filter((r) => ("consumer" in r ? r.consumer : (r as { queue?: string }).queue) === owner) as RecordOf<T>[];
  }
  /** Resolves once at least `count` records of `type` for `owner` exist. */
  async function waitCount<T extends JournalType>(type: T, owner: string, count: number): Promise<RecordOf<T>[]> {
    await journal.waitFor(type, () => mine(type, owner).length >= count);
    return mine(type, owner);
  }
  /** Message ids of every `consumer.deleted` of `owner`. */
  const deletedIds = (owner: string) => mine("consumer.deleted", owner).flatMap((r) => r.messageIds);
  /** Resolves once `ids` (all of them) were deleted by `owner`. */
  async function waitDeleted(owner: string, ids: Iterable<string>): Promise<void> {
    const wanted = new Set(ids);
    await journal.waitFor("consumer.deleted", () => {
      const got = new Set(deletedIds(owner));
      for (const id of wanted) if (!got.has(id)) return false;
      return true;
    });
  }
  return { journal, mine, waitCount, deletedIds, waitDeleted };
}

/** Sends entries (ten per SendMessageBatch, `lanes` batches at a time) and returns the MessageIds in order. */
export async function sendEntries(target: SqsTarget, queueUrl: string, entries: Omit<SendMessageBatchRequestEntry, "Id">[], lanes = 1): Promise<string[]> {
  const ids: string[] = new Array(entries.length);
  const chunks: number[] = [];
  for (let i = 0; i < entries.length; i += 10) chunks.push(i);
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const start = chunks[next++]!;
      const chunk = entries.slice(start, start + 10);
      const out = await target.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((e, n) => ({ ...e, Id: String(n) })) }),
      );
      if ((out.Failed ?? []).length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(out.Failed)}`);
      for (const ok of out.Successful ?? []) ids[start + Number(ok.Id)] = ok.MessageId!;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return ids;
}

/** Sends plain bodies; on a FIFO queue `group(body)` gives each its MessageGroupId (dedup id = body). */
export function sendBodies(target: SqsTarget, queueUrl: string, bodies: string[], group?: (body: string) => string): Promise<string[]> {
  return sendEntries(
    target,
    queueUrl,
    bodies.map((body) => ({ MessageBody: body, ...(group ? { MessageGroupId: group(body), MessageDeduplicationId: body } : {}) })),
  );
}

const RECORD_KEYS = ["messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfMessageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"];
const STANDARD_ATTRIBUTES = ["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"];
const FIFO_ATTRIBUTES = ["ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId", "ApproximateFirstReceiveTimestamp"];

/**
 * Every way `record` differs from the Lambda SQS record shape (AWS Lambda Developer Guide, "Using Lambda
 * with Amazon SQS", example events): key set and order, value types, attribute keys, message attribute
 * value shape, MD5 of the body. Empty when it matches.
 */
export function shapeProblems(record: LambdaSqsRecord, expect: { arn: string; region: string; fifo: boolean }): string[] {
  const problems: string[] = [];
  const where = record.messageId;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(Object.keys(record), RECORD_KEYS)) problems.push(`${where}: keys ${Object.keys(record).join(",")}`);
  for (const key of ["messageId", "receiptHandle", "body", "md5OfBody"] as const) {
    if (typeof record[key] !== "string") problems.push(`${where}: ${key} is ${typeof record[key]}`);
  }
  if (record.eventSource !== "aws:sqs") problems.push(`${where}: eventSource ${record.eventSource}`);
  if (record.eventSourceARN !== expect.arn) problems.push(`${where}: eventSourceARN ${record.eventSourceARN}`);
  if (record.awsRegion !== expect.region) problems.push(`${where}: awsRegion ${record.awsRegion}`);
  if (record.md5OfBody !== createHash("md5").update(record.body, "utf8").digest("hex")) problems.push(`${where}: md5OfBody`);
  const attrKeys = expect.fifo ? FIFO_ATTRIBUTES : STANDARD_ATTRIBUTES;
  if (!same(Object.keys(record.attributes), attrKeys)) problems.push(`${where}: attribute keys ${Object.keys(record.attributes).join(",")}`);
  if (!Object.values(record.attributes).every((v) => typeof v === "string")) problems.push(`${where}: a non-string attribute`);
  const attrs = Object.values(record.messageAttributes);
  if (attrs.length === 0 ? record.md5OfMessageAttributes !== null : !/^[0-9a-f]{32}$/.test(String(record.md5OfMessageAttributes))) {
    problems.push(`${where}: md5OfMessageAttributes ${record.md5OfMessageAttributes}`);
  }
  for (const a of attrs) {
    const valueKey = "binaryValue" in a ? "binaryValue" : "stringValue";
    if (!same(Object.keys(a), [valueKey, "stringListValues", "binaryListValues", "dataType"])) problems.push(`${where}: attribute keys ${Object.keys(a).join(",")}`);
    if (!Array.isArray(a.stringListValues) || !Array.isArray(a.binaryListValues) || typeof a.dataType !== "string") problems.push(`${where}: attribute value types`);
  }
  return problems;
}
