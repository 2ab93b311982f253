// DESIGN "Scenarios and checks" (the file format) and issue 7 "Validation before anything runs": errors name
// file:line:column and the field path, unknown keys get a did-you-mean. Queue-name and redrive rules follow the
// SQS API reference (CreateQueue: QueueName; RedrivePolicy maxReceiveCount 1–1000).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { didYouMean, loadScenarioFile, loadScenarioText, type ScenarioLoad } from "../../src/scenario/index.js";

const VALID_YAML = `name: FIFO order survives throttling
description: Per-customer order holds while SQS throttles a third of the batches.
seed: 42
timeScale: max
queues:
  - name: orders.fifo
    attributes: { FifoQueue: "true", VisibilityTimeout: 30 }
    redrive: { deadLetterQueue: orders-dlq.fifo, maxReceiveCount: 3 }
  - name: orders-dlq.fifo
    attributes: { FifoQueue: "true" }
destination:
  type: SQS
  name: orders
  queue: orders.fifo
  region: us-east-1
  fifo: true
  messageGroupIdField: customerExternalId
engine: { batch: { maxEntries: 10, lingerMs: 20 }, retry: { baseMs: 200, capMs: 180000 } }
faults:
  - { on: SendMessageBatch, error: Throttling, probability: 0.3 }
consumers:
  - { name: worker, queue: orders.fifo, kind: lambda, batchSize: 10, reportBatchItemFailures: true }
timeline:
  - at: 0s
    generate: { count: 1000, groups: 20, eventType: order.created, payloadBytes: 512 }
  - at: 5s
    send: { eventType: order.cancelled, customerExternalId: cust-3, idempotencyKey: k-1, payload: { id: 1 } }
  - at: 6s
    pauseConsumer: worker
  - at: 10s
    restartEngine: {}
  - at: 11s
    wait: 2m
expect:
  - noLoss
  - fifoOrder
  - delivered: { count: 1001 }
`;

const VALID_JSON = JSON.stringify(
  {
    name: "FIFO order survives throttling",
    description: "Per-customer order holds while SQS throttles a third of the batches.",
    seed: 42,
    timeScale: "max",
    queues: [
      { name: "orders.fifo", attributes: { FifoQueue: "true", VisibilityTimeout: 30 }, redrive: { deadLetterQueue: "orders-dlq.fifo", maxReceiveCount: 3 } },
      { name: "orders-dlq.fifo", attributes: { FifoQueue: "true" } },
    ],
    destination: { type: "SQS", name: "orders", queue: "orders.fifo", region: "us-east-1", fifo: true, messageGroupIdField: "customerExternalId" },
    engine: { batch: { maxEntries: 10, lingerMs: 20 }, retry: { baseMs: 200, capMs: 180000 } },
    faults: [{ on: "SendMessageBatch", error: "Throttling", probability: 0.3 }],
    consumers: [{ name: "worker", queue: "orders.fifo", kind: "lambda", batchSize: 10, reportBatchItemFailures: true }],
    timeline: [
      { at: "0s", generate: { count: 1000, groups: 20, eventType: "order.created", payloadBytes: 512 } },
      { at: "5s", send: { eventType: "order.cancelled", customerExternalId: "cust-3", idempotencyKey: "k-1", payload: { id: 1 } } },
      { at: "6s", pauseConsumer: "worker" },
      { at: "10s", restartEngine: {} },
      { at: "11s", wait: "2m" },
    ],
    expect: ["noLoss", "fifoOrder", { delivered: { count: 1001 } }],
  },
  null,
  2,
);

/** Each error as `line:column path — message`, the form a person reads. */
function errors(load: ScenarioLoad): string[] {
  if (load.ok) throw new Error("expected the scenario to be rejected");
  return load.errors.map((e) => `${e.line}:${e.column} ${e.path} — ${e.message}`);
}

/** Strips what differs between a YAML and a JSON rendering of one scenario (file name, source lines). */
function withoutPositions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "line" || key === "file" ? undefined : v)));
}

