import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { evaluateBatchResponse } from "../../src/consumers/batch-response.js";
import { ConsumerConfigError } from "../../src/consumers/config-error.js";
import { RuntimeCrashError, ScriptedSpecError, compileScriptedSpec, scriptedHandler, type ScriptedSpec } from "../../src/consumers/scripted.js";
import type { HandlerContext, LambdaSqsRecord } from "../../src/consumers/types.js";

const context: HandlerContext = { consumer: "lambda", name: "scripted", now: 0 };

function record(messageId: string, extra: { body?: string; groupId?: string; attributes?: Record<string, string> } = {}): LambdaSqsRecord {
  const messageAttributes: LambdaSqsRecord["messageAttributes"] = {};
  for (const [name, value] of Object.entries(extra.attributes ?? {})) {
    messageAttributes[name] = { stringValue: value, stringListValues: [], binaryListValues: [], dataType: "String" };
  }
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: extra.body ?? `body of ${messageId}`,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1767225600000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1767225600000",
      ...(extra.groupId !== undefined ? { MessageGroupId: extra.groupId } : {}),
    },
    messageAttributes,
    md5OfBody: "0",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:orders",
    awsRegion: "us-east-1",
  };
}

function make(spec: ScriptedSpec) {
  const clock = new VirtualClock();
  return { clock, handler: scriptedHandler(spec, { clock }) };
}

/** The settled outcome of one invocation, in the InvocationOutcome shape the batch rules take. */
async function invoke(handler: ReturnType<typeof scriptedHandler>, records: LambdaSqsRecord[]) {
  try {
    return { kind: "returned" as const, value: await handler({ Records: records }, context) };
  } catch (error) {
    return { kind: "threw" as const, error };
  }
}

// AWS Lambda Developer Guide, "Handling errors for an SQS event source in Lambda": a function that
// throws fails the whole batch; with ReportBatchItemFailures it returns
// `{ batchItemFailures: [{ itemIdentifier: messageId }] }` and an empty list means full success.
describe("scriptedHandler: failing on cue", () => {
  it("failTimes fails each message its first N deliveries, counted per messageId", async () => {
    const { handler } = make({ failTimes: 2 });
    const a = record("a");
    const b = record("b");
    const first = await invoke(handler, [a]);
    expect(first.kind).toBe("threw");
    expect(String((first as { error: Error }).error.message)).toBe("scripted failure of a (failTimes 2, delivery 1)");
    expect((await invoke(handler, [a, b])).kind).toBe("threw"); // a: delivery 2, b: delivery 1
    expect(await invoke(handler, [a])).toEqual({ kind: "returned", value: undefined });
    expect((await invoke(handler, [b])).kind).toBe("threw"); // b: delivery 2
    expect(await invoke(handler, [b])).toEqual({ kind: "returned", value: undefined });
  });

  it("returnFailures reports only the failed messages, which the batch rules read as a partial failure", async () => {
    const { handler } = make({ failTimes: 1, returnFailures: true });
    const outcome = await invoke(handler, [record("a"), record("b")]);
    expect(outcome).toEqual({ kind: "returned", value: { batchItemFailures: [{ itemIdentifier: "a" }, { itemIdentifier: "b" }] } });
    const retry = await invoke(handler, [record("b"), record("c")]);
    expect(retry).toEqual({ kind: "returned", value: { batchItemFailures: [{ itemIdentifier: "c" }] } });
    expect(evaluateBatchResponse([{ messageId: "b" }, { messageId: "c" }], retry, { reportBatchItemFailures: true })).toEqual({
      succeeded: ["b"],
      failed: [{ messageId: "c", reason: "reported" }],
    });
    // No failure at all: an empty list, full success.
    expect(await invoke(handler, [record("b")])).toEqual({ kind: "returned", value: { batchItemFailures: [] } });
  });

  it.each<[string, ScriptedSpec["failIf"], string[]]>([
    // m3 is reported too: it follows the failed m2 in group g-b (a FIFO function stops at a group's first failure).
    ["a predicate", (r) => r.messageId.endsWith("2"), ["m2", "m3"]],
    ["bodyContains", { bodyContains: "poison" }, ["m1"]],
    ["attribute", { attribute: { name: "tier", value: "gold" } }, ["m3"]],
    ["groupId", { groupId: "g-b" }, ["m2", "m3"]],
  ])("failIf with %s fails the matching messages on every delivery", async (_label, failIf, expected) => {
    const { handler } = make({ failIf, returnFailures: true });
    const records = [
      record("m1", { body: '{"poison":true}', groupId: "g-a" }),
      record("m2", { groupId: "g-b", attributes: { tier: "silver" } }),
      record("m3", { groupId: "g-b", attributes: { tier: "gold" } }),
    ];
    for (let delivery = 1; delivery <= 3; delivery++) {
      const outcome = await invoke(handler, records);
      expect(outcome).toEqual({ kind: "returned", value: { batchItemFailures: expected.map((id) => ({ itemIdentifier: id })) } });
    }
  });

  it("takes an EventBridge Pipes batch (a bare array of records) too", async () => {
    const { handler } = make({ failIf: { bodyContains: "bad" }, returnFailures: true });
    expect(await handler([record("x", { body: "bad" }), record("y")], { ...context, consumer: "pipe" })).toEqual({ batchItemFailures: [{ itemIdentifier: "x" }] });
  });
});

