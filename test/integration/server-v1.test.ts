// `sqsrig serve` through real HTTP on 127.0.0.1 with the real engine and the embedded emulator. Follows
// DESIGN "Contracts" (one port: the SQS API on `POST /`, `POST /v1/events` — 202 once durable, 400 with
// field-level errors —, `/v1/preview`, `/v1/destinations`, `/v1/dlq`, `/_sqsrig/health`), seed 000
// (Pushrail "Send events to Amazon SQS": body = canonical event JSON, envelope fields as attributes,
// credentials never shown), the SQS API reference (CreateQueue, SendMessageBatch, ReceiveMessage,
// GetQueueAttributes) and the recorded QueueDoesNotExist answer in notes/sqs-recorded-errors.md.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/index.js";
import { createRealClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { startSqsrigServer } from "../../src/server/index.js";
import { FaultInjector } from "../../src/faults/index.js";
import type { SqsrigServer } from "../../src/server/index.js";
import { createSqsrigApp } from "../../src/server/app.js";
import { sdkClient } from "../support/target.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

interface Rig {
  server: SqsrigServer;
  sqs: SQSClient;
  // `any`: response shapes vary per route; each test asserts the fields it reads.
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  queue(name?: string): Promise<string>;
  destination(name: string, queueUrl: string, extra?: Record<string, unknown>): Promise<void>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.sqs.destroy();
    await rig.server.close();
  }
});

async function rig(dataDir?: string): Promise<Rig> {
  const server = await startSqsrigServer({ port: 0, engine: { lingerMs: 0 }, ...(dataDir ? { dataDir } : {}) });
  const sqs = sdkClient(server.url);
  const call: Rig["call"] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === "" ? undefined : JSON.parse(text) };
  };
  let n = 0;
  const r: Rig = {
    server,
    sqs,
    call,
    queue: async (name = `q${++n}`) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!,
    destination: async (name, queueUrl, extra = {}) => {
      const res = await call("PUT", `/v1/destinations/${name}`, {
        type: "SQS",
        queueUrl,
        region: "us-east-1",
        auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET },
        ...extra,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    },
  };
  rigs.push(r);
  return r;
}

function event(key: string, extra: Record<string, unknown> = {}) {
  return { eventType: "order.completed", occurredAt: "2026-05-26T14:21:08.493Z", customerExternalId: "acct_8K2zRq", idempotencyKey: key, payload: { key }, ...extra };
}

async function bodies(r: Rig, queueUrl: string): Promise<string[]> {
  await r.server.engine.idle();
  const got: string[] = [];
  for (;;) {
    const { Messages = [] } = await r.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (Messages.length === 0) return got.sort();
    got.push(...Messages.map((m) => JSON.parse(m.Body!).idempotencyKey as string));
  }
}

