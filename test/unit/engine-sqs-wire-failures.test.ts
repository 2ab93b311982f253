import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { classifyFailure, sdkWouldRetry } from "../../src/engine/retry-policy.js";
import type { FailureInfo } from "../../src/engine/retry-policy.js";
import type { SqsDestination } from "../../src/engine/destination.js";
import type { BatchOutcome, QueueClient, SendEntry } from "../../src/engine/queue-client.js";
import { createSqsQueueClient, sqsEndpointFor, type SqsQueueClientOptions } from "../../src/engine/sqs-queue-client.js";
import { describeFailure, failureFromError } from "../../src/engine/sdk-failure.js";
import { md5OfMessageAttributes } from "../../src/sqs/index.js";
import { md5Hex } from "../support/messages.js";
import { jsonError, jsonOk, startScriptedSqs, type ScriptedReply, type ScriptedSqs } from "../support/scripted-sqs.js";
import { CREDENTIALS } from "../support/target.js";

/**
 * The SDK v3 sender against a scripted HTTP server on 127.0.0.1, for what the emulator cannot answer on
 * demand. Wire shapes follow SQS-FACTS "JSON errors" (`__type` body plus `x-amzn-query-error`), the
 * SendMessageBatch API reference (Successful[]/Failed[]) and the SDK's retry rules
 * (`@smithy/service-error-classification`; SQS-FACTS "Throttling").
 */
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function scripted(reply: (body: Record<string, unknown>) => ScriptedReply): Promise<ScriptedSqs> {
  const server = await startScriptedSqs((req) => reply(req.body));
  open.push(server);
  return server;
}

function sender(queueUrl: string, options: Partial<SqsQueueClientOptions> = {}): QueueClient {
  const destination: SqsDestination = { type: "SQS", name: "d", queueUrl, region: "us-east-1", fifo: false, messageGroupIdField: "customerExternalId", auth: { mode: "ACCESS_KEYS", ...CREDENTIALS } };
  const client = createSqsQueueClient(destination, { credentials: CREDENTIALS, ...options });
  open.push(client);
  return client;
}

const entry = (Id: string, MessageBody = `body-${Id}`, extra: Partial<SendEntry> = {}): SendEntry => ({ Id, MessageBody, MessageAttributes: {}, ...extra });
type Entries = { Id: string; MessageBody: string }[];
const okFor = (e: { Id: string; MessageBody: string }) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5Hex(e.MessageBody) });

function errorOf(outcome: BatchOutcome) {
  if (outcome.kind !== "error") throw new Error("expected the request to fail");
  return outcome;
}
const verdict = (f: FailureInfo) => ({ class: classifyFailure(f), sdkWouldRetry: sdkWouldRetry(f) });

describe("the request on the wire", () => {
  // AWS JSON 1.0 (SQS-FACTS "Wire protocols"): POST with X-Amz-Target AmazonSQS.SendMessageBatch to the
  // queue URL's host; binary attributes are base64 in JSON. maxAttempts 1: exactly one request per call.
  it("sends one SendMessageBatch to the queue URL's origin, binary attributes as base64", async () => {
    const server = await scripted((b) => jsonOk({ Successful: (b.Entries as Entries).map(okFor) }));
    const attrs = { raw: { DataType: "Binary", BinaryValue: Buffer.from("hi").toString("base64") } };
    const entries = [entry("0", "a", { MessageAttributes: attrs, MessageGroupId: "g", MessageDeduplicationId: "d" }), entry("1", "b")];
    await sender(server.queueUrl("q")).sendBatch(entries);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req!.action).toBe("SendMessageBatch");
    expect(req!.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(req!.body).toEqual({
      QueueUrl: server.queueUrl("q"),
      Entries: [
        { Id: "0", MessageBody: "a", MessageAttributes: { raw: { DataType: "Binary", BinaryValue: "aGk=" } }, MessageGroupId: "g", MessageDeduplicationId: "d" },
        { Id: "1", MessageBody: "b" },
      ],
    });
  });

  // No SDK retries (DESIGN "Engine": the engine owns them), even for a 503 the SDK would retry.
  it("does not retry a 503 itself", async () => {
    const server = await scripted(() => jsonError(503, "com.amazon.coral.availability#ServiceUnavailableException", "Service Unavailable"));
    errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(server.requests).toHaveLength(1);
  });

  it("an explicit endpoint wins over the queue URL's host", async () => {
    const server = await scripted((b) => jsonOk({ Successful: (b.Entries as Entries).map(okFor) }));
    const outcome = await sender("http://127.0.0.1:9/000000000000/q", { endpoint: server.origin }).sendBatch([entry("0")]);
    expect(outcome.kind).toBe("response");
    expect(server.requests[0]!.body.QueueUrl).toBe("http://127.0.0.1:9/000000000000/q");
  });

  // SQS-FACTS "Wire protocols": SDK v3 follows the QueueUrl host; AWS hosts resolve from the region.
  it("picks the endpoint: explicit, else a non-AWS queue URL's origin, else the SDK's own", () => {
    expect(sqsEndpointFor("http://localhost:4566/000000000000/q")).toBe("http://localhost:4566");
    expect(sqsEndpointFor("https://sqs.eu-west-1.amazonaws.com/123456789012/q")).toBeUndefined();
    expect(sqsEndpointFor("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q")).toBeUndefined();
    expect(sqsEndpointFor("https://sqs.eu-west-1.amazonaws.com/123456789012/q", "http://127.0.0.1:1")).toBe("http://127.0.0.1:1");
  });

  it("close() ends the keep-alive connection", async () => {
    const server = await scripted((b) => jsonOk({ Successful: (b.Entries as Entries).map(okFor) }));
    const client = sender(server.queueUrl("q"));
    await client.sendBatch([entry("0")]);
    expect(server.openConnections()).toBe(1);
    client.close();
    await server.connectionsClosed();
    expect(server.openConnections()).toBe(0);
  });
});

