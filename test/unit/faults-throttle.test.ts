// Realistic throttling (issue 5): a token bucket per queue and action on the run's clock.
// Quotas: SQS Developer Guide, "Amazon SQS message quotas" → Message throughput (standard queues nearly
// unlimited per action; FIFO without high throughput 300 transactions per second per API action, a batch
// call counting once). Error: "Troubleshoot FIFO throttling issues in Amazon SQS" ("Requests over 300 TPS
// get the ThrottlingException error"). Wire form: SQS-FACTS "JSON errors" (`__type` + x-amzn-query-error).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { FaultInjector, withFaults, type WireRequest, type WireResponse } from "../../src/faults/index.js";
import { TokenBuckets } from "../../src/faults/token-bucket.js";

const ACCOUNT_URL = "http://127.0.0.1:4590/000000000000";

function jsonRequest(action: string, input: Record<string, unknown>): WireRequest {
  return {
    url: "/",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
    body: Buffer.from(JSON.stringify(input), "utf8"),
  };
}

const sendTo = (queue: string, body = "hello") => jsonRequest("SendMessage", { QueueUrl: `${ACCOUNT_URL}/${queue}`, MessageBody: body, MessageGroupId: "g" });

/** An injector over a backend stub that answers 200 and counts what reached it. */
function rig(rules: unknown) {
  const clock = new VirtualClock({ timeScale: "manual" });
  const journal = createJournal(clock, { retain: 100_000 });
  const injector = new FaultInjector({ clock, journal, seed: 7 });
  const set = injector.setRules(rules);
  if (!set.ok) throw new Error(JSON.stringify(set.errors));
  const reached: WireRequest[] = [];
  const backend = async (request: WireRequest): Promise<WireResponse> => {
    reached.push(request);
    return { status: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" };
  };
  const handle = withFaults(backend, injector, clock);
  /** Sends `n` requests at the current instant; returns their statuses. */
  const burst = async (n: number, request: () => WireRequest) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await handle(request())).status);
    return statuses;
  };
  return { clock, journal, injector, handle, reached, burst };
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('throttle: "aws" (SQS message quotas)', () => {
  it("lets 300 SendMessage calls per second through to a FIFO queue and throttles the 301st", async () => {
    const { burst, clock, reached } = rig([{ on: "*", throttle: "aws" }]);
    expect(await burst(300, () => sendTo("orders.fifo"))).toEqual(Array(300).fill(200));
    expect(await burst(1, () => sendTo("orders.fifo"))).toEqual([400]);
    expect(reached).toHaveLength(300);
    // 300 per second refills one token every 3⅓ ms: 3 ms is not enough, 4 ms is (and only one).
    await clock.advance(3);
    expect(await burst(1, () => sendTo("orders.fifo"))).toEqual([400]);
    await clock.advance(1);
    expect(await burst(2, () => sendTo("orders.fifo"))).toEqual([200, 400]);
    // A full second later the bucket is full again, and no fuller than 300.
    await clock.advance(5_000);
    const next = await burst(301, () => sendTo("orders.fifo"));
    expect(count(next, 200)).toBe(300);
    expect(next[300]).toBe(400);
  });

  it("keeps one bucket per queue and per action: a batch call counts once, other actions and queues are untouched", async () => {
    const { burst } = rig([{ on: "*", throttle: "aws" }]);
    await burst(300, () => sendTo("a.fifo"));
    expect(await burst(1, () => sendTo("a.fifo"))).toEqual([400]);
    expect(await burst(1, () => sendTo("b.fifo"))).toEqual([200]);
    const receive = () => jsonRequest("ReceiveMessage", { QueueUrl: `${ACCOUNT_URL}/a.fifo`, MaxNumberOfMessages: 10 });
    expect(await burst(1, receive)).toEqual([200]);
    const batch = () =>
      jsonRequest("SendMessageBatch", {
        QueueUrl: `${ACCOUNT_URL}/a.fifo`,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageGroupId: "g" })),
      });
    const batches = await burst(301, batch);
    expect(count(batches, 200)).toBe(300);
    expect(batches[300]).toBe(400);
  });

  it("never throttles standard queues, nor queue management calls on FIFO queues", async () => {
    const { burst, journal } = rig([{ on: "*", throttle: "aws" }]);
    expect(count(await burst(2_000, () => sendTo("standard-queue")), 200)).toBe(2_000);
    const attributes = () => jsonRequest("GetQueueAttributes", { QueueUrl: `${ACCOUNT_URL}/orders.fifo`, AttributeNames: ["All"] });
    expect(count(await burst(400, attributes), 200)).toBe(400);
    expect(journal.records("fault.injected")).toHaveLength(0);
  });

  it("answers over the rate with ThrottlingException exactly as SQS puts it on the wire, and journals a throttle", async () => {
    const { burst, handle, journal, reached } = rig([{ name: "fifo quota", on: "SendMessage", throttle: "aws" }]);
    await burst(300, () => sendTo("orders.fifo"));
    const answer = await handle(sendTo("orders.fifo"));
    expect(answer.status).toBe(400);
    expect(answer.headers["x-amzn-query-error"]).toBe("ThrottlingException;Sender");
    expect(JSON.parse(answer.body)).toMatchObject({ __type: expect.stringMatching(/ThrottlingException$/) });
    expect(reached).toHaveLength(300);
    expect(journal.records("fault.injected")).toEqual([
      expect.objectContaining({ rule: 0, name: "fifo quota", action: "SendMessage", queue: "orders.fifo", effect: "throttle", error: "ThrottlingException" }),
    ]);
  });

  it("answers a query-protocol request over the rate with the query error", async () => {
    const { burst, handle } = rig([{ on: "SendMessage", throttle: { rate: 1, burst: 1 } }]);
    const form = (): WireRequest => ({
      url: "/",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.from(new URLSearchParams({ Action: "SendMessage", QueueUrl: `${ACCOUNT_URL}/q.fifo`, MessageBody: "x" }).toString()),
    });
    await burst(1, form);
    const answer = await handle(form());
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>ThrottlingException</Code>");
    expect(answer.body).toContain("<Type>Sender</Type>");
  });
});

