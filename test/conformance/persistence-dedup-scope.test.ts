import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, SetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { startEmulatorServer, type EmulatorServer } from "../../src/emulator/index.js";
import { sdkClient } from "../support/target.js";

/**
 * Persistence (`--data DIR`) must carry over what SQS promises about FIFO deduplication: the scope a
 * queue deduplicates by is the one it was created with (validated
 * `test_fifo_change_to_high_throughput_after_creation`: a later SetQueueAttributes change is reported
 * but does not change deduplication), and a restart must not change it either.
 */
const embedded = !process.env.SQSRIG_CONFORMANCE_ENDPOINT;
const ROOT = join(tmpdir(), `sqsrig-dedup-scope-${process.pid}`);

interface Running {
  server: EmulatorServer;
  client: SQSClient;
  close(): Promise<void>;
}

async function start(dir: string, clock: VirtualClock): Promise<Running> {
  const server = await startEmulatorServer({ port: 0, clock, journal: createJournal(clock, { retain: 100 }), dataDir: dir });
  const client = sdkClient(server.url);
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

describe.skipIf(!embedded)("persistence: the creation-time FIFO DeduplicationScope", () => {
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

  /** Sends the same deduplication id in two groups; true when the second was taken as a duplicate. */
  async function dedupSpansGroups(client: SQSClient, name: string, dedupId: string): Promise<boolean> {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    const send = (group: string) =>
      client.send(new SendMessageCommand({ QueueUrl, MessageBody: `${dedupId}-${group}`, MessageGroupId: group, MessageDeduplicationId: dedupId }));
    const a = await send("group-a");
    const b = await send("group-b");
    return a.MessageId === b.MessageId;
  }

  const cases = [
    { created: "queue", changedTo: "messageGroup", spans: true },
    { created: "messageGroup", changedTo: "queue", spans: false },
  ] as const;
  for (const { created, changedTo, spans } of cases) {
    it(`keeps deduplicating by ${created} after a change to ${changedTo} and two restarts`, async () => {
      mkdirSync(ROOT, { recursive: true });
      const dir = mkdtempSync(join(ROOT, "data-"));
      const clock = new VirtualClock();
      const name = `persist-scope-${created}-${Date.now()}.fifo`;
      const throughput = (scope: string) => (scope === "messageGroup" ? "perMessageGroupId" : "perQueue");
      const a = await run(dir, clock);
      const { QueueUrl } = await a.client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { FifoQueue: "true", DeduplicationScope: created, FifoThroughputLimit: throughput(created) },
        }),
      );
      await a.client.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: changedTo, FifoThroughputLimit: throughput(changedTo) } }),
      );
      expect(await dedupSpansGroups(a.client, name, "before-restart")).toBe(spans);
      await stop(a);

      // The first restart replays the log; the second reads the snapshot the first one compacted.
      for (const round of ["log", "snapshot"]) {
        const b = await run(dir, clock);
        expect(await dedupSpansGroups(b.client, name, `after-${round}`)).toBe(spans);
        await stop(b);
      }
    });
  }
});
