import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createCredentialsProvider, sessionNameFor, type CredentialsProvider } from "../../src/engine/credentials.js";
import type { AssumeRoleAuth } from "../../src/engine/destination.js";
import { CREDENTIALS, createTarget, type SqsTarget } from "../support/target.js";

/**
 * The engine's destination credentials against the embedded emulator's STS (same URL as SQS). Follows
 * the STS API Reference, "AssumeRole" (RoleArn, ExternalId, RoleSessionName, DurationSeconds,
 * Credentials.Expiration, errors), the IAM User Guide, "Access to AWS accounts owned by third parties"
 * (ExternalId), and "Using temporary credentials with AWS resources" (refresh before Expiration).
 */
const ACCOUNT = "000000000000";
const FIVE_MINUTES = 5 * 60_000;

/** A target whose STS answers are counted, so "one AssumeRole" is observed on the server side. */
async function countingTarget(): Promise<{ target: SqsTarget; assumeCalls: () => number }> {
  let calls = 0;
  const box: { target?: SqsTarget } = {};
  const target = await createTarget({
    sideService: (action, ...rest) => {
      if (action === "AssumeRole") calls++;
      return box.target!.server!.sts.handle(action, ...rest);
    },
  });
  box.target = target;
  return { target, assumeCalls: () => calls };
}

describe.skipIf(!!process.env.SQSRIG_CONFORMANCE_ENDPOINT)("createCredentialsProvider (ASSUME_ROLE via STS)", () => {
  let target: SqsTarget;
  let assumeCalls: () => number;
  const closers: { close?(): void; destroy?(): void }[] = [];

  beforeAll(async () => {
    ({ target, assumeCalls } = await countingTarget());
  });
  afterEach(() => {
    for (const c of closers.splice(0)) c.close?.() ?? c.destroy?.();
  });
  afterAll(async () => target.close());

  function role(externalId = "tenant-42"): AssumeRoleAuth {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${target.name("delivery")}`;
    target.server!.sts.putRole({ arn: roleArn, externalId });
    return { mode: "ASSUME_ROLE", roleArn, externalId };
  }

  function provider(auth: AssumeRoleAuth, extra: { durationSeconds?: number; sessionName?: string } = {}): CredentialsProvider {
    const p = createCredentialsProvider(auth, {
      clock: target.clock!,
      region: "us-east-1",
      stsEndpoint: target.endpoint,
      baseCredentials: CREDENTIALS,
      ...extra,
    });
    closers.push(p);
    return p;
  }

  function sqsWith(credentials: CredentialsProvider): SQSClient {
    const client = new SQSClient({ endpoint: target.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    closers.push(client);
    return client;
  }

  /** SQS Developer Guide, "Basic examples of Amazon SQS policies": a queue that admits only `roleArn`. */
  async function roleOnlyQueue(roleArn: string): Promise<string> {
    const name = target.name("role-only");
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: roleArn }, Action: ["sqs:SendMessage", "sqs:ReceiveMessage"], Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` }],
    });
    const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy } }));
    return QueueUrl!;
  }

  // STS API Reference, AssumeRole (ExternalId, RoleSessionName); SQS API Reference, Message: the
  // SenderId of a role session is "role ID:session name".
  it("assumes the role with the ExternalId; the session can send to a queue that allows only that role", async () => {
    const auth = role();
    const queueUrl = await roleOnlyQueue(auth.roleArn);
    const sqs = sqsWith(provider(auth, { sessionName: sessionNameFor("orders") }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "as the role" }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ["SenderId"] }));
    expect(got.Messages?.[0]?.Body).toBe("as the role");
    expect(got.Messages?.[0]?.Attributes?.SenderId).toMatch(/^AROA[A-Z2-7]{17}:sqsrig-orders$/);
  });

  // STS API Reference, AssumeRole, Errors; IAM User Guide, third-party access: a wrong ExternalId is
  // AccessDenied (403). The SDK error reaches the caller unchanged, and nothing is cached.
  it("surfaces AccessDenied for a wrong ExternalId and retries on the next call", async () => {
    const auth = role("tenant-42");
    const creds = provider({ ...auth, externalId: "tenant-43" });
    const before = assumeCalls();
    const err = await creds().then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );
    expect(err?.name).toBe("AccessDenied");
    expect(err?.$metadata?.httpStatusCode).toBe(403);
    expect(err?.message).toBe(`User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${auth.roleArn}`);

    // The customer fixes the trust policy: the very next call assumes again and succeeds.
    target.server!.sts.putRole({ arn: auth.roleArn, externalId: "tenant-43" });
    const identity = await creds();
    expect(identity.accessKeyId).toMatch(/^ASIA/);
    expect(assumeCalls() - before).toBe(2);
  });

  // STS API Reference, AssumeRole, Credentials.Expiration; AWS SDK credential providers refresh
  // temporary credentials shortly before they expire (5 minutes by default).
  it("caches the session until Expiration minus 5 minutes on the clock, then assumes again", async () => {
    const creds = provider(role());
    const before = assumeCalls();
    const first = await creds();
    for (let i = 0; i < 10; i++) expect((await creds()).accessKeyId).toBe(first.accessKeyId);
    expect(assumeCalls() - before).toBe(1);

    const refreshAt = first.expiration!.getTime() - FIVE_MINUTES;
    expect(first.expiration!.getTime() - target.clock!.now()).toBeLessThanOrEqual(3600_000);
    await target.advance(refreshAt - 1 - target.clock!.now());
    expect((await creds()).accessKeyId).toBe(first.accessKeyId);
    expect(assumeCalls() - before).toBe(1);

    await target.advance(1);
    const second = await creds();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.expiration!.getTime()).toBeGreaterThan(first.expiration!.getTime());
    expect(assumeCalls() - before).toBe(2);
  });

  // STS API Reference, AssumeRole, DurationSeconds: the session lasts exactly what was asked for.
  it("asks for DurationSeconds and refreshes relative to that shorter session", async () => {
    const creds = provider(role(), { durationSeconds: 900 });
    const before = assumeCalls();
    const first = await creds();
    const lifetime = first.expiration!.getTime() - target.clock!.now();
    expect(lifetime).toBeGreaterThan(899_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    await target.advance(lifetime - FIVE_MINUTES);
    expect((await creds()).accessKeyId).not.toBe(first.accessKeyId);
    expect(assumeCalls() - before).toBe(2);
  });

  // STS API Reference, AssumeRole: one session serves every concurrent sender of a destination.
  it("shares one in-flight AssumeRole among concurrent callers", async () => {
    const creds = provider(role());
    const before = assumeCalls();
    const all = await Promise.all(Array.from({ length: 8 }, () => creds()));
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(assumeCalls() - before).toBe(1);
  });

  // STS API Reference, "Common Errors", ExpiredToken: the engine invalidates and retries once.
  it("invalidate() and forceRefresh make the next call assume the role again", async () => {
    const creds = provider(role());
    const before = assumeCalls();
    const first = await creds();
    creds.invalidate();
    const second = await creds();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    const third = await creds({ forceRefresh: true });
    expect(third.accessKeyId).not.toBe(second.accessKeyId);
    expect(assumeCalls() - before).toBe(3);
  });
});

