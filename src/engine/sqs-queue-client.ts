import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type {
  MessageAttributeValue as SdkAttributeValue,
  SendMessageBatchCommandOutput,
  SendMessageBatchRequestEntry,
  SQSClientConfig,
} from "@aws-sdk/client-sqs";
import type { Clock } from "../clock/index.js";
import { LIMITS, md5OfBody, md5OfMessageAttributes } from "../sqs/index.js";
import type { SqsDestination } from "./destination.js";
import { inProcessRequestHandler, type InProcessSqs } from "./in-process-transport.js";
import { QueueLookupError } from "./queue-client.js";
import type { BatchOutcome, EntryOutcome, QueueClient, QueueInfo, SendEntry } from "./queue-client.js";
import { describeFailure, failureFromError } from "./sdk-failure.js";

/** Static keys or a provider (AssumeRole, cached until near expiry), as SDK v3 accepts them. */
export type SqsCredentials = NonNullable<SQSClientConfig["credentials"]>;

export interface SqsQueueClientOptions {
  credentials: SqsCredentials;
  /**
   * Where requests go. @default the queue URL's origin when its host is not an AWS host (LocalStack,
   * sqsrig, another emulator); for `*.amazonaws.com` the SDK resolves the regional endpoint itself.
   */
  endpoint?: string;
  /** Deadline for one whole request, connect to last byte; then the attempt fails as `timeout`. @default 30000 */
  requestTimeoutMs?: number;
  /** Deadline for the TCP connect alone. @default none (the request deadline still applies) */
  connectionTimeoutMs?: number;
  /** Send to this in-process endpoint instead of over HTTP (the embedded emulator of `sqsrig serve`). */
  inProcess?: InProcessSqs;
  /** The run's clock: an in-process request's deadline runs on it (the emulator keeps the same time). */
  clock?: Clock;
}

/** Sockets per client: enough for many concurrent batches to one queue, bounded so a stall cannot leak. */
const MAX_SOCKETS = 50;

/**
 * The engine's {@link QueueClient} over AWS SDK v3: one `SQSClient` per destination, one
 * SendMessageBatch per call, no SDK retries (the engine owns them, DESIGN "Engine") and no SDK MD5 check
 * (it throws for the whole batch; here each entry gets `md5Ok` instead).
 *
 * @example
 * const client = createSqsQueueClient(destination, { credentials: { accessKeyId, secretAccessKey } });
 * const outcome = await client.sendBatch([{ Id: "0", MessageBody: "{}", MessageAttributes: {} }]);
 */
export function createSqsQueueClient(destination: SqsDestination, options: SqsQueueClientOptions): QueueClient {
  const endpoint = sqsEndpointFor(destination.queueUrl, options.endpoint);
  const requestHandler = options.inProcess ? inProcessRequestHandler(options.inProcess, { requestTimeoutMs: options.requestTimeoutMs ?? 30_000, ...(options.clock ? { clock: options.clock } : {}) }) : {
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Without this, @smithy/node-http-handler only logs a warning when requestTimeout passes.
    throwOnRequestTimeout: true,
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeout: options.connectionTimeoutMs } : {}),
    httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
  };
  const sqs = new SQSClient({
    region: destination.region,
    credentials: options.credentials,
    maxAttempts: 1,
    md5: false,
    requestHandler,
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
  const queueUrl = destination.queueUrl;

  return {
    async sendBatch(entries: SendEntry[]): Promise<BatchOutcome> {
      let output: SendMessageBatchCommandOutput;
      try {
        output = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map(toSdkEntry) }));
      } catch (err) {
        return { kind: "error", failure: failureFromError(err), message: describeFailure(err) };
      }
      return { kind: "response", httpStatus: output.$metadata.httpStatusCode ?? 200, results: entryResults(entries, output) };
    },

    async getQueueInfo(): Promise<QueueInfo> {
      try {
        const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }));
        return queueInfoFrom(Attributes);
      } catch (err) {
        throw new QueueLookupError(describeFailure(err), failureFromError(err));
      }
    },

    close(): void {
      sqs.destroy();
    },
  };
}

/** AWS hosts: the commercial, China and dual-stack partitions' service domains. */
const AWS_HOST = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/i;

/**
 * The endpoint the SQSClient gets: the explicit one, else the queue URL's origin when it points somewhere
 * other than AWS, else none (the SDK resolves the regional AWS endpoint). SDK v3 would also send to a
 * foreign queue URL host by itself (`useQueueUrlAsEndpoint`), but only after logging a console warning
 * on every call; an explicit endpoint avoids that.
 *
 * @example sqsEndpointFor("http://localhost:4566/000000000000/q") // "http://localhost:4566"
 */
export function sqsEndpointFor(queueUrl: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  let url: URL;
  try {
    url = new URL(queueUrl);
  } catch {
    return undefined;
  }
  return AWS_HOST.test(url.hostname) ? undefined : url.origin;
}

