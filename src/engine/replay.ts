import { LIMITS } from "../sqs/index.js";
import type { SqsDestination } from "./destination.js";
import type { DlqEntry, ReplayOutcome, ReplayReport, ReplayRequest } from "./engine-api.js";
import type { PendingDelivery } from "./outbox.js";

export interface ReplayPlan {
  deliveries: { delivery: PendingDelivery; dlqId: string; asNew: boolean; warning?: string }[];
  report: ReplayReport;
}

interface ReplayContext {
  now: number;
  entries: DlqEntry[];
  destination(name: string): SqsDestination | undefined;
  nextDeliveryId(): string;
}

/** Thrown for a replay request that names nothing to replay. */
export class ReplayRequestError extends Error {
  readonly field = "ids";
}

/**
 * Decides what a DLQ replay sends (seed 000, "Batching, retries, and replay": "Replay re-sends with the
 * same MessageDeduplicationId on FIFO queues so SQS-side dedup applies; on standard queues, replays may
 * produce duplicates"). On FIFO, a replay inside the 5-minute deduplication interval of a send SQS may
 * have stored would be accepted and silently dropped (SQS Developer Guide, "Exactly-once processing"),
 * so it is skipped with a warning unless the caller asks `asNew` (fresh dedup id) or `force`.
 */
export function planReplay(request: ReplayRequest, context: ReplayContext): ReplayPlan {
  const byId = new Map(context.entries.map((e) => [e.id, e]));
  let ids: string[];
  if (request.all === true) {
    ids = context.entries.filter((e) => request.destination === undefined || e.destination === request.destination).map((e) => e.id);
  } else if (Array.isArray(request.ids) && request.ids.length > 0 && request.ids.every((id) => typeof id === "string")) {
    ids = [...new Set(request.ids)];
  } else {
    throw new ReplayRequestError("Name the DLQ entries to replay with ids: [\"q1\", …], or pass all: true.");
  }
  const plan: ReplayPlan = { deliveries: [], report: { replayed: 0, skipped: 0, results: [] } };
  const push = (outcome: ReplayOutcome) => {
    plan.report.results.push(outcome);
    if (outcome.status === "replayed") plan.report.replayed++;
    else plan.report.skipped++;
  };
  for (const id of ids) {
    const entry = byId.get(id);
    if (!entry) {
      push({ dlqId: id, status: "notFound" });
      continue;
    }
    const destination = context.destination(entry.destination);
    if (!destination) {
      push({ dlqId: id, status: "skipped", warning: `Destination '${entry.destination}' no longer exists; save it again to replay this entry.` });
      continue;
    }
    const asNew = request.asNew === true && destination.fifo;
    const windowEnd = destination.fifo && !asNew ? dedupWindowEnd(entry) : undefined;
    if (windowEnd !== undefined && windowEnd > context.now && request.force !== true) {
      const dedupId = entry.entry.MessageDeduplicationId ?? entry.event.idempotencyKey;
      push({
        dlqId: id,
        status: "skipped",
        warning:
          `SQS would accept this replay and silently drop it: MessageDeduplicationId '${dedupId}' may already be stored in ` +
          `'${entry.destination}', and its 5-minute deduplication interval lasts until ${new Date(windowEnd).toISOString()}. ` +
          `Replay with asNew: true to send it with a fresh deduplication id, or force: true to send it anyway.`,
      });
      continue;
    }
    const deliveryId = context.nextDeliveryId();
    const delivery: PendingDelivery = { id: deliveryId, eventId: entry.eventId, destination: entry.destination, event: entry.event, replayOf: id };
    if (asNew) delivery.dedupId = freshDedupId(entry.event.idempotencyKey, deliveryId);
    const warning = destination.fifo
      ? undefined
      : entry.attempts.some(mayHaveBeenStored)
        ? "Standard queue: an earlier attempt may have been stored, so the consumer may see this event twice (it should be idempotent on idempotencyKey)."
        : undefined;
    plan.deliveries.push({ delivery, dlqId: id, asNew, ...(warning ? { warning } : {}) });
    push({ dlqId: id, status: "replayed", delivery: deliveryId, asNew, ...(delivery.dedupId ? { dedupId: delivery.dedupId } : {}) });
  }
  return plan;
}

/**
 * When the deduplication interval of the latest send SQS may have stored ends. A request SQS refused
 * (a 4xx error, or an entry in `Failed[]`) stored nothing; a timeout, reset or 5xx may have; an earlier
 * replay with the same id may have too.
 */
function dedupWindowEnd(entry: DlqEntry): number | undefined {
  let last = entry.sentBeforeAt;
  for (const a of entry.attempts) if (mayHaveBeenStored(a)) last = Math.max(last ?? 0, a.at);
  for (const r of entry.replays) if (!r.asNew) last = Math.max(last ?? 0, r.at);
  return last === undefined ? undefined : last + LIMITS.dedupWindowMs;
}

/** Whether SQS may have stored what a failed attempt sent (so a later send can be a second copy). */
export function mayHaveBeenStored(attempt: DlqEntry["attempts"][number]): boolean {
  if (attempt.kind === "timeout" || attempt.kind === "reset") return true;
  if (attempt.kind === "entry") return attempt.code === "MD5Mismatch";
  return attempt.httpStatus === undefined || attempt.httpStatus >= 500;
}

/** A valid FIFO id (≤ 128 of SQS's charset) that still shows which key it replaces. */
function freshDedupId(idempotencyKey: string, deliveryId: string): string {
  const suffix = `#replay-${deliveryId}`;
  return idempotencyKey.slice(0, 128 - suffix.length) + suffix;
}
