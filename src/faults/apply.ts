import { randomUUID } from "node:crypto";
import type { Clock } from "../clock/index.js";
import { encodeSqsError } from "../sqs/index.js";
import { faultError } from "./fault-errors.js";
import type { FaultDecision, FaultInjector } from "./injector.js";
import { rewritePartial } from "./partial.js";
import { parseWireRequest, type WireHandler, type WireRequest, type WireResponse } from "./wire-request.js";

/**
 * A connection reset, as a socket reports it: the HTTP adapter destroys the client's socket on it, and
 * an in-process SDK client sees the same error a real reset gives (`ECONNRESET`, "socket hang up").
 */
export function connectionReset(): Error {
  return Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
}

export function isConnectionReset(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "ECONNRESET";
}

/**
 * Puts the fault rules in front of an SQS wire handler (the embedded emulator, or a proxy to another
 * endpoint). Requests no rule picks pass untouched, byte for byte; the others get their effect.
 */
export function withFaults(forward: WireHandler, injector: FaultInjector, clock: Clock): WireHandler {
  return async (request: WireRequest): Promise<WireResponse> => {
    const parsed = request.bodyTooLarge ? undefined : parseWireRequest(request);
    const decision = parsed && injector.decide(parsed);
    if (!parsed || !decision) return forward(request);
    return applyDecision(decision, request, parsed, forward, clock);
  };
}

async function applyDecision(
  decision: FaultDecision,
  request: WireRequest,
  parsed: NonNullable<ReturnType<typeof parseWireRequest>>,
  forward: WireHandler,
  clock: Clock,
): Promise<WireResponse> {
  const effect = decision.effect;
  switch (effect.kind) {
    case "error": {
      // The queue URL lets the error quote what AWS quotes (AccessDenied names the queue).
      const queueUrl = parsed.json?.QueueUrl ?? parsed.params?.get("QueueUrl") ?? undefined;
      const error = faultError(effect.error, { action: parsed.action, ...(typeof queueUrl === "string" ? { queueUrl } : {}) });
      return encodeSqsError(error, parsed.protocol, randomUUID());
    }
    case "delay":
      await clock.sleep(decision.delayMs ?? effect.minMs);
      return forward(request);
    case "reset":
      throw connectionReset();
    case "dropResponse":
      await forward(request);
      if (effect.as === "reset") throw connectionReset();
      // No answer at all: the client's own timeout ends the request, as when a response is lost.
      return new Promise<WireResponse>(() => {});
    case "partial":
      return rewritePartial(request, parsed, decision.failing ?? [], effect, forward);
  }
}
