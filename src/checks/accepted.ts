import type { JournalRecord, RecordOf } from "../journal/index.js";
import { LIMITS, attributeNameProblem, isValidBatchEntryId, isValidFifoId } from "../sqs/index.js";
import { canonicalCode } from "./attempts.js";
import { maxMessageSize, QueueView } from "./queue-view.js";
import { fail, listNames, pass } from "./support.js";
import type { CheckResult } from "./types.js";

/** `accepted` takes no options: AWS's rules are not negotiable. */
export type AcceptedOptions = Record<string, never>;

/**
 * Codes of AWS's request validation for SendMessageBatch (API reference, Errors; SQS-FACTS "JSON errors"):
 * an entry that got one was malformed, and resending it cannot help. Compared in canonical form, so
 * `AWS.SimpleQueueService.BatchRequestTooLong` and `InvalidParameterValueException` match.
 */
export const VALIDATION_CODES = new Set([
  "InvalidParameterValue",
  "InvalidMessageContents",
  "MessageTooLong",
  "BatchRequestTooLong",
  "InvalidBatchEntryId",
  "BatchEntryIdsNotDistinct",
  "TooManyEntriesInBatchRequest",
  "EmptyBatchRequest",
  "MissingParameter",
  "MissingRequiredParameter",
  "InvalidAttributeName",
  "InvalidAttributeValue",
]);

interface Violation {
  eventId: string;
  batchId: string;
  /** The AWS error code the entry (or its batch) would get. */
  code: string;
  detail: string;
  records: (JournalRecord | undefined)[];
}

/**
 * `accepted` (DESIGN "Scenarios and checks": would AWS accept every entry). Each `batch.formed` is judged
 * by the rules of the SQS API reference, SendMessageBatch and SendMessageBatchRequestEntry, against the
 * queue its destination names (`destination.saved` → queue name → `queue.created` /
 * `queue.attributesChanged`, as they were when the batch was formed):
 * - 1–10 entries with distinct Ids of 1–80 `[A-Za-z0-9_-]`; all entries together ≤ 1,048,576 bytes;
 * - each entry ≤ the queue's MaximumMessageSize (default 1 MiB), body and attributes counted;
 * - FIFO: a MessageGroupId, and a MessageDeduplicationId unless ContentBasedDeduplication is on; a
 *   standard queue refuses a MessageDeduplicationId; both ids 1–128 alphanumeric or punctuation;
 * - ≤ 10 message attributes with valid names (SQS Developer Guide, "Amazon SQS message attributes").
 * Independently, an `entry.result` failing with one of {@link VALIDATION_CODES} fails the check, unless
 * the fault injector put that failure there (`fault.injected` on SendMessageBatch after the batch left).
 */
export function accepted(records: readonly JournalRecord[], _options: AcceptedOptions = {}): CheckResult {
  const check = "accepted";
  const view = new QueueView();
  const batches = new Map<string, RecordOf<"batch.formed">>();
  const sentAt = new Map<string, number>();
  const faults: RecordOf<"fault.injected">[] = [];
  const violations: Violation[] = [];
  let entries = 0;
  let injected = 0;
  for (const r of records) {
    if (view.observe(r)) continue;
    if (r.type === "batch.formed") {
      batches.set(r.batchId, r);
      entries += r.entries.length;
      violations.push(...judgeBatch(r, view));
    } else if (r.type === "attempt.sent") sentAt.set(r.batchId, r.seq);
    else if (r.type === "fault.injected") faults.push(r);
    else if (r.type === "entry.result" && !r.ok && r.failure?.code !== undefined) {
      const code = canonicalCode(r.failure.code);
      if (!VALIDATION_CODES.has(code)) continue;
      const batch = batches.get(r.batchId);
      if (wasInjected(r, batch, sentAt.get(r.batchId), faults, view)) {
        injected++;
        continue;
      }
      violations.push({ eventId: r.eventId, batchId: r.batchId, code, detail: `SQS answered ${r.failure.code}: ${r.failure.message}`, records: [batch, r] });
    }
  }
  if (violations.length === 0) {
    const note = injected > 0 ? ` (${injected} injected validation failures ignored)` : "";
    return pass(check, `${batches.size} batches, ${entries} entries within SendMessageBatch's rules${note}`, { actual: { batches: batches.size, entries, injected } });
  }
  const events = new Set(violations.map((v) => v.eventId));
  return fail(
    check,
    `${events.size} events sent in entries AWS would refuse: eventId ${listNames(violations.map((v) => `${v.eventId} (${v.code}: ${v.detail})`), 3)}`,
    "every entry within SendMessageBatch's rules",
    violations.slice(0, 100).map(({ records: _r, ...rest }) => rest),
    violations.flatMap((v) => v.records),
  );
}

