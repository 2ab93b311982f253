// `GET/PUT /api/faults` and what a client of the sqsrig port then sees (issue 5 "Show it works"; DESIGN
// "Faults": rules read and replaced at run time, bad rules rejected naming the rule and field with the
// running set untouched). Error wire forms follow SQS-FACTS "JSON errors" (`__type` plus
// `x-amzn-query-error: Code;Sender|Receiver`), the SQS API reference "Common Errors" (ThrottlingException
// 400, AccessDeniedException 403, InternalError 500, ServiceUnavailable 503) and, for the query protocol,
// recorded-errors E25 ("The specified queue does not exist for this wsdl version.") and the
// SendMessageBatch reference (BatchResultErrorEntry: Id, SenderFault, Code, Message).
import { SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { createFaultsRig, type FaultsRig, type FaultsRigOptions } from "../support/faults-server-rig.js";
import { all, one, postQuery, textAt } from "../support/wire.js";

const rigs: FaultsRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function rig(options: FaultsRigOptions = {}): Promise<FaultsRig> {
  const r = await createFaultsRig(options);
  rigs.push(r);
  return r;
}

// `any`: the /api answers are checked field by field against literal shapes below.
async function call(r: FaultsRig, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${r.server.url}/api/faults`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const enqueued = (r: FaultsRig) => r.server.journal.records("message.enqueued");

describe("GET/PUT /api/faults (DESIGN Faults)", () => {
  it("lists the rules in force, compiled (durations in ms), and PUT replaces them all at once", async () => {
    const r = await rig({ faults: [{ name: "slow orders", on: "SendMessageBatch", match: { queue: "orders" }, delay: { min: "1s", max: "2s" }, times: 3 }] });
    expect(await call(r, "GET")).toEqual({
      status: 200,
      json: { rules: [{ index: 0, name: "slow orders", on: "SendMessageBatch", match: { queue: "orders" }, delay: { min: 1_000, max: 2_000 }, times: 3 }] },
    });
    const put = await call(r, "PUT", {
      rules: [
        { on: "SendMessage", error: "Throttling", probability: 0.25 },
        { on: "ReceiveMessage", reset: true, during: { from: "10s", to: "40s" }, after: 2 },
      ],
    });
    expect(put.status).toBe(200);
    const expected = [
      { index: 0, on: "SendMessage", error: "Throttling", probability: 0.25 },
      { index: 1, on: "ReceiveMessage", reset: true, after: 2, during: { from: 10_000, to: 40_000 } },
    ];
    expect(put.json).toEqual({ rules: expected });
    expect(await call(r, "GET")).toEqual({ status: 200, json: { rules: expected } });
    // One record for the start-up set, one for the replacement.
    expect(r.server.journal.records("faults.changed").map((c) => c.rules)).toEqual([1, 2]);
  });

  it("rejects bad rules with 400 naming each rule and field, and keeps the running set", async () => {
    const r = await rig({ faults: [{ on: "SendMessage", error: "AccessDenied" }] });
    const before = await call(r, "GET");
    const bad = await call(r, "PUT", [
      { on: "SendMessage", error: "NoSuchError" },
      { on: "SendMesage", error: "Throttling" },
      { on: "SendMessage", error: "Throttling", probability: 1.5 },
      { on: "ReceiveMessage", delay: 100, during: { from: "0s", to: "30s" } },
      { on: "ReceiveMessage", reset: true, during: { from: "20s", to: "60s" } },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("InvalidFaultRules");
    expect(bad.json.error.errors.map((e: { field: string }) => e.field)).toEqual(["rules[0].error", "rules[1].on", "rules[2].probability", "rules[4].during"]);
    const messages: string[] = bad.json.error.errors.map((e: { message: string }) => e.message);
    expect(messages[0]).toMatch(/^Rule 0: unknown error 'NoSuchError'/);
    expect(messages[1]).toMatch(/^Rule 1: 'SendMesage' is not an SQS action/);
    expect(messages[2]).toMatch(/^Rule 2: probability must be a number from 0 to 1, not 1.5/);
    expect(messages[3]).toMatch(/^Rule 4.*overlaps rule 3/);

    expect(await call(r, "PUT", { rules: "none" })).toMatchObject({ status: 400, json: { error: { errors: [{ field: "rules" }] } } });
    expect(await call(r, "GET")).toEqual(before);
    expect(r.server.journal.records("faults.changed")).toHaveLength(1);
    // The old rule still decides requests.
    const url = await r.queue("still-denied");
    await expect(r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("an SDK client of the sqsrig port sees the injected answer as from AWS (SQS API reference: Common Errors; SQS-FACTS JSON errors)", () => {
  it.each([
    ["Throttling", "Throttling", "client", 400, "Throttling;Sender"],
    ["RequestThrottled", "RequestThrottled", "client", 403, "RequestThrottled;Sender"],
    ["AccessDenied", "AccessDenied", "client", 403, "AccessDenied;Sender"],
    ["QueueDoesNotExist", "QueueDoesNotExist", "client", 400, "AWS.SimpleQueueService.NonExistentQueue;Sender"],
    ["InternalError", "InternalError", "server", 500, "InternalError;Receiver"],
    ["ServiceUnavailable", "ServiceUnavailable", "server", 503, "ServiceUnavailable;Receiver"],
  ] as const)("%s: name %s, $fault %s, HTTP %i, x-amzn-query-error %s; nothing stored", async (error, name, fault, status, header) => {
    const r = await rig();
    const url = await r.queue("q");
    await r.putFaults([{ on: "SendMessage", error }]);
    const err = await r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name, $fault: fault, $metadata: { httpStatusCode: status } });
    // The raw response the SDK parsed (non-enumerable on the exception).
    const response = (err as { $response?: { headers: Record<string, string> } }).$response;
    expect(response?.headers["x-amzn-query-error"]).toBe(header);
    expect(enqueued(r)).toEqual([]);
    expect(r.server.journal.records("fault.injected")).toEqual([expect.objectContaining({ rule: 0, action: "SendMessage", queue: "q", effect: "error", error })]);
  });

  it("delay holds the answer on the virtual clock: nothing reaches the queue until the clock has moved the full delay", async () => {
    const r = await rig();
    const url = await r.queue("slow");
    await r.putFaults([{ on: "SendMessage", delay: "5s" }]);
    const start = r.clock.now();
    let answered = false;
    const sent = r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "late" })).finally(() => (answered = true));
    expect(await r.server.journal.waitFor("fault.injected")).toMatchObject({ effect: "delay", delayMs: 5_000 });
    await r.clock.advance(4_999);
    expect(enqueued(r)).toEqual([]);
    expect(answered).toBe(false);
    await r.clock.advance(1);
    expect((await sent).MessageId).toEqual(expect.any(String));
    expect(enqueued(r)).toEqual([expect.objectContaining({ t: start + 5_000 })]);
  });

  it("reset: the client's socket is reset and nothing is stored; dropResponse: the same error, but SQS stored the message", async () => {
    const r = await rig();
    const url = await r.queue("lossy");
    await r.putFaults([
      { on: "SendMessage", reset: true, times: 1 },
      { on: "SendMessage", dropResponse: true, times: 1 },
    ]);
    const reset = await r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "first" })).catch((e: unknown) => e);
    expect(reset).toMatchObject({ code: "ECONNRESET", message: "socket hang up" });
    expect(enqueued(r)).toEqual([]);
    const dropped = await r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "second" })).catch((e: unknown) => e);
    expect(dropped).toMatchObject({ code: "ECONNRESET", message: "socket hang up" });
    expect(enqueued(r)).toHaveLength(1);
    expect(r.server.journal.records("fault.injected").map((f) => f.effect)).toEqual(["reset", "dropResponse"]);
  });

  it("partial: SendMessageBatch answers 200 with the chosen entry in Failed[] and the others stored (SendMessageBatch reference)", async () => {
    const r = await rig();
    const url = await r.queue("batch");
    await r.putFaults([{ on: "SendMessageBatch", partial: { entries: ["b"], senderFault: false } }]);
    const out = await r.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: ["a", "b", "c"].map((Id) => ({ Id, MessageBody: `body ${Id}` })) }),
    );
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(["a", "c"]);
    expect(out.Failed).toEqual([{ Id: "b", SenderFault: false, Code: "InternalError", Message: "Internal error: injected entry failure." }]);
    expect(enqueued(r).map((m) => m.messageId).sort()).toEqual(out.Successful!.map((s) => s.MessageId).sort());
  });
});

describe("the query protocol gets the XML forms (SQS API reference: Common Errors; recorded-errors E25; SendMessageBatch BatchResultErrorEntry)", () => {
  it("an injected error comes back as an XML ErrorResponse with the query code and wording", async () => {
    const r = await rig();
    const url = await r.queue("q");
    await r.putFaults([
      { on: "SendMessage", match: { body: "denied" }, error: "AccessDenied" },
      { on: "SendMessage", match: { body: "missing" }, error: "QueueDoesNotExist" },
      { on: "SendMessage", match: { body: "down" }, error: "ServiceUnavailable" },
    ]);
    const denied = await postQuery(r.server.url, { Action: "SendMessage", QueueUrl: url, MessageBody: "denied" });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toBe("text/xml");
    expect(denied.xml.name).toBe("ErrorResponse");
    expect(textAt(denied.xml, "Error", "Type")).toBe("Sender");
    expect(textAt(denied.xml, "Error", "Code")).toBe("AccessDenied");
    expect(textAt(denied.xml, "RequestId")).toBe(denied.headers.get("x-amzn-requestid"));

    const missing = await postQuery(r.server.url, { Action: "SendMessage", QueueUrl: url, MessageBody: "missing" });
    expect(missing.status).toBe(400);
    expect(textAt(missing.xml, "Error", "Code")).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(textAt(missing.xml, "Error", "Message")).toBe("The specified queue does not exist for this wsdl version.");

    // AWS answers 503 on the query protocol with a bare element (celery/celery#4159).
    const down = await postQuery(r.server.url, { Action: "SendMessage", QueueUrl: url, MessageBody: "down" });
    expect(down.status).toBe(503);
    expect(down.text).toBe("<ServiceUnavailableException/>");
    expect(enqueued(r)).toEqual([]);
  });

  it("partial: an XML BatchResultErrorEntry for the chosen entry, result entries and stored messages for the rest", async () => {
    const r = await rig();
    const url = await r.queue("batch");
    await r.putFaults([{ on: "SendMessageBatch", partial: { entries: [1], senderFault: true } }]);
    const params: Record<string, string> = { Action: "SendMessageBatch", QueueUrl: url };
    ["a", "b", "c"].forEach((id, i) => {
      params[`SendMessageBatchRequestEntry.${i + 1}.Id`] = id;
      params[`SendMessageBatchRequestEntry.${i + 1}.MessageBody`] = `body ${id}`;
    });
    const res = await postQuery(r.server.url, params);
    expect(res.status).toBe(200);
    const result = one(res.xml, "SendMessageBatchResult");
    expect(all(result, "SendMessageBatchResultEntry").map((e) => textAt(e, "Id"))).toEqual(["a", "c"]);
    const failed = all(result, "BatchResultErrorEntry");
    expect(failed.map((e) => [textAt(e, "Id"), textAt(e, "SenderFault"), textAt(e, "Code"), textAt(e, "Message")])).toEqual([
      ["b", "true", "InvalidParameterValue", "The request was rejected: injected entry failure."],
    ]);
    expect(enqueued(r)).toHaveLength(2);
  });

  it("reset: the raw HTTP client's connection is cut without an answer, and nothing is stored", async () => {
    const r = await rig();
    const url = await r.queue("q");
    await r.putFaults([{ on: "SendMessage", reset: true }]);
    const err = await postQuery(r.server.url, { Action: "SendMessage", QueueUrl: url, MessageBody: "x" }).catch((e: unknown) => e);
    // undici's fetch: "fetch failed", caused by the socket closing under it.
    expect(err).toMatchObject({ name: "TypeError", message: "fetch failed", cause: { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) } });
    expect(enqueued(r)).toEqual([]);
    expect(r.server.journal.records("fault.injected")).toEqual([expect.objectContaining({ effect: "reset", action: "SendMessage", queue: "q" })]);
  });
});
