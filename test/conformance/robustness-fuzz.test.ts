/**
 * Property: whatever arrives on the wire, the emulator answers it without a 5xx, in the request's
 * protocol, and keeps every stored message. Messages are seeded into "vault" queues (standard and FIFO,
 * some delayed, some in flight); then 3,000 generated requests (fixed seed) hit playground queues, the
 * vaults (only through actions that cannot remove a message) and nothing at all. At the end the server
 * must be healthy and every message ever enqueued into a vault must be received exactly once.
 *
 * SQS Developer Guide, "Amazon SQS message lifecycle" (a message stays until deleted or expired); the
 * 500 rule is sqsrig's STYLE ("an unknown exception becomes a 500 InternalFailure ... never a stack
 * trace"), and this test treats any such 500 as a bug to fix.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { fuzzRequest, type FuzzPools, type FuzzRequest } from "../support/fuzz-requests.js";
import { parseXml, postJson } from "../support/wire.js";

/** Fixed, so a failure replays; `SQSRIG_FUZZ_SEED` explores other sequences by hand. */
const SEED = Number(process.env.SQSRIG_FUZZ_SEED ?? 20_260_115);
const RUNS = 3_000;

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

async function call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await postJson(target.endpoint, action, input);
  if (res.status !== 200) throw new Error(`${action} failed in setup: ${res.text}`);
  return res.json!;
}

async function createQueue(name: string, Attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await call("CreateQueue", { QueueName: name, Attributes })).QueueUrl as string;
  const attrs = (await call("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["QueueArn"] })).Attributes as Record<string, string>;
  return { url, arn: attrs.QueueArn! };
}

/** Sends one generated request; a long poll is let go by moving the virtual clock past its wait. */
async function send(req: FuzzRequest): Promise<{ status: number; text: string }> {
  const journal = target.journal!;
  const stop = new AbortController();
  const waiting = journal.waitFor("poll.waiting", () => true, { afterSeq: journal.lastSeq, signal: stop.signal });
  waiting.catch(() => undefined);
  const answer = fetch(`${target.endpoint}${req.path}`, {
    method: req.method,
    headers: req.headers,
    body: req.method === "GET" ? undefined : req.body,
    // Not a timing assertion: a request that hangs must fail the property rather than the whole run.
    signal: AbortSignal.timeout(15_000),
  }).then(async (res) => ({ status: res.status, text: await res.text() }));
  const first = await Promise.race([answer.then(() => "answered" as const), waiting.then(() => "polling" as const)]);
  if (first === "polling") await target.advance(20_000);
  try {
    return await answer;
  } finally {
    stop.abort();
  }
}

/** What is wrong with an answer, or undefined when it is a proper SQS answer in the request's protocol. */
function problem(req: FuzzRequest, status: number, text: string): string | undefined {
  if (status >= 500) return `server error ${status}`;
  if (status === 413) return "unexpected 413 for a small body";
  const json = req.headers["x-amz-target"] !== undefined || /^application\/x-amz-json-1\.[01]/.test(req.headers["content-type"] ?? "");
  if (json) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return "JSON request answered with a body that is not JSON";
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return "JSON answer is not an object";
    if (status !== 200 && typeof (body as Record<string, unknown>).__type !== "string") return "JSON error without __type";
    return undefined;
  }
  if (status === 404 && text.includes("<UnknownOperationException")) return undefined;
  try {
    const root = parseXml(text);
    if (status === 200 ? !root.name.endsWith("Response") : root.name !== "ErrorResponse") return `unexpected XML root <${root.name}>`;
  } catch (err) {
    return `query answer is not well-formed XML (${String(err)})`;
  }
  return undefined;
}

