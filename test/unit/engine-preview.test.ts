// Follows DESIGN "Contracts" (`sqsrig preview`: the exact entry, size vs the queue limit, every reason
// real AWS would reject it), the SendMessage / SendMessageBatch API reference (MessageGroupId and
// MessageDeduplicationId: 1–128 alphanumeric and punctuation characters; MaximumMessageSize), the recorded
// AWS answers in notes/sqs-recorded-errors.md (E7: a FIFO batch entry without MessageGroupId — "The request
// must contain the parameter MessageGroupId."; QueueDoesNotExist "or you lack access") and SQS-FACTS
// ("MessageDeduplicationId on a standard queue … not valid for this queue type").
import { describe, expect, it } from "vitest";
import { buildPreview, formatPreview } from "../../src/engine/index.js";
import type { PreviewReport, QueueInfo } from "../../src/engine/index.js";
import { EXAMPLE_SECRET, STANDARD_QUEUE, fixtureDestination, fixtureEvent } from "../support/engine-fixtures.js";

const SECRET = EXAMPLE_SECRET;
const destination = fixtureDestination;
const STANDARD = STANDARD_QUEUE;
const event = (extra: Record<string, unknown> = {}) => fixtureEvent(extra);

function queue(info: Partial<QueueInfo> = {}): PreviewReport["queue"] {
  return { ok: true, info: { fifo: true, contentBasedDeduplication: false, maximumMessageSize: 1_048_576, ...info } };
}

describe("buildPreview", () => {
  it("shows the exact entry with Id 0, its size, and no reasons when AWS would accept it", () => {
    const report = buildPreview(event(), destination(), queue());
    expect(report.entry.Id).toBe("0");
    expect(report.entry.MessageBody).toBe(JSON.stringify(event()));
    expect(report.entry.MessageGroupId).toBe("acct_8K2zRq");
    expect(report.entry.MessageDeduplicationId).toBe("order_38a91f-completed");
    expect(report.entry.MessageAttributes.eventType).toEqual({ DataType: "String", StringValue: "order.completed" });
    expect(report.maxBytes).toBe(1_048_576);
    expect(report.bytes).toBeGreaterThan(report.entry.MessageBody.length);
    expect(report.reasons).toEqual([]);
    expect(report.wouldReject).toBe(false);
  });

  it("redacts the destination's secret", () => {
    const report = buildPreview(event(), destination(), queue());
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(report.destination.auth).toMatchObject({ mode: "ACCESS_KEYS", secretAccessKey: "***" });
  });

  it("measures against the queue's MaximumMessageSize and reports oversize", () => {
    const big = event({ payload: { blob: "x".repeat(2_000) } });
    const report = buildPreview(big, destination(), queue({ maximumMessageSize: 1_024 }));
    expect(report.maxBytes).toBe(1_024);
    expect(report.wouldReject).toBe(true);
    expect(report.reasons).toEqual([expect.objectContaining({ rule: "oversize", field: "MessageBody" })]);
    expect(report.reasons[0]!.message).toContain(`${report.bytes} bytes`);
  });

  it("applies the engine's batch cap when it is below the queue's limit", () => {
    const big = event({ payload: { blob: "x".repeat(300_000) } });
    const report = buildPreview(big, destination(), queue(), { maxBatchBytes: 262_144 });
    expect(report.maxBytes).toBe(262_144);
    expect(report.reasons.map((r) => r.rule)).toEqual(["oversize"]);
    expect(formatPreview(report)).toContain("of 262144 (the engine's batch cap)");
  });

  it("reports a group id SQS refuses (a space) and a missing group field", () => {
    const spaced = buildPreview(event({ customerExternalId: "acct 8K2zRq" }), destination(), queue());
    expect(spaced.reasons).toEqual([expect.objectContaining({ rule: "groupId", field: "customerExternalId" })]);
    const missing = buildPreview(event({ customerExternalId: undefined }), destination(), queue());
    expect(missing.entry.MessageGroupId).toBeUndefined();
    expect(missing.reasons.map((r) => r.rule)).toEqual(["groupId"]);
    expect(missing.wouldReject).toBe(true);
  });

  it("reports a FIFO destination whose queue is standard (SQS refuses the dedup id)", () => {
    const report = buildPreview(event(), destination(), queue({ fifo: false }));
    expect(report.reasons).toEqual([expect.objectContaining({ rule: "fifoMismatch", field: "fifo" })]);
    expect(report.reasons[0]!.message).toContain("parameter MessageDeduplicationId is invalid");
  });

  it("reports a standard destination whose queue is FIFO (SQS needs a MessageGroupId, recorded E7)", () => {
    const report = buildPreview(event(), destination(STANDARD), queue({ fifo: true }));
    expect(report.entry.MessageGroupId).toBeUndefined();
    expect(report.reasons).toEqual([expect.objectContaining({ rule: "fifoMismatch" })]);
    expect(report.reasons[0]!.message).toContain("The request must contain the parameter MessageGroupId.");
  });

  it("reports a missing queue and denied access, in either spelling of the code", () => {
    for (const code of ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"]) {
      const report = buildPreview(event(), destination(), { ok: false, code, message: "The specified queue does not exist or you do not have access to it." });
      expect(report.reasons).toEqual([expect.objectContaining({ rule: "queueMissing", field: "queueUrl" })]);
      expect(report.maxBytes).toBe(1_048_576);
    }
    const denied = buildPreview(event(), destination(), { ok: false, code: "AccessDenied", message: "Access to the resource is denied." });
    expect(denied.reasons).toEqual([expect.objectContaining({ rule: "accessDenied", field: "auth" })]);
  });

  it("does not count an unreachable queue as a rejection, and checks against SQS's default limit", () => {
    const report = buildPreview(event(), destination(), { ok: false, code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" });
    expect(report.wouldReject).toBe(false);
    expect(report.maxBytes).toBe(1_048_576);
    const text = formatPreview(report);
    expect(text).toContain("Queue       not read (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1");
    expect(text).toContain("the queue itself could not be read");
  });
});

describe("formatPreview", () => {
  it("prints the body indented, the attribute table, both ids, the size line and the verdict", () => {
    const report = buildPreview(event({ metadata: { tier: "pro" } }), destination(), queue());
    const text = formatPreview(report);
    expect(text).toContain('    "eventType": "order.completed",');
    expect(text).toMatch(/^ {2}Name\s+DataType\s+Value$/m);
    expect(text).toMatch(/^ {2}tier\s+String\s+pro$/m);
    expect(text).toContain("MessageGroupId          acct_8K2zRq");
    expect(text).toContain("MessageDeduplicationId  order_38a91f-completed");
    expect(text).toContain(`Size ${report.bytes} bytes of 1048576 (queue MaximumMessageSize)`);
    expect(text.trimEnd().split("\n").at(-1)).toBe("AWS would accept this entry.");
    expect(text).not.toContain(SECRET);
  });

  it("prints each reason on its own line when AWS would reject the entry", () => {
    const report = buildPreview(event({ customerExternalId: "a b", payload: { blob: "x".repeat(2_000) } }), destination(), queue({ maximumMessageSize: 1_024 }));
    const lines = formatPreview(report).trimEnd().split("\n");
    const verdict = lines.findIndex((l) => l.startsWith("AWS would reject this entry (2 reasons)"));
    expect(verdict).toBeGreaterThan(0);
    expect(lines.slice(verdict + 1).map((l) => l.trim().split(" ")[0])).toEqual(["groupId", "oversize"]);
  });
});
