import type { JournalRecord, RecordOf } from "../journal/index.js";
import { containsShape, readContent, shapeProblems, type SeenRecord } from "./consumer-content.js";
import { compareCount, fail, indexDeliveries, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

/** A message attribute the records must carry: `true` present, `false` absent, or fields that must equal. */
export type SawMessageAttribute = boolean | { dataType?: string; stringValue?: string; binaryValue?: string };

/**
 * `consumerSaw` options. Every criterion given must hold for a record to match:
 * - `consumer`: only this consumer's records (default: every consumer's).
 * - `shape`: `lambda` (the Lambda / Pipes record) or `message` (the API's Message a poller gets), checked
 *   field by field against the documented shape.
 * - `attributes`: system attributes (`MessageGroupId`, `SequenceNumber`, `ApproximateReceiveCount`…,
 *   PascalCase in both shapes): a string must equal, `true` means present, `false` absent.
 * - `messageAttributes`: by name, a {@link SawMessageAttribute} (field names camelCase whichever shape).
 * - `body`: `json: true` parses as JSON, `json: {…}` parses and contains that subset; `contains` a
 *   substring; `equals` the whole body.
 * - `count` / `atLeast`: how many distinct messages (by MessageId) had a matching record. Without them,
 *   every record seen must match, and there must be at least one.
 *
 * @example
 * consumerSaw: { consumer: worker, attributes: { MessageGroupId: true }, messageAttributes: { eventType: { dataType: String, stringValue: order.created } }, body: { json: true } }
 */
export interface ConsumerSawOptions {
  consumer?: string;
  shape?: "lambda" | "message";
  attributes?: Record<string, string | boolean>;
  messageAttributes?: Record<string, SawMessageAttribute>;
  body?: { json?: boolean | Record<string, unknown>; contains?: string; equals?: string };
  count?: number;
  atLeast?: number;
}

interface Seen {
  messageId: string;
  batch: RecordOf<"consumer.batch">;
  problems: string[];
}

/**
 * `consumerSaw` (DESIGN "Scenarios and checks": the record shape and attributes a consumer got). Reads
 * `consumer.batch` messages[].content, which a consumer journals only when it runs with
 * `journalContents: true` (the runner turns it on for scenarios that expect this check). Records a
 * pipe's or mapping's filter dropped (`consumer.filtered`) never reached the handler and are left out.
 */
export function consumerSaw(records: readonly JournalRecord[], options: ConsumerSawOptions = {}): CheckResult {
  const check = "consumerSaw";
  const who = options.consumer !== undefined ? `consumer ${options.consumer}` : "any consumer";
  const batches = ofType(records, "consumer.batch").filter((b) => options.consumer === undefined || b.consumer === options.consumer);
  // A filter's drops were received but never reached the handler (`consumer.filtered`): not "seen".
  const filtered = new Set(ofType(records, "consumer.filtered").flatMap((f) => f.messageIds.map((id) => `${f.consumer}\u0000${f.batchId}\u0000${id}`)));
  const seen: Seen[] = [];
  for (const batch of batches) {
    for (const m of batch.messages) {
      if (m.content === undefined || filtered.has(`${batch.consumer}\u0000${batch.batchId}\u0000${m.messageId}`)) continue;
      seen.push({ messageId: m.messageId, batch, problems: problemsOf(readContent(m.content), options) });
    }
  }
  if (batches.length === 0) return fail(check, `${who} received no messages`, options, { batches: 0 }, []);
  if (seen.length === 0) {
    return fail(check, `no record contents journaled for ${who}: run the consumer with journalContents: true so consumerSaw can read what its handler got`, options, { batches: batches.length, withContent: 0 }, batches.slice(0, 1));
  }
  const eventOf = indexDeliveries(records).deliveredByMessageId;
  const label = (s: Seen) => {
    const eventId = eventOf.get(s.messageId)?.eventId;
    return `${s.messageId}${eventId !== undefined ? ` [eventId ${eventId}]` : ""}`;
  };
  const evidenceOf = (list: Seen[]) => list.flatMap((s) => [s.batch, eventOf.get(s.messageId)]);

  if (options.count !== undefined || options.atLeast !== undefined) {
    const matched = new Map<string, Seen>();
    for (const s of seen) if (s.problems.length === 0 && !matched.has(s.messageId)) matched.set(s.messageId, s);
    const { ok, expected } = compareCount(matched.size, options);
    if (ok) return pass(check, `${matched.size} messages seen by ${who} matched`, { expected, actual: matched.size });
    const tooFew = options.count !== undefined ? matched.size < options.count : true;
    // Too few: name the messages that did not match and why; too many: the matching ones.
    const offenders = tooFew ? unmatched(seen, matched) : [...matched.values()];
    const names = listNames(offenders.map((s) => (tooFew ? `${label(s)}: ${s.problems[0]}` : label(s))), 3);
    return fail(check, `expected ${expected} matching messages seen by ${who}, got ${matched.size}${names ? ` — ${tooFew ? "not matching" : "matching"}: messageId ${names}` : ""}`, expected, matched.size, evidenceOf(offenders));
  }
  const bad = seen.filter((s) => s.problems.length > 0);
  if (bad.length === 0) return pass(check, `all ${seen.length} records seen by ${who} matched`, { actual: { records: seen.length } });
  return fail(
    check,
    `${bad.length} of ${seen.length} records seen by ${who} do not match: messageId ${listNames(bad.map((s) => `${label(s)}: ${s.problems.join(", ")}`), 3)}`,
    options,
    { records: seen.length, notMatching: bad.map((s) => ({ messageId: s.messageId, consumer: s.batch.consumer, problems: s.problems })) },
    evidenceOf(bad),
  );
}

/** One entry per message that never had a matching record (its first record's problems). */
function unmatched(seen: readonly Seen[], matched: Map<string, Seen>): Seen[] {
  const out = new Map<string, Seen>();
  for (const s of seen) if (!matched.has(s.messageId) && !out.has(s.messageId)) out.set(s.messageId, s);
  return [...out.values()];
}

/** Everything about one record that misses the options' criteria; empty when it matches. */
function problemsOf(record: SeenRecord, o: ConsumerSawOptions): string[] {
  const problems: string[] = [];
  if (o.shape !== undefined) problems.push(...shapeProblems(record, o.shape));
  for (const [name, want] of Object.entries(o.attributes ?? {})) {
    const got = record.attributes[name];
    if (want === true && got === undefined) problems.push(`attributes.${name} missing`);
    else if (want === false && got !== undefined) problems.push(`attributes.${name} present (${JSON.stringify(got)})`);
    else if (typeof want === "string" && got !== want) problems.push(`attributes.${name} is ${got === undefined ? "missing" : JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  for (const [name, want] of Object.entries(o.messageAttributes ?? {})) {
    const got = record.messageAttributes[name];
    if (want === true && got === undefined) problems.push(`messageAttributes.${name} missing`);
    else if (want === false && got !== undefined) problems.push(`messageAttributes.${name} present`);
    else if (typeof want === "object") {
      if (got === undefined) problems.push(`messageAttributes.${name} missing`);
      else {
        for (const field of ["dataType", "stringValue", "binaryValue"] as const) {
          if (want[field] !== undefined && got[field] !== want[field]) problems.push(`messageAttributes.${name}.${field} is ${JSON.stringify(got[field])}, expected ${JSON.stringify(want[field])}`);
        }
      }
    }
  }
  if (o.body !== undefined) problems.push(...bodyProblems(record.body, o.body));
  return problems;
}

function bodyProblems(body: unknown, want: NonNullable<ConsumerSawOptions["body"]>): string[] {
  if (typeof body !== "string") return ["body is not a string"];
  const problems: string[] = [];
  if (want.equals !== undefined && body !== want.equals) problems.push(`body is ${JSON.stringify(clip(body))}, expected ${JSON.stringify(clip(want.equals))}`);
  if (want.contains !== undefined && !body.includes(want.contains)) problems.push(`body lacks ${JSON.stringify(want.contains)}`);
  if (want.json !== undefined && want.json !== false) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [...problems, `body is not JSON (${JSON.stringify(clip(body))})`];
    }
    if (typeof want.json === "object" && !containsShape(parsed, want.json)) problems.push(`body JSON lacks ${JSON.stringify(want.json)}`);
  }
  return problems;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
