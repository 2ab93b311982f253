// `sqsrig validate` and `sqsrig init` through `main()`. Follows DESIGN "Contracts" (validate: errors name
// file:line:column; init: a starter scenario, a handler and a destination file; exit 0 success, 2 bad
// input) and issue 7 "Validation before anything runs". The starter handler follows the Lambda Developer
// Guide, "Implementing partial batch responses" (batchItemFailures; FIFO stops a group at its first failure).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SCHEMA_FROM_SCENARIOS } from "../../src/cli/init-templates.js";
import { loadHandler, type LambdaSqsRecord } from "../../src/consumers/index.js";
import { createTarget } from "../support/target.js";
import { put, useTempDirs } from "../support/temp-dirs.js";
import { runCli } from "../support/run-cli.js";

const tempDir = useTempDirs("cli-validate");
const ROOT = resolve(import.meta.dirname, "..", "..");

afterEach(() => {
  vi.restoreAllMocks();
});

const run = runCli;


const VALID = "name: small\nqueues:\n  - name: q\ntimeline:\n  - { at: 0s, wait: 1s }\nexpect:\n  - noLoss\n";

describe("sqsrig validate", () => {
  it("refuses consumer options AWS would refuse for the declared queue, as run would, at the consumer", async () => {
    // CreateEventSourceMapping API reference: BatchSize is at most 10 for a FIFO queue.
    const file = put(tempDir(), "fifo-batch.yaml", "name: b\nqueues:\n  - { name: orders.fifo, attributes: { FifoQueue: \"true\" } }\nconsumers:\n  - { name: fn, queue: orders.fifo, kind: lambda, batchSize: 20 }\n");
    const { code, err } = await run("validate", file);
    expect(code).toBe(2);
    expect(err).toContain(`${file}:5:5 consumers[0]: consumer 'fn': batchSize: must be at most 10 for a FIFO queue, got 20`);
  });

  it("prints ✓ file (name) for a valid file and exits 0", async () => {
    const file = put(tempDir(), "ok.yaml", VALID);
    const { code, out, err } = await run("validate", file);
    expect(err).toBe("");
    expect(out).toBe(`✓ ${file} (small)\n`);
    expect(code).toBe(0);
  });

  it("searches folders recursively for .yaml, .yml and .json, skipping node_modules and dot-folders", async () => {
    const dir = tempDir();
    put(dir, "b.yaml", VALID.replace("small", "b"));
    put(dir, "a/c.yml", VALID.replace("small", "c"));
    put(dir, "d.json", JSON.stringify({ name: "d", queues: [{ name: "q" }] }));
    put(dir, "notes.txt", "not a scenario");
    put(dir, ".github/workflows/ci.yaml", "on: push\n");
    put(dir, "node_modules/pkg/x.yaml", "whatever: 1\n");
    const { code, out, err } = await run("validate", dir);
    expect(err).toBe("");
    expect(out).toBe([`✓ ${join(dir, "a/c.yml")} (c)`, `✓ ${join(dir, "b.yaml")} (b)`, `✓ ${join(dir, "d.json")} (d)`, ""].join("\n"));
    expect(code).toBe(0);
  });

  it("reads ./scenarios by default and exits 2 when it does not exist", async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const missing = await run("validate");
      expect(missing.code).toBe(2);
      expect(missing.err).toBe("sqsrig: scenarios: no such file or folder.\n");
      put(dir, "scenarios/one.yaml", VALID);
      const found = await run("validate");
      expect(found.out).toBe(`✓ ${join("scenarios", "one.yaml")} (small)\n`);
      expect(found.code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  it("exits 2 for a folder without scenario files and for a path that does not exist, still checking the rest", async () => {
    const empty = tempDir();
    put(empty, "readme.md", "# nothing here");
    const good = put(tempDir(), "ok.yaml", VALID);
    const { code, out, err } = await run("validate", empty, join(empty, "nope.yaml"), good);
    expect(err).toBe(`sqsrig: ${empty}: no scenario files (*.yaml, *.yml, *.json) in this folder.\nsqsrig: ${join(empty, "nope.yaml")}: no such file or folder.\n`);
    expect(out).toBe(`✓ ${good} (small)\n`);
    expect(code).toBe(2);
  });

  describe("invalid files exit 2 with file:line:column path: message", () => {
    const cases: [string, string, string][] = [
      ["a YAML syntax error", "name: x\nseed: 1: 2\n", "2:7: YAML syntax error: Nested mappings are not allowed in compact mappings"],
      ["an unknown key", "name: x\ntimelin: []\n", "2:1 timelin: Unknown key 'timelin' in the scenario. Did you mean 'timeline'?"],
      [
        "a bad duration",
        "name: x\ntimeline:\n  - at: 5 sec\n    wait: 1s\n",
        '3:9 timeline[0].at: at "5 sec" is not a duration such as 500ms, 5s, 2m or 1h (a bare number is milliseconds).',
      ],
      [
        "an undefined queue",
        "name: x\nqueues:\n  - name: q\nconsumers:\n  - { name: w, queue: other, kind: lambda }\n",
        "5:23 consumers[0].queue: queue 'other' is not declared in queues (declared: q).",
      ],
    ];
    it.each(cases)("%s", async (_what, text, expected) => {
      const file = put(tempDir(), "bad.yaml", text);
      const { code, out, err } = await run("validate", file);
      expect(out).toBe("");
      expect(err).toBe(`${file}:${expected}\nsqsrig: 1 of 1 scenario file invalid.\n`);
      expect(code).toBe(2);
    });

    it("a JSON syntax error, at the offending character", async () => {
      const file = put(tempDir(), "bad.json", '{\n  "name": "x",\n  "queues": [1,],\n}');
      const { code, err } = await run("validate", file);
      expect(err.split("\n")[0]).toMatch(new RegExp(`^${escape(file)}:3:16: JSON syntax error: `));
      expect(code).toBe(2);
    });
  });

  describe("consumer handler modules, loaded relative to the scenario file", () => {
    const scenario = (handler: string, extra = "") =>
      `name: with handler\nqueues:\n  - name: q\nconsumers:\n  - name: w\n    queue: q\n    kind: lambda\n    handler: ${handler}\n${extra}`;

    it("a missing module is an error at the handler's value", async () => {
      const dir = tempDir();
      const file = put(dir, "scenarios/s.yaml", scenario("../handlers/missing.ts"));
      const { code, err } = await run("validate", file);
      expect(err).toBe(
        `${file}:8:14 consumers[0].handler: consumer 'w': Handler module ${join(dir, "handlers/missing.ts")} does not exist.\nsqsrig: 1 of 1 scenario file invalid.\n`,
      );
      expect(code).toBe(2);
    });

    it("a module without the named export is an error at the handler's value; a module that has it passes", async () => {
      const dir = tempDir();
      put(dir, "handlers/worker.ts", "export async function main() { return { batchItemFailures: [] }; }\n");
      const wrong = put(dir, "scenarios/wrong.yaml", scenario("../handlers/worker.ts"));
      const right = put(dir, "scenarios/right.yaml", scenario("../handlers/worker.ts", "    exportName: main\n"));
      const { code, out, err } = await run("validate", wrong, right);
      expect(err).toMatch(new RegExp(`^${escape(wrong)}:8:14 consumers\\[0\\]\\.handler: consumer 'w': Handler module .*worker\\.ts does not export a function: expected a default export or an export named 'handler'`));
      expect(out).toBe(`✓ ${right} (with handler)\n`);
      expect(code).toBe(2);
    });

    it("a handler that is not a path string is an error at its value", async () => {
      const file = put(tempDir(), "s.yaml", "name: x\nqueues: [{ name: q }]\nconsumers:\n  - { name: w, queue: q, kind: poller, handler: 42 }\n");
      const { code, err } = await run("validate", file);
      expect(err.split("\n")[0]).toBe(`${file}:4:49 consumers[0].handler: handler must be the path of a .ts, .mts, .js or .mjs module, relative to this scenario file.`);
      expect(code).toBe(2);
    });
  });
});

describe("sqsrig init", () => {
  it("writes a scenario, a handler and a destination, prints them and the next command, and the scenario validates", async () => {
    const dir = join(tempDir(), "project");
    const init = await run("init", dir);
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    for (const f of ["scenarios/example.yaml", "handlers/worker.ts", "destination.json"]) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(init.out).toContain(join(dir, f));
    }
    expect(init.out).toContain(`npx sqsrig validate ${join(dir, "scenarios")}`);

    const scenario = readFileSync(join(dir, "scenarios/example.yaml"), "utf8");
    expect(scenario.split("\n")[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_FROM_SCENARIOS}`);
    // The FIFO queue with a DLQ, 100 events over 5 groups, a lambda consumer with the handler, a throttling fault, four checks.
    expect(scenario).toMatch(/FifoQueue: "true"/);
    expect(scenario).toMatch(/redrive: \{ deadLetterQueue: orders-dlq\.fifo/);
    expect(scenario).toMatch(/generate: \{ count: 100, groups: 5,/);
    expect(scenario).toMatch(/kind: lambda\n\s+handler: \.\.\/handlers\/worker\.ts/);
    expect(scenario).toMatch(/error: Throttling/);
    expect(scenario).toMatch(/- noLoss\n\s+- fifoOrder\n\s+- noDuplicates\n\s+- delivered: \{ count: 100 \}/);

    const validate = await run("validate", join(dir, "scenarios"));
    expect(validate.err).toBe("");
    expect(validate.out).toMatch(/^✓ .*example\.yaml \(.+\)\n$/);
    expect(validate.code).toBe(0);
  });

  it("points the scenario at the schema as installed: node_modules/sqsrig/schema, which the package ships", () => {
    const m = /^\.\.\/node_modules\/sqsrig\/(.+)$/.exec(SCHEMA_FROM_SCENARIOS);
    expect(m).not.toBeNull();
    expect(existsSync(join(ROOT, m![1]!))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain(m![1]!.split("/")[0]);
  });

  it("refuses to overwrite existing files, naming them and writing nothing, unless --force", async () => {
    const dir = tempDir();
    put(dir, "destination.json", "{ \"mine\": true }\n");
    put(dir, "handlers/worker.ts", "// mine\n");
    const refused = await run("init", dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `sqsrig: init would overwrite ${join(dir, "handlers/worker.ts")}, ${join(dir, "destination.json")}; nothing was written. Pass --force to replace them.\n`,
    );
    expect(existsSync(join(dir, "scenarios/example.yaml"))).toBe(false);
    expect(readFileSync(join(dir, "destination.json"), "utf8")).toBe('{ "mine": true }\n');

    const forced = await run("init", dir, "--force");
    expect(forced.code).toBe(0);
    expect(forced.out).toContain("(replaced)");
    expect(JSON.parse(readFileSync(join(dir, "destination.json"), "utf8"))).toMatchObject({ type: "SQS", name: "orders" });
  });

  it("exits 2 when the target is a file", async () => {
    const file = put(tempDir(), "taken", "x");
    const { code, err } = await run("init", file);
    expect(code).toBe(2);
    expect(err).toBe(`sqsrig: ${file} is a file, not a folder; name a folder to write the starter files into.\n`);
  });

  it("writes a destination that `sqsrig preview --destination destination.json` accepts (queue on sqsrig's port, any endpoint)", async () => {
    const dir = tempDir();
    await run("init", dir);
    const destination = JSON.parse(readFileSync(join(dir, "destination.json"), "utf8")) as { queueUrl: string };
    expect(destination.queueUrl).toBe("http://127.0.0.1:4590/000000000000/orders.fifo");
    const target = await createTarget();
    try {
      await target.client.send(new CreateQueueCommand({ QueueName: "orders.fifo", Attributes: { FifoQueue: "true" } }));
      const event = put(dir, "event.json", JSON.stringify({ eventType: "order.created", occurredAt: "2026-05-26T14:21:08.493Z", customerExternalId: "cust-1", idempotencyKey: "k-1", payload: { id: 1 } }));
      const preview = await run("preview", "--destination", join(dir, "destination.json"), "--endpoint", target.endpoint, event);
      expect(preview.err).toBe("");
      expect(preview.out).toContain("MessageGroupId");
      expect(preview.out.trimEnd().endsWith("AWS would accept this entry.")).toBe(true);
      expect(preview.code).toBe(0);
    } finally {
      await target.close();
    }
  });

  it("writes a handler that reports failures per message and stops a FIFO group at its first failure", async () => {
    const dir = tempDir();
    await run("init", dir);
    const handler = await loadHandler(join(dir, "handlers/worker.ts"));
    const body = (key: string) => JSON.stringify({ eventType: "order.created", idempotencyKey: key, payload: {} });
    const records = [
      record("m1", "g1", body("k1")),
      record("m2", "g1", "not json"),
      record("m3", "g2", body("k3")),
      record("m4", "g1", body("k4")),
    ];
    vi.spyOn(console, "error").mockImplementation(() => {});
    const answer = await handler({ Records: records }, { consumer: "lambda", name: "worker", now: 0 });
    // m2 fails; m4 comes after it in group g1, so it is reported too; g2 is unaffected.
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "m2" }, { itemIdentifier: "m4" }] });
    // A pipe hands over the bare array.
    expect(await handler([records[0]!], { consumer: "pipe", name: "worker", now: 0 })).toEqual({ batchItemFailures: [] });
  });
});

function record(messageId: string, group: string, body: string): LambdaSqsRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "AIDA", ApproximateFirstReceiveTimestamp: "0", MessageGroupId: group },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:orders.fifo",
    awsRegion: "us-east-1",
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