describe("throttle: {rate, burst} (any queue)", () => {
  it("allows a burst, then the rate, and never stores more than the burst", async () => {
    const { burst, clock } = rig([{ on: "SendMessage", match: { queue: "std" }, throttle: { rate: 2, burst: 3 } }]);
    expect(await burst(4, () => sendTo("std"))).toEqual([200, 200, 200, 400]);
    await clock.advance(499);
    expect(await burst(1, () => sendTo("std"))).toEqual([400]);
    await clock.advance(1);
    expect(await burst(2, () => sendTo("std"))).toEqual([200, 400]);
    await clock.advance(60_000);
    expect(await burst(4, () => sendTo("std"))).toEqual([200, 200, 200, 400]);
    // The match decides which requests share the bucket: another queue is not limited.
    expect(await burst(5, () => sendTo("other"))).toEqual([200, 200, 200, 200, 200]);
  });

  it("sends requests under the rate on to the next rules, and uses the error the rule names", async () => {
    const { handle, journal } = rig([
      { on: "SendMessage", throttle: { rate: 1, burst: 1, error: "RequestThrottled" } },
      { on: "SendMessage", error: "InternalError", times: 1 },
    ]);
    const first = await handle(sendTo("q"));
    expect(first.status).toBe(500);
    const second = await handle(sendTo("q"));
    expect(second.headers["x-amzn-query-error"]).toBe("RequestThrottled;Sender");
    expect(journal.records("fault.injected").map((r) => [r.rule, r.effect, r.error])).toEqual([
      [1, "error", "InternalError"],
      [0, "throttle", "RequestThrottled"],
    ]);
  });

  it("counts `times` in throttled requests and starts full again when the rules are replaced", async () => {
    const { burst, injector } = rig([{ on: "SendMessage", throttle: { rate: 1, burst: 1 }, times: 2 }]);
    expect(await burst(5, () => sendTo("q"))).toEqual([200, 400, 400, 200, 200]);
    injector.setRules([{ on: "SendMessage", throttle: { rate: 1, burst: 1 } }]);
    expect(await burst(2, () => sendTo("q"))).toEqual([200, 400]);
  });

  it("makes the same decisions at the same virtual times", async () => {
    const run = async () => {
      const { burst, clock, journal } = rig([{ on: "*", throttle: { rate: 10, burst: 5 } }]);
      for (let step = 0; step < 20; step++) {
        await burst(3, () => sendTo(step % 2 === 0 ? "a" : "b"));
        await clock.advance(step * 37);
      }
      return journal.records("fault.injected").map((r) => `${r.t} ${r.queue}`);
    };
    const first = await run();
    expect(first.length).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });

  it("rejects bad throttle values naming the rule and field", () => {
    const { injector } = rig([]);
    const set = injector.setRules([
      { on: "SendMessage", throttle: { rate: 0 } },
      { on: "SendMessage", throttle: { rate: 5, burst: 1.5 } },
      { on: "SendMessage", throttle: { rate: 5, error: "Nope" } },
      { on: "SendMessage", throttle: { rate: 5, perSecond: 2 } },
      { on: "SendMessage", throttle: "gcp" },
    ]);
    expect(set.ok).toBe(false);
    if (set.ok) return;
    expect(set.errors.map((e) => e.field)).toEqual([
      "rules[0].throttle",
      "rules[1].throttle.burst",
      "rules[2].throttle.error",
      "rules[3].throttle.perSecond",
      "rules[4].throttle",
    ]);
    expect(set.errors[0]!.message).toMatch(/^Rule 0: throttle must be "aws"/);
    expect(injector.list()).toHaveLength(0);
  });
});

describe("TokenBuckets", () => {
  it("refills with exact arithmetic for integer rates (no drift after many small steps)", () => {
    const buckets = new TokenBuckets();
    // Room for 2 so nothing spills: 3 s at 300/s is exactly 900 tokens, taken one per ms as soon as there is one.
    const spec = { rate: 300, burst: 2 };
    expect(buckets.take("k", spec, 0)).toBe(true);
    expect(buckets.take("k", spec, 0)).toBe(true);
    let taken = 0;
    for (let t = 1; t <= 3_000; t++) if (buckets.take("k", spec, t)) taken++;
    expect(taken).toBe(900);
  });
});
