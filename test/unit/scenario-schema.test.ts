// The JSON Schema of scenario files (schema/scenario.schema.json), which editors use for completion and
// hover text (yaml-language-server / VS Code, draft-07). Follows DESIGN "Scenarios and checks" (the file
// format and its example scenario) and issue 7 "Validation before anything runs": the schema and the
// loader must agree — what one accepts the other accepts, what one rejects the other rejects — and the
// schema's key lists must equal the loader's, so the two cannot drift apart.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import ajvModule from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { STARTER_FILES } from "../../src/cli/init-templates.js";
import { SQS_ACTIONS } from "../../src/emulator/index.js";
import { SETTABLE_ATTRIBUTES } from "../../src/emulator/queue-attributes.js";
import { EVENT_FIELDS } from "../../src/engine/index.js";
import { FAULT_ERROR_NAMES } from "../../src/faults/index.js";
import { BACKENDS, CHECK_NAMES, CONDITION_KEYS, CONSUMER_KINDS, SCENARIO_KEYS, TIMELINE_ACTIONS, loadScenarioText } from "../../src/scenario/index.js";
import { JOURNAL_TYPES } from "../../src/journal/index.js";
import { ENGINE_SETTING_KEYS } from "../../src/scenario/engine-settings.js";
import { GENERATE_KEYS } from "../../src/scenario/generate.js";

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = ajvModule.default;

type Json = Record<string, unknown>;
const ROOT = join(import.meta.dirname, "..", "..");
const schema = JSON.parse(readFileSync(join(ROOT, "schema", "scenario.schema.json"), "utf8")) as Json;
// strict: true turns on every strict-mode rule (unknown keywords, types, required, tuples).
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

