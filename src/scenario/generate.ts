import { createSeededRandom } from "../clock/index.js";

/** `generate` keys that shape the batch; every other key is a canonical event field given to every event. */
export const GENERATE_KEYS = ["count", "groups", "payloadBytes", "duplicateRatio", "over", "keyPrefix"] as const;

export interface GenerateSpec {
  count: number;
  /** Distinct customers (`customerExternalId` cust-0 … cust-(n-1)), which a FIFO destination groups by. @default 1 */
  groups?: number;
  /** Size of each event's JSON payload in bytes (UTF-8), padded to exactly this when it fits. */
  payloadBytes?: number;
  /** Share of events (0–1) that re-send an earlier event of the same group unchanged, as a retrying producer does. */
  duplicateRatio?: number;
  /** Prefix of generated idempotency keys. @default `gen<step index>` */
  keyPrefix?: string;
  /** Event fields every generated event gets (eventType, source, payload fields…). */
  fields: Record<string, unknown>;
}

/** Splits a scenario's `generate` value into the spec and the event fields it passes through. */
export function readGenerateSpec(value: Record<string, unknown>, stepIndex: number): GenerateSpec {
  const fields: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!(GENERATE_KEYS as readonly string[]).includes(key)) fields[key] = v;
  return {
    count: value.count as number,
    ...(value.groups !== undefined ? { groups: value.groups as number } : {}),
    ...(value.payloadBytes !== undefined ? { payloadBytes: value.payloadBytes as number } : {}),
    ...(value.duplicateRatio !== undefined ? { duplicateRatio: value.duplicateRatio as number } : {}),
    keyPrefix: typeof value.keyPrefix === "string" ? value.keyPrefix : `gen${stepIndex}`,
    fields,
  };
}

/**
 * The events of one `generate` step, the same for the same seed: `count` events spread round-robin over
 * `groups` customers, numbered per group so a reader can check order (`payload.seq`), each with a unique
 * idempotency key except the `duplicateRatio` share, which repeat an earlier event of their group exactly.
 *
 * @example
 * generateEvents({ count: 4, groups: 2, fields: { eventType: "order.created" } }, 7, Date.UTC(2026, 0, 1));
 * // cust-0 #0, cust-1 #0, cust-0 #1, cust-1 #1
 */
export function generateEvents(spec: GenerateSpec, seed: number, now: number): Record<string, unknown>[] {
  const random = createSeededRandom(seed);
  const groups = spec.groups ?? 1;
  const ratio = spec.duplicateRatio ?? 0;
  const prefix = spec.keyPrefix ?? "gen";
  const byGroup: Record<string, unknown>[][] = Array.from({ length: groups }, () => []);
  const events: Record<string, unknown>[] = [];
  const occurredAt = new Date(now).toISOString();
  for (let i = 0; i < spec.count; i++) {
    const g = i % groups;
    const earlier = byGroup[g]!;
    if (earlier.length > 0 && ratio > 0 && random() < ratio) {
      events.push(earlier[Math.floor(random() * earlier.length)]!);
      continue;
    }
    const { payload: extraPayload, ...fields } = spec.fields;
    const payload: Record<string, unknown> = { ...(isRecord(extraPayload) ? extraPayload : {}), group: `cust-${g}`, seq: earlier.length };
    const event: Record<string, unknown> = {
      eventType: "sqsrig.generated",
      occurredAt,
      customerExternalId: `cust-${g}`,
      idempotencyKey: `${prefix}-${i}`,
      ...fields,
      payload: spec.payloadBytes === undefined ? payload : padPayload(payload, spec.payloadBytes),
    };
    earlier.push(event);
    events.push(event);
  }
  return events;
}

/** `payload` with a `pad` string making its JSON exactly `bytes` long (as long as the rest already is, if longer). */
function padPayload(payload: Record<string, unknown>, bytes: number): Record<string, unknown> {
  const bare = Buffer.byteLength(JSON.stringify({ ...payload, pad: "" }));
  return { ...payload, pad: "x".repeat(Math.max(0, bytes - bare)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