describe("scriptedHandler: slow and crashing runtimes", () => {
  // SQS Developer Guide, "Amazon SQS visibility timeout": a slow consumer holds a message for as long
  // as it runs, so slowness is measured on the run's clock, not the wall clock.
  it("slowMs answers only once that much clock time has passed", async () => {
    const { clock, handler } = make({ slowMs: "2s" });
    let settled = false;
    const pending = Promise.resolve(handler({ Records: [record("a")] }, context)).then(() => (settled = true));
    await clock.advance(1_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    await pending;
    expect(settled).toBe(true);
  });

  // AWS Lambda Developer Guide, "Troubleshoot invocation issues": a runtime that dies mid-invocation is
  // reported as Runtime.ExitError, and the whole batch counts as failed.
  it("crash: true throws Runtime.ExitError on every invocation, even with returnFailures", async () => {
    const { handler } = make({ crash: true, returnFailures: true });
    for (let n = 0; n < 2; n++) {
      const outcome = await invoke(handler, [record("a"), record("b")]);
      expect(outcome.kind).toBe("threw");
      expect((outcome as { error: unknown }).error).toBeInstanceOf(RuntimeCrashError);
      expect(evaluateBatchResponse([{ messageId: "a" }, { messageId: "b" }], outcome, { reportBatchItemFailures: true }).succeeded).toEqual([]);
    }
  });

  it("crash: { after: n } crashes once, on the first invocation after n records, then recovers", async () => {
    const { handler } = make({ crash: { after: 3 } });
    const kinds: string[] = [];
    for (let n = 0; n < 5; n++) kinds.push((await invoke(handler, [record(`a${n}`), record(`b${n}`)])).kind);
    // 0 and 2 records delivered before the first two calls; 4 ≥ 3 before the third.
    expect(kinds).toEqual(["returned", "returned", "threw", "returned", "returned"]);
  });

  it("a crashed delivery counts toward failTimes", async () => {
    const { handler } = make({ crash: { after: 0 }, failTimes: 1 });
    expect((await invoke(handler, [record("a")])).kind).toBe("threw");
    expect(await invoke(handler, [record("a")])).toEqual({ kind: "returned", value: undefined });
  });
});

// STYLE "Errors and options": one compiler turns user input into a resolved object or an error that
// names the field.
describe("compileScriptedSpec", () => {
  it("fills defaults and normalises durations", () => {
    expect(compileScriptedSpec({ slowMs: "1.5s", crash: { after: 10 } })).toEqual({ failTimes: 0, slowMs: 1_500, crash: { after: 10 }, returnFailures: false });
    expect(compileScriptedSpec({}).crash).toBe(false);
  });

  it.each<[unknown, string, string]>([
    [{ failTimes: -1 }, "scripted.failTimes", "scripted.failTimes: must be an integer ≥ 0, got -1"],
    [{ failTimes: 1.5 }, "scripted.failTimes", "scripted.failTimes: must be an integer ≥ 0, got 1.5"],
    [{ slowMs: "fast" }, "scripted.slowMs", 'scripted.slowMs: must be a duration ≥ 0 (500, "500ms", "30s", "5m"), got "fast"'],
    [{ crash: { after: -2 } }, "scripted.crash", 'scripted.crash: must be true, false or { after: n } with an integer n ≥ 0, got {"after":-2}'],
    [{ crash: "sometimes" }, "scripted.crash", 'scripted.crash: must be true, false or { after: n } with an integer n ≥ 0, got "sometimes"'],
    [{ returnFailures: "yes" }, "scripted.returnFailures", 'scripted.returnFailures: must be true or false, got "yes"'],
    [{ failIf: { bodyContains: "" } }, "scripted.failIf.bodyContains", 'scripted.failIf.bodyContains: must be a non-empty string, got ""'],
    [{ failIf: { attribute: { name: "tier" } } }, "scripted.failIf.attribute", 'scripted.failIf.attribute: must be { name: string, value: string }, got {"name":"tier"}'],
    [{ failIf: { bodyMatches: "x" } }, "scripted.failIf.bodyMatches", 'scripted.failIf.bodyMatches: is not a matcher; failIf must be a function, { bodyContains: "text" }, { attribute: { name, value } } or { groupId: "id" }'],
    [{ failIf: { groupId: "a", bodyContains: "b" } }, "scripted.failIf", expect.stringContaining("scripted.failIf: must be a function") as unknown as string],
    [{ failtimes: 2 }, "scripted.failtimes", "scripted.failtimes: is not a scripted behaviour; use failTimes, failIf, slowMs, crash, returnFailures"],
    [[1], "scripted", "scripted: must be an object with any of failTimes, failIf, slowMs, crash, returnFailures"],
  ])("rejects %j naming the field", (input, field, message) => {
    let caught: unknown;
    try {
      compileScriptedSpec(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScriptedSpecError);
    expect(caught).toBeInstanceOf(ConsumerConfigError);
    expect((caught as ScriptedSpecError).field).toBe(field);
    expect((caught as ScriptedSpecError).message).toEqual(message);
  });

  it("scriptedHandler validates its spec up front", () => {
    expect(() => scriptedHandler({ failTimes: -1 }, { clock: new VirtualClock() })).toThrow(ScriptedSpecError);
  });
});
