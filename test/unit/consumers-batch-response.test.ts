import { describe, expect, it } from "vitest";
import { evaluateBatchResponse, type BatchItem, type BatchResponseOptions, type BatchVerdict } from "../../src/consumers/index.js";

const BATCH: BatchItem[] = [{ messageId: "id1" }, { messageId: "id2" }, { messageId: "id3" }, { messageId: "id4" }, { messageId: "id5" }];
const ALL = BATCH.map((b) => b.messageId);
const ON: BatchResponseOptions = { reportBatchItemFailures: true };

const returned = (value: unknown) => ({ kind: "returned" as const, value });
const verdict = (value: unknown, items = BATCH, options: BatchResponseOptions = ON) => evaluateBatchResponse(items, returned(value), options);

function wholeBatchFailed(v: BatchVerdict, reason: string): void {
  expect(v.succeeded).toEqual([]);
  expect(v.failed.map((f) => f.messageId)).toEqual(ALL);
  expect(v.failed.every((f) => f.reason === reason)).toBe(true);
  expect(v.batchError).toBeTruthy();
}

// AWS Lambda Developer Guide, "Handling errors for an SQS event source in Lambda" → "Implementing
// partial batch responses" → "Success and failure conditions"; the EventBridge User Guide, "Amazon SQS
// as a source" → "Reporting batch item failures", lists the same conditions for Pipes.
describe("partial batch response: complete success", () => {
  it("an empty batchItemFailures list", () => {
    expect(verdict({ batchItemFailures: [] })).toEqual({ succeeded: ALL, failed: [] });
  });
  it("a null batchItemFailures list", () => {
    expect(verdict({ batchItemFailures: null })).toEqual({ succeeded: ALL, failed: [] });
  });
  it("an empty EventResponse ({} — no batchItemFailures key)", () => {
    expect(verdict({})).toEqual({ succeeded: ALL, failed: [] });
  });
  it("a null EventResponse (null, or undefined, which the Node.js runtime sends as null)", () => {
    expect(verdict(null)).toEqual({ succeeded: ALL, failed: [] });
    expect(verdict(undefined)).toEqual({ succeeded: ALL, failed: [] });
  });
  it("a response that is not an object (a string, a number) has no batchItemFailures: success", () => {
    expect(verdict("ok")).toEqual({ succeeded: ALL, failed: [] });
    expect(verdict(200)).toEqual({ succeeded: ALL, failed: [] });
  });
});

describe("partial batch response: only the reported messages fail", () => {
  // The guide's own example: id1…id5, the function reports id2 and id4.
  it("reports id2 and id4 → id1, id3, id5 are deleted, id2 and id4 come back", () => {
    const v = verdict({ batchItemFailures: [{ itemIdentifier: "id2" }, { itemIdentifier: "id4" }] });
    expect(v.succeeded).toEqual(["id1", "id3", "id5"]);
    expect(v.failed).toEqual([
      { messageId: "id2", reason: "reported" },
      { messageId: "id4", reason: "reported" },
    ]);
    expect(v.batchError).toBeUndefined();
  });
  it("without ReportBatchItemFailures the response is ignored: a returned failure list is a full success", () => {
    const v = verdict({ batchItemFailures: [{ itemIdentifier: "id2" }] }, BATCH, { reportBatchItemFailures: false });
    expect(v).toEqual({ succeeded: ALL, failed: [] });
  });
});