describe("valid scenarios", () => {
  it("loads the DESIGN example shape from YAML, resolving durations, actions and checks", () => {
    const load = loadScenarioText(VALID_YAML, "fifo.yaml");
    if (!load.ok) throw new Error(JSON.stringify(load.errors));
    const s = load.scenario;
    expect(s.name).toBe("FIFO order survives throttling");
    expect(s.timeScale).toBe("max");
    expect(s.queues[0]).toMatchObject({ name: "orders.fifo", attributes: { FifoQueue: "true", VisibilityTimeout: "30" }, redrive: { deadLetterQueue: "orders-dlq.fifo", maxReceiveCount: 3 } });
    expect(s.destination).toEqual({ type: "SQS", name: "orders", queue: "orders.fifo", region: "us-east-1", fifo: true, messageGroupIdField: "customerExternalId" });
    expect(s.faults).toHaveLength(1);
    expect(s.faults[0]).toEqual({ on: "SendMessageBatch", error: "Throttling", probability: 0.3 });
    expect(s.consumers[0]).toMatchObject({ name: "worker", queue: "orders.fifo", kind: "lambda", options: { batchSize: 10, reportBatchItemFailures: true } });
    expect(s.timeline.map((t) => [t.atMs, t.action, t.line])).toEqual([
      [0, "generate", 24],
      [5000, "send", 26],
      [6000, "pauseConsumer", 28],
      [10000, "restartEngine", 30],
      [11000, "wait", 32],
    ]);
    expect(s.timeline[4]!.args).toBe(120_000);
    expect(s.expect.map((e) => [e.check, e.options])).toEqual([["noLoss", {}], ["fifoOrder", {}], ["delivered", { count: 1001 }]]);
  });

  it("loads the same scenario from JSON to the same result", () => {
    const json = loadScenarioText(VALID_JSON, "fifo.json");
    const yaml = loadScenarioText(VALID_YAML, "fifo.yaml");
    expect(json.ok).toBe(true);
    expect(withoutPositions(json)).toEqual(withoutPositions(yaml));
  });

  it("picks YAML or JSON by the file's extension", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sqsrig-scenario-"));
    await writeFile(join(dir, "a.json"), VALID_JSON);
    await writeFile(join(dir, "b.yml"), VALID_YAML);
    // YAML flow syntax that strict JSON rejects: a trailing comma.
    await writeFile(join(dir, "c.json"), '{\n  "name": "x",\n  "queues": [],\n}\n');
    expect((await loadScenarioFile(join(dir, "a.json"))).ok).toBe(true);
    expect((await loadScenarioFile(join(dir, "b.yml"))).ok).toBe(true);
    const bad = await loadScenarioFile(join(dir, "c.json"));
    expect(bad.ok ? [] : bad.errors.map((e) => [e.file, e.line, e.column])).toEqual([[join(dir, "c.json"), 4, 1]]);
    const missing = await loadScenarioFile(join(dir, "nope.yaml"));
    expect(missing.ok ? [] : missing.errors.map((e) => [e.line, e.column, e.message.startsWith("Cannot read scenario file")])).toEqual([[1, 1, true]]);
  });
});

describe("syntax errors", () => {
  it("reports a YAML syntax error at its line and column", () => {
    const text = "name: x\nseed: 1: 2\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual(["2:7  — YAML syntax error: Nested mappings are not allowed in compact mappings"]);
  });

  it("reports duplicate keys (a silent override otherwise)", () => {
    expect(errors(loadScenarioText("name: x\nseed: 1\nseed: 2\n", "s.yaml"))).toEqual(["3:1  — YAML syntax error: Map keys must be unique"]);
  });

  it("reports a JSON syntax error at the offending character, even when V8 names no position", () => {
    const load = loadScenarioText('{\n  "name": "x",\n  "queues": [1,],\n}', "s.json");
    expect(load.ok ? [] : load.errors.map((e) => [e.file, e.line, e.column])).toEqual([["s.json", 3, 16]]);
  });
});

