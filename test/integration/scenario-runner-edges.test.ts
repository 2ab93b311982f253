// The runner's own guarantees (issue 7; DESIGN "Contracts": exit 1 a check failed, 2 bad input or
// infrastructure error): a run that never settles is not a pass, a consumer stuck in its handler cannot
// hang the run, a step SQS refuses names its line, and a failed journal write is reported, not thrown.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countsOf } from "../../src/report/index.js";
import { runScenario } from "../../src/scenario/index.js";
import { put, useTempDirs } from "../support/temp-dirs.js";

const tempDir = useTempDirs("runner-edges");


const HEAD = `queues:
  - name: orders
destination: { type: SQS, name: orders, queue: orders, region: us-east-1 }
`;

describe("the scenario runner", () => {
  it("fails a run whose consumed queue never drains, whatever the checks say", async () => {
    // A Lambda function that always fails, on a queue without a redrive policy: SQS keeps redelivering
    // (Developer Guide, "Amazon SQS visibility timeout"), so the queue never drains.
    const file = put(tempDir(), "never.yaml", `name: never drains\n${HEAD}consumers:\n  - { name: fn, queue: orders, kind: lambda, failIf: { bodyContains: order } }\ntimeline:\n  - at: 0s\n    send: { eventType: order.created, idempotencyKey: k-1, payload: {} }\nexpect:\n  - noLoss\n`);
    const run = await runScenario(file);
    expect(run.status).toBe("failed");
    const settled = run.checks.find((c) => c.check === "settled");
    expect(settled?.ok).toBe(false);
    expect(settled?.summary).toMatch(/did not settle within 10 virtual minutes after its timeline: queue orders: 1 messages/);
    expect(run.checks.find((c) => c.check === "noLoss")?.ok).toBe(true);
    // The counts kept while the run went are the journal's.
    expect(run.counts).toEqual(countsOf(run.records));
    expect(run.counts.consumed).toBe(0);
  });

  it("ends with an error, not a hang, when a consumer's handler never settles", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "handlers"));
    put(dir, "handlers/stuck.mjs", "export const handler = () => new Promise(() => {});\n");
    const file = put(dir, "stuck.yaml", `name: stuck\n${HEAD}consumers:\n  - { name: poller, queue: orders, kind: poller, handler: ./handlers/stuck.mjs }\ntimeline:\n  - at: 0s\n    send: { eventType: order.created, idempotencyKey: k-1, payload: {} }\nexpect:\n  - noLoss\n`);
    const run = await runScenario(file);
    expect(run.status).toBe("error");
    expect(run.error?.message).toMatch(/^.*stuck\.yaml:6:5 consumer 'poller' did not stop within 60 virtual seconds: a handler invocation never settled\.$/);
  });

  it("holds virtual time while a handler module does real I/O, so a 300 ms call does not time out", async () => {
    // Lambda's function timeout (default 3 s) is virtual time; a handler waiting on a real database or
    // HTTP call must not see it pass in the milliseconds a max clock takes to jump.
    const dir = tempDir();
    mkdirSync(join(dir, "handlers"));
    put(dir, "handlers/slow-io.mjs", "export const handler = () => new Promise((resolve) => setTimeout(() => resolve({ batchItemFailures: [] }), 300));\n");
    const file = put(dir, "io.yaml", `name: real io\n${HEAD}consumers:\n  - { name: fn, queue: orders, kind: lambda, handler: ./handlers/slow-io.mjs }\ntimeline:\n  - at: 0s\n    send: { eventType: order.created, idempotencyKey: k-1, payload: {} }\nexpect:\n  - noLoss\n  - noDuplicates: { at: consumer }\n`);
    const run = await runScenario(file);
    expect(run.records.filter((r) => r.type === "consumer.result").map((r) => (r as { outcome: string }).outcome)).toEqual(["succeeded"]);
    expect(run.status).toBe("passed");
  });

  it("fails a waitUntil that times out naming what was missing, and says when a pause or resume had nothing to do", async () => {
    const file = put(tempDir(), "wait.yaml", `name: waits\n${HEAD}consumers:\n  - { name: fn, queue: orders, kind: lambda }\ntimeline:\n  - at: 0s\n    resumeConsumer: fn\n  - at: 0s\n    pauseConsumer: fn\n  - at: 0s\n    pauseConsumer: fn\n  - at: 1s\n    waitUntil: { delivered: 1, timeout: 1h }\n`);
    const run = await runScenario(file);
    expect(run.status).toBe("failed");
    expect(run.checks).toMatchObject([{ check: "waitUntil", ok: false, summary: "waitUntil timed out after 1h 0m: delivered 0/1", line: 14 }]);
    const steps = run.records.filter((r) => r.type === "run.step").map((r) => (r as { summary: string }).summary);
    expect(steps.slice(0, 3)).toEqual(["consumer fn was already running", "consumer fn paused", "consumer fn was already paused"]);
  });

  it("names the step and its line when SQS refuses what a step asks", async () => {
    // StartMessageMoveTask API reference: "Only one active message movement task is supported per queue".
    const file = put(tempDir(), "two-tasks.yaml", `name: two move tasks
queues:
  - { name: orders, redrive: { deadLetterQueue: orders-dlq, maxReceiveCount: 1 } }
  - { name: orders-dlq }
timeline:
  - at: 0s
    startMoveTask: { source: orders-dlq, maxPerSecond: 1 }
  - at: 0s
    startMoveTask: orders-dlq
`);
    // The first task makes its first move a virtual second after it starts: the second asks while it runs.
    const run = await runScenario(file);
    expect(run.status).toBe("error");
    expect(run.error?.message).toMatch(/two-tasks\.yaml:8:5 timeline\[1\] startMoveTask: InvalidParameterValue: There is already a task running\./);
  });

  it("reports a journal it could not write as part of the run's error, without throwing", async () => {
    const file = put(tempDir(), "bad.yaml", "name: bad\nqueues:\n  - { name: orders }\nconsumers:\n  - { name: p, queue: orders, kind: poller, handler: ./missing.mjs }\n");
    const run = await runScenario(file, { journalFile: join(tempDir(), "no", "such", "dir", "journal.ndjson") });
    expect(run.status).toBe("error");
    expect(run.journalFile).toBeUndefined();
  });
});