describe("one port: health and the SQS API", () => {
  it("answers /_sqsrig/health with queue count and engine state", async () => {
    const r = await rig();
    await r.queue();
    const res = await r.call("GET", "/_sqsrig/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", queues: 1, engine: { ready: true, pending: 0 } });
  });

  it("serves the SQS API on POST / to an SDK client, with SQS's own error wire format", async () => {
    const r = await rig();
    const url = await r.queue("plain");
    expect(url).toBe(`${r.server.url}/000000000000/plain`);
    await r.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello" }));
    const { Messages } = await r.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(Messages?.[0]?.Body).toBe("hello");
    // Recorded QueueDoesNotExist: JSON __type plus the query-compatible header; nothing express would add.
    const res = await fetch(`${r.server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.GetQueueUrl" },
      body: JSON.stringify({ QueueName: "missing" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-query-error")).toBe("AWS.SimpleQueueService.NonExistentQueue;Sender");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(await res.json()).toMatchObject({ __type: "com.amazonaws.sqs#QueueDoesNotExist" });
  });

  it("answers /v1 with 503 until the engine is ready", async () => {
    const clock = createRealClock();
    const journal = createJournal(clock);
    const emulator = new Emulator({ clock, journal });
    const app = createSqsrigApp({ emulator, engine: () => undefined, faults: new FaultInjector({ clock, journal }), onInternalError: () => {} });
    const http = createServer(app);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/v1/events`, { method: "POST", body: JSON.stringify(event("k")) });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: "NotReady" } });
      expect(await (await fetch(`${base}/_sqsrig/health`)).json()).toMatchObject({ engine: { ready: false } });
    } finally {
      emulator.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe("POST /v1/events", () => {
  it("accepts one event, an array and NDJSON with 202, and delivers every one to the queue", async () => {
    const r = await rig();
    const url = await r.queue();
    await r.destination("orders", url);

    const one = await r.call("POST", "/v1/events", event("k1"));
    expect(one.status).toBe(202);
    expect(one.json).toEqual({ accepted: 1, rejected: 0, results: [{ index: 0, status: "accepted", eventId: expect.any(String), destinations: ["orders"] }] });

    const many = await r.call("POST", "/v1/events", [event("k2"), event("k3")]);
    expect(many.status).toBe(202);
    expect(many.json.results.map((x: { index: number; status: string }) => [x.index, x.status])).toEqual([
      [0, "accepted"],
      [1, "accepted"],
    ]);

    const ndjson = `${JSON.stringify(event("k4"))}\n${JSON.stringify(event("k5"))}\n`;
    const lines = await r.call("POST", "/v1/events", ndjson, { "content-type": "application/x-ndjson" });
    expect(lines.status).toBe(202);
    expect(lines.json.accepted).toBe(2);

    expect(await bodies(r, url)).toEqual(["k1", "k2", "k3", "k4", "k5"]);
  });

  it("answers 400 when any event is rejected, says so per result, and still accepts and delivers the valid ones", async () => {
    const r = await rig();
    const url = await r.queue();
    await r.destination("orders", url);
    const res = await r.call("POST", "/v1/events", [event("good"), { ...event("bad"), occurredAt: "yesterday" }, event("also-good")]);
    expect(res.status).toBe(400);
    expect(res.json.accepted).toBe(2);
    expect(res.json.rejected).toBe(1);
    expect(res.json.results.map((x: { status: string }) => x.status)).toEqual(["accepted", "rejected", "accepted"]);
    expect(res.json.results[1].errors).toEqual([expect.objectContaining({ field: "occurredAt", rule: "format" })]);
    expect(res.json.error).toMatchObject({ code: "InvalidEvents", errors: [expect.objectContaining({ field: "[1].occurredAt" })] });
    expect(res.json.error.message).toContain("the other 2 were accepted");
    expect(await bodies(r, url)).toEqual(["also-good", "good"]);
  });

  it("rejects a malformed NDJSON line as that item, naming line and column, and accepts the other lines", async () => {
    const r = await rig();
    const url = await r.queue();
    await r.destination("orders", url);
    const text = `${JSON.stringify(event("a"))}\n{"eventType": oops}\n${JSON.stringify(event("b"))}\n`;
    const res = await r.call("POST", "/v1/events", text, { "content-type": "application/x-ndjson" });
    expect(res.status).toBe(400);
    expect(res.json.results[1]).toEqual({
      index: 1,
      status: "rejected",
      errors: [{ field: "", rule: "malformedJson", message: expect.stringContaining("line 2, column 15") }],
    });
    expect(res.json.accepted).toBe(2);
    expect(await bodies(r, url)).toEqual(["a", "b"]);
  });

  it("refuses a malformed JSON body as a whole with 400 naming line and column, accepting nothing", async () => {
    const r = await rig();
    await r.destination("orders", await r.queue());
    const res = await r.call("POST", "/v1/events", '{\n  "eventType": "a",\n  "payload": {,}\n}');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: "MalformedJson", message: "Malformed JSON at line 3, column 15: expected a property name in double quotes, found \",\"." } });
    expect(r.server.journal.records("event.accepted")).toHaveLength(0);
  });

  it("answers a 10 MiB body with a 413 JSON error, and the server keeps answering", async () => {
    const r = await rig();
    const url = await r.queue();
    await r.destination("orders", url);
    const huge = JSON.stringify([event("big", { payload: { blob: "x".repeat(10 * 1024 * 1024) } })]);
    const res = await r.call("POST", "/v1/events", huge);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("PayloadTooLarge");
    expect((await r.call("GET", "/_sqsrig/health")).status).toBe(200);
    expect((await r.call("POST", "/v1/events", event("after"))).status).toBe(202);
    expect(await bodies(r, url)).toEqual(["after"]);
  });

  it("survives a client that hangs up halfway through its body", async () => {
    const r = await rig();
    const { port } = r.server;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"eventType\":");
        socket.end(() => resolve());
        socket.destroy();
      });
      socket.on("error", reject);
    });
    expect((await r.call("GET", "/_sqsrig/health")).json.status).toBe("ok");
  });

  it("answers 404 for an unknown ?destination=, 409 with no destination, 415 for a non-JSON type, 400 for an empty body", async () => {
    const r = await rig();
    expect(await r.call("POST", "/v1/events", event("k"))).toMatchObject({ status: 409, json: { error: { code: "NoDestination" } } });
    await r.destination("orders", await r.queue());
    const unknown = await r.call("POST", "/v1/events?destination=nope", event("k"));
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: "UnknownDestination" } } });
    expect(unknown.json.error.message).toContain("nope");
    expect(await r.call("POST", "/v1/events", "<event/>", { "content-type": "application/xml" })).toMatchObject({ status: 415 });
    expect(await r.call("POST", "/v1/events", "")).toMatchObject({ status: 400, json: { error: { code: "EmptyBody" } } });
    expect(r.server.journal.records("event.accepted")).toHaveLength(0);
  });
});

