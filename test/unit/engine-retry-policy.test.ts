// Follows DESIGN "Engine" (classification table) and "Details worth getting right" (what SDK v3 retries
// by itself), the SQS API reference error lists, and the AWS Architecture Blog "Exponential Backoff And
// Jitter" (full jitter).
import { describe, expect, it } from "vitest";
import { backoffDelay, classifyFailure, compileRetryPolicy, createSeededRandom, sdkWouldRetry } from "../../src/engine/index.js";
import type { FailureInfo } from "../../src/engine/index.js";

const TABLE: [string, FailureInfo, "transient" | "permanent", boolean][] = [
  ["Throttling", { kind: "error", code: "Throttling", httpStatus: 400, senderFault: true }, "transient", true],
  ["ThrottlingException", { kind: "error", code: "ThrottlingException", httpStatus: 400 }, "transient", true],
  ["RequestThrottled", { kind: "error", code: "RequestThrottled", httpStatus: 400, senderFault: true }, "transient", true],
  ["KmsThrottled (JSON)", { kind: "error", code: "KmsThrottled", httpStatus: 400, senderFault: true }, "transient", false],
  ["KMS.ThrottlingException entry", { kind: "entry", code: "KMS.ThrottlingException", senderFault: true }, "transient", false],
  ["HTTP 500", { kind: "error", code: "InternalError", httpStatus: 500, senderFault: false }, "transient", true],
  ["HTTP 503", { kind: "error", code: "ServiceUnavailable", httpStatus: 503 }, "transient", true],
  ["HTTP 429 unknown code", { kind: "error", httpStatus: 429 }, "transient", true],
  ["timeout", { kind: "timeout" }, "transient", true],
  ["socket reset", { kind: "reset", code: "ECONNRESET" }, "transient", true],
  ["entry SenderFault=false", { kind: "entry", code: "InternalError", senderFault: false }, "transient", false],
  ["AccessDenied", { kind: "error", code: "AccessDenied", httpStatus: 403, senderFault: true }, "permanent", false],
  ["QueueDoesNotExist (JSON)", { kind: "error", code: "QueueDoesNotExist", httpStatus: 400 }, "permanent", false],
  ["NonExistentQueue (query)", { kind: "error", code: "AWS.SimpleQueueService.NonExistentQueue", httpStatus: 400 }, "permanent", false],
  ["InvalidParameterValue", { kind: "error", code: "InvalidParameterValue", httpStatus: 400, senderFault: true }, "permanent", false],
  ["oversize", { kind: "entry", code: "oversize" }, "permanent", false],
  ["entry SenderFault=true", { kind: "entry", code: "InvalidMessageContents", senderFault: true }, "permanent", false],
  ["entry SenderFault=true, unlisted code", { kind: "entry", code: "SomethingNew", senderFault: true }, "permanent", false],
  ["InvalidParameterValue entry even if SenderFault=false", { kind: "entry", code: "InvalidParameterValue", senderFault: false }, "permanent", false],
  ["ExpiredToken", { kind: "error", code: "ExpiredToken", httpStatus: 403, senderFault: true }, "permanent", false],
];

describe("classifyFailure and sdkWouldRetry", () => {
  for (const [name, failure, cls, sdk] of TABLE) {
    it(`${name} → ${cls}, SDK retries: ${sdk ? "yes" : "no"}`, () => {
      expect(classifyFailure(failure)).toBe(cls);
      expect(sdkWouldRetry(failure)).toBe(sdk);
    });
  }
  it("an unlisted 4xx without SenderFault is permanent, an unlisted 5xx transient", () => {
    expect(classifyFailure({ kind: "error", code: "Nope", httpStatus: 404 })).toBe("permanent");
    expect(classifyFailure({ kind: "error", code: "Nope", httpStatus: 502 })).toBe("transient");
  });
});

describe("compileRetryPolicy", () => {
  it("defaults the cap to 3 minutes and accepts duration strings", () => {
    expect(compileRetryPolicy({ baseMs: 100 })).toEqual({ ok: true, policy: { baseMs: 100, capMs: 180_000 } });
    expect(compileRetryPolicy({ baseMs: "500ms", capMs: "30s", maxAttempts: 5 })).toEqual({
      ok: true,
      policy: { baseMs: 500, capMs: 30_000, maxAttempts: 5 },
    });
    expect(compileRetryPolicy({ baseMs: "1s", capMs: "5m" })).toEqual({ ok: true, policy: { baseMs: 1_000, capMs: 300_000 } });
  });

  it("names each bad field", () => {
    const r = compileRetryPolicy({ baseMs: "soon", capMs: -1, maxAttempts: 0, jitter: "none" });
    expect(r.ok ? [] : r.errors.map((e) => `${e.field}:${e.rule}`)).toEqual(["jitter:unknown", "baseMs:duration", "capMs:duration", "maxAttempts:range"]);
    const r2 = compileRetryPolicy({ baseMs: 1_000, capMs: 10 });
    expect(r2.ok ? [] : r2.errors.map((e) => `${e.field}:${e.rule}`)).toEqual(["capMs:range"]);
    const r3 = compileRetryPolicy({});
    expect(r3.ok ? [] : r3.errors.map((e) => `${e.field}:${e.rule}`)).toEqual(["baseMs:required"]);
  });
});

describe("backoffDelay (full jitter)", () => {
  const policy = { baseMs: 100, capMs: 180_000 };

  it("stays in [0, min(cap, base·2^(n-1))) for every attempt", () => {
    const random = createSeededRandom(42);
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(180_000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(policy, attempt, random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });

  it("uses the injected random at both ends of its range", () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.999999)).toBe(399);
    expect(backoffDelay(policy, 100, () => 0.5)).toBe(90_000);
  });

  it("is reproducible for the same seed and differs for another", () => {
    const run = (seed: number) => {
      const r = createSeededRandom(seed);
      return Array.from({ length: 8 }, (_, i) => backoffDelay(policy, i + 1, r));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("spreads delays across the window rather than clustering (jitter is real)", () => {
    const r = createSeededRandom(1);
    const samples = Array.from({ length: 1_000 }, () => backoffDelay({ baseMs: 1_000, capMs: 1_000 }, 1, r));
    expect(Math.min(...samples)).toBeLessThan(100);
    expect(Math.max(...samples)).toBeGreaterThan(900);
  });
});
