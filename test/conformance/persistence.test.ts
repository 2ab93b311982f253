import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, DurableLog } from "../../src/journal/index.js";
import { startEmulatorServer, type EmulatorServer } from "../../src/emulator/index.js";
import { FileStateLog } from "../../src/emulator/persistence-log.js";
import { sdkClient } from "../support/target.js";

/**
 * Persistence (`sqsrig emulator --data DIR`) is an emulator feature, not SQS behaviour: these cases
 * check that what SQS promises still holds across a restart. Each names the AWS document whose promise
 * it carries over. Queue URLs are looked up again after each restart: the port changes.
 */
const embedded = !process.env.SQSRIG_CONFORMANCE_ENDPOINT;
const ROOT = join(tmpdir(), `sqsrig-persistence-${process.pid}`);

interface Running {
  server: EmulatorServer;
  client: SQSClient;
  warnings: string[];
  url(name: string): Promise<string>;
  close(): Promise<void>;
}

function freshDir(): string {
  mkdirSync(ROOT, { recursive: true });
  return mkdtempSync(join(ROOT, "data-"));
}

/** Starts an in-process emulator on `dir`. One clock is shared across restarts, as one timeline. */
async function start(dir: string, clock: VirtualClock): Promise<Running> {
  const warnings: string[] = [];
  const server = await startEmulatorServer({
    port: 0,
    clock,
    journal: createJournal(clock, { retain: 1000 }),
    dataDir: dir,
    persistence: { onWarning: (m) => warnings.push(m) },
  });
  const client = sdkClient(server.url);
  return {
    server,
    client,
    warnings,
    url: async (name) => (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/**
 * What a crash (SIGKILL) would leave right now: a copy of the data directory while the server still
 * runs, without the clean-close compaction. Every answered request must already be in it.
 */
function crashImage(dir: string): string {
  const copy = freshDir();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function distIsStale(): boolean {
  let built: number;
  try {
    built = statSync("dist/cli/index.js").mtimeMs;
  } catch {
    return true;
  }
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith(".ts") && statSync(join(dir, e.name)).mtimeMs > built,
    );
  return newer("src");
}

async function receiveAll(client: SQSClient, queueUrl: string, extra: { MaxNumberOfMessages?: number } = {}): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const got = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: extra.MaxNumberOfMessages ?? 10,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    if (!got.Messages?.length) return out;
    out.push(...got.Messages);
  }
}

describe.skipIf(!embedded)("persistence: the embedded emulator's --data directory", () => {
  const open: Running[] = [];
  const run = async (dir: string, clock: VirtualClock) => {
    const r = await start(dir, clock);
    open.push(r);
    return r;
  };
  const stop = async (r: Running) => {
    open.splice(open.indexOf(r), 1);
    await r.close();
  };
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });
  afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

  // CreateQueue, SetQueueAttributes, TagQueue, UntagQueue, AddPermission and GetQueueAttributes API
  // references: a queue keeps its attributes, tags and Created/LastModifiedTimestamp.
  it("keeps queues with their attributes, policy, tags and timestamps", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-attrs-${Date.now()}`;
    const { QueueUrl } = await a.client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: "45" }, tags: { team: "a", drop: "me" } }),
    );
    await clock.advance(5_000);
    await a.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: "2048", ReceiveMessageWaitTimeSeconds: "3" } }));
    await a.client.send(new TagQueueCommand({ QueueUrl, Tags: { env: "test" } }));
    await a.client.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["drop"] }));
    await a.client.send(new AddPermissionCommand({ QueueUrl, Label: "l1", AWSAccountIds: ["000000000000"], Actions: ["SendMessage"] }));
    const before = (await a.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes;
    await stop(a);

    const b = await run(dir, clock);
    const url = await b.url(name);
    const after = (await b.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes;
    expect(after).toEqual(before);
    expect(after?.MaximumMessageSize).toBe("2048");
    expect(after?.Policy).toContain('"Sid":"l1"');
    expect(Number(after?.LastModifiedTimestamp)).toBe(Number(after?.CreatedTimestamp) + 5);
    const tags = await b.client.send(new ListQueueTagsCommand({ QueueUrl: url }));
    expect(tags.Tags).toEqual({ team: "a", env: "test" });
  });

  // SQS developer guide, "Amazon SQS message lifecycle" and ReceiveMessage API reference: a message
  // keeps its id, body, attributes and system attributes; ApproximateReceiveCount counts every receive.
  // A message in flight at a restart comes back visible (what a restarted broker does), its count kept.
  it("keeps messages with attributes, system attributes, receive counts and delays", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-msgs-${Date.now()}`;
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: name }));
    const sent = await a.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "körper ✓\r\n\u2028 end",
        MessageAttributes: {
          s: { DataType: "String", StringValue: "v" },
          n: { DataType: "Number.int", StringValue: "42" },
          b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 254]) },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793" } },
      }),
    );
    const sentAt = clock.now();
    await clock.advance(2_000);
    const first = await a.client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["All"] }));
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("1");
    const oldHandle = first.Messages![0]!.ReceiptHandle!;
    // A delayed message must stay invisible for the rest of its delay (SendMessage: DelaySeconds).
    const delayed = await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 60 }));
    await stop(a);

    const b = await run(dir, clock);
    const url = await b.url(name);
    const attrs = await b.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe("1");
    expect(attrs.Attributes?.ApproximateNumberOfMessagesDelayed).toBe("1");
    const [again, ...rest] = await receiveAll(b.client, url);
    expect(rest).toEqual([]);
    expect(again?.MessageId).toBe(sent.MessageId);
    expect(again?.Body).toBe("körper ✓\r\n\u2028 end");
    expect(again?.MD5OfBody).toBe(sent.MD5OfMessageBody);
    expect(again?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(again?.MessageAttributes?.n).toMatchObject({ DataType: "Number.int", StringValue: "42" });
    expect([...(again?.MessageAttributes?.b?.BinaryValue ?? [])]).toEqual([0, 1, 254]);
    expect(again?.Attributes?.AWSTraceHeader).toBe("Root=1-5759e988-bd862e3fe1be46a994272793");
    expect(again?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(again?.Attributes?.SentTimestamp).toBe(String(sentAt));
    expect(again?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(String(sentAt + 2_000));

    await b.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle!, VisibilityTimeout: 600 }));
    await clock.advance(59_000);
    expect(await receiveAll(b.client, url)).toEqual([]);
    await clock.advance(1_000);
    const later = await receiveAll(b.client, url);
    expect(later.map((m) => m.MessageId)).toEqual([delayed.MessageId]);
    // The handle from before the restart is not the latest any more: deleting with it must not delete
    // (DeleteMessage API reference: "the most recently received receipt handle").
    await b.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: oldHandle }));
    await b.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle!, VisibilityTimeout: 0 }));
    expect((await receiveAll(b.client, url)).map((m) => m.MessageId)).toEqual([sent.MessageId]);
  });

  // DeleteMessage / DeleteMessageBatch API references: a deleted message is never delivered again.
  it("keeps deleted messages deleted, including after a crash", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-del-${Date.now()}`;
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: name }));
    const ids: string[] = [];
    for (const body of ["one", "two", "three", "four"]) ids.push((await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }))).MessageId!);
    const got = await receiveAll(a.client, QueueUrl!);
    const byBody = new Map(got.map((m) => [m.Body, m]));
    await a.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: byBody.get("one")!.ReceiptHandle }));
    await a.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: ["two", "three"].map((b, i) => ({ Id: `e${i}`, ReceiptHandle: byBody.get(b)!.ReceiptHandle })),
      }),
    );
    const crashed = crashImage(dir);
    await stop(a);

    for (const d of [dir, crashed]) {
      const b = await run(d, clock);
      const url = await b.url(name);
      expect((await receiveAll(b.client, url)).map((m) => m.Body)).toEqual(["four"]);
      await stop(b);
    }
  });

  // PurgeQueue API reference (one purge per 60 seconds) and SQS-FACTS "PurgeQueue clears the cache"
  // (LocalStack test_purge_queue_clears_fifo_deduplication_cache, validated against AWS).
  it("keeps a purge: the messages, the cleared dedup cache and the 60-second purge limit", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-purge-${Date.now()}.fifo`;
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }));
    const old = await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "old", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
    await a.client.send(new PurgeQueueCommand({ QueueUrl }));
    await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "new", MessageGroupId: "g", MessageDeduplicationId: "d2" }));
    const crashed = crashImage(dir);
    await stop(a);

    const b = await run(crashed, clock);
    const url = await b.url(name);
    await expect(b.client.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({ name: "PurgeQueueInProgress" });
    const resent = await b.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "old", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
    expect(resent.MessageId).not.toBe(old.MessageId);
    expect((await receiveAll(b.client, url)).map((m) => m.Body)).toEqual(["new", "old"]);
    await clock.advance(60_000);
    await b.client.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  // SQS developer guide, "Exactly-once processing": a duplicate within 5 minutes is accepted with the
  // original MessageId and not enqueued, even after the original was deleted.
  it("keeps the FIFO dedup cache with its expiry across a restart", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-dedup-${Date.now()}.fifo`;
    const { QueueUrl } = await a.client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }),
    );
    const byId = await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g", MessageDeduplicationId: "dup" }));
    const byContent = await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "content", MessageGroupId: "g" }));
    const [first] = await receiveAll(a.client, QueueUrl!, { MaxNumberOfMessages: 1 });
    await a.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle }));
    await stop(a);

    const b = await run(dir, clock);
    const url = await b.url(name);
    await clock.advance(4 * 60_000);
    const dupId = await b.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "y", MessageGroupId: "g", MessageDeduplicationId: "dup" }));
    expect(dupId.MessageId).toBe(byId.MessageId);
    expect(dupId.SequenceNumber).toBe(byId.SequenceNumber);
    const dupContent = await b.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "content", MessageGroupId: "g" }));
    expect(dupContent.MessageId).toBe(byContent.MessageId);
    await stop(b);

    const c = await run(dir, clock);
    const url2 = await c.url(name);
    await clock.advance(60_001);
    const fresh = await c.client.send(new SendMessageCommand({ QueueUrl: url2, MessageBody: "z", MessageGroupId: "g", MessageDeduplicationId: "dup" }));
    expect(fresh.MessageId).not.toBe(byId.MessageId);
    expect((await receiveAll(c.client, url2)).map((m) => m.Body)).toEqual(["content", "z"]);
  });

  // SendMessage API reference: SequenceNumber is "unique" and "increases" within a FIFO queue; SQS
  // developer guide, "FIFO queue message ordering": a group is delivered in the order sent.
  it("keeps FIFO order per group and SequenceNumbers growing after a crash", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-order-${Date.now()}.fifo`;
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }));
    const seqs: bigint[] = [];
    for (let i = 0; i < 6; i++) {
      const group = i % 2 === 0 ? "even" : "odd";
      const r = await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageGroupId: group, MessageDeduplicationId: `d${i}` }));
      seqs.push(BigInt(r.SequenceNumber!));
    }
    // The newest messages are deleted, so the next sequence cannot be recovered from what is stored.
    const batch = await a.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [0, 1].map((i) => ({ Id: `b${i}`, MessageBody: `tail${i}`, MessageGroupId: "tail", MessageDeduplicationId: `t${i}` })),
      }),
    );
    const last = BigInt(batch.Successful!.at(-1)!.SequenceNumber!);
    const tail = await a.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const m of tail.Messages!.filter((m) => m.Body!.startsWith("tail"))) {
      await a.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    const crashed = crashImage(dir);
    await stop(a);

    const b = await run(crashed, clock);
    const url = await b.url(name);
    await clock.advance(30_000); // whatever was in flight at the crash is visible by now anyway
    const got = await receiveAll(b.client, url);
    const bodies = (group: string) => got.filter((m) => m.Attributes?.MessageGroupId === group).map((m) => m.Body);
    expect(bodies("even")).toEqual(["m0", "m2", "m4"]);
    expect(bodies("odd")).toEqual(["m1", "m3", "m5"]);
    expect(got.map((m) => BigInt(m.Attributes!.SequenceNumber!)).sort()).toEqual(seqs);
    const next = await b.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "after", MessageGroupId: "even", MessageDeduplicationId: "after" }));
    expect(BigInt(next.SequenceNumber!)).toBeGreaterThan(last);
    await stop(b);
    // Now from the compacted snapshot alone (the log is empty after a clean close).
    const c = await run(crashed, clock);
    const url2 = await c.url(name);
    const after2 = await c.client.send(new SendMessageCommand({ QueueUrl: url2, MessageBody: "after2", MessageGroupId: "odd", MessageDeduplicationId: "after2" }));
    expect(BigInt(after2.SequenceNumber!)).toBeGreaterThan(BigInt(next.SequenceNumber!));
  });

  // SQS developer guide, "Using dead-letter queues": the moved message keeps its MessageId and receive
  // count and gains DeadLetterQueueSourceArn. DeleteQueue API reference: the name cannot be reused for
  // 60 seconds.
  it("keeps dead-lettered messages and recently deleted queue names", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const stamp = Date.now();
    const dlq = await a.client.send(new CreateQueueCommand({ QueueName: `persist-dlq-${stamp}` }));
    const dlqArn = (await a.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const src = await a.client.send(
      new CreateQueueCommand({
        QueueName: `persist-src-${stamp}`,
        Attributes: { VisibilityTimeout: "10", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
      }),
    );
    const sent = await a.client.send(new SendMessageCommand({ QueueUrl: src.QueueUrl, MessageBody: "poison" }));
    await a.client.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl }));
    await clock.advance(10_000);
    expect((await a.client.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl }))).Messages).toBeUndefined();
    const gone = await a.client.send(new CreateQueueCommand({ QueueName: `persist-gone-${stamp}` }));
    await a.client.send(new DeleteQueueCommand({ QueueUrl: gone.QueueUrl }));
    await stop(a);

    const b = await run(dir, clock);
    const [moved, ...more] = await receiveAll(b.client, await b.url(`persist-dlq-${stamp}`));
    expect(more).toEqual([]);
    expect(moved?.MessageId).toBe(sent.MessageId);
    expect(moved?.Attributes?.DeadLetterQueueSourceArn).toBe(dlqArn.replace(`persist-dlq-${stamp}`, `persist-src-${stamp}`));
    expect(moved?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(await receiveAll(b.client, await b.url(`persist-src-${stamp}`))).toEqual([]);
    await expect(b.client.send(new CreateQueueCommand({ QueueName: `persist-gone-${stamp}` }))).rejects.toMatchObject({ name: "QueueDeletedRecently" });
    await clock.advance(60_000);
    await b.client.send(new CreateQueueCommand({ QueueName: `persist-gone-${stamp}` }));
  });

  // StartMessageMoveTask API reference: a move task takes messages out of the DLQ and back to their
  // source. Its moves happen on timers, without a request, and must be kept all the same.
  it("keeps messages where a move task put them", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const stamp = Date.now();
    const dlq = await a.client.send(new CreateQueueCommand({ QueueName: `persist-mdlq-${stamp}` }));
    const dlqArn = (await a.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const src = await a.client.send(
      new CreateQueueCommand({
        QueueName: `persist-msrc-${stamp}`,
        Attributes: { VisibilityTimeout: "10", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
      }),
    );
    const sent = await a.client.send(new SendMessageCommand({ QueueUrl: src.QueueUrl, MessageBody: "back" }));
    await a.client.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl }));
    await clock.advance(10_000);
    await a.client.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl })); // moves it to the DLQ
    await a.client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    await clock.advance(1_000);
    await stop(a);

    const b = await run(dir, clock);
    expect(await receiveAll(b.client, await b.url(`persist-mdlq-${stamp}`))).toEqual([]);
    const back = await receiveAll(b.client, await b.url(`persist-msrc-${stamp}`));
    // Redriven, it is a new message: same body, new MessageId (SQS Developer Guide, "Configuring a
    // dead-letter queue redrive").
    expect(back.map((m) => m.Body)).toEqual(["back"]);
    expect(back[0]!.MessageId).not.toBe(sent.MessageId);
  });

  // A crash in the middle of a write leaves a cut-off last line; that write was never answered, so it
  // is dropped with a warning and everything before it is kept.
  it("tolerates a damaged last log line, keeping the records before it", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const name = `persist-torn-${Date.now()}`;
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: name }));
    for (const body of ["a", "b", "c"]) await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const crashed = crashImage(dir);
    await stop(a);
    appendFileSync(join(crashed, "state.ndjson"), '{"op":"message.stored","queue":"' + name + '","message":{"id":"torn","bo');

    const b = await run(crashed, clock);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toMatch(/state\.ndjson:\d+: ignored a damaged last record \(not JSON/);
    expect(b.warnings[0]).toContain(crashed);
    expect((await receiveAll(b.client, await b.url(name))).map((m) => m.Body).sort()).toEqual(["a", "b", "c"]);
    await stop(b);
    // The startup compaction wrote a clean snapshot and log: no warning the second time.
    const c = await run(crashed, clock);
    expect(c.warnings).toEqual([]);
  });

  it("refuses a log damaged before its last line, naming the file and line", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    await a.client.send(new CreateQueueCommand({ QueueName: `persist-mid-${Date.now()}` }));
    const crashed = crashImage(dir);
    await stop(a);
    const log = join(crashed, "state.ndjson");
    const lines = readFileSync(log, "utf8").split("\n");
    lines.splice(1, 0, "garbage");
    writeFileSync(log, lines.join("\n"));
    await expect(start(crashed, clock)).rejects.toThrow(`the state log ${log} is damaged at line 2 (not JSON`);
  });

  it("refuses a corrupt or unreadable snapshot with an error naming the file", async () => {
    const dir = freshDir();
    const clock = new VirtualClock();
    const a = await run(dir, clock);
    const { QueueUrl } = await a.client.send(new CreateQueueCommand({ QueueName: `persist-snap-${Date.now()}` }));
    await a.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    await stop(a);
    const snapshot = join(dir, "snapshot.ndjson");
    const good = readFileSync(snapshot, "utf8");

    writeFileSync(snapshot, "\u0000\u0001 not json");
    await expect(start(dir, clock)).rejects.toThrow(`cannot use the snapshot ${snapshot}: line 1 is not JSON`);
    // A snapshot cut short (its last message line missing) is caught by the counts in its header.
    writeFileSync(snapshot, good.split("\n").slice(0, -2).join("\n") + "\n");
    await expect(start(dir, clock)).rejects.toThrow(/cannot use the snapshot .*snapshot\.ndjson: it holds 1 queues and 0 messages but its header promises 1 and 1/);
    rmSync(snapshot);
    mkdirSync(snapshot);
    await expect(start(dir, clock)).rejects.toThrow(`cannot use the snapshot ${snapshot}: EISDIR`);
  });
});