describe("/v1/destinations", () => {
  it("creates, lists, reads, updates and deletes, and never shows the secret", async () => {
    const r = await rig();
    const url = await r.queue();
    const config = { type: "SQS", queueUrl: url, region: "us-east-1", auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET } };
    const created = await r.call("PUT", "/v1/destinations/orders", config);
    expect(created.status).toBe(201);
    expect(created.json.destination).toMatchObject({ name: "orders", fifo: false, auth: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "***" } });
    expect(created.json.queue).toMatchObject({ fifo: false, maximumMessageSize: 1_048_576 });
    expect(created.json.warnings).toEqual(expect.any(Array));

    const updated = await r.call("PUT", "/v1/destinations/orders", { ...config, name: "orders", messageGroupIdField: "source" });
    expect(updated.status).toBe(200);
    const list = await r.call("GET", "/v1/destinations");
    expect(list.json.destinations).toEqual([expect.objectContaining({ name: "orders", messageGroupIdField: "source" })]);
    const one = await r.call("GET", "/v1/destinations/orders");
    expect(one.json.destination.name).toBe("orders");
    for (const res of [created, updated, list, one]) expect(JSON.stringify(res.json)).not.toContain(SECRET);

    expect((await r.call("DELETE", "/v1/destinations/orders")).status).toBe(204);
    expect(await r.call("GET", "/v1/destinations/orders")).toMatchObject({ status: 404, json: { error: { code: "UnknownDestination" } } });
    expect((await r.call("DELETE", "/v1/destinations/orders")).status).toBe(404);
  });

  it("answers 400 with field errors for a bad config, a name that contradicts the path, and a queue that does not exist", async () => {
    const r = await rig();
    const bad = await r.call("PUT", "/v1/destinations/orders", { type: "SQS", queueUrl: "nope", region: "moon", auth: { mode: "ACCESS_KEYS" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(["queueUrl", "region", "auth.accessKeyId", "auth.secretAccessKey"]));

    const url = await r.queue();
    const mismatch = await r.call("PUT", "/v1/destinations/orders", { type: "SQS", name: "other", queueUrl: url, region: "us-east-1", auth: { mode: "ACCESS_KEYS", accessKeyId: "a", secretAccessKey: "b" } });
    expect(mismatch).toMatchObject({ status: 400, json: { error: { errors: [{ field: "name", rule: "mismatch" }] } } });

    const missing = await r.call("PUT", "/v1/destinations/orders", {
      type: "SQS",
      queueUrl: `${r.server.url}/000000000000/does-not-exist`,
      region: "us-east-1",
      auth: { mode: "ACCESS_KEYS", accessKeyId: "a", secretAccessKey: SECRET },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(missing.json)).not.toContain(SECRET);
    expect((await r.call("GET", "/v1/destinations")).json.destinations).toEqual([]);
  });
});

describe("/v1/preview", () => {
  it("previews an event against a saved destination and against a config, with the printed text", async () => {
    const r = await rig();
    const url = await r.queue();
    await r.destination("orders", url);
    const saved = await r.call("POST", "/v1/preview", { event: event("p1"), destination: "orders" });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ wouldReject: false, reasons: [], maxBytes: 1_048_576, queue: { ok: true }, entry: { Id: "0" } });
    expect(JSON.parse(saved.json.entry.MessageBody)).toEqual(event("p1"));
    expect(saved.json.text).toContain("AWS would accept this entry.");
    expect(JSON.stringify(saved.json)).not.toContain(SECRET);

    const small = await r.sqs.send(new CreateQueueCommand({ QueueName: "small", Attributes: { MaximumMessageSize: "1024" } }));
    const config = { type: "SQS", name: "adhoc", queueUrl: small.QueueUrl, region: "us-east-1", auth: { mode: "ACCESS_KEYS", accessKeyId: "a", secretAccessKey: SECRET } };
    const big = await r.call("POST", "/v1/preview", { event: event("p2", { payload: { blob: "x".repeat(2_000) } }), destination: config });
    expect(big.status).toBe(200);
    expect(big.json.wouldReject).toBe(true);
    expect(big.json.maxBytes).toBe(1024);
    expect(big.json.reasons).toEqual([expect.objectContaining({ rule: "oversize" })]);
    expect(big.json.text).toContain("of 1024 (queue MaximumMessageSize)");
  });

  it("answers 400 naming the field for an invalid event or config, and 404 for an unknown name", async () => {
    const r = await rig();
    const bad = await r.call("POST", "/v1/preview", { event: { eventType: "x" }, destination: { type: "SQS" } });
    expect(bad.status).toBe(400);
    const fields = bad.json.error.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["event.idempotencyKey", "event.payload", "destination.queueUrl", "destination.auth"]));
    expect(await r.call("POST", "/v1/preview", { event: event("k"), destination: "nope" })).toMatchObject({ status: 404 });
  });
});