function judgeBatch(batch: RecordOf<"batch.formed">, view: QueueView): Violation[] {
  const dest = view.destination(batch.destination);
  const queue = view.queue(dest?.queue);
  // Without a queue.created (a LocalStack or AWS backend) the destination's own fifo flag tells the type.
  const fifo = queue?.fifo ?? dest?.fifo;
  const where = dest ? ` of ${dest.queue}` : "";
  const queueName = dest ? ` ${dest.queue}` : "";
  const context = [dest?.saved, ...(queue?.defined ?? [])];
  const out: Violation[] = [];
  const all = (code: string, detail: string) => {
    for (const e of batch.entries) out.push({ eventId: e.eventId, batchId: batch.batchId, code, detail, records: [batch] });
  };
  if (batch.entries.length === 0) out.push({ eventId: "(none)", batchId: batch.batchId, code: "EmptyBatchRequest", detail: "a batch with no entries", records: [batch] });
  if (batch.entries.length > LIMITS.maxBatchEntries) all("TooManyEntriesInBatchRequest", `${batch.entries.length} entries in batch ${batch.batchId}, at most ${LIMITS.maxBatchEntries}`);
  if (batch.bytes > LIMITS.maxBatchBytes) all("BatchRequestTooLong", `batch ${batch.batchId} is ${batch.bytes} bytes, at most ${LIMITS.maxBatchBytes}`);
  const ids = batch.entries.map((e) => e.entryId);
  if (new Set(ids).size !== ids.length) all("BatchEntryIdsNotDistinct", `entry Ids ${ids.join(",")} repeat in batch ${batch.batchId}`);
  const maxBytes = maxMessageSize(queue);
  const contentDedup = queue?.attributes.ContentBasedDeduplication === "true";
  for (const e of batch.entries) {
    const entry = (code: string, detail: string, evidence: (JournalRecord | undefined)[] = []) => out.push({ eventId: e.eventId, batchId: batch.batchId, code, detail, records: [batch, ...evidence] });
    if (!isValidBatchEntryId(e.entryId)) entry("InvalidBatchEntryId", `entry Id ${JSON.stringify(e.entryId)} is not 1–80 of [A-Za-z0-9_-]`);
    if (e.bytes > maxBytes) entry("InvalidParameterValue", `${e.bytes} bytes, over MaximumMessageSize ${maxBytes}${where}`, context);
    // SendMessageBatch answers a missing group id with InvalidParameterValue, not MissingParameter (recorded-errors E7).
    if (fifo === true && e.groupId === undefined) entry("InvalidParameterValue", `no MessageGroupId on FIFO queue${queueName}`, context);
    if (fifo === true && e.dedupId === undefined && !contentDedup) entry("InvalidParameterValue", `no MessageDeduplicationId, and FIFO queue${queueName} has ContentBasedDeduplication off`, context);
    if (fifo === false && e.dedupId !== undefined) entry("InvalidParameterValue", `MessageDeduplicationId ${JSON.stringify(e.dedupId)} on standard queue${queueName}`, context);
    for (const [field, id] of [["MessageGroupId", e.groupId], ["MessageDeduplicationId", e.dedupId]] as const) {
      if (id !== undefined && !isValidFifoId(id)) entry("InvalidParameterValue", `${field} ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)} (${id.length} chars) is not 1–128 alphanumeric or punctuation characters`);
    }
    const names = e.attributeNames ?? [];
    if (names.length > LIMITS.maxMessageAttributes) entry("InvalidParameterValue", `${names.length} message attributes, at most ${LIMITS.maxMessageAttributes}`);
    for (const name of names) {
      const problem = attributeNameProblem(name);
      if (problem !== undefined) entry("InvalidParameterValue", `message attribute name ${JSON.stringify(name)}: ${problem.trim()}`);
    }
  }
  return out;
}

/**
 * Whether the fault injector failed this entry on purpose: a `fault.injected` for SendMessageBatch after
 * the batch was sent, on its queue, either failing the whole request or naming this entry's Id.
 */
function wasInjected(
  r: RecordOf<"entry.result">,
  batch: RecordOf<"batch.formed"> | undefined,
  sentSeq: number | undefined,
  faults: readonly RecordOf<"fault.injected">[],
  view: QueueView,
): boolean {
  if (sentSeq === undefined) return false;
  const queue = view.destination(r.destination)?.queue;
  const entryId = batch?.entries.find((e) => e.delivery === r.delivery)?.entryId;
  return faults.some(
    (f) =>
      f.seq > sentSeq &&
      f.action === "SendMessageBatch" &&
      (f.queue === undefined || queue === undefined || f.queue === queue) &&
      (f.effect === "error" || (f.effect === "partial" && entryId !== undefined && (f.entries ?? []).includes(entryId))),
  );
}
