// `sqsrig preview` through `main()`, with the queue looked up by the real AWS SDK in a real emulator.
// Follows DESIGN "Contracts" (prints the exact entry, size vs the queue limit and every reason AWS would
// reject it; exit 0 accepted, 1 rejected, 2 bad input), the GetQueueAttributes API reference
// (MaximumMessageSize, FifoQueue), the SendMessage API reference (MessageGroupId charset) and the recorded
// QueueDoesNotExist answer in notes/sqs-recorded-errors.md.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { runCli } from "../support/run-cli.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
let target: SqsTarget;
let dir: string;

beforeAll(async () => {
  target = await createTarget();
  dir = mkdtempSync(join(tmpdir(), "sqsrig-preview-"));
});
afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

async function queue(fifo = false, attributes: Record<string, string> = {}): Promise<string> {
  const name = target.name("preview") + (fifo ? ".fifo" : "");
  const res = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...(fifo ? { FifoQueue: "true" } : {}), ...attributes } }));
  return res.QueueUrl!;
}

function destinationFile(queueUrl: string, extra: Record<string, unknown> = {}): string {
  return file(`dest-${Math.random().toString(36).slice(2)}.json`, {
    type: "SQS",
    name: "orders",
    queueUrl,
    region: "us-east-1",
    auth: { mode: "ACCESS_KEYS", accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET },
    ...extra,
  });
}

const EVENT = {
  eventType: "order.completed",
  occurredAt: "2026-05-26T14:21:08.493Z",
  customerExternalId: "acct_8K2zRq",
  idempotencyKey: "order_38a91f-completed",
  payload: { orderId: "ord_38a91f" },
};

const run = (...argv: string[]) => runCli("preview", ...argv);

describe("sqsrig preview", () => {
  it("prints the entry, the size against the queue's MaximumMessageSize and 'AWS would accept', exit 0", async () => {
    const url = await queue(false, { MaximumMessageSize: "2048" });
    const { code, out, err } = await run("--destination", destinationFile(url), file("ok.json", EVENT));
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain('    "idempotencyKey": "order_38a91f-completed",');
    expect(out).toMatch(/^ {2}eventType\s+String\s+order\.completed$/m);
    expect(out).toMatch(/Size \d+ bytes of 2048 \(queue MaximumMessageSize\)/);
    expect(out.trimEnd().endsWith("AWS would accept this entry.")).toBe(true);
    expect(out).not.toContain(SECRET);
  });

  it("lists every reason and exits 1 when AWS would reject the entry (bad FIFO group id, oversize)", async () => {
    const url = await queue(true, { MaximumMessageSize: "1024" });
    const ev = { ...EVENT, customerExternalId: "acct 8K2zRq", payload: { blob: "x".repeat(1_500) } };
    const { code, out } = await run("--destination", destinationFile(url), file("bad.json", ev));
    expect(code).toBe(1);
    expect(out).toContain("AWS would reject this entry (2 reasons):");
    expect(out).toMatch(/^ {2}groupId customerExternalId: /m);
    expect(out).toMatch(/^ {2}oversize MessageBody: The message is \d+ bytes/m);
  });

  it("reports a queue that does not exist as a reason, exit 1, and prints the report as JSON with --json", async () => {
    const missing = `${target.endpoint}/000000000000/${target.name("missing")}`;
    const { code, out } = await run("--json", "--destination", destinationFile(missing), file("ev.json", EVENT));
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.queue).toMatchObject({ ok: false, code: "AWS.SimpleQueueService.NonExistentQueue" });
    expect(report.reasons).toEqual([expect.objectContaining({ rule: "queueMissing", field: "queueUrl" })]);
    expect(report.destination.auth.secretAccessKey).toBe("***");
    expect(out).not.toContain(SECRET);
  });

  it("reads the event from stdin with '-'", async () => {
    const url = await queue();
    const stdin = Object.getOwnPropertyDescriptor(process, "stdin")!;
    Object.defineProperty(process, "stdin", { value: Readable.from([Buffer.from(JSON.stringify(EVENT))]), configurable: true });
    try {
      const { code, out, err } = await run("--destination", destinationFile(url), "-");
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(out).toContain("MessageDeduplicationId  (none)");
    } finally {
      Object.defineProperty(process, "stdin", stdin);
    }
  });

  it("exits 2 naming the file and field for unreadable, malformed or invalid input", async () => {
    const url = await queue();
    const dest = destinationFile(url);
    const gone = await run("--destination", join(dir, "nope.json"), file("e1.json", EVENT));
    expect(gone.code).toBe(2);
    expect(gone.err).toContain(`${join(dir, "nope.json")}: cannot read the file (ENOENT)`);

    const malformed = file("broken.json", '{\n  "eventType": "x",\n  "payload": }');
    const broken = await run("--destination", dest, malformed);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`${malformed}:3:14: Malformed JSON at line 3, column 14`);

    const invalidDest = destinationFile(url, { region: "moon", auth: { mode: "ASSUME_ROLE", roleArn: "nope" } });
    const badDest = await run("--destination", invalidDest, file("e2.json", EVENT));
    expect(badDest.code).toBe(2);
    expect(badDest.err).toContain(`${invalidDest}: the destination is invalid:`);
    expect(badDest.err).toMatch(/ {2}region: /);
    expect(badDest.err).toMatch(/ {2}auth\.roleArn: /);
    expect(badDest.err).toMatch(/ {2}auth\.externalId: /);

    const badEvent = await run("--destination", dest, file("e3.json", { ...EVENT, occurredAt: "soon" }));
    expect(badEvent.code).toBe(2);
    expect(badEvent.err).toMatch(/e3\.json: the event is invalid:\n {2}occurredAt: /);
    expect(badEvent.out).toBe("");
  });
});