describe("/v1/dlq", () => {
  it("lists a dead-lettered event with its attempts and replays it on request", async () => {
    const r = await rig();
    const url = await r.queue("gone");
    await r.destination("orders", url);
    await r.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect((await r.call("POST", "/v1/events", event("lost"))).status).toBe(202);
    await r.server.engine.idle();

    const dlq = await r.call("GET", "/v1/dlq?destination=orders");
    expect(dlq.status).toBe(200);
    expect(dlq.json.entries).toHaveLength(1);
    const entry = dlq.json.entries[0];
    expect(entry).toMatchObject({ destination: "orders", event: { idempotencyKey: "lost" } });
    expect(entry.reason).toMatch(/QueueDoesNotExist|NonExistentQueue/);
    expect(entry.attempts.length).toBeGreaterThan(0);
    expect((await r.call("GET", "/v1/dlq?destination=other")).json.entries).toEqual([]);

    const replay = await r.call("POST", "/v1/dlq/replay", { ids: [entry.id, "missing-id"] });
    expect(replay.status).toBe(200);
    expect(replay.json.results).toEqual([expect.objectContaining({ dlqId: entry.id, status: "replayed" }), { dlqId: "missing-id", status: "notFound" }]);
    expect(await r.call("POST", "/v1/dlq/replay", { ids: "x" })).toMatchObject({ status: 400, json: { error: { errors: [{ field: "ids" }] } } });
    expect(await r.call("POST", "/v1/dlq/replay", {})).toMatchObject({ status: 400 });
  });
});

describe("unknown routes", () => {
  it("answers JSON 404 for an unknown /v1 path and 405 with Allow for a wrong method", async () => {
    const r = await rig();
    expect(await r.call("GET", "/v1/nothing/here")).toMatchObject({ status: 404, json: { error: { code: "NotFound" } } });
    const wrong = await r.call("GET", "/v1/events");
    expect(wrong).toMatchObject({ status: 405, json: { error: { code: "MethodNotAllowed" } } });
    expect(wrong.headers.get("allow")).toBe("POST");
  });
});

describe("--data DIR", () => {
  it("keeps queues (DIR/emulator) and destinations (DIR/engine) across a close and restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sqsrig-serve-"));
    try {
      const first = await rig(dir);
      await first.destination("orders", await first.queue("kept"));
      first.sqs.destroy();
      await first.server.close();
      rigs.splice(rigs.indexOf(first), 1);
      expect(existsSync(join(dir, "emulator"))).toBe(true);
      expect(existsSync(join(dir, "engine"))).toBe(true);

      const second = await rig(dir);
      const { QueueUrl } = await second.sqs.send(new GetQueueUrlCommand({ QueueName: "kept" }));
      expect(QueueUrl).toMatch(/\/000000000000\/kept$/);
      expect((await second.call("GET", "/v1/destinations")).json.destinations).toEqual([expect.objectContaining({ name: "orders" })]);
      // The saved destination still delivers after the restart (to the queue the restarted emulator kept).
      expect((await second.call("POST", "/v1/events", event("again"))).status).toBe(202);
      expect(await bodies(second, QueueUrl!)).toEqual(["again"]);
    } finally {
      for (const r of rigs.splice(0)) {
        r.sqs.destroy();
        await r.server.close();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
