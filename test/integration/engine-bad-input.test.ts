import { describe, expect, it } from "vitest";
import { IngestError } from "../../src/engine/index.js";
import type { Principal, PrincipalResolver } from "../../src/emulator/index.js";
import { SqsError } from "../../src/sqs/index.js";
import { createEngineRig, makeEvent, type EngineRig } from "../support/engine-rig.js";
import type { ProxyHandler } from "../support/sqs-proxy.js";

const ACCOUNT = "000000000000";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/pushrail-delivery`;
const HOUR = 3_600_000;

// Seed 000, "Canonical event" and DESIGN "Engine": "Validation errors name the field"; issue 4: "every
// error names the field and the rule", valid events of a mixed request are accepted and said so.
describe("engine ingestion: bad input", () => {
  it("rejects each invalid event with field + rule and accepts the valid ones of the same call", async () => {
    const rig = await createEngineRig({ fifo: false });
    const journal = rig.target.journal!;
    try {
      const good1 = makeEvent("c", 1);
      const good2 = makeEvent("c", 2, { metadata: { tier: "gold" } });
      const inputs: unknown[] = [
        good1,
        "not an object",
        { ...makeEvent("c", 3), eventType: 5 },
        { ...makeEvent("c", 4), occurredAt: "yesterday" },
        { eventType: "x", occurredAt: "2026-01-01T00:00:00Z" },
        { ...makeEvent("c", 6), payload: [1, 2] },
        { ...makeEvent("c", 7), metadata: { tier: 1 } },
        { ...makeEvent("c", 8), idempotency_key: "typo" },
        good2,
      ];
      const report = await rig.engine.ingest(inputs);
      expect(report.accepted).toBe(2);
      expect(report.rejected).toBe(7);
      const errors = (i: number) => {
        const r = report.results[i]!;
        return r.status === "rejected" ? r.errors.map((e) => `${e.field}:${e.rule}`) : r.status;
      };
      expect(errors(0)).toBe("accepted");
      expect(errors(1)).toEqual([":type"]);
      expect(errors(2)).toEqual(["eventType:type"]);
      expect(errors(3)).toEqual(["occurredAt:format"]);
      expect(errors(4)).toEqual(["idempotencyKey:required", "payload:required"]);
      expect(errors(5)).toEqual(["payload:type"]);
      expect(errors(6)).toEqual(["metadata.tier:type"]);
      expect(errors(7)).toEqual(["idempotency_key:unknown"]);
      expect(errors(8)).toBe("accepted");
      expect(report.results.map((r) => r.index)).toEqual([...inputs.keys()]);
      expect(journal.records("event.rejected").map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);

      await rig.engine.idle();
      const keys = (await rig.drain()).map((m) => m.MessageAttributes?.idempotencyKey?.StringValue).sort();
      expect(keys).toEqual([good1.idempotencyKey, good2.idempotencyKey]);
    } finally {
      await rig.close();
    }
  });

  it("refuses a request for an unknown destination as a whole (IngestError 404), accepting nothing", async () => {
    const rig = await createEngineRig({ fifo: false });
    try {
      const attempt = rig.engine.ingest([makeEvent("c", 1)], { destination: "nope" });
      await expect(attempt).rejects.toBeInstanceOf(IngestError);
      await expect(attempt).rejects.toMatchObject({ code: "UnknownDestination", status: 404, message: expect.stringContaining("'nope' (known: main)") });
      expect(rig.target.journal!.records("event.accepted")).toHaveLength(0);
      expect(rig.engine.pending()).toBe(0);
    } finally {
      await rig.close();
    }
  });

  // SendMessage API reference: MessageGroupId is required on FIFO queues; seed 000: the group defaults
  // to customerExternalId. The engine refuses at ingestion what that destination could never send.
  it("rejects an event without customerExternalId for a FIFO destination, naming the field and the destination", async () => {
    const rig = await createEngineRig({ fifo: true });
    try {
      const { customerExternalId: _omit, ...noCustomer } = makeEvent("c", 1);
      const report = await rig.engine.ingest([noCustomer, makeEvent("c", 2)]);
      expect(report.accepted).toBe(1);
      expect(report.results[0]).toMatchObject({
        status: "rejected",
        errors: [{ field: "customerExternalId", rule: "groupId", message: expect.stringContaining("Destination 'main'") }],
      });
      await rig.engine.idle();
      expect(await rig.drain()).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });
});

/** A proxy handler that can be told to jump the clock past a session's Expiration mid-request. */
function expiringProxy(box: { rig?: EngineRig; expireNext: boolean }): ProxyHandler {
  return async (request, forward) => {
    if (request.action === "SendMessageBatch" && box.expireNext) {
      box.expireNext = false;
      // Signed with a live session; by the time SQS reads it, the session has expired.
      await box.rig!.target.advance(2 * HOUR);
    }
    return forward();
  };
}

// STS API Reference, AssumeRole (ExternalId, DurationSeconds default 3600, Credentials.Expiration);
// IAM User Guide, "Using temporary credentials with AWS resources" (refresh before expiry); SQS API
// reference, Message.SenderId (AROA…:session for a role session); AWS "Common Errors": ExpiredToken 403.
describe("engine credentials: ASSUME_ROLE sessions that expire", () => {
  it("assumes the role again when the session expires between sends (cache on the Clock) and after an ExpiredToken answer", async () => {
    const box: { rig?: EngineRig; expireNext: boolean } = { expireNext: false };
    const rig = await createEngineRig({
      fifo: true,
      target: { roles: [{ arn: ROLE_ARN, externalId: "tenant-42" }] },
      destination: { auth: { mode: "ASSUME_ROLE", roleArn: ROLE_ARN, externalId: "tenant-42" } },
      engine: { retry: { baseMs: 1_000, capMs: 1_000 } },
      proxy: expiringProxy(box),
    });
    box.rig = rig;
    const journal = rig.target.journal!;
    try {
      const assumed = () => rig.proxy!.count("AssumeRole");
      await rig.engine.ingest([makeEvent("c", 1)]);
      await rig.engine.idle();
      const afterFirst = assumed();
      const [first] = await rig.drain();
      expect(first!.Attributes?.SenderId).toMatch(/^AROA[A-Z0-9]+:sqsrig-main$/);

      // Past Expiration on the virtual clock: the cached session is not used, a new one is assumed.
      await rig.target.advance(2 * HOUR);
      await rig.engine.ingest([makeEvent("c", 2)]);
      await rig.engine.idle();
      expect(assumed()).toBe(afterFirst + 1);
      expect(journal.records("entry.result").every((r) => r.ok)).toBe(true);

      // The session expires while a request is on its way: SQS answers ExpiredToken, the engine drops the
      // session, backs off and re-sends with a fresh one.
      box.expireNext = true;
      await rig.engine.ingest([makeEvent("c", 3)]);
      const retry = await journal.waitFor("retry.scheduled");
      expect(retry).toMatchObject({ code: "ExpiredToken", attempt: 1 });
      expect(journal.records("entry.result").find((r) => !r.ok)!.failure).toMatchObject({ httpStatus: 403, code: "ExpiredToken" });
      await rig.target.advance(retry.retryAt - rig.target.clock!.now());
      await rig.engine.idle();
      expect(assumed()).toBe(afterFirst + 2);
      expect(journal.records("event.delivered").map((d) => [d.dedupId, d.attempts])).toEqual([
        ["c-1", 1],
        ["c-2", 1],
        ["c-3", 2],
      ]);
      expect(rig.engine.dlq.list()).toHaveLength(0);
      const rest = await rig.drain();
      expect(rest.map((m) => m.Attributes?.MessageDeduplicationId)).toEqual(["c-2", "c-3"]);
      expect(rest.every((m) => m.Attributes?.SenderId === first!.Attributes?.SenderId)).toBe(true);
    } finally {
      await rig.close();
    }
  });

  // STS API Reference, AssumeRole, Errors: a caller the trust policy no longer names gets AccessDenied
  // (403); DESIGN "Engine": AccessDenied is permanent.
  it("dead-letters without retrying once the role no longer trusts the engine and the session has expired", async () => {
    const rig = await createEngineRig({
      fifo: false,
      target: { roles: [{ arn: ROLE_ARN, externalId: "tenant-42" }] },
      destination: { auth: { mode: "ASSUME_ROLE", roleArn: ROLE_ARN, externalId: "tenant-42" } },
    });
    try {
      await rig.engine.ingest([makeEvent("c", 1)]);
      await rig.engine.idle();
      expect(rig.target.server!.sts.removeRole(ROLE_ARN)).toBe(true);
      await rig.target.advance(2 * HOUR);
      await rig.engine.ingest([makeEvent("c", 2)]);
      await rig.engine.idle();
      expect(rig.target.journal!.records("retry.scheduled")).toHaveLength(0);
      const [dead] = rig.engine.dlq.list();
      expect(dead).toMatchObject({ reason: "AccessDenied", event: { idempotencyKey: "c-2" } });
      expect(dead!.attempts).toEqual([expect.objectContaining({ httpStatus: 403, code: "AccessDenied", decision: "deadLetter", message: expect.stringContaining("sts:AssumeRole") })]);
      expect(await rig.drain()).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });
});

// AWS "Common Errors" (all services): InvalidClientTokenId, 403, "The security token included in the
// request is invalid." — what an unknown or deactivated access key gets. The emulator accepts any key by
// default, so this test gives it a principal resolver that knows one revoked key.
describe("engine credentials: ACCESS_KEYS that stop working", () => {
  it("reports a refused key at save time, and dead-letters sends once the key is revoked, without retrying", async () => {
    const CUSTOMER_KEY = "AKIACUSTOMERKEY00001";
    const revoked = new Set<string>();
    // Every other key acts as the account root, as the emulator's own resolver treats plain keys.
    const resolvePrincipal: PrincipalResolver = (signed): Principal | SqsError =>
      signed.accessKeyId !== undefined && revoked.has(signed.accessKeyId)
        ? new SqsError("InvalidClientTokenId")
        : { arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: signed.accessKeyId };
    const rig = await createEngineRig({
      fifo: false,
      target: { resolvePrincipal },
      destination: { auth: { mode: "ACCESS_KEYS", accessKeyId: CUSTOMER_KEY, secretAccessKey: "customer-secret" } },
    });
    try {
      await rig.engine.ingest([makeEvent("c", 1)]);
      await rig.engine.idle();
      expect(await rig.drain()).toHaveLength(1);

      revoked.add(CUSTOMER_KEY);
      const saved = await rig.engine.destinations.put({ ...rig.destination, name: "again" });
      expect(saved).toMatchObject({ ok: false, errors: [{ field: "auth", rule: "accessDenied", message: expect.stringContaining("InvalidClientTokenId") }] });
      expect(JSON.stringify(saved)).not.toContain("customer-secret");

      await rig.engine.ingest([makeEvent("c", 2)]);
      await rig.engine.idle();
      expect(rig.target.journal!.records("retry.scheduled")).toHaveLength(0);
      const [dead] = rig.engine.dlq.list();
      expect(dead).toMatchObject({ reason: "InvalidClientTokenId" });
      expect(dead!.attempts).toEqual([expect.objectContaining({ httpStatus: 403, code: "InvalidClientTokenId", senderFault: true, sdkWouldRetry: false, decision: "deadLetter" })]);
    } finally {
      await rig.close();
    }
  });
});