describe("unknown keys", () => {
  it("rejects an unknown top-level key at the key, with a did-you-mean", () => {
    const text = "name: x\ntimelin:\n  - at: 0s\n    wait: 1s\n";
    const load = loadScenarioText(text, "s.yaml");
    expect(load.ok ? undefined : load.errors[0]).toEqual({ file: "s.yaml", line: 2, column: 1, path: "timelin", message: "Unknown key 'timelin' in the scenario. Did you mean 'timeline'?" });
  });

  it("lists the allowed keys when nothing is close", () => {
    expect(errors(loadScenarioText("name: x\nwhatever: 1\n", "s.yaml"))[0]).toMatch(/^2:1 whatever — Unknown key 'whatever' in the scenario\. Allowed: name, description, seed,/);
  });

  it("rejects unknown keys in nested sections and misspelt checks", () => {
    const text = [
      "name: x",
      "queues:",
      "  - { name: q, atributes: {} }",
      "destination: { type: SQS, name: d, queue: q, region: us-east-1, fifoo: false }",
      "faults:",
      "  - { on: SendMessageBatch, eror: Throttling }",
      "expect:",
      "  - noLos",
      "  - delivred: { count: 1 }",
    ].join("\n");
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "3:16 queues[0].atributes — Unknown key 'atributes' in a queue. Did you mean 'attributes'?",
      "4:65 destination.fifoo — Unknown key 'fifoo' in destination. Did you mean 'fifo'?",
      "6:5 faults[0].error — Rule 0: give exactly one effect of error, delay, dropResponse, reset, partial, throttle.",
      "6:29 faults[0].eror — Rule 0: unknown field 'eror' (one of index, name, on, match, error, delay, dropResponse, reset, partial, throttle, times, probability, during, after). Did you mean 'error'?",
      "8:5 expect[0] — Unknown check 'noLos' in expect. Did you mean 'noLoss'?",
      "9:5 expect[1].delivred — Unknown check 'delivred' in expect. Did you mean 'delivered'?",
    ]);
  });

  it("suggests only within edit distance 2", () => {
    expect(didYouMean("timelin", ["timeline", "name"])).toBe("timeline");
    expect(didYouMean("consumrs", ["consumers"])).toBe("consumers");
    expect(didYouMean("timing", ["timeline"])).toBeUndefined();
  });
});

describe("durations", () => {
  it("rejects a bad `at` and a bad `wait` at the value", () => {
    const text = "name: x\ntimeline:\n  - at: 5 sec\n    wait: 1s\n  - at: 2s\n    wait: soon\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      '3:9 timeline[0].at — at "5 sec" is not a duration such as 500ms, 5s, 2m or 1h (a bare number is milliseconds).',
      '6:11 timeline[1].wait — wait "soon" is not a duration such as 500ms, 5s, 2m or 1h (a bare number is milliseconds).',
    ]);
  });

  it("rejects a step without `at`", () => {
    expect(errors(loadScenarioText("name: x\ntimeline:\n  - wait: 1s\n", "s.yaml"))).toEqual([
      "3:5 timeline[0] — A timeline step needs `at`, its virtual time from the start of the run (e.g. at: 5s).",
    ]);
  });

  it("places fault rule errors (bad `during`) on the rule's field", () => {
    const text = "name: x\nfaults:\n  - on: SendMessageBatch\n    error: Throttling\n    during: { from: 1s, to: later }\n";
    const load = loadScenarioText(text, "s.yaml");
    expect(load.ok ? [] : load.errors.map((e) => [e.line, e.column, e.path])).toEqual([[5, 13, "faults[0].during"]]);
  });
});

describe("undeclared queues and consumers", () => {
  it("rejects destination.queue naming no declared queue", () => {
    const text = "name: x\nqueues:\n  - name: orders\ndestination:\n  type: SQS\n  name: d\n  queue: order\n  region: us-east-1\n";
    const load = loadScenarioText(text, "s.yaml");
    expect(load.ok ? undefined : load.errors).toEqual([
      { file: "s.yaml", line: 7, column: 10, path: "destination.queue", message: "queue 'order' is not declared in queues (declared: orders)." },
    ]);
  });

  it("rejects undeclared queues in redrive, consumers and purge, and undeclared consumers", () => {
    const text = [
      "name: x",
      "queues:",
      "  - { name: q, redrive: { deadLetterQueue: dlq, maxReceiveCount: 3 } }",
      "consumers:",
      "  - { name: w, queue: other, kind: lambda }",
      "timeline:",
      "  - { at: 1s, purge: nope }",
      "  - { at: 2s, pauseConsumer: w }",
    ].join("\n");
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "3:44 queues[0].redrive.deadLetterQueue — queue 'dlq' is not declared in queues (declared: q).",
      "5:23 consumers[0].queue — queue 'other' is not declared in queues (declared: q).",
      "7:22 timeline[0].purge — queue 'nope' is not declared in queues (declared: q).",
      "8:30 timeline[1].pauseConsumer — consumer 'w' is not declared in consumers (none declared).",
    ]);
  });

  it("maps the engine's destination errors to the scenario's fields", () => {
    // CreateQueue: FIFO queue names end in .fifo, so fifo: true on a standard queue cannot work.
    const text = "name: x\nqueues: [{ name: q }]\ndestination: { type: SQS, name: d, queue: q, region: mars, fifo: true }\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "3:54 destination.region — region 'mars' is not an AWS region name such as us-east-1.",
      "3:66 destination.fifo — fifo is true but queue 'q' is not a FIFO queue name (.fifo suffix).",
    ]);
  });
});

