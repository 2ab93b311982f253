import type { FailureInfo } from "./retry-policy.js";

/**
 * Turns whatever AWS SDK v3 threw into the engine's {@link FailureInfo}, keeping AWS's codes exactly as
 * they came over the wire. What SDK v3 (3.1169, AWS JSON 1.0 with `awsQueryCompatible`) exposes:
 * - `Code` / `Error.Code` / `Type`: the `x-amzn-query-error` header (`AWS.SimpleQueueService.NonExistentQueue;Sender`).
 *   This is the SQS code vocabulary that `Failed[].Code`, boto3's `Error.Code` and move-task
 *   `FailureReason` use, so it is preferred: one spelling per error in the DLQ.
 * - `name`: the modelled exception (`QueueDoesNotExist`), or the header code when `__type` is not in the
 *   model (`AccessDenied`, `InternalError`, `ExpiredToken`), or the `__type` suffix when there is no header
 *   (`ThrottlingException`). Used when there is no header.
 * - `$fault`, `$metadata.httpStatusCode`, `$response`: fault side, status and the raw response. A body
 *   that is not JSON (an HTML 503 from a proxy) arrives as a `SyntaxError` with only `$metadata`/`$response`.
 * - Network failures are Node errors with `code`; `@smithy/node-http-handler` renames ECONNRESET, EPIPE
 *   and ETIMEDOUT errors to `name: "TimeoutError"`, so the Node `code` must be read before the name.
 */
export function failureFromError(err: unknown): FailureInfo {
  const e = asRecord(err);
  const nodeCode = nodeErrorCode(e);
  // A reset is a reset even though the SDK's handler labels it TimeoutError ("socket hang up").
  if (nodeCode === "ECONNRESET" || nodeCode === "EPIPE") return { kind: "reset", code: nodeCode };
  if (e.name === "TimeoutError" || nodeCode === "ETIMEDOUT") return { kind: "timeout", code: "TimeoutError" };
  if (nodeCode !== undefined && SOCKET_CODES.has(nodeCode)) return { kind: "reset", code: nodeCode };
  if (nodeCode === undefined && typeof e.message === "string" && /socket hang up/i.test(e.message)) return { kind: "reset", code: "ECONNRESET" };

  const httpStatus = httpStatusOf(e);
  if (isServiceException(e)) {
    const code = awsCode(e);
    const failure: FailureInfo = { kind: code !== undefined && SERVER_TIMEOUT_CODES.has(code) ? "timeout" : "error" };
    if (code !== undefined) failure.code = code;
    if (httpStatus !== undefined) failure.httpStatus = httpStatus;
    const senderFault = senderFaultOf(e);
    if (senderFault !== undefined) failure.senderFault = senderFault;
    return failure;
  }
  // An answer the SDK could not parse (HTML error page, truncated body): only the status is known.
  if (httpStatus !== undefined) return { kind: "error", httpStatus };
  const name = typeof e.name === "string" && !GENERIC_NAMES.has(e.name) ? e.name : undefined;
  return name !== undefined ? { kind: "error", code: name } : { kind: "error" };
}

/**
 * One line for logs, the journal and the DLQ: AWS's own message text when SQS answered, the Node message
 * for network failures. Never more than the first line (SignatureDoesNotMatch appends the canonical
 * request and string-to-sign), with signing material redacted.
 *
 * @example describeFailure(err) // "The specified queue does not exist. SQS gives this answer when …"
 */
export function describeFailure(err: unknown): string {
  const e = asRecord(err);
  const failure = failureFromError(err);
  const raw = typeof e.message === "string" && e.message.trim() !== "" ? e.message : awsMessage(e);
  let text = raw === undefined ? "" : clean(raw);
  if (failure.kind === "reset" && failure.code !== undefined && !text.includes(failure.code)) {
    text = text === "" ? failure.code : `${failure.code}: ${text}`;
  } else if (!isServiceException(e) && failure.httpStatus !== undefined) {
    const reason = asRecord(e.$response).reason;
    text = `HTTP ${failure.httpStatus}${typeof reason === "string" && reason !== "" ? ` ${reason}` : ""}: the SDK could not read the response (${text})`;
  } else if (text === "") {
    text = [failure.code, failure.httpStatus !== undefined ? `HTTP ${failure.httpStatus}` : undefined].filter(Boolean).join(", ") || String(err);
  }
  // SQS answers QueueDoesNotExist both for a missing queue and for one the caller may not see
  // (DESIGN "Engine": the message must say "or you lack access"); the recorded JSON text does not say so.
  if ((failure.code === "AWS.SimpleQueueService.NonExistentQueue" || failure.code === "QueueDoesNotExist") && !/access/i.test(text)) {
    text += " SQS gives this answer when the queue does not exist or you lack access to it: check the queue URL, region and account.";
  }
  return text;
}

/** Node socket error codes that mean the connection failed or broke (not a timeout). */
const SOCKET_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
]);
/** Server-side timeouts AWS reports as errors (e.g. S3-style `RequestTimeout`, 400). */
const SERVER_TIMEOUT_CODES = new Set(["RequestTimeout", "RequestTimeoutException"]);
/** Names that carry no information about what failed. */
const GENERIC_NAMES = new Set(["Error", "Unknown", "UnknownError"]);

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose {
  return typeof value === "object" && value !== null ? (value as Loose) : {};
}

/** The Node error code, also from an AggregateError (happy-eyeballs connects) or a `cause`. */
function nodeErrorCode(e: Loose): string | undefined {
  if (typeof e.code === "string") return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = asRecord(inner).code;
      if (typeof code === "string") return code;
    }
  }
  const cause = asRecord(e.cause);
  return typeof cause.code === "string" ? cause.code : undefined;
}

/** SDK v3 ServiceExceptions always carry `$fault`; deserialisation failures and Node errors never do. */
function isServiceException(e: Loose): boolean {
  return e.$fault === "client" || e.$fault === "server";
}

function httpStatusOf(e: Loose): number | undefined {
  const status = asRecord(e.$metadata).httpStatusCode ?? asRecord(e.$response).statusCode;
  return typeof status === "number" && status > 0 ? status : undefined;
}

/** The query code from `x-amzn-query-error` when sent, else the exception name. */
function awsCode(e: Loose): string | undefined {
  const candidates = [e.Code, asRecord(e.Error).Code, e.name];
  for (const c of candidates) if (typeof c === "string" && c !== "" && !GENERIC_NAMES.has(c)) return c;
  return undefined;
}

/** `Sender`/`Receiver` from `x-amzn-query-error` is SQS's own SenderFault; `$fault` is the SDK's guess. */
function senderFaultOf(e: Loose): boolean | undefined {
  const type = typeof e.Type === "string" ? e.Type : asRecord(e.Error).Type;
  if (type === "Sender") return true;
  if (type === "Receiver") return false;
  if (e.$fault === "client") return true;
  if (e.$fault === "server") return false;
  return undefined;
}

function awsMessage(e: Loose): string | undefined {
  const m = asRecord(e.Error).Message ?? e.Message;
  return typeof m === "string" ? m : undefined;
}

const MAX_MESSAGE = 500;

function clean(message: string): string {
  const first = message.split(/\r?\n/, 1)[0]!.trim();
  const text = first
    .replace(/^@smithy\/[\w-]+ - (\[(ERROR|WARN)\] )?/, "")
    .replace(/\b(Signature|Credential|X-Amz-Security-Token|X-Amz-Signature|SessionToken|SecretAccessKey)=[^\s,&]+/gi, "$1=***");
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