// SendMessageBatch API reference: the response lists each entry in Successful[] or Failed[].
describe("per-entry results of an HTTP 200", () => {
  // The SDK's own check (middleware-sdk-sqs send-message-batch) compares MD5OfMessageBody and, when
  // attributes were sent, MD5OfMessageAttributes; here a mismatch marks the entry instead of throwing.
  it("md5Ok is false for a wrong body MD5 or a wrong attributes MD5", async () => {
    const attrs = { k: { DataType: "String", StringValue: "v" } };
    const server = await scripted(() =>
      jsonOk({
        Successful: [
          { Id: "right", MessageId: "m1", MD5OfMessageBody: md5Hex("r"), MD5OfMessageAttributes: md5OfMessageAttributes(attrs) },
          { Id: "body", MessageId: "m2", MD5OfMessageBody: md5Hex("something else") },
          { Id: "attrs", MessageId: "m3", MD5OfMessageBody: md5Hex("a"), MD5OfMessageAttributes: "0".repeat(32) },
        ],
      }),
    );
    const outcome = await sender(server.queueUrl("q")).sendBatch([entry("right", "r", { MessageAttributes: attrs }), entry("body", "b"), entry("attrs", "a", { MessageAttributes: attrs })]);
    if (outcome.kind !== "response") throw new Error(outcome.message);
    expect(Object.fromEntries([...outcome.results].map(([id, r]) => [id, r.ok && r.md5Ok]))).toEqual({ right: true, body: false, attrs: false });
    expect(outcome.results.get("body")).toMatchObject({ ok: true, messageId: "m2" });
  });

  // API reference, KmsThrottled: "The request was denied due to request throttling." An entry failure is
  // never retried by the SDK, but it is throttling, so the engine retries it (DESIGN "Engine").
  it("a KmsThrottled entry is transient and one the SDK would not retry; an unmentioned entry is MissingResult", async () => {
    const server = await scripted((b) => {
      const [first, second] = b.Entries as Entries;
      return jsonOk({ Successful: [okFor(first!)], Failed: [{ Id: second!.Id, Code: "KmsThrottled", SenderFault: true, Message: "Request was throttled." }] });
    });
    const outcome = await sender(server.queueUrl("q")).sendBatch([entry("0"), entry("1"), entry("2")]);
    if (outcome.kind !== "response") throw new Error(outcome.message);
    expect(outcome.results.get("0")).toMatchObject({ ok: true, md5Ok: true });
    const kms = outcome.results.get("1")!;
    expect(kms).toEqual({ ok: false, failure: { kind: "entry", code: "KmsThrottled", senderFault: true }, message: "Request was throttled." });
    if (!kms.ok) expect(verdict(kms.failure)).toEqual({ class: "transient", sdkWouldRetry: false });
    const missing = outcome.results.get("2")!;
    expect(missing).toMatchObject({ ok: false, failure: { kind: "entry", code: "MissingResult" } });
    if (!missing.ok) expect(classifyFailure(missing.failure)).toBe("transient");
  });
});