/** Our attributes carry binary values as base64 (the JSON wire shape); SDK v3 wants bytes. */
function toSdkEntry(entry: SendEntry): SendMessageBatchRequestEntry {
  const out: SendMessageBatchRequestEntry = { Id: entry.Id, MessageBody: entry.MessageBody };
  const names = Object.keys(entry.MessageAttributes);
  if (names.length > 0) {
    const attributes: Record<string, SdkAttributeValue> = {};
    for (const name of names) {
      const a = entry.MessageAttributes[name]!;
      const value: SdkAttributeValue = { DataType: a.DataType };
      if (a.StringValue !== undefined) value.StringValue = a.StringValue;
      if (a.BinaryValue !== undefined) value.BinaryValue = Buffer.from(a.BinaryValue, "base64");
      if (a.StringListValues !== undefined) value.StringListValues = a.StringListValues;
      if (a.BinaryListValues !== undefined) value.BinaryListValues = a.BinaryListValues.map((b) => Buffer.from(b, "base64"));
      attributes[name] = value;
    }
    out.MessageAttributes = attributes;
  }
  if (entry.MessageGroupId !== undefined) out.MessageGroupId = entry.MessageGroupId;
  if (entry.MessageDeduplicationId !== undefined) out.MessageDeduplicationId = entry.MessageDeduplicationId;
  return out;
}

/**
 * One outcome per entry we sent, keyed by `Id` (SendMessageBatch API reference: Successful[] and Failed[]).
 * An Id in both lists counts as failed, so it is sent again rather than lost; an Id SQS did not mention
 * is `MissingResult`, transient for the same reason. Ids we did not send are ignored.
 */
function entryResults(entries: SendEntry[], output: SendMessageBatchCommandOutput): Map<string, EntryOutcome> {
  const sent = new Map(entries.map((e) => [e.Id, e]));
  const results = new Map<string, EntryOutcome>();
  for (const ok of output.Successful ?? []) {
    const entry = ok.Id === undefined ? undefined : sent.get(ok.Id);
    if (!entry || ok.MessageId === undefined) continue;
    const outcome: EntryOutcome = { ok: true, messageId: ok.MessageId, md5Ok: md5Matches(entry, ok.MD5OfMessageBody, ok.MD5OfMessageAttributes) };
    if (ok.SequenceNumber !== undefined) outcome.sequenceNumber = ok.SequenceNumber;
    results.set(entry.Id, outcome);
  }
  for (const failed of output.Failed ?? []) {
    if (failed.Id === undefined || !sent.has(failed.Id)) continue;
    const failure: Extract<EntryOutcome, { ok: false }> = { ok: false, failure: { kind: "entry" }, message: failed.Message ?? "" };
    if (failed.Code !== undefined) failure.failure.code = failed.Code;
    if (failed.SenderFault !== undefined) failure.failure.senderFault = failed.SenderFault;
    results.set(failed.Id, failure);
  }
  for (const entry of entries) {
    if (!results.has(entry.Id)) {
      results.set(entry.Id, {
        ok: false,
        failure: { kind: "entry", code: "MissingResult" },
        message: "SQS answered HTTP 200 but listed this entry in neither Successful nor Failed.",
      });
    }
  }
  return results;
}

/**
 * The check SDK v3 would make (middleware-sdk-sqs send-message-batch), per entry: the body MD5 always,
 * the attributes MD5 when attributes were sent (SQS omits it otherwise).
 */
function md5Matches(entry: SendEntry, bodyMd5: string | undefined, attributesMd5: string | undefined): boolean {
  if (bodyMd5 !== md5OfBody(entry.MessageBody)) return false;
  const expected = md5OfMessageAttributes(entry.MessageAttributes);
  return expected === undefined || attributesMd5 === expected;
}

/** GetQueueAttributes(All) values are strings; optional attributes appear only when set. */
function queueInfoFrom(attributes: Record<string, string>): QueueInfo {
  const size = Number(attributes.MaximumMessageSize);
  const info: QueueInfo = {
    fifo: attributes.FifoQueue === "true",
    contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
    maximumMessageSize: Number.isInteger(size) && size > 0 ? size : LIMITS.maxMessageSizeDefault,
  };
  if (attributes.DeduplicationScope !== undefined) info.deduplicationScope = attributes.DeduplicationScope;
  if (attributes.KmsMasterKeyId !== undefined && attributes.KmsMasterKeyId !== "") info.kmsMasterKeyId = attributes.KmsMasterKeyId;
  if (attributes.SqsManagedSseEnabled !== undefined) info.sqsManagedSse = attributes.SqsManagedSseEnabled === "true";
  if (attributes.QueueArn !== undefined) info.queueArn = attributes.QueueArn;
  return info;
}
