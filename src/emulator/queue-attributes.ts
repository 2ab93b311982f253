import { LIMITS, SqsError, parseQueueArn } from "../sqs/index.js";

/** Attributes a caller may set, with their valid integer ranges where they are numbers (CreateQueue API reference). */
const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, LIMITS.delaySecondsMax],
  MaximumMessageSize: [LIMITS.maxMessageSizeMin, LIMITS.maxMessageSizeMax],
  MessageRetentionPeriod: [LIMITS.retentionMin, LIMITS.retentionMax],
  ReceiveMessageWaitTimeSeconds: [0, LIMITS.waitTimeSecondsMax],
  VisibilityTimeout: [0, LIMITS.visibilityTimeoutMax],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const STRING_ATTRIBUTES = ["Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"];
const BOOLEAN_ATTRIBUTES = ["SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication"];
const FIFO_ONLY = ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"];

export const READ_ONLY_ATTRIBUTES = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesDelayed",
  "ApproximateNumberOfMessagesNotVisible",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
] as const;

export const SETTABLE_ATTRIBUTES = [
  ...Object.keys(INTEGER_RANGES),
  ...STRING_ATTRIBUTES,
  ...BOOLEAN_ATTRIBUTES,
  "DeduplicationScope",
  "FifoThroughputLimit",
];

/** Every attribute name GetQueueAttributes knows (others get InvalidAttributeName). */
export const KNOWN_ATTRIBUTES = new Set<string>([...READ_ONLY_ATTRIBUTES, ...SETTABLE_ATTRIBUTES, "All"]);

/** Defaults AWS reports for a new queue (GetQueueAttributes All on a fresh queue). */
export function defaultAttributes(fifo: boolean): Record<string, string> {
  const base: Record<string, string> = {
    VisibilityTimeout: String(LIMITS.visibilityTimeoutDefault),
    MaximumMessageSize: String(LIMITS.maxMessageSizeDefault),
    MessageRetentionPeriod: String(LIMITS.retentionDefault),
    DelaySeconds: "0",
    ReceiveMessageWaitTimeSeconds: "0",
    SqsManagedSseEnabled: "true",
  };
  if (fifo) {
    base.FifoQueue = "true";
    base.ContentBasedDeduplication = "false";
    base.DeduplicationScope = "queue";
    base.FifoThroughputLimit = "perQueue";
  }
  return base;
}

/** Resolved redrive policy of a source queue. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

function invalidValue(name: string, reason?: string): SqsError {
  return new SqsError(
    "InvalidAttributeValue",
    reason ? `Invalid value for the parameter ${name}. Reason: ${reason}` : `Invalid value for the parameter ${name}.`,
  );
}

/**
 * Checks attribute names and values from CreateQueue or SetQueueAttributes and returns them normalised
 * (integers without leading zeros, booleans lower case). Relations between attributes and other queues
 * (the dead-letter target exists, FIFO-only settings) are checked by the caller, who knows the queues.
 */
export function normaliseAttributes(input: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw);
    // Read-only attributes (QueueArn, the counts) are as unknown to a setter as made-up names.
    if (!SETTABLE_ATTRIBUTES.includes(name)) throw invalidName(name);
    if (!fifo && (name === "DeduplicationScope" || name === "FifoThroughputLimit")) {
      // Snapshot test_create_standard_queue_with_fifo_attribute_raises_error (E30, E31).
      throw new SqsError("InvalidAttributeName", `You can specify the ${name} only when FifoQueue is set to true.`);
    }
    // A standard queue knows no FifoQueue attribute, whatever its value (E28, E32).
    if ((FIFO_ONLY.includes(name) || name === "FifoQueue") && !fifo) throw invalidName(name);
    if (name === "FifoQueue" && !creating && value.toLowerCase() !== "true") {
      // Snapshot test_set_unsupported_attribute_fifo key invalid-attr-name-2 (E33); "true" is a no-op.
      throw invalidValue(name, "Modifying queue type is not supported.");
    }
    const range = INTEGER_RANGES[name];
    if (range) {
      if (!/^\d+$/.test(value.trim())) throw invalidValue(name);
      const n = Number(value.trim());
      if (n < range[0] || n > range[1]) throw invalidValue(name);
      out[name] = String(n);
    } else if (BOOLEAN_ATTRIBUTES.includes(name)) {
      const v = value.toLowerCase();
      if (v !== "true" && v !== "false") throw invalidValue(name);
      out[name] = v;
    } else if (name === "DeduplicationScope") {
      if (value !== "queue" && value !== "messageGroup") throw invalidValue(name);
      out[name] = value;
    } else if (name === "FifoThroughputLimit") {
      if (value !== "perQueue" && value !== "perMessageGroupId") throw invalidValue(name);
      out[name] = value;
    } else if (name === "RedrivePolicy") {
      out[name] = value === "" ? "" : JSON.stringify(parseRedrivePolicy(value));
    } else if (name === "RedriveAllowPolicy") {
      out[name] = value === "" ? "" : JSON.stringify(parseRedriveAllowPolicy(value));
    } else if (name === "Policy") {
      if (value !== "") parseJsonObject(name, value);
      out[name] = value;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Server-side encryption is KMS or SQS-managed, never both in one request (recorded E34). Setting a KMS
 * key turns SqsManagedSseEnabled off; clearing the key (`""`) hides both KMS attributes but leaves
 * SqsManagedSseEnabled off (snapshot test_set_queue_attributes_default_values, notes F1). Turning SQS
 * SSE on drops the KMS key.
 */
export function applySseRules(changes: Record<string, string>): Record<string, string> {
  const key = changes.KmsMasterKeyId;
  if (key && changes.SqsManagedSseEnabled === "true") {
    throw new SqsError(
      "InvalidAttributeName",
      "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
    );
  }
  if (key) return { ...changes, SqsManagedSseEnabled: "false" };
  if (changes.SqsManagedSseEnabled === "true") return { ...changes, KmsMasterKeyId: "" };
  return changes;
}

function invalidName(name: string): SqsError {
  return new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the AWS error below
  }
  throw invalidValue(name, "Invalid JSON.");
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  const json = parseJsonObject("RedrivePolicy", value);
  const arn = json.deadLetterTargetArn;
  const count = Number(json.maxReceiveCount);
  if (typeof arn !== "string" || !parseQueueArn(arn)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`,
    );
  }
  if (!Number.isInteger(count) || count < LIMITS.maxReceiveCountMin || count > LIMITS.maxReceiveCountMax) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: ${String(json.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const json = parseJsonObject("RedriveAllowPolicy", value);
  const permission = json.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: Invalid value for redrivePermission.`,
    );
  }
  const arns = json.sourceQueueArns;
  if (permission === "byQueue") {
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 10 || !arns.every((a) => typeof a === "string")) {
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: sourceQueueArns must list 1 to 10 queue ARNs when redrivePermission is byQueue.`,
      );
    }
    return { redrivePermission: permission, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: sourceQueueArns may only be given when redrivePermission is byQueue.`,
    );
  }
  return { redrivePermission: permission };
}