describe("error responses", () => {
  // API reference, RequestThrottled (header code = name; SQS-FACTS table): transient, SDK-retryable.
  it("RequestThrottled 400 is transient and SDK-retryable", async () => {
    const server = await scripted(() => jsonError(400, "com.amazonaws.sqs#RequestThrottled", "Request is throttled.", "RequestThrottled;Sender"));
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "error", code: "RequestThrottled", httpStatus: 400, senderFault: true });
    expect(outcome.message).toBe("Request is throttled.");
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });

  // The AWS front end's ThrottlingException carries no x-amzn-query-error; SDK v3 then names it from `__type`.
  it("ThrottlingException without a query code keeps the __type name", async () => {
    const server = await scripted(() => jsonError(400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded"));
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "error", code: "ThrottlingException", httpStatus: 400, senderFault: true });
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });

  // A 503 page from a load balancer is not AWS JSON: only the status is known, which is enough.
  it("an HTML 503 is transient with its status and no code", async () => {
    const server = await scripted(() => ({ status: 503, headers: { "content-type": "text/html" }, body: "<html>Service Unavailable</html>" }));
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "error", httpStatus: 503 });
    expect(outcome.message).toMatch(/^HTTP 503 Service Unavailable: the SDK could not read the response \(/);
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });

  // Query `Type` Receiver is SQS's SenderFault=false (SQS-FACTS "JSON errors": code;Type header).
  it("a 500 InternalError;Receiver is the server's fault: transient", async () => {
    const server = await scripted(() => jsonError(500, "com.amazon.coral.service#InternalFailure", "We encountered an internal error. Please try again.", "InternalError;Receiver"));
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "error", code: "InternalError", httpStatus: 500, senderFault: false });
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });

  // STS API Reference "Common Errors" / SigV4 docs: SignatureDoesNotMatch appends the canonical request
  // and string-to-sign; the one-line message keeps only AWS's first sentence.
  it("SignatureDoesNotMatch is described in one line without the signing material", async () => {
    const text = "The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'POST\n/\nx-amz-security-token:SECRET'";
    const server = await scripted(() => jsonError(403, "com.amazon.coral.service#SignatureDoesNotMatch", text, "SignatureDoesNotMatch;Sender"));
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.message).toBe("The request signature we calculated does not match the signature you provided.");
    expect(outcome.failure).toEqual({ kind: "error", code: "SignatureDoesNotMatch", httpStatus: 403, senderFault: true });
  });
});

// DESIGN "Engine": timeouts and resets are transient; SDK v3 would retry them too.
describe("broken connections", () => {
  it("a connection reset mid-request is kind reset, ECONNRESET", async () => {
    const server = await scripted(() => "reset");
    const outcome = errorOf(await sender(server.queueUrl("q")).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "reset", code: "ECONNRESET" });
    expect(outcome.message).toBe("ECONNRESET: socket hang up");
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });

  it("a refused connection is kind reset, ECONNREFUSED", async () => {
    const port = await closedPort();
    const outcome = errorOf(await sender(`http://127.0.0.1:${port}/000000000000/q`).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "reset", code: "ECONNREFUSED" });
    expect(outcome.message).toContain("ECONNREFUSED");
  });

  // A real network timeout, bounded by a 200 ms request deadline.
  it("a server that never answers is kind timeout after requestTimeoutMs", async () => {
    const server = await scripted(() => "hang");
    const outcome = errorOf(await sender(server.queueUrl("q"), { requestTimeoutMs: 200 }).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "timeout", code: "TimeoutError" });
    expect(outcome.message).toBe("a request has exceeded the configured 200 ms requestTimeout.");
    expect(verdict(outcome.failure)).toEqual({ class: "transient", sdkWouldRetry: true });
  });
});

// Credential provider failures happen before any request: @smithy/property-provider's
// CredentialsProviderError (e.g. STS unreachable). They carry no status, so they stay transient.
describe("failureFromError outside a response", () => {
  it("maps a failing credentials provider to its error name", async () => {
    const failing = async () => {
      throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    };
    const outcome = errorOf(await sender("http://127.0.0.1:9/000000000000/q", { credentials: failing }).sendBatch([entry("0")]));
    expect(outcome.failure).toEqual({ kind: "error", code: "CredentialsProviderError" });
    expect(outcome.message).toBe("Could not load credentials from any providers");
    expect(classifyFailure(outcome.failure)).toBe("transient");
  });

  it("reads the Node code of a happy-eyeballs AggregateError and redacts signing parameters", () => {
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error("connect EAI_AGAIN"), { code: "EAI_AGAIN" })], "all failed"));
    expect(failureFromError(aggregate)).toEqual({ kind: "reset", code: "EAI_AGAIN" });
    expect(describeFailure(new Error("bad url ?X-Amz-Signature=abc123&X-Amz-Security-Token=tok"))).toBe("bad url ?X-Amz-Signature=***&X-Amz-Security-Token=***");
    expect(failureFromError("not an error")).toEqual({ kind: "error" });
  });
});

/** A port nothing listens on: bind an ephemeral one, then close it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
