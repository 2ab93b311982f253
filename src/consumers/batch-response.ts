/** One message of an invoked batch, in batch order. */
export interface BatchItem {
  messageId: string;
  /** The FIFO MessageGroupId, if any. */
  groupId?: string;
}

/** What the invocation produced: the handler's return value, or what it threw (a crash, a timeout). */
export type InvocationOutcome = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown };

/**
 * Why a message counts as failed; the same tokens as the `reason` of `consumer.result`.
 * - `error`: the invocation threw or timed out, so the whole batch failed.
 * - `reported`: the message is in `batchItemFailures`.
 * - `invalidResponse`: the partial batch response broke a rule, so the whole batch failed.
 * - `fifoStop`: FIFO, a message after its group's first failure, failed by the consumer's own stop rule.
 */
export type FailureReason = "error" | "reported" | "invalidResponse" | "fifoStop";

export interface FailedItem {
  messageId: string;
  reason: FailureReason;
  /** The error text (whole-batch failures). */
  error?: string;
}

export interface BatchVerdict {
  /** Message ids to delete, in batch order. */
  succeeded: string[];
  /** Message ids left to come back after the visibility timeout, in batch order. */
  failed: FailedItem[];
  /** Set when the whole batch failed, saying why. */
  batchError?: string;
}

export interface BatchResponseOptions {
  /**
   * `FunctionResponseTypes: ["ReportBatchItemFailures"]` on the event source mapping. Without it Lambda
   * ignores the response: any return is a full success. Pipes always read it.
   */
  reportBatchItemFailures: boolean;
  /**
   * Fail every message after the first failure of its FIFO group (reason `fifoStop`). AWS does not do
   * this for you: the guide tells the *function* to stop and report the rest, and the event source
   * mapping deletes whatever the response does not name (aws/aws-dotnet-messaging#174 lost messages that
   * way). Off by default so a handler that forgets the rule breaks here as it would on AWS.
   * @default false
   */
  fifoStopOnFailure?: boolean;
}

/**
 * Decides which messages of an invoked batch succeeded, following the partial batch response rules
 * (AWS Lambda Developer Guide, "Handling errors for an SQS event source in Lambda" → "Success and
 * failure conditions"; the same list in the EventBridge User Guide, "Amazon SQS as a source" →
 * "Reporting batch item failures"):
 * - complete success: an empty or null `batchItemFailures` list, an empty or null response;
 * - complete failure: an invalid JSON response, an empty-string or null `itemIdentifier`, an
 *   `itemIdentifier` with a bad key name, an `itemIdentifier` that is not a message of the batch;
 * - a thrown error fails the whole batch ("If your function throws an exception, the entire batch is
 *   considered a complete failure").
 * The response is judged as Lambda sees it: after JSON serialisation, as the Node.js runtime sends it.
 *
 * @example
 * evaluateBatchResponse([{ messageId: "id1" }, { messageId: "id2" }],
 *   { kind: "returned", value: { batchItemFailures: [{ itemIdentifier: "id2" }] } },
 *   { reportBatchItemFailures: true });
 * // → { succeeded: ["id1"], failed: [{ messageId: "id2", reason: "reported" }] }
 */
export function evaluateBatchResponse(items: readonly BatchItem[], outcome: InvocationOutcome, options: BatchResponseOptions): BatchVerdict {
  if (outcome.kind === "threw") return wholeBatch(items, "error", errorText(outcome.error));
  if (!options.reportBatchItemFailures) return { succeeded: items.map((i) => i.messageId), failed: [] };
  const parsed = asLambdaSeesIt(outcome.value);
  if (!parsed.ok) return wholeBatch(items, "invalidResponse", parsed.problem);
  const reported = reportedIds(parsed.value, items);
  if (typeof reported === "string") return wholeBatch(items, "invalidResponse", reported);
  return split(items, reported, options.fifoStopOnFailure === true);
}

/** The ids a well-formed response reports, or the rule it breaks. */
function reportedIds(response: unknown, items: readonly BatchItem[]): Set<string> | string {
  // A null or non-object response, or one without the key, is an "empty EventResponse": full success.
  if (response === null || typeof response !== "object" || Array.isArray(response)) return new Set();
  if (!("batchItemFailures" in response)) return new Set();
  const list = (response as { batchItemFailures: unknown }).batchItemFailures;
  if (list === null) return new Set();
  if (!Array.isArray(list)) return "batchItemFailures is not a list";
  const ids = new Set<string>();
  const inBatch = new Set(items.map((i) => i.messageId));
  for (const [n, entry] of list.entries()) {
    const where = `batchItemFailures[${n}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return `${where} is not an object`;
    if (!("itemIdentifier" in entry)) return `${where} has no itemIdentifier key (keys: ${Object.keys(entry).join(", ") || "none"})`;
    const id = (entry as { itemIdentifier: unknown }).itemIdentifier;
    if (id === null) return `${where}.itemIdentifier is null`;
    if (typeof id !== "string") return `${where}.itemIdentifier is not a string`;
    if (id === "") return `${where}.itemIdentifier is an empty string`;
    if (!inBatch.has(id)) return `${where}.itemIdentifier "${id}" is not a message of this batch`;
    ids.add(id);
  }
  return ids;
}

function split(items: readonly BatchItem[], reported: Set<string>, fifoStop: boolean): BatchVerdict {
  const verdict: BatchVerdict = { succeeded: [], failed: [] };
  const stoppedGroups = new Set<string>();
  for (const item of items) {
    const group = item.groupId;
    if (reported.has(item.messageId)) {
      verdict.failed.push({ messageId: item.messageId, reason: "reported" });
      if (group !== undefined) stoppedGroups.add(group);
    } else if (fifoStop && group !== undefined && stoppedGroups.has(group)) {
      verdict.failed.push({ messageId: item.messageId, reason: "fifoStop" });
    } else {
      verdict.succeeded.push(item.messageId);
    }
  }
  return verdict;
}

function wholeBatch(items: readonly BatchItem[], reason: FailureReason, error: string): BatchVerdict {
  return { succeeded: [], failed: items.map((i) => ({ messageId: i.messageId, reason, error })), batchError: error };
}

/**
 * The Node.js runtime serialises the return value with JSON.stringify; a value that cannot be
 * serialised (a BigInt, a cycle) never reaches Lambda as JSON, the "invalid JSON response" case.
 * `undefined` (and functions) serialise to nothing, which Lambda reads as a null response.
 */
function asLambdaSeesIt(value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    return { ok: false, problem: `the response is not valid JSON: ${errorText(err)}` };
  }
  return { ok: true, value: text === undefined ? null : JSON.parse(text) };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
