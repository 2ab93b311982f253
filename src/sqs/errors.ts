/**
 * The one catalogue of SQS errors. Each entry gives the AWS JSON 1.0 `__type` short name, the code the
 * query protocol (and the `x-amzn-query-error` header) uses, the HTTP status, and whether the sender is
 * at fault. Sources: botocore's sqs service-2.json, AWS-recorded responses in LocalStack's snapshots,
 * summarised in shared/SQS-FACTS.md.
 */
export interface SqsErrorSpec {
  /** `__type` in AWS JSON 1.0 bodies, without the `com.amazonaws.sqs#` prefix. */
  readonly jsonType: string;
  /** Code in query XML and in the `x-amzn-query-error` header. */
  readonly queryCode: string;
  /**
   * HTTP status on both protocols. AWS answered PurgeQueueInProgress 403 over JSON 1.0 to a client
   * that sent no `x-amzn-query-mode` header (recorded `test_successive_purge_calls_fail[sqs]`,
   * 04/2024), so the JSON status is the query status, not LocalStack's "every 4xx is 400".
   */
  readonly httpStatus: number;
  readonly senderFault: boolean;
  readonly defaultMessage: string;
  /**
   * The default message on the query protocol, where AWS words a few errors differently from JSON
   * (QueueDoesNotExist: "…does not exist for this wsdl version."; recorded-errors E23 vs E25).
   */
  readonly queryMessage?: string;
  /** Whether `__type` is namespaced `com.amazonaws.sqs#` (SQS errors) or is a common AWS error. */
  readonly namespace: string;
  /**
   * On the query protocol, AWS answers a few errors with a bare root element and no `<Error>`
   * (ServiceUnavailable: 503 `<ServiceUnavailableException/>`, quoted in celery/celery#4159, 2017).
   */
  readonly queryBareElement?: string;
}

const SQS_NS = "com.amazonaws.sqs#";
const COMMON_NS = "com.amazon.coral.service#";

function sqs(jsonType: string, queryCode: string, httpStatus: number, defaultMessage: string, queryMessage?: string): SqsErrorSpec {
  return {
    ...(queryMessage !== undefined ? { queryMessage } : {}),
    jsonType,
    queryCode,
    httpStatus,
    senderFault: httpStatus < 500,
    defaultMessage,
    namespace: SQS_NS,
  };
}

function common(code: string, httpStatus: number, defaultMessage: string): SqsErrorSpec {
  return {
    jsonType: code,
    queryCode: code,
    httpStatus,
    senderFault: httpStatus < 500,
    defaultMessage,
    namespace: COMMON_NS,
  };
}

const AWS_SQS = "AWS.SimpleQueueService.";

