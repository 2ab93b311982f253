import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCredentialsProvider } from "../../src/engine/credentials.js";
import { compileDestination, type SqsDestination } from "../../src/engine/destination.js";
import { preflightDestination } from "../../src/engine/preflight.js";
import { createSqsQueueClient } from "../../src/engine/sqs-queue-client.js";
import { CREDENTIALS, createTarget, type SqsTarget } from "../support/target.js";

/**
 * Preflight reads the destination's queue with GetQueueAttributes(All) through the engine's SDK client
 * (createSqsQueueClient) and credentials provider, on the embedded emulator (SQS
 * API Reference, "GetQueueAttributes": attributes and errors; "SetQueueAttributes": MaximumMessageSize,
 * KmsMasterKeyId, ContentBasedDeduplication, DeduplicationScope). Credential failures follow the STS
 * API Reference, "AssumeRole" errors, and the SQS Developer Guide, "Basic examples of Amazon SQS policies".
 */
const ACCOUNT = "000000000000";

describe.skipIf(!!process.env.SQSRIG_CONFORMANCE_ENDPOINT)("preflightDestination against the emulator", () => {
  let target: SqsTarget;
  const closers: { close(): void }[] = [];

  beforeAll(async () => {
    target = await createTarget();
  });
  afterEach(() => {
    for (const c of closers.splice(0)) c.close();
  });
  afterAll(async () => target.close());

  function destination(queueUrl: string, auth: unknown = { mode: "ACCESS_KEYS", accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey }): SqsDestination {
    const check = compileDestination({ type: "SQS", name: "orders", queueUrl, region: "us-east-1", auth });
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    return check.destination;
  }

  /** Preflight as the engine runs it: the destination's own credentials, STS at the emulator. */
  function preflight(d: SqsDestination) {
    const credentials = createCredentialsProvider(d.auth, { clock: target.clock!, region: d.region, stsEndpoint: target.endpoint, baseCredentials: CREDENTIALS });
    const client = createSqsQueueClient(d, { credentials, endpoint: target.endpoint });
    closers.push(credentials, client);
    return preflightDestination(d, client);
  }

  async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
    const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes }));
    return QueueUrl!;
  }

  function role(externalId: string): string {
    const arn = `arn:aws:iam::${ACCOUNT}:role/${target.name("role")}`;
    target.server!.sts.putRole({ arn, externalId });
    return arn;
  }

  // GetQueueAttributes, "All": a default standard queue has 1 MiB MaximumMessageSize and no KMS key.
  it("passes a default standard queue with no warnings", async () => {
    const url = await queue(target.name("plain"));
    const result = await preflight(destination(url));
    expect(result).toMatchObject({ ok: true, warnings: [], queue: { fifo: false, maximumMessageSize: 1_048_576 } });
  });

  // SQS Developer Guide, "Exactly-once processing" (an explicit MessageDeduplicationId overrides
  // content-based deduplication) and "High throughput for FIFO queues" (DeduplicationScope); SetQueueAttributes.
  it("warns about content-based dedup, per-group dedup, a smaller MaximumMessageSize and a KMS key", async () => {
    const url = await queue(target.name("fifo") + ".fifo", {
      FifoQueue: "true",
      ContentBasedDeduplication: "true",
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
      MaximumMessageSize: "262144",
      KmsMasterKeyId: "alias/aws/sqs",
    });
    const result = await preflight(destination(url));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.queue).toMatchObject({ fifo: true, contentBasedDeduplication: true, deduplicationScope: "messageGroup", maximumMessageSize: 262144, kmsMasterKeyId: "alias/aws/sqs" });
    expect(result.warnings).toHaveLength(4);
    expect(result.warnings[0]).toMatch(/ContentBasedDeduplication is on.*MessageDeduplicationId = idempotencyKey/);
    expect(result.warnings[1]).toMatch(/DeduplicationScope is messageGroup/);
    expect(result.warnings[2]).toMatch(/MaximumMessageSize is 262144 bytes: each batch is capped there/);
    expect(result.warnings[3]).toMatch(/KMS key alias\/aws\/sqs.*kms:GenerateDataKey and kms:Decrypt/);
  });

  // GetQueueAttributes, Errors: QueueDoesNotExist; the message must also allow for missing access.
  it("reports a missing queue on queueUrl", async () => {
    const url = `${target.endpoint}/${ACCOUNT}/${target.name("gone")}`;
    const result = await preflight(destination(url));
    // SDK v3 reports the query code (x-amzn-query-error) first: AWS.SimpleQueueService.NonExistentQueue.
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: "queueUrl",
          rule: "queueDoesNotExist",
          message: `The queue ${url} does not exist, or these credentials lack access to it (AWS.SimpleQueueService.NonExistentQueue).`,
        },
      ],
    });
  });

  // SQS Developer Guide, "Basic examples of Amazon SQS policies": a queue that allows only one role
  // answers AccessDenied to another role's session.
  it("reports AccessDenied from SQS on auth", async () => {
    const allowed = role("tenant-1");
    const name = target.name("role-only");
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: allowed }, Action: "sqs:*", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` }],
    });
    const url = await queue(name, { Policy });
    const ok = await preflight(destination(url, { mode: "ASSUME_ROLE", roleArn: allowed, externalId: "tenant-1" }));
    expect(ok.ok).toBe(true);

    const other = role("tenant-2");
    const result = await preflight(destination(url, { mode: "ASSUME_ROLE", roleArn: other, externalId: "tenant-2" }));
    if (result.ok) throw new Error("expected AccessDenied");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ field: "auth", rule: "accessDenied" });
    expect(result.errors[0]!.message).toContain(`Role ${other}`);
    expect(result.errors[0]!.message).toContain("(AccessDenied): User: arn:aws:sts::");
    expect(result.errors[0]!.message).toContain("is not authorized to perform: sqs:GetQueueAttributes");
  });

  // STS API Reference, AssumeRole, Errors: a wrong ExternalId is AccessDenied before SQS is reached.
  it("reports a refused AssumeRole (wrong ExternalId) on auth", async () => {
    const arn = role("tenant-1");
    const url = await queue(target.name("plain"));
    const result = await preflight(destination(url, { mode: "ASSUME_ROLE", roleArn: arn, externalId: "tenant-9" }));
    if (result.ok) throw new Error("expected AccessDenied");
    expect(result.errors[0]).toMatchObject({ field: "auth", rule: "accessDenied" });
    expect(result.errors[0]!.message).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  });

  // CreateQueue: FIFO queues are named .fifo and have FifoQueue=true; the destination must agree.
  it("reports a destination whose fifo disagrees with the queue's FifoQueue", async () => {
    const url = await queue(target.name("plain"));
    // compileDestination already ties fifo to the .fifo suffix, so build the mismatch by hand.
    const result = await preflight({ ...destination(url), fifo: true });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: "fifo", rule: "mismatch", message: `fifo is true but the queue ${url} is not a FIFO queue (FifoQueue=false).` }],
    });
  });

  // SDK v3 with maxAttempts 1: a refused connection fails the request; it is not a queue or auth problem.
  it("reports an endpoint that does not answer on queueUrl", async () => {
    const closed = await createTarget();
    const endpoint = closed.endpoint;
    await closed.close();
    const d = destination(`${endpoint}/${ACCOUNT}/nowhere`);
    const client = createSqsQueueClient(d, { credentials: { ...CREDENTIALS }, endpoint });
    closers.push(client);
    const result = await preflightDestination(d, client);
    if (result.ok) throw new Error("expected a failure");
    expect(result.errors[0]).toMatchObject({ field: "queueUrl", rule: "unreachable" });
    expect(result.errors[0]!.message).toContain("ECONNREFUSED");
  });
});
