import { isValidQueueName, queueNameFromUrl } from "../sqs/index.js";
import { EVENT_FIELDS } from "./event.js";
import { isPlainObject } from "./field-error.js";
import type { FieldError } from "./field-error.js";

/** AssumeRole with the ExternalId the customer pinned in the role's trust policy (seed 000, "Auth"). */
export interface AssumeRoleAuth {
  mode: "ASSUME_ROLE";
  roleArn: string;
  externalId: string;
}

/** A long-lived IAM key pair scoped to sqs:SendMessage(Batch) (seed 000, "Auth and credentials"). */
export interface AccessKeysAuth {
  mode: "ACCESS_KEYS";
  accessKeyId: string;
  secretAccessKey: string;
}

/** A fully resolved SQS destination (seed 000, "Example configuration"; DESIGN "Engine"). */
export interface SqsDestination {
  type: "SQS";
  name: string;
  queueUrl: string;
  region: string;
  /** Whether the queue is FIFO; must agree with the `.fifo` suffix of the queue name. */
  fifo: boolean;
  /**
   * Dotted path into the event whose value becomes the FIFO `MessageGroupId`, e.g.
   * `payload.order.customer`. @default "customerExternalId" (seed 000: "defaults to customerExternalId")
   */
  messageGroupIdField: string;
  auth: AssumeRoleAuth | AccessKeysAuth;
  /**
   * Whether routing delivers to this destination (DESIGN "Engine": "every enabled destination"); kept
   * only when given, so treat anything but `false` as enabled. @default true
   */
  enabled?: boolean;
}

export type DestinationCheck = { ok: true; destination: SqsDestination } | { ok: false; errors: FieldError[] };

const TOP_FIELDS = ["type", "name", "queueUrl", "region", "fifo", "messageGroupIdField", "auth", "enabled"];
const AUTH_FIELDS = { ASSUME_ROLE: ["mode", "roleArn", "externalId"], ACCESS_KEYS: ["mode", "accessKeyId", "secretAccessKey"] };
/** IAM role ARNs in any partition (aws, aws-cn, aws-us-gov). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** STS AssumeRole ExternalId: 2–1224 of `[\w+=,.@:/-]` (STS API reference, AssumeRole). */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Turns user input (HTTP JSON, YAML, a scenario) into a resolved destination, or every error with its
 * field path. Unknown fields are errors: a misspelt `messageGroupIdFeild` would otherwise silently fall
 * back to the default group.
 */
export function compileDestination(input: unknown): DestinationCheck {
  if (!isPlainObject(input)) return fail("", "type", "A destination must be a JSON object.");
  const errors: FieldError[] = [];
  const err = (field: string, rule: string, message: string) => errors.push({ field, rule, message });
  rejectUnknown(input, TOP_FIELDS, "", errors);

  if (input.type !== "SQS") err("type", "enum", `type must be "SQS".`);
  const name = requireString(input, "name", "", errors);
  const region = requireString(input, "region", "", errors);
  if (region !== undefined && !REGION.test(region)) err("region", "format", `region '${region}' is not an AWS region name such as us-east-1.`);

  let fifo = input.fifo;
  if (fifo !== undefined && typeof fifo !== "boolean") err("fifo", "type", "fifo must be true or false.");
  const queueUrl = requireString(input, "queueUrl", "", errors);
  if (queueUrl !== undefined) {
    const parsed = /^https?:\/\//.test(queueUrl) ? queueNameFromUrl(queueUrl) : undefined;
    if (!parsed) {
      err("queueUrl", "format", "queueUrl must look like https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.");
    } else {
      const isFifoName = parsed.name.endsWith(".fifo");
      // Infer fifo from the name when omitted; when given it must agree (CreateQueue: FIFO names end in .fifo).
      if (fifo === undefined) fifo = isFifoName;
      if (typeof fifo === "boolean" && fifo !== isFifoName) {
        err("fifo", "mismatch", `fifo is ${fifo} but queue '${parsed.name}' ${isFifoName ? "is" : "is not"} a FIFO queue name (.fifo suffix).`);
      } else if (!isValidQueueName(parsed.name, isFifoName)) {
        err("queueUrl", "queueName", `'${parsed.name}' is not a valid SQS queue name (1–80 of A-Z a-z 0-9 _ -).`);
      }
    }
  }

  let messageGroupIdField = "customerExternalId";
  if (input.messageGroupIdField !== undefined) {
    const path = input.messageGroupIdField;
    if (typeof path !== "string" || !/^[^.]+(\.[^.]+)*$/.test(path)) {
      err("messageGroupIdField", "format", "messageGroupIdField must be a dotted path such as payload.order.customer.");
    } else if (!(EVENT_FIELDS as readonly string[]).includes(path.split(".")[0]!)) {
      err("messageGroupIdField", "unknownField", `messageGroupIdField must start with an event field (${EVENT_FIELDS.join(", ")}).`);
    } else {
      messageGroupIdField = path;
    }
  }

  const enabled = input.enabled;
  if (enabled !== undefined && typeof enabled !== "boolean") err("enabled", "type", "enabled must be true or false.");

  const auth = compileAuth(input.auth, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    destination: {
      type: "SQS",
      name: name!,
      queueUrl: queueUrl!,
      region: region!,
      fifo: fifo as boolean,
      messageGroupIdField,
      auth: auth!,
      ...(typeof enabled === "boolean" ? { enabled } : {}),
    },
  };
}

