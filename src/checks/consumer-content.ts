/**
 * A consumer's journaled record (`consumer.batch` messages[].content) read the same way whichever shape it
 * has: the Lambda / Pipes record (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": camelCase
 * keys, `attributes` PascalCase, `messageAttributes` values `{stringValue, binaryValue, stringListValues,
 * binaryListValues, dataType}`) or the API's Message a poller receives (ReceiveMessage API reference:
 * MessageId, Body, Attributes, MessageAttributes `{StringValue, BinaryValue, DataType, …}`).
 */
export interface SeenAttribute {
  dataType?: unknown;
  stringValue?: unknown;
  binaryValue?: unknown;
}

export interface SeenRecord {
  shape: "lambda" | "message" | "unknown";
  body: unknown;
  attributes: Record<string, unknown>;
  messageAttributes: Record<string, SeenAttribute>;
  raw: Record<string, unknown>;
}

export function readContent(content: Record<string, unknown>): SeenRecord {
  if ("messageId" in content) {
    return { shape: "lambda", body: content.body, attributes: objectOr(content.attributes), messageAttributes: attributesOf(content.messageAttributes, "stringValue", "binaryValue", "dataType"), raw: content };
  }
  if ("MessageId" in content) {
    return { shape: "message", body: content.Body, attributes: objectOr(content.Attributes), messageAttributes: attributesOf(content.MessageAttributes, "StringValue", "BinaryValue", "DataType"), raw: content };
  }
  return { shape: "unknown", body: undefined, attributes: {}, messageAttributes: {}, raw: content };
}

function attributesOf(value: unknown, s: string, b: string, d: string): Record<string, SeenAttribute> {
  const out: Record<string, SeenAttribute> = {};
  for (const [name, v] of Object.entries(objectOr(value))) {
    const a = objectOr(v);
    out[name] = { stringValue: a[s], binaryValue: a[b], dataType: a[d] };
  }
  return out;
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const LAMBDA_STRINGS = ["messageId", "body", "md5OfBody", "eventSourceARN", "awsRegion"] as const;

/**
 * How `record` differs from the shape its consumer kind must hand over: Lambda/Pipes records per the
 * Lambda Developer Guide's example events, Messages per the ReceiveMessage API reference.
 */
export function shapeProblems(record: SeenRecord, want: "lambda" | "message"): string[] {
  if (record.shape !== want) return [`a ${record.shape === "unknown" ? "record of unknown shape" : `${record.shape} record`}, expected a ${want} record`];
  const raw = record.raw;
  const problems: string[] = [];
  if (want === "lambda") {
    for (const key of LAMBDA_STRINGS) if (typeof raw[key] !== "string") problems.push(`${key} is not a string`);
    if (raw.eventSource !== "aws:sqs") problems.push(`eventSource is ${JSON.stringify(raw.eventSource)}, not "aws:sqs"`);
    for (const [k, v] of Object.entries(record.attributes)) if (typeof v !== "string") problems.push(`attributes.${k} is not a string`);
    for (const [k, v] of Object.entries(objectOr(raw.messageAttributes))) {
      const a = objectOr(v);
      if (typeof a.dataType !== "string") problems.push(`messageAttributes.${k}.dataType is not a string`);
      if (!Array.isArray(a.stringListValues) || !Array.isArray(a.binaryListValues)) problems.push(`messageAttributes.${k} lacks stringListValues/binaryListValues lists`);
    }
  } else {
    for (const key of ["MessageId", "Body", "MD5OfBody"]) if (typeof raw[key] !== "string") problems.push(`${key} is not a string`);
    for (const [k, v] of Object.entries(record.messageAttributes)) if (typeof v.dataType !== "string") problems.push(`MessageAttributes.${k}.DataType is not a string`);
  }
  return problems;
}

/** Whether `actual` holds everything `want` has: objects by key (extra keys allowed), the rest by value. */
export function containsShape(actual: unknown, want: unknown): boolean {
  if (typeof want === "object" && want !== null && !Array.isArray(want)) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    return Object.entries(want).every(([k, v]) => containsShape((actual as Record<string, unknown>)[k], v));
  }
  if (Array.isArray(want)) return Array.isArray(actual) && actual.length === want.length && want.every((v, i) => containsShape(actual[i], v));
  return Object.is(actual, want);
}
