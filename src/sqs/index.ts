/**
 * sqs — shared knowledge of Amazon SQS: quotas, name and charset rules, size accounting exactly as SQS
 * counts it, the MD5 digests SDKs verify, the one error catalogue and its wire form in both protocols.
 * Pure functions; no I/O.
 */
export { LIMITS } from "./limits.js";
export { isValidQueueName, isValidBatchEntryId, isValidFifoId, firstInvalidBodyChar, attributeNameProblem } from "./charsets.js";
export { md5OfBody, md5OfMessageAttributes } from "./md5.js";
export {
  utf8Bytes,
  base64Bytes,
  messageBytes,
  messageAttributesBytes,
  validateMessageAttributes,
} from "./message-attributes.js";
export type { MessageAttributeValue, MessageAttributes } from "./message-attributes.js";
export { SQS_ERRORS, SQS_ERROR_TEXTS, SqsError, isSqsError } from "./errors.js";
export type { SqsErrorName, SqsErrorSpec } from "./errors.js";
export { encodeSqsError, encodeQueryError } from "./error-wire.js";
export type { SqsErrorWire } from "./error-wire.js";
export { escapeXml } from "./xml.js";
export { queueArn, parseQueueArn, queueUrl, queueNameFromUrl } from "./arns.js";
export { sdkRequestTarget } from "./request-target.js";
export { dictionary, dictionaryOf } from "./dictionary.js";
