import type { FaultErrorContext } from "../../src/faults/fault-errors.js";

/**
 * The proof table of issue 5: per fault name, what a client sees from real SQS. Every expectation is
 * written out here from the cited AWS document or recorded AWS answer, never derived from the catalogue,
 * so a wrong catalogue entry fails the row.
 *
 * - `name`: SDK v3 `error.name`. SQS is awsQueryCompatible, so SDK v3 reads the `x-amzn-query-error` code
 *   and maps it back to the modelled shape (`KMS.ThrottlingException` → KmsThrottled); an unmodelled code
 *   is the name itself (`AccessDenied`, as island-is/island.is#7812 logged from real SQS with SDK v3).
 * - `code`: `x-amzn-query-error` code = SDK v3 `error.Code` = botocore `Error.Code` = query `<Code>`.
 * - `fault`: SDK v3 `$fault` (modelled shapes say client; otherwise 5xx is server).
 * - `retried`: whether the SDKs retry by themselves: throttling codes and 500/503 yes; KMS throttling,
 *   AccessDenied, QueueDoesNotExist, InvalidParameterValue, ExpiredToken… no (DESIGN "Details worth
 *   getting right"; SDK v3 `THROTTLING_ERROR_CODES`/`TRANSIENT_ERROR_STATUS_CODES`, botocore
 *   `retries/standard.py` `_THROTTLED_ERROR_CODES`/`_TRANSIENT_STATUS_CODES`).
 * - `botoClass`: the exception class boto3 raises (modelled shapes have their own; others ClientError).
 *
 * Not recorded from SQS: the text of Throttling/ThrottlingException ("Rate exceeded" is what AWS's
 * front end says for throttling elsewhere) and of ServiceUnavailable (the Common Errors description).
 */
export interface FaultRow {
  fault: string;
  action: "SendMessage" | "SendMessageBatch" | "GetQueueAttributes" | "ReceiveMessage";
  context?: Omit<FaultErrorContext, "action">;
  name: string;
  code: string;
  status: number;
  fault$: "client" | "server";
  retried: boolean;
  message: string;
  botoClass: string;
  /** botocore `QueryErrorCode` (the `__type` shape), only where AWS recorded it. */
  queryErrorCode?: string;
  /** The query protocol, where AWS answers differently from JSON. */
  query?: { message?: string; bareElement?: string };
  source: string;
}

const RATE_EXCEEDED = "Rate exceeded";
const KMS_THROTTLED = "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";
const KMS_DISABLED = "The request was rejected because the specified KMS key is not enabled.";
const KMS_ACCESS_DENIED =
  "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";
const NO_QUEUE = "The specified queue does not exist.";
const NO_QUEUE_QUERY = "The specified queue does not exist for this wsdl version.";
const INVALID_CHARS =
  "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";
const SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const ACCESS_DENIED = "Access to the resource {queueUrl} is denied.";

const client = { fault$: "client" as const };

