import { attributeNameProblem, firstInvalidBodyChar } from "./charsets.js";
import { SqsError } from "./errors.js";
import { LIMITS } from "./limits.js";

/** A message attribute value in the AWS JSON 1.0 shape; binary values are base64. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** UTF-8 bytes of `text`, without allocating. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Decoded bytes of a base64 value. */
export function base64Bytes(b64: string): number {
  return Buffer.byteLength(b64, "base64");
}

/**
 * Bytes SQS counts toward MaximumMessageSize for the attributes: each name, DataType and value
 * (SQS developer guide, "Amazon SQS message attributes": "message attributes count toward the size").
 */
export function messageAttributesBytes(attributes: MessageAttributes | undefined): number {
  if (!attributes) return 0;
  let bytes = 0;
  // Batch sizes are summed before the entries are validated, so count only what is well-typed.
  for (const [name, attr] of Object.entries(attributes)) {
    bytes += utf8Bytes(name);
    if (typeof attr?.DataType === "string") bytes += utf8Bytes(attr.DataType);
    if (typeof attr?.StringValue === "string") bytes += utf8Bytes(attr.StringValue);
    if (typeof attr?.BinaryValue === "string") bytes += base64Bytes(attr.BinaryValue);
  }
  return bytes;
}

/** Size of a message as SQS counts it: UTF-8 body plus attribute names, types and values. */
export function messageBytes(body: string, attributes?: MessageAttributes): number {
  return utf8Bytes(body) + messageAttributesBytes(attributes);
}

const TYPE_PREFIXES = ["String", "Number", "Binary"] as const;

/**
 * Checks user message attributes the way SendMessage does and throws the error SQS answers with.
 * Custom types (`String.json`, `Number.int`) are allowed after the base type and a period.
 */
export function validateMessageAttributes(attributes: MessageAttributes | undefined): void {
  if (!attributes) return;
  const names = Object.keys(attributes);
  if (names.length > LIMITS.maxMessageAttributes) {
    throw new SqsError(
      "InvalidParameterValue",
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${LIMITS.maxMessageAttributes}].`,
    );
  }
  for (const name of names) {
    const problem = attributeNameProblem(name);
    if (problem) throw new SqsError("InvalidParameterValue", problem);
    validateOneAttribute(name, attributes[name]!);
  }
}

function validateOneAttribute(name: string, attr: MessageAttributeValue): void {
  const dataType = attr?.DataType;
  if (typeof dataType !== "string" || dataType.length === 0) {
    throw new SqsError("InvalidParameterValue", `The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const base = TYPE_PREFIXES.find((p) => dataType === p || dataType.startsWith(p + "."));
  if (!base || dataType.length > LIMITS.maxDataTypeLength) {
    throw new SqsError(
      "InvalidParameterValue",
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (attr.StringListValues?.length || attr.BinaryListValues?.length) {
    throw new SqsError("InvalidParameterValue", `Message attribute list values in '${name}' are not supported.`);
  }
  if (base === "Binary") {
    if (attr.StringValue !== undefined || !attr.BinaryValue) {
      throw new SqsError(
        "InvalidParameterValue",
        `Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
      );
    }
    return;
  }
  if (attr.BinaryValue !== undefined || attr.StringValue === undefined || attr.StringValue === "") {
    throw new SqsError(
      "InvalidParameterValue",
      `Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`,
    );
  }
  if (base === "Number" && !isSqsNumber(attr.StringValue)) {
    throw new SqsError("InvalidParameterValue", `Could not cast message attribute '${name}' value to number.`);
  }
  const bad = firstInvalidBodyChar(attr.StringValue);
  if (bad !== undefined) {
    throw new SqsError(
      "InvalidParameterValue",
      `Message (user) attribute '${name}' value contains invalid characters (U+${bad.toString(16).toUpperCase().padStart(4, "0")}).`,
    );
  }
}

/** Number attributes hold up to 38 significant digits between 10^-128 and 10^+126 (SQS docs). */
function isSqsNumber(value: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return false;
  const digits = value.replace(/[eE].*$/, "").replace(/[^0-9]/g, "").replace(/^0+/, "");
  return digits.length <= 38;
}