/** Receives and deletes everything in a queue; returns the MessageIds in the order received. */
async function drain(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const out = await call("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 43_200 });
    const messages = (out.Messages ?? []) as Array<{ MessageId: string; ReceiptHandle: string }>;
    if (messages.length === 0) return ids;
    for (const m of messages) {
      ids.push(m.MessageId);
      await call("DeleteMessage", { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    }
  }
}

describe("robustness property", () => {
  it(`answers ${RUNS} generated requests without a 5xx and loses no stored message`, { timeout: 300_000 }, async (ctx) => {
    if (!target.clock) return ctx.skip();
    const vaultStd = await createQueue(target.name("vault"));
    const vaultFifo = await createQueue(target.name("vault") + ".fifo", { FifoQueue: "true" });
    const playSpecs: Array<[string, Record<string, string> | undefined]> = [
      [target.name("play"), undefined],
      [target.name("play"), undefined],
      [target.name("play") + ".fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" }],
    ];
    const play = [];
    for (const [name, attrs] of playSpecs) play.push(await createQueue(name, attrs));
    for (let i = 0; i < 30; i++) {
      await call("SendMessage", {
        QueueUrl: vaultStd.url,
        MessageBody: `std-${i}`,
        DelaySeconds: i % 10 === 0 ? 120 : 0,
        MessageAttributes: { n: { DataType: "Number", StringValue: String(i) } },
      });
      await call("SendMessage", { QueueUrl: vaultFifo.url, MessageBody: `fifo-${i}`, MessageGroupId: `g${i % 3}`, MessageDeduplicationId: `d${i}` });
      await call("SendMessage", { QueueUrl: play[i % 3]!.url, MessageBody: `play-${i}`, ...(i % 3 === 2 ? { MessageGroupId: "g" } : {}) });
    }
    // Some vault messages are in flight when the fuzzing starts; their handles never leave this test.
    await call("ReceiveMessage", { QueueUrl: vaultStd.url, MaxNumberOfMessages: 3, VisibilityTimeout: 900 });
    await call("ReceiveMessage", { QueueUrl: vaultFifo.url, MaxNumberOfMessages: 2, VisibilityTimeout: 900 });
    const handles: string[] = [];
    for (const q of play) {
      const out = await call("ReceiveMessage", { QueueUrl: q.url, MaxNumberOfMessages: 2, VisibilityTimeout: 5 });
      handles.push(...((out.Messages ?? []) as Array<{ ReceiptHandle: string }>).map((m) => m.ReceiptHandle));
    }
    const pools: FuzzPools = {
      playgroundUrls: play.map((q) => q.url),
      playgroundArns: play.map((q) => q.arn),
      vaultUrls: [vaultStd.url, vaultFifo.url],
      handles,
    };

    const statuses = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequest(pools), async (req) => {
        sent++;
        if (sent % 100 === 0) {
          // Now and then purges are allowed again and deleted playground queues come back, so most
          // requests keep reaching live queues.
          await target.advance(61_000);
          for (const [QueueName, Attributes] of playSpecs) await postJson(target.endpoint, "CreateQueue", { QueueName, Attributes });
        }
        let answer: { status: number; text: string };
        try {
          answer = await send(req);
        } catch (err) {
          throw new Error(`request #${sent} got no answer (${String(err)}): ${JSON.stringify(req)}`);
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const wrong = problem(req, answer.status, answer.text);
        if (wrong) throw new Error(`request #${sent}: ${wrong} (HTTP ${answer.status})\nrequest: ${JSON.stringify(req).slice(0, 3_000)}\nanswer: ${answer.text.slice(0, 500)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(sent).toBe(RUNS);
    // Both outcomes must have been exercised, or the generators have gone blind.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);

    const health = await fetch(`${target.endpoint}/_sqsrig/health`);
    expect(health.status).toBe(200);

    // Delays (up to 900 s) and the vault's in-flight messages (900 s) run out.
    await target.advance(1_000_000);
    const vaultNames = new Set([vaultStd.url, vaultFifo.url].map((u) => u.split("/").pop()!));
    const enqueued = target.journal!.records("message.enqueued").filter((r) => vaultNames.has(r.queue));
    const losses = target.journal!.records().filter((r) => "queue" in r && vaultNames.has(String(r.queue)) && ["message.deleted", "message.expired", "queue.purged", "message.movedToDlq", "queue.deleted"].includes(r.type));
    expect(losses).toEqual([]);
    for (const q of [vaultStd, vaultFifo]) {
      const name = q.url.split("/").pop()!;
      const expected = enqueued.filter((r) => r.queue === name).map((r) => r.messageId).sort();
      const received = await drain(q.url);
      expect(received.length, `${name}: a message came back twice`).toBe(new Set(received).size);
      expect(received.sort(), name).toEqual(expected);
    }
    // The 60 seeded messages, plus some the generated requests sent: the vault was really exercised.
    expect(enqueued.length).toBeGreaterThan(60);
  });
});