/**
 * Group commit, with a file whose writes finish only when the test says so: an answer may not leave
 * before its record is written (SendMessage API reference: a 200 means the message is stored), and
 * requests that wait during a write share the next one.
 */
describe("persistence: group commit of the state log", () => {
  function fakeFile() {
    const writes: { data: string; done(err?: Error): void }[] = [];
    const file = {
      write: (data: string) => new Promise<void>((resolve, reject) => writes.push({ data, done: (err) => (err ? reject(err) : resolve()) })),
      datasync: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    // Only write/datasync/close are used by DurableLog; the rest of FileHandle is never touched.
    return { writes, file: file as unknown as FileHandle };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const record = (id: string) => ({ op: "message.removed" as const, queue: "q", id });

  it("answers only after the write, and batches the commits that wait during one", async () => {
    const { writes, file } = fakeFile();
    const log = new FileStateLog(new DurableLog(file, "/data/state.ndjson"));
    const resolved: string[] = [];
    log.append(record("a"));
    const c1 = log.commit().then(() => resolved.push("c1"));
    log.append(record("b"));
    log.append(record("c"));
    const c2 = log.commit().then(() => resolved.push("c2"));
    const c3 = log.commit().then(() => resolved.push("c3"));
    await settle();
    expect(writes.map((w) => w.data)).toEqual([JSON.stringify(record("a")) + "\n"]);
    expect(resolved).toEqual([]);
    writes[0]!.done();
    await settle();
    expect(resolved).toEqual(["c1"]);
    expect(writes).toHaveLength(2);
    expect(writes[1]!.data).toBe([record("b"), record("c")].map((r) => JSON.stringify(r) + "\n").join(""));
    writes[1]!.done();
    await Promise.all([c1, c2, c3]);
    expect(resolved).toEqual(["c1", "c2", "c3"]);
    expect(writes).toHaveLength(2);
  });

  it("fails every later commit once a write failed, naming the log", async () => {
    const { writes, file } = fakeFile();
    const log = new FileStateLog(new DurableLog(file, "/data/state.ndjson"));
    log.append(record("a"));
    const failed = log.commit();
    await settle();
    writes[0]!.done(new Error("ENOSPC: no space left on device"));
    await expect(failed).rejects.toThrow("cannot write /data/state.ndjson: ENOSPC");
    log.append(record("b"));
    await expect(log.commit()).rejects.toThrow("ENOSPC");
    expect(writes).toHaveLength(1);
  });
});

/**
 * The real thing: the CLI process is killed with SIGKILL right after its last answer, and a new one on
 * the same directory must deliver every message it acknowledged (SendMessage / SendMessageBatch API
 * references: a 200 means SQS stored the message).
 */
describe.skipIf(!embedded)("persistence: SIGKILL of `sqsrig emulator --data DIR`", () => {
  const children: ChildProcess[] = [];
  beforeAll(() => {
    // dist/ is what bin/sqsrig.js runs. Rebuilt only when stale (as scripts/bootstrap.sh does), so other
    // test files spawning the CLI rarely see it rewritten; type errors elsewhere do not stop the emit.
    if (distIsStale()) spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: process.cwd(), stdio: "ignore" });
  }, 180_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    rmSync(ROOT, { recursive: true, force: true });
  });

  async function launch(dir: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, ["bin/sqsrig.js", "emulator", "--port", "0", "--data", dir], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on("line", (line) => {
        const m = /^sqsrig ready (http:\/\/\S+)$/.exec(line);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`sqsrig exited with ${code} before it was ready: ${stderr}`)));
    });
    return { child, url };
  }

  it("delivers every acknowledged message after a SIGKILL and a restart", async () => {
    mkdirSync(ROOT, { recursive: true });
    const dir = mkdtempSync(join(ROOT, "crash-"));
    const first = await launch(dir);
    const client = sdkClient(first.url);
    const name = `persist-kill-${Date.now()}`;
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
    // Concurrent sends share group commits; each is acknowledged only once its record is written.
    const N = 120;
    const sent = await Promise.all(
      Array.from({ length: N }, (_, i) => client.send(new SendMessageCommand({ QueueUrl, MessageBody: `msg-${i}` }))),
    );
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    client.destroy();

    const second = await launch(dir);
    const again = sdkClient(second.url);
    const url = (await again.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const got = await receiveAll(again, url);
    expect(new Set(got.map((m) => m.MessageId))).toEqual(new Set(sent.map((s) => s.MessageId)));
    expect(got).toHaveLength(N);
    again.destroy();
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.once("exit", resolve));
  }, 60_000);
});