describe("partial batch response: complete failure", () => {
  it("an invalid JSON response (a value JSON cannot carry, here a BigInt)", () => {
    wholeBatchFailed(verdict({ batchItemFailures: [{ itemIdentifier: 1n }] }), "invalidResponse");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    wholeBatchFailed(verdict(cyclic), "invalidResponse");
  });
  it("an empty string itemIdentifier", () => {
    wholeBatchFailed(verdict({ batchItemFailures: [{ itemIdentifier: "id2" }, { itemIdentifier: "" }] }), "invalidResponse");
  });
  it("a null itemIdentifier", () => {
    wholeBatchFailed(verdict({ batchItemFailures: [{ itemIdentifier: null }] }), "invalidResponse");
  });
  it("an itemIdentifier with a bad key name", () => {
    const v = verdict({ batchItemFailures: [{ itemIdentifer: "id2" }] });
    wholeBatchFailed(v, "invalidResponse");
    expect(v.batchError).toContain("itemIdentifer");
  });
  it("an itemIdentifier value with a message ID that doesn't exist in the batch", () => {
    const v = verdict({ batchItemFailures: [{ itemIdentifier: "id2" }, { itemIdentifier: "not-in-batch" }] });
    wholeBatchFailed(v, "invalidResponse");
    expect(v.batchError).toContain("not-in-batch");
  });
  it("a batchItemFailures that is not a list, or entries that are not objects", () => {
    wholeBatchFailed(verdict({ batchItemFailures: "id2" }), "invalidResponse");
    wholeBatchFailed(verdict({ batchItemFailures: ["id2"] }), "invalidResponse");
  });
  it("a thrown error fails the whole batch, with or without ReportBatchItemFailures", () => {
    for (const options of [ON, { reportBatchItemFailures: false }]) {
      const v = evaluateBatchResponse(BATCH, { kind: "threw", error: new TypeError("boom") }, options);
      wholeBatchFailed(v, "error");
      expect(v.failed[0]!.error).toBe("TypeError: boom");
    }
  });
});

// Developer guide, same section, Note: "If you're using this feature with a FIFO queue, your function
// should stop processing messages after the first failure and return all failed and unprocessed
// messages in batchItemFailures." The rule is the function's: the mapping deletes what is not reported
// (aws/aws-dotnet-messaging#174 lost messages that way), so by default the evaluator does the same.
describe("partial batch response on FIFO", () => {
  const FIFO: BatchItem[] = [
    { messageId: "a1", groupId: "A" },
    { messageId: "b1", groupId: "B" },
    { messageId: "a2", groupId: "A" },
    { messageId: "b2", groupId: "B" },
    { messageId: "a3", groupId: "A" },
  ];
  const reportsA1 = { batchItemFailures: [{ itemIdentifier: "a1" }] };

  it("as AWS does: only the reported message fails; later messages of its group the function did not report are deleted", () => {
    const v = verdict(reportsA1, FIFO, ON);
    expect(v.failed.map((f) => f.messageId)).toEqual(["a1"]);
    expect(v.succeeded).toEqual(["b1", "a2", "b2", "a3"]);
  });

  it("a function that follows the guide (reports the failure and everything after it) keeps its group's order", () => {
    const v = verdict({ batchItemFailures: ["a1", "b1", "a2", "b2", "a3"].map((id) => ({ itemIdentifier: id })) }, FIFO, ON);
    expect(v.succeeded).toEqual([]);
    expect(v.failed.every((f) => f.reason === "reported")).toBe(true);
  });

  it("with fifoStopOnFailure, everything after a group's first failure in that group fails too (reason fifoStop); other groups flow", () => {
    const v = verdict(reportsA1, FIFO, { reportBatchItemFailures: true, fifoStopOnFailure: true });
    expect(v.failed).toEqual([
      { messageId: "a1", reason: "reported" },
      { messageId: "a2", reason: "fifoStop" },
      { messageId: "a3", reason: "fifoStop" },
    ]);
    expect(v.succeeded).toEqual(["b1", "b2"]);
  });

  it("fifoStopOnFailure does nothing on a standard queue (no groups)", () => {
    const v = verdict({ batchItemFailures: [{ itemIdentifier: "id1" }] }, BATCH, { reportBatchItemFailures: true, fifoStopOnFailure: true });
    expect(v.failed.map((f) => f.messageId)).toEqual(["id1"]);
    expect(v.succeeded).toEqual(["id2", "id3", "id4", "id5"]);
  });
});
