import { LIMITS, SQS_ERROR_TEXTS, SqsError, type SqsErrorName } from "../sqs/index.js";

/**
 * The error names a fault rule may use (`error: NAME`), each an entry of the one SQS error catalogue
 * (src/sqs/errors.ts), which holds status, codes, SenderFault and the default wording with their
 * sources. Aliases are the names AWS itself uses for the same answer: the query code
 * (`KMS.ThrottlingException`, `AWS.SimpleQueueService.NonExistentQueue`) or the JSON `__type`
 * (`AccessDeniedException`).
 */
const FAULT_ERRORS = {
  Throttling: "Throttling",
  ThrottlingException: "ThrottlingException",
  RequestThrottled: "RequestThrottled",
  KmsThrottled: "KmsThrottled",
  "KMS.ThrottlingException": "KmsThrottled",
  AccessDenied: "AccessDenied",
  AccessDeniedException: "AccessDenied",
  QueueDoesNotExist: "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExist",
  // InvalidParameterValue for one message, BatchRequestTooLong for SendMessageBatch (see oversize()).
  Oversize: "InvalidParameterValue",
  InvalidMessageContents: "InvalidMessageContents",
  InternalError: "InternalError",
  ServiceUnavailable: "ServiceUnavailable",
  ExpiredToken: "ExpiredToken",
  InvalidClientTokenId: "InvalidClientTokenId",
  SignatureDoesNotMatch: "SignatureDoesNotMatch",
  KmsDisabled: "KmsDisabled",
  "KMS.DisabledException": "KmsDisabled",
  KmsAccessDenied: "KmsAccessDenied",
  "KMS.AccessDeniedException": "KmsAccessDenied",
  OverLimit: "OverLimit",
} as const satisfies Record<string, SqsErrorName>;

export type FaultErrorName = keyof typeof FAULT_ERRORS;

/** Every name `error:` accepts, in catalogue order. */
export const FAULT_ERROR_NAMES: readonly FaultErrorName[] = Object.freeze(Object.keys(FAULT_ERRORS) as FaultErrorName[]);

/** What the answer may depend on: the request's action and, where AWS quotes them, sizes and the queue. */
export interface FaultErrorContext {
  /** The SQS action of the request, e.g. `SendMessageBatch`. */
  action: string;
  /** The queue's MaximumMessageSize, quoted by Oversize. @default 1048576 (LIMITS.maxMessageSizeDefault) */
  maxMessageBytes?: number;
  /** Total bytes of a SendMessageBatch, quoted by Oversize. @default LIMITS.maxBatchBytes + 1 */
  batchBytes?: number;
  /** The queue URL the request named, quoted by AccessDenied. */
  queueUrl?: string;
}

export function isFaultErrorName(name: string): name is FaultErrorName {
  return Object.hasOwn(FAULT_ERRORS, name);
}

/**
 * The SqsError a fault answers with, worded as AWS words it for this action; encode it with
 * `encodeSqsError` in the request's protocol. Throws a RangeError naming the valid names for an
 * unknown one (rules are checked at compile time, so that is a bug, not user input).
 *
 * @example
 * faultError("Oversize", { action: "SendMessage", maxMessageBytes: 1024 }).message
 * // "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."
 * faultError("Oversize", { action: "SendMessageBatch" }).code // "BatchRequestTooLong"
 */
export function faultError(name: string, context: FaultErrorContext): SqsError {
  if (!isFaultErrorName(name)) {
    throw new RangeError(`unknown fault error '${name}' (one of ${FAULT_ERROR_NAMES.join(", ")})`);
  }
  const code: SqsErrorName = FAULT_ERRORS[name];
  switch (code) {
    case "InvalidParameterValue":
      return oversize(context);
    case "InvalidMessageContents":
      // The text LocalStack sends and the emulator's SendMessage uses (recorded-errors L-M1; AWS validated
      // only the code, V7), so an injected fault reads like the real refusal.
      return new SqsError(code, SQS_ERROR_TEXTS.invalidMessageContents);
    case "AccessDenied":
      // The query-era wording names the resource (MassTransit/MassTransit#1525: "Access to the resource
      // https://sqs.us-west-2.amazonaws.com/[acct]/process_order is denied.", 403).
      return context.queueUrl ? new SqsError(code, `Access to the resource ${context.queueUrl} is denied.`) : new SqsError(code);
    case "OverLimit":
      // A receive at the in-flight quota, as AWS worded it (403; Cbsoftware/pressureNET-server#74, the line
      // break included); other actions get the model's description.
      return context.action === "ReceiveMessage" ? new SqsError(code, SQS_ERROR_TEXTS.inflightOverLimit) : new SqsError(code);
    default:
      // No message: the catalogue's default, and for QueueDoesNotExist its query-protocol wording too.
      return new SqsError(code);
  }
}

/**
 * An oversize request as SQS refuses it: a batch as a whole with BatchRequestTooLong (recorded E12,
 * `test_send_message_batch_with_oversized_contents`), anything else as one message over the queue's
 * MaximumMessageSize (recorded E1/E2, `test_send_oversized_message`,
 * `test_send_message_with_updated_maximum_message_size`).
 */
function oversize(context: FaultErrorContext): SqsError {
  if (context.action === "SendMessageBatch") {
    const sent = context.batchBytes ?? LIMITS.maxBatchBytes + 1;
    return new SqsError("BatchRequestTooLong", `Batch requests cannot be longer than ${LIMITS.maxBatchBytes} bytes. You have sent ${sent} bytes.`);
  }
  const max = context.maxMessageBytes ?? LIMITS.maxMessageSizeDefault;
  return new SqsError("InvalidParameterValue", `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
}
