import type { JournalRecord } from "../journal/index.js";
import { fail, indexDeliveries, listNames, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface DeliveredOptions {
  count: number;
}

/** `delivered` (DESIGN "Scenarios and checks"): how many deliveries SQS accepted (`event.delivered`). */
export function delivered(records: readonly JournalRecord[], options: DeliveredOptions): CheckResult {
  const { accepted, deliveredByDelivery } = indexDeliveries(records);
  const count = deliveredByDelivery.size;
  if (count === options.count) return pass("delivered", `${count} delivered`, { expected: options.count, actual: count });
  // Too few: name the accepted events still missing a delivery; too many: the newest deliveries past the count.
  const missing = [...accepted.values()].filter((a) => a.deliveries.some((d) => !deliveredByDelivery.has(d)));
  const extra = [...deliveredByDelivery.values()].slice(options.count);
  const offenders = count < options.count ? missing : extra;
  const names = listNames(offenders.map((r) => r.eventId));
  const what = count < options.count ? "not delivered" : "past the expected count";
  return fail("delivered", `expected ${options.count} delivered, got ${count}${names ? ` — ${what}: eventId ${names}` : ""}`, options.count, count, offenders);
}
