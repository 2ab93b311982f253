import { parseDuration } from "../clock/index.js";
import { compileRetryPolicy, type EngineOptions } from "../engine/index.js";
import { LIMITS } from "../sqs/index.js";

/** A scenario's `engine:` keys (DESIGN "Scenarios and checks": `engine: { batch: {...}, retry: {...} }`). */
export const ENGINE_SETTING_KEYS = ["batch", "retry", "maxInFlight", "requestTimeoutMs"] as const;
const BATCH_KEYS = ["maxEntries", "lingerMs", "maxBytes"] as const;

export type EngineSettings = Pick<EngineOptions, "retry" | "lingerMs" | "maxInFlight" | "maxBatchBytes" | "maxBatchEntries" | "requestTimeoutMs">;

export type EngineSettingsCheck = { ok: true; settings: EngineSettings } | { ok: false; errors: { path: string[]; message: string; key?: boolean }[] };

/**
 * Turns a scenario's `engine:` section into engine options, naming the path of each problem.
 *
 * @example
 * compileEngineSettings({ batch: { maxEntries: 5, lingerMs: "20ms" }, retry: { baseMs: 200, capMs: "3m" } });
 * // → { ok: true, settings: { maxBatchEntries: 5, lingerMs: 20, retry: { baseMs: 200, capMs: 180000 } } }
 */
export function compileEngineSettings(raw: Record<string, unknown>): EngineSettingsCheck {
  const errors: { path: string[]; message: string; key?: boolean }[] = [];
  const settings: EngineSettings = {};
  for (const key of Object.keys(raw)) {
    if (!(ENGINE_SETTING_KEYS as readonly string[]).includes(key)) errors.push({ path: [key], message: `Unknown engine setting '${key}' (one of ${ENGINE_SETTING_KEYS.join(", ")}).`, key: true });
  }
  const batch = raw.batch;
  if (batch !== undefined) {
    if (typeof batch !== "object" || batch === null || Array.isArray(batch)) errors.push({ path: ["batch"], message: "engine.batch must be { maxEntries?, lingerMs?, maxBytes? }." });
    else {
      const b = batch as Record<string, unknown>;
      for (const key of Object.keys(b)) {
        if (!(BATCH_KEYS as readonly string[]).includes(key)) errors.push({ path: ["batch", key], message: `Unknown batch setting '${key}' (one of ${BATCH_KEYS.join(", ")}).`, key: true });
      }
      // SendMessageBatch takes 1–10 entries (SQS API reference, SendMessageBatch).
      if (b.maxEntries !== undefined) {
        if (Number.isInteger(b.maxEntries) && (b.maxEntries as number) >= 1 && (b.maxEntries as number) <= LIMITS.maxBatchEntries) settings.maxBatchEntries = b.maxEntries as number;
        else errors.push({ path: ["batch", "maxEntries"], message: `engine.batch.maxEntries must be an integer from 1 to ${LIMITS.maxBatchEntries} (SendMessageBatch's limit).` });
      }
      if (b.lingerMs !== undefined) {
        const ms = parseDuration(b.lingerMs);
        if (ms === undefined) errors.push({ path: ["batch", "lingerMs"], message: "engine.batch.lingerMs must be a duration such as 20ms." });
        else settings.lingerMs = ms;
      }
      if (b.maxBytes !== undefined) {
        if (Number.isInteger(b.maxBytes) && (b.maxBytes as number) >= 1024 && (b.maxBytes as number) <= LIMITS.maxBatchBytes) settings.maxBatchBytes = b.maxBytes as number;
        else errors.push({ path: ["batch", "maxBytes"], message: `engine.batch.maxBytes must be an integer from 1024 to ${LIMITS.maxBatchBytes}.` });
      }
    }
  }
  if (raw.retry !== undefined) {
    const retry = compileRetryPolicy(raw.retry);
    if (retry.ok) settings.retry = retry.policy;
    else for (const e of retry.errors) errors.push({ path: ["retry", ...(e.field ? [e.field] : [])], message: `engine.retry${e.field ? `.${e.field}` : ""}: ${e.message}`, key: e.rule === "unknown" });
  }
  if (raw.maxInFlight !== undefined) {
    if (Number.isInteger(raw.maxInFlight) && (raw.maxInFlight as number) >= 1 && (raw.maxInFlight as number) <= 1000) settings.maxInFlight = raw.maxInFlight as number;
    else errors.push({ path: ["maxInFlight"], message: "engine.maxInFlight must be an integer from 1 to 1000." });
  }
  if (raw.requestTimeoutMs !== undefined) {
    const ms = parseDuration(raw.requestTimeoutMs);
    if (ms === undefined || ms <= 0) errors.push({ path: ["requestTimeoutMs"], message: "engine.requestTimeoutMs must be a positive duration." });
    else settings.requestTimeoutMs = ms;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}