describe("timeline actions", () => {
  it("rejects an unknown action at its key, with a did-you-mean", () => {
    const text = "name: x\ntimeline:\n  - at: 0s\n    sned: { eventType: a }\n  - at: 1s\n    explode: {}\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "4:5 timeline[0].sned — Unknown key 'sned' in a timeline step. Did you mean 'send'?",
      "6:5 timeline[1].explode — Unknown key 'explode' in a timeline step. Allowed: at, send, generate, replayDlq, restartEngine, setFaults, pauseConsumer, resumeConsumer, purge, startMoveTask, wait, waitUntil.",
    ]);
  });

  it("rejects two actions in one step and checks generate counts", () => {
    const text = "name: x\nqueues: [{ name: q }]\ndestination: { type: SQS, name: d, queue: q, region: us-east-1 }\ntimeline:\n  - { at: 0s, wait: 1s, purge: q }\n  - { at: 1s, generate: { count: 0 } }\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "5:25 timeline[0].purge — A timeline step takes one action; found wait and purge.",
      "6:34 timeline[1].generate.count — generate.count must be an integer ≥ 1.",
    ]);
  });

  it("checks send events as the engine would, needs a destination for them, and keeps steps in time order", () => {
    const head = "name: x\nqueues: [{ name: q }]\n";
    const destination = "destination: { type: SQS, name: d, queue: q, region: us-east-1 }\n";
    const typo = `${head}${destination}timeline:\n  - at: 0s\n    send: { eventTyp: a, idempotencyKey: k, payload: {} }\n`;
    expect(errors(loadScenarioText(typo, "s.yaml"))).toEqual([
      "6:11 timeline[0].send — send: eventType is required.",
      "6:13 timeline[0].send.eventTyp — send: Unknown field 'eventTyp'; allowed: eventType, occurredAt, source, customerExternalId, idempotencyKey, correlationId, payload, metadata.",
    ]);
    const noDestination = `${head}timeline:\n  - at: 0s\n    send: { eventType: a, idempotencyKey: k, payload: {} }\n`;
    expect(errors(loadScenarioText(noDestination, "s.yaml"))[0]).toMatch(/^5:5 timeline\[0\]\.send — send needs a destination/);
    const backwards = `${head}timeline:\n  - { at: 5s, wait: 1s }\n  - { at: 1s, wait: 1s }\n`;
    expect(errors(loadScenarioText(backwards, "s.yaml"))[0]).toMatch(/^5:11 timeline\[1\]\.at — Steps run in time order: this one is at 1s after a step at 5000 ms \(line 4\)/);
  });

  it("validates setFaults rules (kept as written) and treats a bare restartEngine as {}", () => {
    const text = "name: x\ntimeline:\n  - at: 1s\n    setFaults:\n      - { on: SendMessageBatch, error: AccessDenied }\n  - at: 2s\n    restartEngine:\n";
    const load = loadScenarioText(text, "s.yaml");
    if (!load.ok) throw new Error(JSON.stringify(load.errors));
    expect(load.scenario.timeline[0]!.args).toEqual([{ on: "SendMessageBatch", error: "AccessDenied" }]);
    expect(load.scenario.timeline[1]).toMatchObject({ atMs: 2000, action: "restartEngine", args: {} });
  });
});

// DESIGN "Scenarios and checks" and issue 7 "Validation before anything runs": each check judges its own
// options (src/checks registry) and `validate` places the problem on the offending key or value.
describe("check options", () => {
  it("reports a misspelt option at its key with a did-you-mean, and bad values and durations at the value", () => {
    const text = [
      "name: x",
      "expect:",
      "  - delivered: { cuont: 3 }",
      "  - latency:",
      "      enqueue: { p99: soon }",
      "  - attempts: { byReason: { RequestThrottled: { atleast: 1 } } }",
      "  - noDuplicates: { at: everywhere }",
      "  - noLoss",
      "  - accepted",
      "  - attempts",
    ].join("\n");
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "3:18 expect[0].delivered.cuont — Unknown key 'cuont' in delivered options. Did you mean 'count'?",
      '5:23 expect[1].latency.enqueue.p99 — latency.enqueue.p99 "soon" is not a duration such as 500ms, 2s or 1m (a bare number is milliseconds).',
      "6:49 expect[2].attempts.byReason.RequestThrottled.atleast — Unknown key 'atleast' in an attempts.byReason entry. Did you mean 'atLeast'?",
      '7:25 expect[3].noDuplicates.at — noDuplicates.at must be one of queue, consumer, got "everywhere".',
      "10:5 expect[6] — attempts needs max and/or byReason.",
    ]);
  });

  it("keeps valid options as written and a bare name as {}", () => {
    const text = "name: x\nexpect:\n  - latency: { enqueue: { p99: 2s }, consumed: { p95: 5000 } }\n  - consumerSaw: { consumer: w, attributes: { MessageGroupId: true } }\n  - accepted\n";
    const load = loadScenarioText(text, "s.yaml");
    if (!load.ok) throw new Error(JSON.stringify(load.errors));
    expect(load.scenario.expect.map((e) => [e.check, e.options])).toEqual([
      ["latency", { enqueue: { p99: "2s" }, consumed: { p95: 5000 } }],
      ["consumerSaw", { consumer: "w", attributes: { MessageGroupId: true } }],
      ["accepted", {}],
    ]);
  });
});

