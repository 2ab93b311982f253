// Follows seed 000 ("Example configuration", "Auth and credentials"), DESIGN "Engine" (secrets never
// in logs or reports), STS AssumeRole API reference (ExternalId charset) and CreateQueue (.fifo names).
import { describe, expect, it } from "vitest";
import { compileDestination, redactDestination } from "../../src/engine/index.js";

const SEED_CONFIG = {
  type: "SQS",
  name: "Customer SQS queue",
  queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/pushrail-events.fifo",
  region: "us-east-1",
  fifo: true,
  messageGroupIdField: "customerExternalId",
  auth: { mode: "ASSUME_ROLE", roleArn: "arn:aws:iam::123456789012:role/PushrailSqsWriter", externalId: "acme-ext-7Pq2" },
};
const KEYS = { mode: "ACCESS_KEYS", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

function errorsOf(input: unknown) {
  const r = compileDestination(input);
  if (r.ok) throw new Error("expected errors");
  return r.errors.map((e) => `${e.field}:${e.rule}`);
}

describe("compileDestination", () => {
  it("compiles the seed's example configuration unchanged", () => {
    const r = compileDestination(SEED_CONFIG);
    expect(r).toEqual({ ok: true, destination: SEED_CONFIG });
  });

  it("defaults messageGroupIdField to customerExternalId and infers fifo from the queue name", () => {
    const { messageGroupIdField: _m, fifo: _f, ...rest } = SEED_CONFIG;
    const r = compileDestination(rest);
    expect(r.ok && r.destination.messageGroupIdField).toBe("customerExternalId");
    expect(r.ok && r.destination.fifo).toBe(true);
  });

  it("accepts a dotted messageGroupIdField into the payload and access keys against the emulator", () => {
    const r = compileDestination({
      ...SEED_CONFIG,
      queueUrl: "http://127.0.0.1:4590/000000000000/orders",
      fifo: false,
      messageGroupIdField: "payload.order.customer",
      auth: KEYS,
    });
    expect(r.ok && r.destination.messageGroupIdField).toBe("payload.order.customer");
  });

  it("names every missing field, with the auth path", () => {
    expect(errorsOf({ type: "SQS", auth: { mode: "ASSUME_ROLE" } })).toEqual([
      "name:required",
      "region:required",
      "queueUrl:required",
      "auth.roleArn:required",
      "auth.externalId:required",
    ]);
    expect(errorsOf({ ...SEED_CONFIG, auth: { mode: "ACCESS_KEYS", accessKeyId: "" } })).toEqual([
      "auth.accessKeyId:nonEmpty",
      "auth.secretAccessKey:required",
    ]);
  });

  it("rejects bad values by field path", () => {
    expect(
      errorsOf({
        ...SEED_CONFIG,
        type: "SNS",
        region: "US East",
        messageGroupIdField: "tenant.id",
        auth: { mode: "ASSUME_ROLE", roleArn: "arn:aws:iam::123:user/x", externalId: "a b" },
      }),
    ).toEqual(["type:enum", "region:format", "messageGroupIdField:unknownField", "auth.roleArn:format", "auth.externalId:format"]);
    expect(errorsOf({ ...SEED_CONFIG, auth: { mode: "PASSWORD" } })).toEqual(["auth.mode:enum"]);
    expect(errorsOf({ ...SEED_CONFIG, auth: undefined })).toEqual(["auth:required"]);
    expect(errorsOf({ ...SEED_CONFIG, messageGroupIdField: "payload..x" })).toEqual(["messageGroupIdField:format"]);
  });

  it("rejects a fifo flag that contradicts the queue name, and malformed queue URLs", () => {
    expect(errorsOf({ ...SEED_CONFIG, fifo: false })).toEqual(["fifo:mismatch"]);
    expect(errorsOf({ ...SEED_CONFIG, queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/plain", fifo: true })).toEqual(["fifo:mismatch"]);
    expect(errorsOf({ ...SEED_CONFIG, queueUrl: "pushrail-events.fifo" })).toEqual(["queueUrl:format"]);
    expect(errorsOf({ ...SEED_CONFIG, queueUrl: "https://h/123456789012/bad%20name.fifo" })).toEqual(["queueUrl:queueName"]);
  });

  it("rejects unknown fields, including inside auth and keys of the other auth mode", () => {
    expect(errorsOf({ ...SEED_CONFIG, messageGroupIdFeild: "x" })).toEqual(["messageGroupIdFeild:unknown"]);
    expect(errorsOf({ ...SEED_CONFIG, auth: { ...SEED_CONFIG.auth, secretAccessKey: "s" } })).toEqual(["auth.secretAccessKey:unknown"]);
  });
});

describe("redactDestination", () => {
  it("replaces the secret key with *** and leaves the input untouched", () => {
    const r = compileDestination({ ...SEED_CONFIG, auth: KEYS });
    if (!r.ok) throw new Error("compile failed");
    const redacted = redactDestination(r.destination);
    expect(redacted.auth).toEqual({ mode: "ACCESS_KEYS", accessKeyId: KEYS.accessKeyId, secretAccessKey: "***" });
    expect(JSON.stringify(redacted)).not.toContain(KEYS.secretAccessKey);
    expect(r.destination.auth).toEqual(KEYS);
  });

  it("replaces the ExternalId with *** and keeps the role ARN", () => {
    const r = compileDestination(SEED_CONFIG);
    if (!r.ok) throw new Error("compile failed");
    const redacted = redactDestination(r.destination);
    expect(redacted.auth).toEqual({ mode: "ASSUME_ROLE", roleArn: SEED_CONFIG.auth.roleArn, externalId: "***" });
    expect(JSON.stringify(redacted)).not.toContain("acme-ext-7Pq2");
  });
});
