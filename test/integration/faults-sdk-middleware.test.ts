// The AWS SDK middleware attachment (issue 5, for the `aws` backend): the same fault decisions inside a
// real @aws-sdk/client-sqs client, after signing, so the SDK parses an injected answer as if AWS had sent
// it. Error wire form: SQS-FACTS "JSON errors" (`__type`, `x-amzn-query-error: Code;Sender`); AccessDenied
// 403 (SQS API reference, Common Errors: AccessDeniedException / query AccessDenied, 403 in query mode).
import { createHash, createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { attachFaults, FaultInjector } from "../../src/faults/index.js";
import { createTarget, CREDENTIALS, sdkClient, type SqsTarget } from "../support/target.js";

let target: SqsTarget;
let injector: FaultInjector;
let queueUrl: string;

beforeEach(async () => {
  target = await createTarget();
  injector = new FaultInjector({ clock: target.clock!, journal: target.journal!, seed: 3 });
  attachFaults(target.client, injector, target.clock!);
  queueUrl = (await target.client.send(new CreateQueueCommand({ QueueName: target.name("mw") }))).QueueUrl!;
});

afterEach(async () => {
  await target.close();
});

function setRules(rules: unknown): void {
  const set = injector.setRules(rules);
  if (!set.ok) throw new Error(JSON.stringify(set.errors));
}

const enqueued = () => target.journal!.records("message.enqueued");

async function receiveAll(client: SQSClient = target.client): Promise<string[]> {
  const out = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body!).sort();
}

describe("attachFaults: injected errors (SQS API reference, Common Errors; SQS-FACTS JSON errors)", () => {
  it("surfaces an injected AccessDenied as the SDK's own error with status 403, and nothing reaches the queue", async () => {
    setRules([{ on: "SendMessage", error: "AccessDenied" }]);
    const err = await target.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "secret" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } });
    expect((err as Error).message).toMatch(/^Access to the resource .*is denied\.$/);
    expect(enqueued()).toHaveLength(0);
    expect(target.journal!.records("fault.injected")).toEqual([expect.objectContaining({ rule: 0, action: "SendMessage", effect: "error", error: "AccessDenied" })]);
    // Requests no rule picks pass untouched (other actions here).
    expect(await receiveAll()).toEqual([]);
  });

  it("lets the SDK retry an injected throttle by itself, each attempt meeting the rules again (SDK retry: Throttling is retryable)", async () => {
    const retrying = sdkClient(target.endpoint, { maxAttempts: 2 });
    attachFaults(retrying, injector, target.clock!);
    setRules([{ on: "SendMessage", error: "Throttling", times: 1 }]);
    const out = await retrying.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "after a retry" }));
    expect(out.$metadata.attempts).toBe(2);
    expect(target.journal!.records("fault.injected")).toHaveLength(1);
    expect(enqueued()).toHaveLength(1);
    retrying.destroy();
  });

  it("does not retry AccessDenied even with attempts to spare (a non-retryable client error)", async () => {
    const retrying = sdkClient(target.endpoint, { maxAttempts: 3 });
    attachFaults(retrying, injector, target.clock!);
    setRules([{ on: "SendMessage", error: "AccessDenied" }]);
    const err = await retrying.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AccessDenied", $metadata: { attempts: 1 } });
    expect(target.journal!.records("fault.injected")).toHaveLength(1);
    retrying.destroy();
  });
});