// StartMessageMoveTask API reference: "Source queue must be configured as a Dead Letter Queue";
// MaxNumberOfMessagesPerSecond is 1–500.
describe("startMoveTask steps", () => {
  const text = (step: string) => `name: x
queues:
  - { name: orders, redrive: { deadLetterQueue: orders-dlq, maxReceiveCount: 3 } }
  - { name: orders-dlq }
timeline:
  - at: 1m
    startMoveTask: ${step}
`;
  it("takes a dead-letter queue by name or as { source, destination, maxPerSecond }", () => {
    const byName = loadScenarioText(text("orders-dlq"), "s.yaml");
    expect(byName.ok && byName.scenario.timeline[0]!.args).toEqual({ source: "orders-dlq" });
    const full = loadScenarioText(text("{ source: orders-dlq, destination: orders, maxPerSecond: 10 }"), "s.yaml");
    expect(full.ok && full.scenario.timeline[0]!.args).toEqual({ source: "orders-dlq", destination: "orders", maxPerSecond: 10 });
  });

  it("refuses a source no queue redrives to, an undeclared destination and a rate above 500", () => {
    expect(errors(loadScenarioText(text("{ source: orders }"), "s.yaml"))).toEqual([
      expect.stringMatching(/^7:30 timeline\[0\]\.startMoveTask\.source — startMoveTask\.source 'orders' must be a dead-letter queue/),
    ]);
    expect(errors(loadScenarioText(text("{ source: orders-dlq, destination: elsewhere }"), "s.yaml"))[0]).toContain("queue 'elsewhere' is not declared");
    expect(errors(loadScenarioText(text("{ source: orders-dlq, maxPerSecond: 501 }"), "s.yaml"))[0]).toContain("from 1 to 500");
  });
});

// The engine's ReplayRequest (POST /v1/dlq/replay): ids, all, destination, asNew, force.
describe("replayDlq and restartEngine steps", () => {
  const text = (step: string) => `name: x\nqueues: [{ name: q }]\ndestination: { type: SQS, name: d, queue: q, region: us-east-1 }\ntimeline:\n  - at: 1m\n    ${step}\n`;
  it("checks replay settings and refuses settings on a crash", () => {
    expect(errors(loadScenarioText(text("replayDlq: { asNwe: true }"), "s.yaml"))).toEqual(["6:18 timeline[0].replayDlq.asNwe — Unknown key 'asNwe' in replayDlq. Did you mean 'asNew'?"]);
    expect(errors(loadScenarioText(text("replayDlq: { ids: abc }"), "s.yaml"))[0]).toContain("replayDlq.ids must be a list of DLQ entry ids.");
    expect(errors(loadScenarioText(text("restartEngine: { graceful: true }"), "s.yaml"))[0]).toContain("restartEngine takes no settings");
    const ok = loadScenarioText(text("replayDlq: { ids: [q1, q2], force: true }"), "s.yaml");
    expect(ok.ok && ok.scenario.timeline[0]!.args).toEqual({ ids: ["q1", "q2"], force: true });
  });
});


describe("waitUntil conditions", () => {
  it("names a record type that does not exist, with a did-you-mean", () => {
    const text = "name: x\ntimeline:\n  - at: 0s\n    waitUntil: { record: { type: message.moveToDlq }, timeout: 1m }\n";
    expect(errors(loadScenarioText(text, "s.yaml"))).toEqual([
      "4:34 timeline[0].waitUntil.record.type — waitUntil.record.type 'message.moveToDlq' is not a journal record type. Did you mean 'message.movedToDlq'?",
    ]);
  });
});
