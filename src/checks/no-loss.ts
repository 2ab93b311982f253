import type { JournalRecord, RecordOf } from "../journal/index.js";
import { fail, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface NoLossOptions {
  /**
   * Also require every delivered message to have been received by a consumer (a `consumer.batch` naming
   * its MessageId).
   * @default true when the journal shows a consumer started, else false
   */
  atConsumer?: boolean;
}

/**
 * `noLoss` (DESIGN "Scenarios and checks"; issue 7): every delivery of an accepted event — and every
 * delivery a DLQ replay started — ended `event.delivered` or `event.deadLettered` with a reason (DESIGN
 * "Engine": the DLQ keeps the final reason). When consumers ran, every delivered MessageId reached one.
 */
export function noLoss(records: readonly JournalRecord[], options: NoLossOptions = {}): CheckResult {
  const check = "noLoss";
  /** delivery id → the record that started it (acceptance or replay). */
  const started = new Map<string, RecordOf<"event.accepted"> | RecordOf<"dlq.replayed">>();
  for (const a of ofType(records, "event.accepted")) for (const d of a.deliveries) started.set(d, a);
  for (const r of ofType(records, "dlq.replayed")) started.set(r.delivery, r);

  const settled = new Set<string>();
  const noReason: RecordOf<"event.deadLettered">[] = [];
  for (const r of records) {
    if (r.type === "event.delivered") settled.add(r.delivery);
    else if (r.type === "event.deadLettered") {
      if (r.reason.trim() === "") noReason.push(r);
      else settled.add(r.delivery);
    }
  }
  const reasonless = new Set(noReason.map((r) => r.delivery));
  const lost = [...started].filter(([delivery]) => !settled.has(delivery) && !reasonless.has(delivery));
  if (lost.length > 0 || noReason.length > 0) {
    const parts: string[] = [];
    if (lost.length > 0) parts.push(`${lost.length} deliveries neither delivered nor dead-lettered (eventId ${listNames(lost.map(([d, r]) => `${r.eventId} [delivery ${d}]`))})`);
    if (noReason.length > 0) parts.push(`${noReason.length} dead-lettered without a reason (eventId ${listNames(noReason.map((r) => r.eventId))})`);
    return fail(
      check,
      parts.join("; "),
      { unsettled: 0, deadLetteredWithoutReason: 0 },
      { unsettled: lost.map(([delivery, r]) => ({ delivery, eventId: r.eventId })), deadLetteredWithoutReason: noReason.map((r) => r.eventId) },
      [...lost.map(([, r]) => r), ...noReason],
    );
  }

  const atConsumer = options.atConsumer ?? records.some((r) => r.type === "consumer.started");
  const delivered = ofType(records, "event.delivered");
  if (atConsumer) {
    const received = new Set(ofType(records, "consumer.batch").flatMap((b) => b.messages.map((m) => m.messageId)));
    const unseen = delivered.filter((d) => !received.has(d.messageId));
    if (unseen.length > 0) {
      return fail(
        check,
        `${unseen.length} delivered messages never reached a consumer (messageId ${listNames(unseen.map((d) => `${d.messageId} [eventId ${d.eventId}]`))})`,
        { unreceived: 0 },
        { unreceived: unseen.map((d) => ({ messageId: d.messageId, eventId: d.eventId })) },
        unseen,
      );
    }
  }
  const deadLettered = ofType(records, "event.deadLettered").length;
  return pass(check, `${started.size} deliveries settled: ${delivered.length} delivered, ${deadLettered} dead-lettered${atConsumer ? ", every delivered message received by a consumer" : ""}`, {
    actual: { deliveries: started.size, delivered: delivered.length, deadLettered },
  });
}