describe("attachFaults: delay, reset and lost answers", () => {
  it("holds a request for the delay on the virtual clock before the backend sees it", async () => {
    setRules([{ on: "SendMessage", delay: "5s" }]);
    let done = false;
    const sending = target.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "late" })).then((r) => ((done = true), r));
    await target.journal!.waitFor("fault.injected", (r) => r.effect === "delay");
    await target.advance(4_999);
    expect(done).toBe(false);
    expect(enqueued()).toHaveLength(0);
    await target.advance(1);
    expect((await sending).MessageId).toBeDefined();
    expect(enqueued()).toHaveLength(1);
  });

  it("resets the connection before the backend sees the request: the SDK gets ECONNRESET", async () => {
    setRules([{ on: "SendMessage", reset: true }]);
    const err = await target.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "lost" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ECONNRESET" });
    expect(enqueued()).toHaveLength(0);
  });

  it("drops the answer after the backend committed: the SDK gets ECONNRESET and the message is stored", async () => {
    setRules([{ on: "SendMessage", dropResponse: true }]);
    const err = await target.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "stored" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ECONNRESET" });
    expect(enqueued()).toHaveLength(1);
    expect(await receiveAll()).toEqual(["stored"]);
  });

  it("loses the answer for the handler's timeout, then fails with the SDK's TimeoutError", async () => {
    const client = sdkClient(target.endpoint);
    attachFaults(client, injector, target.clock!, { responseTimeoutMs: 30_000 });
    setRules([{ on: "SendMessage", dropResponse: "timeout" }]);
    let settled = false;
    const sending = client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "committed" })).catch((e: unknown) => e).finally(() => (settled = true));
    await target.journal!.waitFor("fault.injected", (r) => r.effect === "dropResponse");
    await target.journal!.waitFor("message.enqueued");
    const before = target.clock!.pendingTimers();
    // The lost answer's timeout starts when the (committed) response reaches the client: wait for its timer.
    for (let i = 0; i < 10_000 && target.clock!.pendingTimers() <= before; i++) await new Promise((r) => setImmediate(r));
    expect(target.clock!.pendingTimers()).toBeGreaterThan(before);
    await target.advance(29_999);
    expect(settled).toBe(false);
    await target.advance(1);
    expect(await sending).toMatchObject({ name: "TimeoutError" });
    client.destroy();
  });
});

describe("attachFaults: partial batch failure (SendMessageBatch API reference: HTTP 200, entries in Successful or Failed)", () => {
  it("stores only the other entries, reports the chosen one in Failed, and signs the rewritten request again", async () => {
    const signed: { headers: Record<string, string>; body: string; path: string; method: string }[] = [];
    // Records what leaves the client after the fault layer (added after it, so it sits below it).
    target.client.middlewareStack.addRelativeTo(
      ((next: (a: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
        const r = args.request as { headers: Record<string, string>; body: string | Uint8Array; path: string; method: string };
        const body = typeof r.body === "string" ? r.body : Buffer.from(r.body).toString("utf8");
        if (r.headers["x-amz-target"] === "AmazonSQS.SendMessageBatch") signed.push({ headers: { ...r.headers }, body, path: r.path, method: r.method });
        return next(args);
      }) as never,
      { name: "capture", relation: "after", toMiddleware: "sqsrigFaults" },
    );
    setRules([{ on: "SendMessageBatch", partial: { entries: [1], senderFault: false } }]);
    const out = await target.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [0, 1, 2].map((i) => ({ Id: `e${i}`, MessageBody: `m${i}` })),
      }),
    );
    expect(out.Successful!.map((s) => s.Id).sort()).toEqual(["e0", "e2"]);
    expect(out.Failed).toEqual([{ Id: "e1", SenderFault: false, Code: "InternalError", Message: expect.any(String) }]);
    expect(await receiveAll()).toEqual(["m0", "m2"]);
    // The request that reached the queue carries only the kept entries, with a valid SigV4 signature for them.
    expect(signed).toHaveLength(1);
    expect(JSON.parse(signed[0]!.body).Entries.map((e: { Id: string }) => e.Id)).toEqual(["e0", "e2"]);
    expect(signed[0]!.headers["content-length"]).toBe(String(Buffer.byteLength(signed[0]!.body)));
    // The SDK signs the payload hash header too; it must name the body actually sent.
    expect(signed[0]!.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(signed[0]!.body).digest("hex"));
    expect(signatureValid(signed[0]!)).toBe(true);
  });
});

/**
 * Recomputes an AWS Signature Version 4 (AWS General Reference, "Create a signed AWS API request") over
 * the headers the Authorization header names and the body as sent; true when it matches.
 */
function signatureValid(request: { headers: Record<string, string>; body: string; path: string; method: string }): boolean {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const auth = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(headers.authorization ?? "");
  if (!auth) return false;
  const [, , date, region, service, signedHeaders, signature] = auth as unknown as string[];
  const names = signedHeaders!.split(";");
  const canonical = [
    request.method,
    request.path,
    "",
    ...names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, " ")}`),
    "",
    signedHeaders,
    createHash("sha256").update(request.body).digest("hex"),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", headers["x-amz-date"], scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  let key: Buffer = createHmac("sha256", `AWS4${CREDENTIALS.secretAccessKey}`).update(date!).digest();
  for (const part of [region!, service!, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(toSign).digest("hex") === signature;
}
