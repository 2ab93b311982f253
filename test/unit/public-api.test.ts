/**
 * The public programmatic API (DESIGN, "src/index.ts the public programmatic API"): one import gives a
 * working emulator that any AWS SDK can talk to (SQS API reference, CreateQueue / SendMessage /
 * ReceiveMessage), on a clock the caller controls.
 */
import { readFileSync } from "node:fs";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import * as sqsrig from "../../src/index.js";
import { LIMITS, SqsError, VirtualClock, createJournal, md5OfBody, startEmulatorServer } from "../../src/index.js";

describe("sqsrig public API", () => {
  it("starts an emulator on a virtual clock that an SDK client uses, and stops it", async () => {
    const clock = new VirtualClock({ timeScale: "manual" });
    const journal = createJournal(clock);
    const server = await startEmulatorServer({ port: 0, clock, journal });
    const sqs = new SQSClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "api" }));
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
      expect(sent.MD5OfMessageBody).toBe(md5OfBody("hello"));
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
      expect(first.Messages?.[0]?.Body).toBe("hello");
      // The caller's clock is the emulator's: 31 virtual seconds make the message visible again.
      await clock.advance(31_000);
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      expect(again.Messages?.[0]?.MessageId).toBe(sent.MessageId);
      expect(journal.records("message.received")).toHaveLength(2);
    } finally {
      sqs.destroy();
      await server.close();
    }
    expect(server.server.listening).toBe(false);
  });

  it("exports exactly the documented runtime names", () => {
    expect(Object.keys(sqsrig).sort()).toEqual(
      [
        "Emulator",
        "Journal",
        "LIMITS",
        "SqsError",
        "VirtualClock",
        "createJournal",
        "createRealClock",
        "md5OfBody",
        "md5OfMessageAttributes",
        "readJournal",
        "startEmulatorServer",
        "writeJournalTo",
        "openEmulator",
        "startSqsrigServer",
        "buildPreview",
        "formatPreview",
        "createEngine",
        "IngestError",
        "FaultInjector",
        "attachFaults",
        "compileFaultRules",
        "withFaults",
        "loadHandler",
        "scriptedHandler",
        "startLambdaConsumer",
        "startPipeConsumer",
        "startPoller",
        "toLambdaRecord",
      ].sort(),
    );
    expect(new SqsError("QueueDoesNotExist").httpStatus).toBe(400);
    expect(LIMITS.maxBatchEntries).toBe(10);
  });

  it("is what package.json exports as the package root", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    // tsconfig.build.json compiles src/ into dist/, so src/index.ts becomes these two files.
    expect(pkg.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(pkg.main).toBe("dist/index.js");
    expect(pkg.types).toBe("dist/index.d.ts");
  });
});