export const FAULT_ROWS: readonly FaultRow[] = [
  { fault: "Throttling", action: "SendMessage", name: "Throttling", code: "Throttling", status: 400, ...client, retried: true, message: RATE_EXCEEDED, botoClass: "ClientError", source: "SQS API Reference, Common Errors (throttling, HTTP 400)" },
  { fault: "ThrottlingException", action: "SendMessageBatch", name: "ThrottlingException", code: "ThrottlingException", status: 400, ...client, retried: true, message: RATE_EXCEEDED, botoClass: "ClientError", source: "SQS API Reference, Common Errors: ThrottlingException, HTTP 400" },
  { fault: "RequestThrottled", action: "SendMessage", name: "RequestThrottled", code: "RequestThrottled", status: 403, ...client, retried: true, message: "Request is throttled.", botoClass: "RequestThrottled", source: "AWS answers: async-aws/aws#1227 (403, Sender), amazon-sqs-java-temporary-queues-client#19 (403 \"Request is throttled.\")" },
  { fault: "KmsThrottled", action: "SendMessage", name: "KmsThrottled", code: "KMS.ThrottlingException", status: 400, ...client, retried: false, message: KMS_THROTTLED, botoClass: "KmsThrottled", source: "SQS API Reference SendMessage errors (KmsThrottled, 400); KMS developer guide \"Throttling AWS KMS requests\" (text)" },
  { fault: "KMS.ThrottlingException", action: "SendMessageBatch", name: "KmsThrottled", code: "KMS.ThrottlingException", status: 400, ...client, retried: false, message: KMS_THROTTLED, botoClass: "KmsThrottled", source: "as KmsThrottled (its query code)" },
  { fault: "AccessDenied", action: "GetQueueAttributes", context: { queueUrl: "{queueUrl}" }, name: "AccessDenied", code: "AccessDenied", status: 403, ...client, retried: false, message: ACCESS_DENIED, botoClass: "ClientError", source: "AWS answers: island-is/island.is#7812 (SDK v3: AccessDenied, 403, client), MassTransit#1525 (text)" },
  { fault: "AccessDeniedException", action: "SendMessage", context: { queueUrl: "{queueUrl}" }, name: "AccessDenied", code: "AccessDenied", status: 403, ...client, retried: false, message: ACCESS_DENIED, botoClass: "ClientError", source: "as AccessDenied (its JSON __type; SQS-FACTS mapping table)" },
  { fault: "QueueDoesNotExist", action: "GetQueueAttributes", name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue", status: 400, ...client, retried: false, message: NO_QUEUE, botoClass: "QueueDoesNotExist", queryErrorCode: "QueueDoesNotExist", query: { message: NO_QUEUE_QUERY }, source: "recorded E23/E25 test_non_existent_queue keys queue-does-not-exist(-query)" },
  { fault: "AWS.SimpleQueueService.NonExistentQueue", action: "SendMessage", name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue", status: 400, ...client, retried: false, message: NO_QUEUE, botoClass: "QueueDoesNotExist", queryErrorCode: "QueueDoesNotExist", query: { message: NO_QUEUE_QUERY }, source: "as QueueDoesNotExist (its query code)" },
  { fault: "Oversize", action: "SendMessage", context: { maxMessageBytes: 1024 }, name: "InvalidParameterValue", code: "InvalidParameterValue", status: 400, ...client, retried: false, message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.", botoClass: "ClientError", queryErrorCode: "InvalidParameterValueException", source: "recorded E2 test_send_message_with_updated_maximum_message_size" },
  { fault: "Oversize", action: "SendMessageBatch", context: { batchBytes: 1_048_577 }, name: "BatchRequestTooLong", code: "AWS.SimpleQueueService.BatchRequestTooLong", status: 400, ...client, retried: false, message: "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.", botoClass: "BatchRequestTooLong", queryErrorCode: "BatchRequestTooLong", source: "recorded E12 test_send_message_batch_with_oversized_contents" },
  { fault: "InvalidMessageContents", action: "SendMessage", name: "InvalidMessageContents", code: "InvalidMessageContents", status: 400, ...client, retried: false, message: INVALID_CHARS, botoClass: "InvalidMessageContents", source: "validated V7 test_send_message_with_invalid_payload_characters (code); L-M1 (text)" },
  { fault: "InternalError", action: "SendMessage", name: "InternalError", code: "InternalError", status: 500, fault$: "server", retried: true, message: "We encountered an internal error. Please try again.", botoClass: "ClientError", source: "AWS answer: wellcomecollection/platform#3477 (500 InternalError)" },
  { fault: "ServiceUnavailable", action: "SendMessageBatch", name: "ServiceUnavailable", code: "ServiceUnavailable", status: 503, fault$: "server", retried: true, message: "The request has failed due to a temporary failure of the server.", botoClass: "ClientError", query: { bareElement: "<ServiceUnavailableException/>" }, source: "SQS API Reference, Common Errors: ServiceUnavailable, HTTP 503; query body as in celery/celery#4159" },
  { fault: "ExpiredToken", action: "SendMessage", name: "ExpiredToken", code: "ExpiredToken", status: 403, ...client, retried: false, message: "The security token included in the request is expired", botoClass: "ClientError", source: "AWS answer: pplu/aws-sdk-perl#166 (403, Sender)" },
  { fault: "InvalidClientTokenId", action: "GetQueueAttributes", name: "InvalidClientTokenId", code: "InvalidClientTokenId", status: 403, ...client, retried: false, message: "The security token included in the request is invalid.", botoClass: "ClientError", source: "AWS answer: ex-aws/ex_aws#220 (403, Sender)" },
  { fault: "SignatureDoesNotMatch", action: "SendMessage", name: "SignatureDoesNotMatch", code: "SignatureDoesNotMatch", status: 403, ...client, retried: false, message: SIGNATURE, botoClass: "ClientError", source: "AWS answer: erlcloud/erlcloud#113 (403, Sender)" },
  { fault: "KmsDisabled", action: "SendMessage", name: "KmsDisabled", code: "KMS.DisabledException", status: 400, ...client, retried: false, message: KMS_DISABLED, botoClass: "KmsDisabled", source: "SQS API Reference SendMessage errors (KmsDisabled, 400); KMS API Reference DisabledException (text)" },
  { fault: "KMS.DisabledException", action: "SendMessageBatch", name: "KmsDisabled", code: "KMS.DisabledException", status: 400, ...client, retried: false, message: KMS_DISABLED, botoClass: "KmsDisabled", source: "as KmsDisabled (its query code)" },
  { fault: "KmsAccessDenied", action: "ReceiveMessage", name: "KmsAccessDenied", code: "KMS.AccessDeniedException", status: 400, ...client, retried: false, message: KMS_ACCESS_DENIED, botoClass: "KmsAccessDenied", source: "AWS answer: opensearch-project/data-prepper#2422 (SQS 400, KMS text)" },
  { fault: "KMS.AccessDeniedException", action: "SendMessage", name: "KmsAccessDenied", code: "KMS.AccessDeniedException", status: 400, ...client, retried: false, message: KMS_ACCESS_DENIED, botoClass: "KmsAccessDenied", source: "as KmsAccessDenied (its query code)" },
  { fault: "OverLimit", action: "ReceiveMessage", name: "OverLimit", code: "OverLimit", status: 403, ...client, retried: false, message: "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.", botoClass: "OverLimit", source: "AWS answer: Cbsoftware/pressureNET-server#74 (403 OverLimit on ReceiveMessage)" },
];

/** The row's expected message for a request to `queueUrl` (AccessDenied quotes it). */
export function expectedMessage(row: FaultRow, queueUrl: string): string {
  return row.message.replace("{queueUrl}", queueUrl);
}

/** The row's fault context for a request to `queueUrl`. */
export function contextOf(row: FaultRow, queueUrl: string): FaultErrorContext {
  const context: FaultErrorContext = { action: row.action, ...row.context };
  if (context.queueUrl !== undefined) context.queueUrl = queueUrl;
  return context;
}