export const SQS_ERRORS = {
  QueueDoesNotExist: sqs(
    "QueueDoesNotExist",
    `${AWS_SQS}NonExistentQueue`,
    400,
    "The specified queue does not exist.",
    "The specified queue does not exist for this wsdl version.",
  ),
  InvalidParameterValue: sqs("InvalidParameterValueException", "InvalidParameterValue", 400, "Invalid parameter value."),
  MissingParameter: sqs("MissingRequiredParameterException", "MissingParameter", 400, "A required parameter is missing."),
  AccessDenied: sqs("AccessDeniedException", "AccessDenied", 403, "Access to the resource is denied."),
  QueueNameExists: sqs("QueueNameExists", "QueueAlreadyExists", 400, "A queue already exists with the same name and a different value for attribute(s)."),
  BatchEntryIdsNotDistinct: sqs("BatchEntryIdsNotDistinct", `${AWS_SQS}BatchEntryIdsNotDistinct`, 400, "Two or more batch entries in the request have the same Id."),
  BatchRequestTooLong: sqs("BatchRequestTooLong", `${AWS_SQS}BatchRequestTooLong`, 400, "The length of all the messages put together is more than the limit."),
  EmptyBatchRequest: sqs("EmptyBatchRequest", `${AWS_SQS}EmptyBatchRequest`, 400, "There should be at least one SendMessageBatchRequestEntry in the request."),
  InvalidBatchEntryId: sqs("InvalidBatchEntryId", `${AWS_SQS}InvalidBatchEntryId`, 400, "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long."),
  MessageNotInflight: sqs("MessageNotInflight", `${AWS_SQS}MessageNotInflight`, 400, "The message referred to isn't in flight."),
  PurgeQueueInProgress: sqs("PurgeQueueInProgress", `${AWS_SQS}PurgeQueueInProgress`, 403, "Only one PurgeQueue operation on the queue is allowed every 60 seconds."),
  QueueDeletedRecently: sqs("QueueDeletedRecently", `${AWS_SQS}QueueDeletedRecently`, 400, "You must wait 60 seconds after deleting a queue before you can create another queue with the same name."),
  TooManyEntriesInBatchRequest: sqs("TooManyEntriesInBatchRequest", `${AWS_SQS}TooManyEntriesInBatchRequest`, 400, "Maximum number of entries per request are 10."),
  UnsupportedOperation: sqs("UnsupportedOperation", `${AWS_SQS}UnsupportedOperation`, 400, "Error code 400. Unsupported operation."),
  InvalidAttributeName: sqs("InvalidAttributeName", "InvalidAttributeName", 400, "The specified attribute doesn't exist."),
  InvalidAttributeValue: sqs("InvalidAttributeValue", "InvalidAttributeValue", 400, "A queue attribute value is invalid."),
  InvalidMessageContents: sqs("InvalidMessageContents", "InvalidMessageContents", 400, "The message contains characters outside the allowed set."),
  ReceiptHandleIsInvalid: sqs("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 400, "The specified receipt handle isn't valid."),
  OverLimit: sqs("OverLimit", "OverLimit", 403, "The specified action violates a limit."),
  // 403 and "Request is throttled." as AWS answered (query protocol): async-aws/aws#1227 (HTTP 403, Sender),
  // aws-sdk-java in awslabs/amazon-sqs-java-temporary-queues-client#19 ("Request is throttled. (Service:
  // AmazonSQS; Status Code: 403; Error Code: RequestThrottled …)"); the model's awsQueryError says 403 too.
  RequestThrottled: sqs("RequestThrottled", "RequestThrottled", 403, "Request is throttled."),
  InvalidAddress: sqs("InvalidAddress", "InvalidAddress", 404, "The accountId is invalid."),
  InvalidSecurity: sqs("InvalidSecurity", "InvalidSecurity", 403, "The request was not made over HTTPS or did not use SigV4 for signing."),
  // SQS passes KMS's own text on: "The ciphertext refers to … not allowed to access." from SQS with HTTP
  // 400 (opensearch-project/data-prepper#2422, 2023; AWS appends its KMS client's "(Service: AWSKMS; …;
  // Request ID: …)", left out here because it carries a random id).
  KmsAccessDenied: sqs(
    "KmsAccessDenied",
    "KMS.AccessDeniedException",
    400,
    "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
  ),
  // The SQS API reference words KmsDisabled like throttling (a copy-paste in AWS's model docs); the text
  // is KMS's DisabledException (KMS API reference): "…the specified KMS key is not enabled."
  KmsDisabled: sqs("KmsDisabled", "KMS.DisabledException", 400, "The request was rejected because the specified KMS key is not enabled."),
  KmsInvalidKeyUsage: sqs("KmsInvalidKeyUsage", "KMS.InvalidKeyUsageException", 400, "The KMS key usage is invalid for this operation."),
  KmsInvalidState: sqs("KmsInvalidState", "KMS.InvalidStateException", 400, "The state of the specified resource is not valid for this request."),
  KmsNotFound: sqs("KmsNotFound", "KMS.NotFoundException", 400, "The request was rejected because the specified entity or resource could not be found."),
  // 403: the model's awsQueryError (`KMS.OptInRequired`, 403), as @aws-sdk/client-sqs schemas carry it.
  KmsOptInRequired: sqs("KmsOptInRequired", "KMS.OptInRequired", 403, "The request was rejected because the specified key policy isn't syntactically or semantically correct."),
  // KMS's ThrottlingException text (KMS developer guide, "Throttling AWS KMS requests").
  KmsThrottled: sqs("KmsThrottled", "KMS.ThrottlingException", 400, "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."),
  ResourceNotFound: sqs("ResourceNotFoundException", "ResourceNotFoundException", 404, "One or more specified resources don't exist."),
  // Common AWS errors: not in the SQS model, raised by the AWS front end for every service.
  InvalidAction: common("InvalidAction", 400, "The action or operation requested is invalid."),
  UnknownOperation: common("UnknownOperationException", 400, "The requested operation is not valid."),
  SerializationException: common("SerializationException", 400, "The request could not be parsed."),
  MissingAction: common("MissingAction", 400, "The request must contain the parameter Action."),
  MalformedQueryString: common("MalformedQueryString", 400, "The query string is malformed."),
  RequestEntityTooLarge: common("RequestEntityTooLarge", 413, "Request body is larger than the maximum allowed."),
  InternalFailure: common("InternalFailure", 500, "The request processing has failed because of an unknown error, exception or failure."),
  // As SQS sent it: 500, "…Please try again." (wellcomecollection/platform#3477, aws-sdk-java).
  InternalError: common("InternalError", 500, "We encountered an internal error. Please try again."),
  ServiceUnavailable: {
    ...common("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."),
    queryBareElement: "ServiceUnavailableException",
  },
  Throttling: common("Throttling", 400, "Rate exceeded"),
  ThrottlingException: common("ThrottlingException", 400, "Rate exceeded"),
  // SQS query answers, 403 Sender: ExpiredToken without a final period (pplu/aws-sdk-perl#166),
  // InvalidClientTokenId with one (ex-aws/ex_aws#220, aws/aws-sdk-php-symfony#41).
  ExpiredToken: common("ExpiredToken", 403, "The security token included in the request is expired"),
  InvalidClientTokenId: common("InvalidClientTokenId", 403, "The security token included in the request is invalid."),
  // SQS's full text (erlcloud/erlcloud#113, boto/boto#1573 query answers, 403 Sender); AWS may append the
  // canonical request it expected, which a fault cannot know.
  SignatureDoesNotMatch: common(
    "SignatureDoesNotMatch",
    403,
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  ),
  MissingAuthenticationToken: common("MissingAuthenticationToken", 403, "Request is missing Authentication Token"),
} as const satisfies Record<string, SqsErrorSpec>;

export type SqsErrorName = keyof typeof SQS_ERRORS;

/** An SQS error with everything each protocol needs to put it on the wire. */
export class SqsError extends Error {
  readonly code: SqsErrorName;
  readonly spec: SqsErrorSpec;
  /** The message for query-protocol responses: the spec's `queryMessage` when no message was given. */
  readonly queryMessage: string;

  constructor(code: SqsErrorName, message?: string) {
    const spec: SqsErrorSpec = SQS_ERRORS[code];
    super(message ?? spec.defaultMessage);
    this.name = "SqsError";
    this.code = code;
    this.spec = spec;
    this.queryMessage = message ?? spec.queryMessage ?? spec.defaultMessage;
  }

  get httpStatus(): number {
    return this.spec.httpStatus;
  }

  get senderFault(): boolean {
    return this.spec.senderFault;
  }

  /** The full JSON `__type`, e.g. `com.amazonaws.sqs#QueueDoesNotExist`. */
  get jsonType(): string {
    return this.spec.namespace + this.spec.jsonType;
  }
}

export function isSqsError(err: unknown): err is SqsError {
  return err instanceof SqsError;
}

/**
 * Texts SQS sends with some errors in place of the model's description, shared by the emulator (which
 * raises them) and the fault injector (which imitates them).
 */
export const SQS_ERROR_TEXTS = {
  /** SendMessage with characters outside SQS's set (recorded-errors L-M1; AWS validated only the code, V7). */
  invalidMessageContents:
    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
  /** A standard-queue receive at the in-flight quota (403; Cbsoftware/pressureNET-server#74, line break included). */
  inflightOverLimit:
    "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.",
} as const;