function compileAuth(input: unknown, errors: FieldError[]): SqsDestination["auth"] | undefined {
  if (!isPlainObject(input)) {
    errors.push({ field: "auth", rule: input === undefined ? "required" : "type", message: "auth must be an object with a mode." });
    return undefined;
  }
  const mode = input.mode;
  if (mode !== "ASSUME_ROLE" && mode !== "ACCESS_KEYS") {
    errors.push({ field: "auth.mode", rule: "enum", message: `auth.mode must be "ASSUME_ROLE" or "ACCESS_KEYS".` });
    return undefined;
  }
  rejectUnknown(input, AUTH_FIELDS[mode], "auth.", errors);
  if (mode === "ASSUME_ROLE") {
    const roleArn = requireString(input, "roleArn", "auth.", errors);
    if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
      errors.push({ field: "auth.roleArn", rule: "format", message: "auth.roleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/Name." });
    }
    const externalId = requireString(input, "externalId", "auth.", errors);
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      errors.push({ field: "auth.externalId", rule: "format", message: "auth.externalId must be 2–1224 characters of letters, digits and +=,.@:/-_." });
    }
    return roleArn !== undefined && externalId !== undefined ? { mode, roleArn, externalId } : undefined;
  }
  const accessKeyId = requireString(input, "accessKeyId", "auth.", errors);
  if (accessKeyId !== undefined && /\s/.test(accessKeyId)) {
    errors.push({ field: "auth.accessKeyId", rule: "format", message: "auth.accessKeyId must not contain whitespace." });
  }
  const secretAccessKey = requireString(input, "secretAccessKey", "auth.", errors);
  return accessKeyId !== undefined && secretAccessKey !== undefined ? { mode, accessKeyId, secretAccessKey } : undefined;
}

/**
 * A copy safe for logs, the journal, the UI and reports (DESIGN "Engine": secrets "never appear in
 * logs, journal, UI or reports"). The secret key is a secret; the ExternalId is redacted too because it
 * is the per-tenant token that isolates customers (seed 000) and nothing downstream needs to read it.
 * The role ARN and access key id stay: they name the identity, which is what a reader debugs with.
 */
export function redactDestination(destination: SqsDestination): SqsDestination {
  const auth: SqsDestination["auth"] =
    destination.auth.mode === "ASSUME_ROLE"
      ? { ...destination.auth, externalId: "***" }
      : { ...destination.auth, secretAccessKey: "***" };
  return { ...destination, auth };
}

function requireString(input: Record<string, unknown>, key: string, prefix: string, errors: FieldError[]): string | undefined {
  const value = input[key];
  const field = prefix + key;
  if (value === undefined) errors.push({ field, rule: "required", message: `${field} is required.` });
  else if (typeof value !== "string") errors.push({ field, rule: "type", message: `${field} must be a string.` });
  else if (value.trim() === "") errors.push({ field, rule: "nonEmpty", message: `${field} must not be empty.` });
  else return value;
  return undefined;
}

function rejectUnknown(input: Record<string, unknown>, allowed: string[], prefix: string, errors: FieldError[]): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) errors.push({ field: prefix + key, rule: "unknown", message: `Unknown field '${prefix + key}'.` });
  }
}

function fail(field: string, rule: string, message: string): DestinationCheck {
  return { ok: false, errors: [{ field, rule, message }] };
}
