// Edge cases of the fault layer found in review. Query batches may number entries with gaps (SQS sorts the
// numbers it is given: SendMessageBatch "SendMessageBatchRequestEntry.N"); queue-naming actions name the
// queue by QueueName (GetQueueUrl API reference); STS shares the port but is not SQS; a batch SQS refuses
// whole keeps that answer (BatchEntryIdsNotDistinct).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { openEmulator } from "../../src/emulator/index.js";
import { FaultInjector, compileFaultRules, parseWireRequest, withFaults, type WireRequest } from "../../src/faults/index.js";
import { createJournal } from "../../src/journal/index.js";

const form = (fields: Record<string, string>): WireRequest => ({
  url: "/",
  headers: { "content-type": "application/x-www-form-urlencoded", host: "127.0.0.1:4590" },
  body: Buffer.from(new URLSearchParams(fields).toString()),
});

async function rig() {
  const clock = new VirtualClock();
  const journal = createJournal(clock);
  const embedded = await openEmulator({ clock, journal });
  const faults = new FaultInjector({ clock, journal });
  return { clock, journal, embedded, faults, handle: withFaults(embedded.handleWire, faults, clock) };
}

describe("fault layer edges", () => {
  it("reads query batches whose entry numbers have gaps, and a partial keeps the others stored", async () => {
    const { handle, faults, embedded } = await rig();
    await handle(form({ Action: "CreateQueue", QueueName: "q" }));
    const url = "http://127.0.0.1:4590/000000000000/q";
    faults.setRules([{ on: "SendMessageBatch", match: { entry: "b" }, partial: { senderFault: false } }]);
    const batch = form({
      Action: "SendMessageBatch",
      QueueUrl: url,
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "first",
      "SendMessageBatchRequestEntry.3.Id": "b",
      "SendMessageBatchRequestEntry.3.MessageBody": "second",
      "SendMessageBatchRequestEntry.7.Id": "c",
      "SendMessageBatchRequestEntry.7.MessageBody": "third",
    });
    expect(parseWireRequest(batch)?.entries.map((e) => [e.id, e.queryNumber])).toEqual([["a", 1], ["b", 3], ["c", 7]]);
    const answer = await handle(batch);
    expect(answer.status).toBe(200);
    expect(answer.body.match(/<SendMessageBatchResultEntry><Id>(\w)<\/Id>/g)?.length).toBe(2);
    expect(answer.body).toContain("<BatchResultErrorEntry><Id>b</Id>");
    expect(embedded.emulator.all()[0]!.attributes).toBeDefined();
    const stored = await handle(form({ Action: "GetQueueAttributes", QueueUrl: url, "AttributeName.1": "ApproximateNumberOfMessages" }));
    expect(stored.body).toContain("<Value>2</Value>");
  });

  it("matches GetQueueUrl by QueueName, ignores STS on the same port, and leaves whole-batch errors alone", async () => {
    const { handle, faults } = await rig();
    faults.setRules([{ on: "GetQueueUrl", match: { queue: "orders" }, error: "AccessDenied" }]);
    expect((await handle(form({ Action: "GetQueueUrl", QueueName: "orders" }))).status).toBe(403);
    faults.setRules([{ on: "*", error: "Throttling" }]);
    expect(parseWireRequest(form({ Action: "AssumeRole", RoleArn: "arn:aws:iam::000000000000:role/r" }))).toBeUndefined();
    faults.setRules([{ on: "SendMessageBatch", partial: { entries: [0] } }]);
    await handle(form({ Action: "CreateQueue", QueueName: "q" }));
    const duplicate = await handle(
      form({
        Action: "SendMessageBatch",
        QueueUrl: "http://127.0.0.1:4590/000000000000/q",
        "SendMessageBatchRequestEntry.1.Id": "d",
        "SendMessageBatchRequestEntry.1.MessageBody": "x",
        "SendMessageBatchRequestEntry.2.Id": "d",
        "SendMessageBatchRequestEntry.2.MessageBody": "y",
      }),
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toContain("BatchEntryIdsNotDistinct");
  });

  it("a /g body regex matches every entry; attempts survive a rule change; a malformed target passes untouched", async () => {
    const { faults, journal } = await rig();
    const entry = (index: number, body: string) => ({ index, id: `e${index}`, body, attributes: {} });
    const request = { protocol: "json" as const, action: "SendMessageBatch", queue: "q", entries: [entry(0, "a"), entry(1, "x"), entry(2, "x")] };
    faults.setRules([{ on: "SendMessageBatch", match: { body: "/x/g" }, partial: {} }]);
    expect(faults.decide(request)?.failing).toEqual([1, 2]);
    faults.setRules([{ on: "SendMessageBatch", match: { attempt: 2 }, error: "Throttling" }]);
    expect(faults.decide(request)).toBeUndefined();
    // The same messages again: attempt 2 under new rules, the history kept.
    faults.setRules([{ on: "SendMessageBatch", match: { attempt: 2 }, error: "Throttling" }]);
    expect(faults.decide(request)?.effect.kind).toBe("error");
    expect(journal.records("fault.injected")).toHaveLength(2);
    expect(parseWireRequest({ url: "//", headers: {}, body: Buffer.from("Action=ListQueues") })).toBeUndefined();
  });

  it("accepts what GET /api/faults writes (index) and refuses unknown keys beside rules; an earlier rule with times does not shadow", () => {
    expect(compileFaultRules([{ index: 0, on: "SendMessage", error: "Throttling" }]).ok).toBe(true);
    const extra = compileFaultRules({ rules: [], seed: 3 });
    expect(extra.ok === false && extra.errors[0]!.message).toBe(`Unknown field 'seed' next to "rules".`);
    const staged = compileFaultRules([
      { on: "SendMessage", error: "Throttling", times: 2, during: { from: 0, to: "1m" } },
      { on: "SendMessage", error: "InternalError", during: { from: "30s", to: "2m" } },
    ]);
    expect(staged.ok).toBe(true);
    const shadowed = compileFaultRules([
      { on: "*", error: "Throttling", during: { from: 0, to: "1m" } },
      { on: "SendMessage", error: "InternalError", during: { from: "30s", to: "2m" } },
    ]);
    expect(shadowed.ok).toBe(false);
  });
});
