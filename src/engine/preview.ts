import { LIMITS } from "../sqs/index.js";
import { redactDestination } from "./destination.js";
import type { SqsDestination } from "./destination.js";
import type { PreviewReport } from "./engine-api.js";
import type { CanonicalEvent } from "./event.js";
import { mapEvent } from "./mapper.js";

export interface PreviewOptions {
  /**
   * The engine's own cap on a SendMessageBatch request in bytes (256 KB in the Pushrail docs). A message
   * larger than the cap can never be batched, so it is a rejection like the queue's limit.
   * @default none (the queue's MaximumMessageSize alone)
   */
  maxBatchBytes?: number;
}

type Reason = PreviewReport["reasons"][number];

/** Lookup failures that mean SQS would refuse every send to this queue with these credentials. */
const QUEUE_MISSING = new Set(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"]);
const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidSecurity",
]);

/**
 * What the engine would send for `event` to `destination`, byte for byte, and every reason real SQS
 * would refuse it: the mapper's rejections (sizes, attribute rules, group and dedup ids) plus what the
 * queue itself says (missing, no access, FIFO or not). Pure; `queue` is what GetQueueAttributes answered
 * or why it could not be read. A lookup that failed for a reason SQS would not repeat on a send (no
 * network, throttling) is not a rejection: the report then checks against SQS's default limits.
 *
 * @example
 * const report = buildPreview(event, destination, { ok: true, info: await client.getQueueInfo() });
 * if (report.wouldReject) console.log(report.reasons.map((r) => r.message).join("\n"));
 */
export function buildPreview(
  event: CanonicalEvent,
  destination: SqsDestination,
  queue: PreviewReport["queue"],
  options: PreviewOptions = {},
): PreviewReport {
  const queueMax = queue.ok ? queue.info.maximumMessageSize : LIMITS.maxMessageSizeDefault;
  const maxBytes = options.maxBatchBytes !== undefined ? Math.min(queueMax, options.maxBatchBytes) : queueMax;
  const mapped = mapEvent(event, destination, { maxMessageBytes: maxBytes });
  const reasons: Reason[] = mapped.rejections.map(({ rule, field, message }) => ({ rule, field, message }));
  reasons.push(...queueReasons(destination, queue, mapped.entry.MessageDeduplicationId));
  return {
    destination: redactDestination(destination),
    entry: { Id: "0", ...mapped.entry },
    bytes: mapped.bytes,
    maxBytes,
    queue,
    reasons,
    wouldReject: reasons.length > 0,
  };
}

function queueReasons(destination: SqsDestination, queue: PreviewReport["queue"], dedupId: string | undefined): Reason[] {
  if (!queue.ok) {
    const code = queue.code ?? "";
    if (QUEUE_MISSING.has(code)) {
      return [{ rule: "queueMissing", field: "queueUrl", message: `The queue does not exist or you lack access to it (${code}): ${queue.message}` }];
    }
    if (ACCESS_DENIED.has(code)) {
      return [{ rule: "accessDenied", field: "auth", message: `The credentials may not use the queue (${code}): ${queue.message}` }];
    }
    return [];
  }
  if (destination.fifo && !queue.info.fifo) {
    // SendMessage on a standard queue refuses a dedup id (SQS-FACTS: "MessageDeduplicationId on a standard queue").
    return [
      {
        rule: "fifoMismatch",
        field: "fifo",
        message: `The destination is FIFO but the queue is a standard queue; SQS would answer: Value ${dedupId ?? ""} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`,
      },
    ];
  }
  if (!destination.fifo && queue.info.fifo) {
    // Recorded E7: a FIFO SendMessageBatch entry without a group fails the whole request.
    return [
      {
        rule: "fifoMismatch",
        field: "fifo",
        message: "The destination is not FIFO but the queue is a FIFO queue; SQS would answer: The request must contain the parameter MessageGroupId.",
      },
    ];
  }
  return [];
}

/**
 * The report as `sqsrig preview` prints it: the entry (body indented for reading; it is sent compact),
 * an attribute table, the FIFO ids, the size against the limit that applies, then either "AWS would
 * accept this entry." or each reason on its own line.
 *
 * @example
 * process.stdout.write(formatPreview(report));
 */
export function formatPreview(report: PreviewReport): string {
  const { destination: d, entry } = report;
  const lines: string[] = [];
  lines.push(`Destination ${d.name}: ${d.queueUrl} (${d.fifo ? "FIFO" : "standard"}, ${d.region}, ${d.auth.mode})`);
  if (report.queue.ok) {
    const q = report.queue.info;
    lines.push(`Queue       ${q.fifo ? "FIFO" : "standard"}, MaximumMessageSize ${q.maximumMessageSize} bytes${q.kmsMasterKeyId ? `, KMS key ${q.kmsMasterKeyId}` : ""}`);
  } else {
    lines.push(`Queue       not read${report.queue.code ? ` (${report.queue.code})` : ""}: ${report.queue.message}`);
  }
  lines.push("", "MessageBody (sent as compact JSON, shown indented):");
  lines.push(...indent(prettyBody(entry.MessageBody)));
  const attributes = Object.entries(entry.MessageAttributes);
  lines.push("", `MessageAttributes (${attributes.length}):`);
  const rows = attributes.map(([name, value]) => [name, value.DataType, value.StringValue ?? "(binary)"]);
  lines.push(...indent(table([["Name", "DataType", "Value"], ...rows])));
  lines.push("");
  lines.push(`MessageGroupId          ${entry.MessageGroupId ?? "(none)"}`);
  lines.push(`MessageDeduplicationId  ${entry.MessageDeduplicationId ?? "(none)"}`);
  lines.push("", `Size ${report.bytes} bytes of ${report.maxBytes} (${limitSource(report)})`, "");
  if (report.reasons.length === 0) {
    lines.push("AWS would accept this entry.");
    if (!report.queue.ok) lines.push("(Checked against SQS's defaults: the queue itself could not be read.)");
  } else {
    lines.push(`AWS would reject this entry (${report.reasons.length} reason${report.reasons.length === 1 ? "" : "s"}):`);
    for (const r of report.reasons) lines.push(`  ${r.rule} ${r.field}: ${r.message}`);
  }
  return lines.join("\n") + "\n";
}

function limitSource(report: PreviewReport): string {
  if (report.queue.ok) {
    return report.queue.info.maximumMessageSize === report.maxBytes ? "queue MaximumMessageSize" : "the engine's batch cap";
  }
  return report.maxBytes === LIMITS.maxMessageSizeDefault ? "SQS default MaximumMessageSize; queue not read" : "the engine's batch cap";
}

function prettyBody(body: string): string[] {
  try {
    return JSON.stringify(JSON.parse(body), null, 2).split("\n");
  } catch {
    return [body];
  }
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join("  "));
}
