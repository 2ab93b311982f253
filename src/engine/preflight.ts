import type { SqsDestination } from "./destination.js";
import type { FieldError } from "./field-error.js";
import { QueueLookupError, type QueueClient, type QueueInfo } from "./queue-client.js";

export type PreflightResult = { ok: true; queue: QueueInfo; warnings: string[] } | { ok: false; errors: FieldError[] };

/** The MaximumMessageSize AWS allows and defaults to today (SQS API Reference, SetQueueAttributes). */
const ONE_MIB = 1_048_576;

/** Both wire spellings: JSON `__type` and query `Code` (SQS API Reference, GetQueueAttributes, Errors). */
const QUEUE_MISSING = new Set(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"]);
/** The caller, its keys or its role session were refused (SQS and STS "Common Errors"). */
const AUTH_REFUSED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "ExpiredToken",
  "InvalidSecurity",
]);

/**
 * Reads the destination's queue (GetQueueAttributes, All) before it is saved, so a wrong URL, refused
 * credentials or a FIFO mismatch is reported on the field that causes it, not later as dead letters.
 * Warnings name queue settings that change what the engine's sends do.
 *
 * @example
 * const check = await preflightDestination(destination, createSqsQueueClient(destination, { credentials }));
 * if (!check.ok) return { ok: false, errors: check.errors };
 */
export async function preflightDestination(destination: SqsDestination, client: QueueClient): Promise<PreflightResult> {
  let queue: QueueInfo;
  try {
    queue = await client.getQueueInfo();
  } catch (err) {
    return { ok: false, errors: [lookupError(destination, err)] };
  }
  if (queue.fifo !== destination.fifo) {
    return {
      ok: false,
      errors: [
        {
          field: "fifo",
          rule: "mismatch",
          message: `fifo is ${destination.fifo} but the queue ${destination.queueUrl} ${queue.fifo ? "is" : "is not"} a FIFO queue (FifoQueue=${queue.fifo}).`,
        },
      ],
    };
  }
  return { ok: true, queue, warnings: warningsFor(queue) };
}

function lookupError(destination: SqsDestination, err: unknown): FieldError {
  const failure = err instanceof QueueLookupError ? err.failure : undefined;
  // A credentials provider may throw the STS SDK error itself (AssumeRole refused): its name is the code.
  const code = failure?.code ?? (err instanceof Error && err.name !== "Error" ? err.name : undefined);
  const detail = err instanceof Error ? err.message : String(err);
  if (code !== undefined && QUEUE_MISSING.has(code)) {
    return {
      field: "queueUrl",
      rule: "queueDoesNotExist",
      // SQS answers QueueDoesNotExist both for a missing queue and for one these credentials may not see.
      message: `The queue ${destination.queueUrl} does not exist, or these credentials lack access to it (${code}).`,
    };
  }
  if (code !== undefined && AUTH_REFUSED.has(code)) {
    return { field: "auth", rule: "accessDenied", message: `${authHint(destination)} was refused (${code}): ${detail}` };
  }
  const status = failure?.httpStatus === undefined ? "" : ` HTTP ${failure.httpStatus}`;
  return {
    field: "queueUrl",
    rule: "unreachable",
    message: `GetQueueAttributes on ${destination.queueUrl} failed (${code ?? failure?.kind ?? "error"}${status}): ${detail}`,
  };
}

function authHint(destination: SqsDestination): string {
  const auth = destination.auth;
  return auth.mode === "ASSUME_ROLE"
    ? `Role ${auth.roleArn} (check its trust policy allows sts:AssumeRole with this ExternalId, and its permissions allow sqs:GetQueueAttributes and sqs:SendMessage)`
    : `Access key ${auth.accessKeyId} (check the key pair and that it may call sqs:GetQueueAttributes and sqs:SendMessage)`;
}

/** Queue settings that change what the engine's sends do; none of them stops delivery. */
export function warningsFor(queue: QueueInfo): string[] {
  const warnings: string[] = [];
  if (queue.fifo && queue.contentBasedDeduplication) {
    warnings.push(
      "ContentBasedDeduplication is on, but the engine always sends MessageDeduplicationId = idempotencyKey, which takes precedence over the body hash (SQS Developer Guide, exactly-once processing).",
    );
  }
  if (queue.deduplicationScope === "messageGroup") {
    warnings.push(
      "DeduplicationScope is messageGroup: the same idempotencyKey in two different message groups is delivered twice (deduplication is per group).",
    );
  }
  if (queue.maximumMessageSize < ONE_MIB) {
    warnings.push(
      `MaximumMessageSize is ${queue.maximumMessageSize} bytes: each batch is capped there, and an event larger than that is dead-lettered as oversize.`,
    );
  }
  if (queue.kmsMasterKeyId) {
    warnings.push(
      `The queue is encrypted with KMS key ${queue.kmsMasterKeyId}: sends fail with KMS errors unless the sender may call kms:GenerateDataKey and kms:Decrypt on it.`,
    );
  }
  return warnings;
}
