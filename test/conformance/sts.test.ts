import { randomUUID } from "node:crypto";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, createTarget, sdkClient, type SqsTarget } from "../support/target.js";

/**
 * The emulator's minimal STS, driven by the real `@aws-sdk/client-sts` and `@aws-sdk/client-sqs`.
 * Shapes follow the AWS STS API Reference: "AssumeRole" (request parameters, sample response, errors),
 * "GetCallerIdentity" (example "Called by an assumed role") and "Common Errors" (ExpiredToken,
 * InvalidClientTokenId). Roles are emulator configuration, so the suite needs the embedded emulator.
 */
const embedded = !process.env.SQSRIG_CONFORMANCE_ENDPOINT;
const ACCOUNT = "000000000000";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

interface TempCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

describe.skipIf(!embedded)("STS AssumeRole and temporary credentials on SQS", () => {
  let target: SqsTarget;
  let rootSts: STSClient;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    target = await createTarget();
    rootSts = stsClient(CREDENTIALS);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    rootSts.destroy();
    await target.close();
  });

  function stsClient(credentials: typeof CREDENTIALS | TempCredentials): STSClient {
    const client = new STSClient({ endpoint: target.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  }

  function sqsAs(credentials: TempCredentials | typeof CREDENTIALS) {
    const client = sdkClient(target.endpoint, { credentials });
    clients.push(client);
    return client;
  }

  /** A fresh role in the emulator's STS; the name is unique so tests never share one. */
  function role(options: { externalId?: string; trustedPrincipals?: string[]; maxSessionSeconds?: number } = {}): string {
    const arn = `arn:aws:iam::${ACCOUNT}:role/${target.name("role")}`;
    target.server!.sts.putRole({ arn, ...options });
    return arn;
  }

  async function assume(input: Partial<AssumeRoleCommandInput> & { RoleArn: string }, sts = rootSts) {
    const out = await sts.send(new AssumeRoleCommand({ RoleSessionName: "delivery", ...input }));
    const c = out.Credentials!;
    const credentials: TempCredentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    return { out, credentials };
  }

  /** A queue whose Policy allows only `roleArn` (SQS Developer Guide, "Basic examples of Amazon SQS policies"). */
  async function roleOnlyQueue(roleArn: string): Promise<string> {
    const name = target.name("role-only");
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: roleArn }, Action: ["sqs:SendMessage", "sqs:ReceiveMessage"], Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` }],
    };
    const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy: JSON.stringify(policy) } }));
    return QueueUrl!;
  }

  async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
    try {
      await promise;
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } };
      return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
    }
    throw new Error("expected the request to fail");
  }

  // STS API Reference, AssumeRole: "Sample Response" and Response Elements; SQS API Reference,
  // Message: SenderId of a role session is "role ID:session name".
  it("issues ASIA credentials that a queue allowing only the role admits", async () => {
    const roleArn = role({ externalId: "tenant-42" });
    const roleName = roleArn.split("/").pop()!;
    const { out, credentials } = await assume({ RoleArn: roleArn, ExternalId: "tenant-42", RoleSessionName: "pushrail-1" });
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect(credentials.sessionToken.length).toBeGreaterThan(100);
    expect(out.Credentials!.Expiration!.getTime()).toBe(target.clock!.now() - (target.clock!.now() % 1000) + 3600_000);
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/pushrail-1`);
    expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:pushrail-1$/);

    const queueUrl = await roleOnlyQueue(roleArn);
    const sqs = sqsAs(credentials);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "as the role" }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ["SenderId"] }));
    expect(got.Messages?.[0]?.Body).toBe("as the role");
    expect(got.Messages?.[0]?.Attributes?.SenderId).toBe(out.AssumedRoleUser!.AssumedRoleId);
  });

  // STS API Reference, AssumeRole, ExternalId; IAM User Guide, "Access to AWS accounts owned by third
  // parties": a trust policy conditioned on sts:ExternalId refuses a missing or different value.
  it("answers AccessDenied (403) for a wrong or missing ExternalId", async () => {
    const roleArn = role({ externalId: "tenant-42" });
    const expected = `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    for (const ExternalId of ["tenant-43", undefined]) {
      const err = await rejection(assume({ RoleArn: roleArn, ExternalId }));
      expect(err).toEqual({ name: "AccessDenied", message: expected, status: 403 });
    }
  });

  // STS API Reference, AssumeRole: the caller must be a principal the role's trust policy names.
  it("refuses a caller the trust policy does not name, and admits the one it does (role chaining)", async () => {
    const hubArn = role();
    const spokeArn = role({ trustedPrincipals: [hubArn] });
    const err = await rejection(assume({ RoleArn: spokeArn }));
    expect(err).toEqual({ name: "AccessDenied", message: `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${spokeArn}`, status: 403 });

    const hub = await assume({ RoleArn: hubArn, RoleSessionName: "hub" });
    const { out } = await assume({ RoleArn: spokeArn, RoleSessionName: "spoke" }, stsClient(hub.credentials));
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${spokeArn.split("/").pop()}/spoke`);
    // IAM User Guide, "Role chaining": a chained session is limited to one hour.
    const tooLong = await rejection(assume({ RoleArn: spokeArn, DurationSeconds: 3601 }, stsClient(hub.credentials)));
    expect(tooLong).toEqual({
      name: "ValidationError",
      message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      status: 400,
    });
  });

  // STS API Reference, AssumeRole, Errors: a role that does not exist (or no longer exists) is AccessDenied.
  it("answers AccessDenied for an unknown or removed role", async () => {
    const unknown = `arn:aws:iam::${ACCOUNT}:role/never-${randomUUID().slice(0, 8)}`;
    expect(await rejection(assume({ RoleArn: unknown }))).toMatchObject({ name: "AccessDenied", status: 403 });
    const removed = role();
    await assume({ RoleArn: removed });
    expect(target.server!.sts.removeRole(removed)).toBe(true);
    const err = await rejection(assume({ RoleArn: removed }));
    expect(err).toEqual({ name: "AccessDenied", message: `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${removed}`, status: 403 });
  });

  // SQS Developer Guide, "Basic examples of Amazon SQS policies": a queue whose policy allows one role
  // refuses other roles' sessions; a queue without a policy serves every caller of its account.
  it("refuses another role's credentials on the role-only queue and serves them on an open queue", async () => {
    const roleArn = role();
    const queueUrl = await roleOnlyQueue(roleArn);
    const otherArn = role();
    const other = await assume({ RoleArn: otherArn, RoleSessionName: "other" });
    const otherSqs = sqsAs(other.credentials);
    const denied = await rejection(otherSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x" })));
    const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${queueUrl.split("/").pop()}`;
    expect(denied).toEqual({
      name: "AccessDenied",
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${otherArn.split("/").pop()}/other is not authorized to perform: sqs:SendMessage on resource: ${queueArn} because no resource-based policy allows the sqs:SendMessage action`,
      status: 403,
    });

    const { QueueUrl: open } = await target.client.send(new CreateQueueCommand({ QueueName: target.name("open") }));
    await target.client.send(new SendMessageCommand({ QueueUrl: open, MessageBody: "root" }));
    await otherSqs.send(new SendMessageCommand({ QueueUrl: open, MessageBody: "session" }));
    const got = await target.client.send(new ReceiveMessageCommand({ QueueUrl: open, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body).sort()).toEqual(["root", "session"]);
  });

  // STS API Reference, "Common Errors": ExpiredToken (403) "The security token included in the request
  // is expired"; credentials end at Expiration, on the emulator's clock.
  it("expires the credentials on the virtual clock: ExpiredToken as the SQS and STS clients see it", async () => {
    const roleArn = role({ maxSessionSeconds: 7200 });
    const queueUrl = await roleOnlyQueue(roleArn);
    const { out, credentials } = await assume({ RoleArn: roleArn, DurationSeconds: 900 });
    const sqs = sqsAs(credentials);
    const expiresIn = out.Credentials!.Expiration!.getTime() - target.clock!.now();
    expect(expiresIn).toBeGreaterThan(899_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);

    await target.advance(expiresIn - 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "just in time" }));
    await target.advance(1);
    const err = await rejection(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "too late" })));
    expect(err).toEqual({ name: "ExpiredToken", message: "The security token included in the request is expired", status: 403 });
    const viaSts = await rejection(stsClient(credentials).send(new GetCallerIdentityCommand({})));
    expect(viaSts).toMatchObject({ name: "ExpiredToken", status: 403 });
  });

  // STS API Reference, "Common Errors": InvalidClientTokenId (403) for a session token that does not
  // belong to the key. An ASIA key the emulator never issued is a developer's own credentials: it acts
  // as the account root (open queues work), never as the role.
  it("answers InvalidClientTokenId for a wrong session token; a foreign ASIA key is the account root", async () => {
    const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: target.name("open") }));
    const { credentials } = await assume({ RoleArn: role() });
    const wrongToken = { ...credentials, sessionToken: `${credentials.sessionToken}x` };
    const err = await rejection(sqsAs(wrongToken).send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })));
    expect(err).toEqual({ name: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403 });
    const foreign = { ...credentials, accessKeyId: "ASIAFORGED0000000000" };
    await expect(sqsAs(foreign).send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }))).resolves.toHaveProperty("MessageId");
    const me = await stsClient(foreign).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(ROOT);
  });

  // STS API Reference, GetCallerIdentity: Examples "Called by an IAM user" / "Called by an assumed role".
  it("GetCallerIdentity names the assumed role session, or the account root for plain keys", async () => {
    const roleArn = role();
    const { out, credentials } = await assume({ RoleArn: roleArn, RoleSessionName: "who-am-i" });
    const me = await stsClient(credentials).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: ACCOUNT, Arn: out.AssumedRoleUser!.Arn, UserId: out.AssumedRoleUser!.AssumedRoleId });
    const root = await rootSts.send(new GetCallerIdentityCommand({}));
    expect(root).toMatchObject({ Account: ACCOUNT, Arn: ROOT, UserId: ACCOUNT });
  });

  // STS API Reference, AssumeRole, DurationSeconds ("from 900 seconds … up to the maximum session
  // duration setting for the role") and RoleSessionName (required).
  it("answers ValidationError (400) for a bad DurationSeconds or a missing RoleSessionName", async () => {
    const roleArn = role();
    const cases: [Partial<AssumeRoleCommandInput>, string][] = [
      [{ DurationSeconds: 899 }, "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
      [{ DurationSeconds: 43201 }, "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"],
      [{ DurationSeconds: 3601 }, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."],
      [{ RoleSessionName: undefined }, "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"],
    ];
    for (const [input, message] of cases) {
      expect(await rejection(assume({ RoleArn: roleArn, ...input }))).toEqual({ name: "ValidationError", message, status: 400 });
    }
    const longer = role({ maxSessionSeconds: 43200 });
    const { out } = await assume({ RoleArn: longer, DurationSeconds: 43200 });
    expect(out.Credentials!.Expiration!.getTime() - target.clock!.now()).toBeGreaterThan(43199_000);
  });

  // STS API Reference, AssumeRole "Sample Response" and "Common Errors": the XML on the wire.
  it("answers in STS's XML, with the request id of the response header", async () => {
    const roleArn = role({ externalId: "ext-1" });
    const post = (form: Record<string, string>) =>
      fetch(target.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
    const ok = await post({ Action: "AssumeRole", Version: "2011-06-15", RoleArn: roleArn, RoleSessionName: "raw", ExternalId: "ext-1" });
    const okBody = await ok.text();
    expect(ok.status).toBe(200);
    expect(okBody).toMatch(
      /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::0{12}:assumed-role\/[^/]+\/raw<\/Arn><AssumedRoleId>AROA[A-Z2-7]{17}:raw<\/AssumedRoleId><\/AssumedRoleUser><Credentials><AccessKeyId>ASIA[A-Z2-7]{16}<\/AccessKeyId><SecretAccessKey>[^<]+<\/SecretAccessKey><SessionToken>[^<]+<\/SessionToken><Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expiration><\/Credentials><\/AssumeRoleResult><ResponseMetadata><RequestId>([0-9a-f-]{36})<\/RequestId><\/ResponseMetadata><\/AssumeRoleResponse>$/,
    );
    expect(okBody).toContain(`<RequestId>${ok.headers.get("x-amzn-requestid")}</RequestId>`);

    const denied = await post({ Action: "AssumeRole", Version: "2011-06-15", RoleArn: roleArn, RoleSessionName: "raw" });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
        `<Message>User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error>` +
        `<RequestId>${denied.headers.get("x-amzn-requestid")}</RequestId></ErrorResponse>`,
    );
  });
});