/** The schema's verdict on a YAML or JSON text, parsed as the loader parses it. */
function schemaErrors(text: string): string[] {
  if (validate(parse(text))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}${"additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}`);
}

function loaderErrors(text: string, file = "s.yaml"): string[] {
  const load = loadScenarioText(text, file);
  return load.ok ? [] : load.errors.map((e) => `${e.line}:${e.column} ${e.path} — ${e.message}`);
}

const defs = schema.definitions as Record<string, Json>;
const keysOf = (value: unknown): string[] => Object.keys((value as { properties: Json }).properties);

/** DESIGN "Scenarios and checks", the example scenario, exactly as written there. */
const DESIGN_EXAMPLE = `name: FIFO order survives throttling
description: Per-customer order holds while SQS throttles a third of the batches.
seed: 42
timeScale: max                  # or a number; 1 = real time
queues:
  - name: orders.fifo
    attributes: { FifoQueue: "true", VisibilityTimeout: "30" }
    redrive: { deadLetterQueue: orders-dlq.fifo, maxReceiveCount: 3 }
  - name: orders-dlq.fifo
    attributes: { FifoQueue: "true" }
destination:                    # the Pushrail shape; \`queue\` resolves to the backend's queue URL
  type: SQS
  name: orders
  queue: orders.fifo
  region: us-east-1
  fifo: true
  messageGroupIdField: customerExternalId
engine: { batch: { maxEntries: 10, lingerMs: 20 }, retry: { baseMs: 200, capMs: 180000 } }
faults:
  - { on: SendMessageBatch, error: Throttling, probability: 0.3 }
  - { on: SendMessageBatch, partial: { entries: [2], senderFault: false }, times: 2 }
consumers:
  - { name: worker, queue: orders.fifo, kind: lambda, batchSize: 10, reportBatchItemFailures: true }
timeline:
  - at: 0s
    generate: { count: 1000, groups: 20, eventType: order.created, payloadBytes: 512 }
  - at: 5s
    send: { eventType: order.cancelled, customerExternalId: cust-3, idempotencyKey: k-1, payload: { id: 1 } }
  - at: 10s
    restartEngine: {}
expect:
  - noLoss
  - fifoOrder
  - noDuplicates
  - delivered: { count: 1001 }
`;

/** Every section, every action, every check and each consumer kind, with most of their options. */
const EVERYTHING = `name: every section
description: every key the format has
seed: 7
timeScale: 60
backend: embedded
queues:
  - name: orders
    attributes: { VisibilityTimeout: 60, DelaySeconds: "0", MaximumMessageSize: 262144, MessageRetentionPeriod: 345600, ReceiveMessageWaitTimeSeconds: 0 }
    redrive: { deadLetterQueue: orders-dlq, maxReceiveCount: 5 }
  - name: orders-dlq
  - name: audit.fifo
    attributes: { FifoQueue: true, ContentBasedDeduplication: "true", DeduplicationScope: messageGroup, FifoThroughputLimit: perMessageGroupId }
destination:
  type: SQS
  name: orders
  queue: orders
  region: eu-west-1
  fifo: false
  enabled: true
  messageGroupIdField: payload.customer.id
  auth: { mode: ASSUME_ROLE, roleArn: "arn:aws:iam::123456789012:role/Pushrail", externalId: ext-123 }
engine:
  batch: { maxEntries: 5, lingerMs: 20ms, maxBytes: 262144 }
  retry: { baseMs: 100, capMs: 1m, maxAttempts: 8 }
  maxInFlight: 4
  requestTimeoutMs: 10s
faults:
  - { name: slow, on: ReceiveMessage, delay: { min: 10ms, max: 50ms }, probability: 0.5 }
  - { on: SendMessageBatch, match: { queue: orders, entry: 0, attempt: 1 }, partial: { entries: [0], senderFault: true, code: InvalidParameterValue }, times: 1 }
  - { on: SendMessageBatch, throttle: { rate: 50, burst: 10 }, during: { from: 1s, to: 5s } }
  - { on: DeleteMessage, dropResponse: timeout, after: 3 }
  - { on: "*", match: { body: "/poison/i", attribute: { name: eventType, value: order.created } }, reset: true, times: 2 }
consumers:
  - { name: lam, queue: orders, kind: lambda, handler: ./handlers/worker.ts, exportName: handler, batchSize: 50, maximumBatchingWindowInSeconds: 1,
      maximumConcurrency: 2, reportBatchItemFailures: true, functionTimeoutSeconds: 10, fifoStopOnFailure: false, filter: [{ body: { status: [paid] } }], idempotency: true }
  - { name: pipe, queue: audit.fifo, kind: pipe, failTimes: 1, failIf: { groupId: cust-1 }, slowMs: 200ms, returnFailures: true, concurrency: 2, targetTimeoutSeconds: 30 }
  - { name: poll, queue: orders-dlq, kind: poller, crash: { after: 10 }, concurrency: 1, waitTimeSeconds: 5, maxMessages: 10, visibilityTimeout: 30,
      heartbeat: { everySeconds: 10, extendBy: 30 } }
timeline:
  - { at: 0, generate: { count: 10, groups: 2, eventType: order.created, payloadBytes: 128, duplicateRatio: 0.1, over: 2s, keyPrefix: batch-a, source: shop } }
  - { at: 1s, send: { eventType: order.paid, occurredAt: "2026-05-26T14:21:08.493Z", customerExternalId: cust-1, idempotencyKey: k-1, correlationId: c-1,
      source: shop, payload: { id: 1 }, metadata: { tenant: t1 } } }
  - { at: 2s, pauseConsumer: lam }
  - { at: 2.5s, resumeConsumer: { consumer: lam } }
  - { at: 3s, setFaults: [] }
  - { at: 3s, setFaults: [{ on: SendMessageBatch, error: ServiceUnavailable, times: 1 }] }
  - { at: 4s, restartEngine: {} }
  - { at: 5s, replayDlq: { all: true, asNew: true } }
  - { at: 5s, replayDlq: { ids: [dlq-1], force: true, destination: orders } }
  - { at: 6s, purge: orders-dlq }
  - { at: 6s, purge: { queue: audit.fifo } }
  - { at: 7s, wait: 500ms }
  - { at: 8s, waitUntil: { delivered: 11, timeout: 2m } }
expect:
  - noLoss: { atConsumer: true }
  - noDuplicates: { at: consumer }
  - fifoOrder: { atConsumer: false }
  - dedupHits: { atLeast: 0, queue: audit.fifo }
  - dlq: { count: 0, reasons: { maxAttempts: 0 } }
  - delivered: { count: 11 }
  - attempts: { max: 8, byReason: { RequestThrottled: { atLeast: 0 } } }
  - latency: { enqueue: { p99: 2s }, consumed: { max: 10s } }
  - accepted
  - consumerSaw: { consumer: lam, shape: lambda, attributes: { MessageGroupId: false }, messageAttributes: { eventType: { dataType: String, stringValue: order.paid } },
      body: { json: { eventType: order.paid } }, atLeast: 1 }
`;

describe("the schema itself", () => {
  it("is a draft-07 schema with an $id and a title, and compiles under Ajv's strict mode", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.$id).toBe("https://sqsrig.dev/schema/scenario.schema.json");
    expect(schema.title).toEqual(expect.any(String));
    expect(typeof validate).toBe("function");
  });

  it("describes every property, so editors have hover text for each key", () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}/${i}`));
      if (typeof node !== "object" || node === null) return;
      const props = (node as Json).properties;
      if (typeof props === "object" && props !== null) {
        for (const [key, sub] of Object.entries(props)) {
          // `true` entries only satisfy Ajv's strictRequired inside if/oneOf; the real property is described above.
          if (sub !== true && typeof (sub as Json).description !== "string" && !isConstraintOnly(sub as Json)) missing.push(`${path}/properties/${key}`);
        }
      }
      for (const [key, sub] of Object.entries(node)) visit(sub, `${path}/${key}`);
    };
    visit(schema, "#");
    expect(missing).toEqual([]);
  });
});

/** A property schema inside if/then/oneOf that only narrows one already described (`{ const: … }`, `{ not: … }`, `{ enum: … }`). */
function isConstraintOnly(sub: Json): boolean {
  return Object.keys(sub).every((k) => k === "const" || k === "not" || k === "enum");
}

describe("key lists agree with the loader and the modules it calls", () => {
  it("top-level keys are SCENARIO_KEYS", () => {
    expect(keysOf(schema)).toEqual([...SCENARIO_KEYS]);
  });

  it("waitUntil takes CONDITION_KEYS, and record types are the journal's", () => {
    const waitUntil = (defs.step!.properties as Record<string, Json>).waitUntil!;
    expect(Object.keys(waitUntil.properties as Json).sort()).toEqual([...CONDITION_KEYS].sort());
    const record = (waitUntil.properties as Record<string, Json>).record!;
    expect([...((record.properties as Record<string, Json>).type!.enum as string[])].sort()).toEqual([...JOURNAL_TYPES].sort());
  });

  it("timeline actions are TIMELINE_ACTIONS, each step needing exactly one", () => {
    expect(keysOf(defs.step).filter((k) => k !== "at")).toEqual([...TIMELINE_ACTIONS]);
    expect((defs.step!.oneOf as Json[]).map((b) => (b.required as string[])[0])).toEqual([...TIMELINE_ACTIONS]);
  });

  it("check names are CHECK_NAMES, bare and with options", () => {
    const [bare, withOptions] = defs.check!.anyOf as Json[];
    expect(bare!.enum).toEqual([...CHECK_NAMES]);
    expect(keysOf(withOptions)).toEqual([...CHECK_NAMES]);
  });

  it("backends, consumer kinds, engine settings, generate keys and event fields match their modules", () => {
    const props = schema.properties as Record<string, Json>;
    expect(props.backend!.enum).toEqual([...BACKENDS]);
    expect((defs.consumer!.properties as Record<string, Json>).kind!.enum).toEqual([...CONSUMER_KINDS]);
    expect(keysOf(defs.engine).sort()).toEqual([...ENGINE_SETTING_KEYS].sort());
    const actions = defs.step!.properties as Record<string, Json>;
    expect(keysOf(actions.generate).sort()).toEqual([...GENERATE_KEYS, ...EVENT_FIELDS].sort());
    expect(keysOf(actions.send)).toEqual([...EVENT_FIELDS]);
  });

  it("fault rules name every SQS action and every fault error; queue attributes are the settable ones", () => {
    const rule = defs.faultRule!.properties as Record<string, Json>;
    expect(rule.on!.enum).toEqual(["*", ...SQS_ACTIONS]);
    expect(rule.error!.enum).toEqual([...FAULT_ERROR_NAMES]);
    const queueProps = defs.queue!.properties as Record<string, Json>;
    expect(keysOf(queueProps.attributes).sort()).toEqual([...SETTABLE_ATTRIBUTES].sort());
  });
});

describe("valid scenarios pass the schema and the loader", () => {
  const cases: [string, string, string][] = [
    ["DESIGN's example scenario, as written", DESIGN_EXAMPLE, "design.yaml"],
    ["DESIGN's example scenario as JSON", JSON.stringify(parse(DESIGN_EXAMPLE), null, 2), "design.json"],
    ["a scenario with every section, action, check and consumer kind", EVERYTHING, "everything.yaml"],
    ["the starter scenario `sqsrig init` writes", STARTER_FILES.find((f) => f.path.endsWith(".yaml"))!.content, "example.yaml"],
    ["bare actions and checks (`restartEngine:`, `replayDlq:`, `setFaults:`, `- noLoss:`)", "name: x\nqueues: [{ name: q }]\ndestination: { type: SQS, name: d, queue: q, region: us-east-1 }\ntimeline:\n  - at: 1s\n    restartEngine:\n  - at: 2s\n    replayDlq:\n  - at: 3s\n    setFaults:\nexpect:\n  - noLoss:\n  - accepted\n", "bare.yaml"],
    ["durations as numbers and with spaces", "name: x\ntimeline:\n  - { at: 1500, wait: 0 }\n  - { at: 2 s, wait: 1.5m }\n  - { at: 1h, wait: 10 ms }\n", "durations.yaml"],
  ];
  it.each(cases)("%s", (_what, text, file) => {
    expect(schemaErrors(text)).toEqual([]);
    expect(loaderErrors(text, file)).toEqual([]);
  });
});

describe("invalid scenarios fail the schema and the loader", () => {
  const base = "name: x\nqueues:\n  - name: q\n";
  const cases: [string, string, string][] = [
    ["an unknown top-level key", "name: x\ntimelin: []\n", "timelin"],
    ["an unknown queue key", "name: x\nqueues:\n  - { name: q, atributes: {} }\n", "queues[0].atributes"],
    ["an invalid queue name", "name: x\nqueues:\n  - name: orders!\n", "queues[0].name"],
    ["an unknown action", `${base}timeline:\n  - { at: 0s, sned: { eventType: a } }\n`, "timeline[0].sned"],
    ["two actions in one step", `${base}timeline:\n  - { at: 0s, wait: 1s, purge: q }\n`, "timeline[0].purge"],
    ["a step without an action", `${base}timeline:\n  - { at: 0s }\n`, "timeline[0]"],
    ["a step without `at`", `${base}timeline:\n  - { wait: 1s }\n`, "timeline[0]"],
    ["a bad duration", `${base}timeline:\n  - { at: 5 sec, wait: 1s }\n`, "timeline[0].at"],
    ["generate without count", `${base}timeline:\n  - { at: 0s, generate: { groups: 2 } }\n`, "timeline[0].generate"],
    ["an unknown check", "name: x\nexpect:\n  - noLos\n", "expect[0]"],
    ["an unknown check option", "name: x\nexpect:\n  - delivered: { cuont: 3 }\n", "expect[0].delivered.cuont"],
    ["delivered without a count", "name: x\nexpect:\n  - delivered: {}\n", "expect[0].delivered"],
    ["an unknown fault error", "name: x\nfaults:\n  - { on: SendMessageBatch, error: Throttled }\n", "faults[0].error"],
    ["a fault with two effects", "name: x\nfaults:\n  - { on: SendMessageBatch, error: Throttling, reset: true }\n", "faults[0].reset"],
    ["a partial fault on a non-batch action", "name: x\nfaults:\n  - { on: SendMessage, partial: { entries: [0] } }\n", "faults[0].on"],
    ["an unknown match field", "name: x\nfaults:\n  - { on: SendMessage, error: Throttling, match: { qeue: q } }\n", "faults[0].match.qeue"],
    ["queueUrl in the destination", `${base}destination: { type: SQS, name: d, queue: q, region: us-east-1, queueUrl: "https://x" }\n`, "destination.queueUrl"],
    ["ACCESS_KEYS without the secret", `${base}destination: { type: SQS, name: d, queue: q, region: us-east-1, auth: { mode: ACCESS_KEYS, accessKeyId: AKID } }\n`, "destination.auth.secretAccessKey"],
    ["an unknown engine setting", "name: x\nengine: { linger: 5 }\n", "engine.linger"],
    ["batch.maxEntries above SendMessageBatch's 10", "name: x\nengine: { batch: { maxEntries: 11 } }\n", "engine.batch.maxEntries"],
    ["a timeScale of 0", "name: x\ntimeScale: 0\n", "timeScale"],
    ["no name", "queues: []\n", ""],
  ];
  it.each(cases)("%s", (_what, text, loaderPath) => {
    expect(schemaErrors(text)).not.toEqual([]);
    const load = loadScenarioText(text, "s.yaml");
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.errors.map((e) => e.path)).toContain(loaderPath);
  });
});

// Rules the run checks when it sets up (the consumers module; CreateQueue for attribute names — CreateQueue
// API reference, "Attributes"), which the schema already shows in the editor: Lambda's
// CreateEventSourceMapping ranges, kind-specific keys and queue attribute names.
describe("rules the schema shows before a run", () => {
  const consumer = (fields: string) => `name: x\nqueues: [{ name: q }]\nconsumers:\n  - { name: w, queue: q, ${fields} }\n`;
  it.each([
    ["a handler module and scripted behaviours together", "kind: lambda, handler: ./h.ts, failTimes: 1"],
    ["exportName without a handler", "kind: lambda, exportName: main"],
    ["a misspelt option", "kind: lambda, batchsize: 5"],
    ["a poller option on a lambda consumer", "kind: lambda, heartbeat: { everySeconds: 5, extendBy: 30 }"],
    ["a lambda option on a poller", "kind: poller, reportBatchItemFailures: true"],
    ["maximumConcurrency below Lambda's 2", "kind: lambda, maximumConcurrency: 1"],
    ["a handler that is not a module", "kind: pipe, handler: ./h.py"],
    ["failIf with two matchers", "kind: poller, failIf: { groupId: g, bodyContains: x }"],
  ])("rejects %s", (_what, fields) => {
    expect(schemaErrors(consumer(fields))).not.toEqual([]);
  });

  it("rejects a queue attribute SQS does not have, and accepts attribute values written bare", () => {
    expect(schemaErrors("name: x\nqueues:\n  - { name: q, attributes: { Visibility: 30 } }\n")).toEqual(["/queues/0/attributes must NOT have additional properties 'Visibility'"]);
    expect(schemaErrors("name: x\nqueues:\n  - { name: q.fifo, attributes: { FifoQueue: TRUE, VisibilityTimeout: 30 } }\n")).toEqual([]);
  });

  it("accepts each kind with its own options", () => {
    expect(schemaErrors(consumer("kind: lambda, functionTimeoutSeconds: 5, maximumConcurrency: 2"))).toEqual([]);
    expect(schemaErrors(consumer("kind: pipe, targetTimeoutSeconds: 5, concurrency: 3"))).toEqual([]);
    expect(schemaErrors(consumer("kind: poller, maxMessages: 5, heartbeat: { everySeconds: 5, extendBy: 30 }"))).toEqual([]);
  });
});

describe("scenarios/ (the example scenarios shipped with sqsrig)", () => {
  const dir = join(ROOT, "scenarios");
  const files = listScenarioFiles(dir);
  if (files.length === 0) it.skip("scenarios/ has no scenario files yet", () => {});
  it.each(files.map((f) => [f.slice(dir.length + 1), f]))("%s passes the schema and the loader", (_name, file) => {
    const text = readFileSync(file, "utf8");
    expect(schemaErrors(text)).toEqual([]);
    expect(loaderErrors(text, file)).toEqual([]);
  });
});

function listScenarioFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && [".yaml", ".yml", ".json"].includes(extname(e.name)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
