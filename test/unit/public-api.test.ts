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
        // Tests in code (issue 7): the rig, scenario runs, the checks and the reporters.
        "startRig",
        "runScenario",
        "loadScenarioFile",
        "loadScenarioText",
        "ScenarioRunError",
        "CHECKS",
        "CHECK_NAMES",
        "runCheck",
        "noLoss",
        "noDuplicates",
        "fifoOrder",
        "dedupHits",
        "dlq",
        "delivered",
        "attempts",
        "latency",
        "accepted",
        "consumerSaw",
        "createReporters",
        "reportJson",
        "reportJunit",
        "exitCodeOf",
        "countsOf",
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

  it("exports the vitest matchers as `sqsrig/vitest`, with vitest an optional peer", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    // src/vitest/index.ts compiles to these; the root entry never loads vitest, so it stays optional.
    expect(pkg.exports["./vitest"]).toEqual({ types: "./dist/vitest/index.d.ts", import: "./dist/vitest/index.js" });
    expect(pkg.peerDependencies).toEqual({ vitest: ">=3" });
    expect(pkg.peerDependenciesMeta).toEqual({ vitest: { optional: true } });
    expect(pkg.dependencies.vitest).toBeUndefined();
    expect(pkg.devDependencies.vitest).toBeDefined();
  });

  it("never loads vitest from the root entry", () => {
    // The runtime graph of src/index.ts: every relative import, followed; none may import "vitest".
    const seen = new Set<string>();
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const text = readFileSync(url, "utf8");
      expect(text, url.pathname).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+"vitest"/m);
      for (const [, spec] of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)\.js"/gms)) visit(new URL(`${spec}.ts`, url));
    };
    visit(new URL("../../src/index.ts", import.meta.url));
    expect(seen.size).toBeGreaterThan(50);
    expect([...seen].some((u) => u.includes("/src/vitest/"))).toBe(false);
  });
});