// STS API Reference, "Common Errors", ExpiredToken; the SDK's own credential cache judges expiry by the
// wall clock, so the provider must be the only cache or a virtual clock ahead of the wall would keep
// sending with a session the emulator has expired.
describe.skipIf(!!process.env.SQSRIG_CONFORMANCE_ENDPOINT)("credentials on a clock ahead of the wall", () => {
  it("keeps an SQS client sending across Expiration (no ExpiredToken)", async () => {
    const target = await createTarget();
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${target.name("ahead")}`;
    target.server!.sts.putRole({ arn: roleArn, externalId: "tenant-7" });
    const creds = createCredentialsProvider(
      { mode: "ASSUME_ROLE", roleArn, externalId: "tenant-7" },
      { clock: target.clock!, region: "us-east-1", stsEndpoint: target.endpoint, baseCredentials: CREDENTIALS },
    );
    const sqs = new SQSClient({ endpoint: target.endpoint, region: "us-east-1", credentials: creds, maxAttempts: 1 });
    try {
      // Put virtual time a month ahead of the wall, whatever day the suite runs on.
      await target.advance(Math.max(0, Date.now() - target.clock!.now()) + 30 * 86_400_000);
      const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: target.name("ahead") }));
      const first = await creds();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "before" }));
      await target.advance(first.expiration!.getTime() - target.clock!.now());
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "after" }));
      expect((await creds()).accessKeyId).not.toBe(first.accessKeyId);
    } finally {
      sqs.destroy();
      creds.close();
      await target.close();
    }
  });
});

// Seed 000 "Auth and credentials": ACCESS_KEYS are long-lived keys used as they are.
describe("createCredentialsProvider (ACCESS_KEYS) and sessionNameFor", () => {
  it("returns the key pair unchanged, with no expiry", async () => {
    const creds = createCredentialsProvider(
      { mode: "ACCESS_KEYS", accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/key+1" },
      { clock: new VirtualClock(), region: "us-east-1" },
    );
    expect(await creds()).toEqual({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/key+1" });
    expect(creds.memoized).toBe(true);
  });

  // STS API Reference, AssumeRole, RoleSessionName: 2–64 characters of [\w+=,.@-].
  it("makes a valid RoleSessionName from any destination name", () => {
    expect(sessionNameFor("orders")).toBe("sqsrig-orders");
    expect(sessionNameFor("orders (eu)/prod")).toBe("sqsrig-orders-eu-prod");
    const long = sessionNameFor("x".repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
