import { LIMITS, SqsError, isValidQueueName } from "../../sqs/index.js";
import type { Clock } from "../../clock/index.js";
import type { Journal } from "../../journal/index.js";
import type { RequestContext } from "../context.js";
import type { SqsQueue } from "../queue.js";
import { KNOWN_ATTRIBUTES, applySseRules, defaultAttributes, normaliseAttributes, parseRedriveAllowPolicy } from "../queue-attributes.js";
import { optionalInt, optionalString, optionalStringList, optionalStringMap, requireString, type Input } from "./params.js";

/**
 * Attributes an empty value removes rather than sets: the queue then reports them no more (validated
 * `test_set_empty_queue_policy`, `test_set_empty_redrive_policy`; recorded-errors F1).
 */
const EMPTY_VALUE_DELETES = new Set(["RedrivePolicy", "RedriveAllowPolicy", "Policy"]);

/** The registry of queues, as the management actions see it. */
export interface QueueRegistry {
  readonly clock: Clock;
  readonly journal: Journal;
  readonly region: string;
  readonly accountId: string;
  get(name: string): SqsQueue | undefined;
  all(): SqsQueue[];
  byArn(arn: string): SqsQueue | undefined;
  create(name: string, attributes: Record<string, string>, tags: Record<string, string>, ctx: RequestContext): SqsQueue;
  remove(queue: SqsQueue): void;
  deletedRecently(name: string): boolean;
  urlOf(queue: SqsQueue, ctx: RequestContext): string;
}

/**
 * CreateQueue. Creating an existing queue with the same attributes returns it; with different ones,
 * QueueNameExists (CreateQueue API reference). A FIFO queue needs both the `.fifo` suffix and
 * FifoQueue=true.
 */
export function createQueue(registry: QueueRegistry, input: Input, ctx: RequestContext): Input {
  const name = requireString(input, "QueueName");
  const requested = optionalStringMap(input, "Attributes") ?? {};
  const tags = optionalStringMap(input, "tags") ?? optionalStringMap(input, "Tags") ?? {};
  const fifo = requested.FifoQueue?.toLowerCase() === "true";
  if (name.endsWith(".fifo") !== fifo || !isValidQueueName(name, fifo)) {
    if (name.endsWith(".fifo") && !fifo && isValidQueueName(name, true)) {
      throw new SqsError(
        "InvalidParameterValue",
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
      );
    }
    throw new SqsError(
      "InvalidParameterValue",
      fifo
        ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
        : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
  const attributes = applySseRules(normaliseAttributes(requested, fifo, true));
  if (fifo) attributes.FifoQueue = "true";
  else delete attributes.FifoQueue;
  if (fifo) checkThroughputLimit({ DeduplicationScope: "queue", ...attributes });
  checkRedrive(registry, attributes, fifo, name);
  const existing = registry.get(name);
  if (existing) {
    for (const [key, value] of Object.entries(attributes)) {
      if (existing.attributes[key] !== value) {
        throw new SqsError(
          "QueueNameExists",
          `A queue already exists with the same name and a different value for attribute ${key}`,
        );
      }
    }
    return { QueueUrl: registry.urlOf(existing, ctx) };
  }
  if (registry.deletedRecently(name)) {
    throw new SqsError(
      "QueueDeletedRecently",
      "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    );
  }
  const full = { ...defaultAttributes(fifo), ...attributes };
  for (const key of EMPTY_VALUE_DELETES) if (full[key] === "") delete full[key];
  const queue = registry.create(name, full, tags, ctx);
  return { QueueUrl: registry.urlOf(queue, ctx) };
}

/**
 * "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup"
 * (CreateQueue and SetQueueAttributes API reference, FifoThroughputLimit).
 */
function checkThroughputLimit(attributes: Record<string, string>): void {
  if (attributes.FifoThroughputLimit === "perMessageGroupId" && attributes.DeduplicationScope !== "messageGroup") {
    throw new SqsError(
      "InvalidAttributeValue",
      "Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is only valid when DeduplicationScope is messageGroup.",
    );
  }
}

/** The dead-letter target must exist, be of the same type, and allow this source. */
function checkRedrive(registry: QueueRegistry, attributes: Record<string, string>, fifo: boolean, sourceName: string): void {
  const raw = attributes.RedrivePolicy;
  if (!raw) return;
  const policy = JSON.parse(raw) as { deadLetterTargetArn: string };
  const dlq = registry.byArn(policy.deadLetterTargetArn);
  if (!dlq) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${raw} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    );
  }
  if (dlq.fifo !== fifo) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${raw} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`,
    );
  }
  const allow = dlq.attributes.RedriveAllowPolicy ? parseRedriveAllowPolicy(dlq.attributes.RedriveAllowPolicy) : undefined;
  const sourceArn = `arn:aws:sqs:${registry.region}:${registry.accountId}:${sourceName}`;
  if (
    allow &&
    (allow.redrivePermission === "denyAll" ||
      (allow.redrivePermission === "byQueue" && !allow.sourceQueueArns?.includes(sourceArn)))
  ) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${raw} for parameter RedrivePolicy is invalid. Reason: Queue ${dlq.arn} does not allow ${sourceArn} to use it as a dead-letter queue.`,
    );
  }
}

export function deleteQueue(registry: QueueRegistry, queue: SqsQueue): Input {
  registry.remove(queue);
  return {};
}

export function getQueueUrl(registry: QueueRegistry, input: Input, ctx: RequestContext): Input {
  const name = requireString(input, "QueueName");
  const owner = optionalString(input, "QueueOwnerAWSAccountId");
  const queue = registry.get(name);
  if (!queue || (owner !== undefined && owner !== registry.accountId)) throw new SqsError("QueueDoesNotExist");
  return { QueueUrl: registry.urlOf(queue, ctx) };
}

/** ListQueues: prefix filter, up to 1,000 URLs, or pages of MaxResults with a NextToken. */
export function listQueues(registry: QueueRegistry, input: Input, ctx: RequestContext): Input {
  const prefix = optionalString(input, "QueueNamePrefix") ?? "";
  const maxResults = pageSize(input);
  const names = registry.all().map((q) => q.name).filter((n) => n.startsWith(prefix)).sort();
  return page(names, input, maxResults, (n) => registry.urlOf(registry.get(n)!, ctx), "QueueUrls");
}

/** MaxResults of ListQueues and ListDeadLetterSourceQueues: 1 to 1,000 (API reference, both actions). */
function pageSize(input: Input): number | undefined {
  const maxResults = optionalInt(input, "MaxResults");
  if (maxResults !== undefined && (maxResults < 1 || maxResults > LIMITS.maxListQueues)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
    );
  }
  return maxResults;
}

/** Pagination shared by ListQueues and ListDeadLetterSourceQueues: the token is the last name seen. */
export function page(
  names: string[],
  input: Input,
  maxResults: number | undefined,
  toUrl: (name: string) => string,
  key: string,
): Input {
  const token = optionalString(input, "NextToken");
  let start = 0;
  if (token) {
    const after = Buffer.from(token, "base64").toString("utf8");
    start = names.findIndex((n) => n > after);
    if (start < 0) start = names.length;
  }
  const limit = maxResults ?? LIMITS.maxListQueues;
  const slice = names.slice(start, start + limit);
  const out: Input = {};
  if (slice.length > 0) out[key] = slice.map(toUrl);
  if (maxResults !== undefined && start + limit < names.length) {
    out.NextToken = Buffer.from(slice[slice.length - 1]!, "utf8").toString("base64");
  }
  return out;
}

export function getQueueAttributes(queue: SqsQueue, input: Input): Input {
  const names = optionalStringList(input, "AttributeNames") ?? [];
  for (const name of names) {
    if (!KNOWN_ATTRIBUTES.has(name)) throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
  }
  const all = names.includes("All");
  const view = attributeView(queue);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(view)) if (all || names.includes(key)) out[key] = value;
  return Object.keys(out).length > 0 ? { Attributes: out } : {};
}

/** Every attribute a queue reports, the Approximate counts taken now. */
export function attributeView(queue: SqsQueue): Record<string, string> {
  const counts = queue.approximateCounts;
  const view: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
  };
  for (const [key, value] of Object.entries(queue.attributes)) if (value !== "") view[key] = value;
  // The reuse period belongs to a KMS key and is not reported without one (notes F1, SSE switching).
  if (!view.KmsMasterKeyId) delete view.KmsDataKeyReusePeriodSeconds;
  return view;
}

export function setQueueAttributes(registry: QueueRegistry, queue: SqsQueue, input: Input): Input {
  const requested = optionalStringMap(input, "Attributes");
  if (!requested) throw new SqsError("MissingParameter", "The request must contain the parameter Attributes.");
  const normalised = applySseRules(normaliseAttributes(requested, queue.fifo, false));
  checkThroughputLimit({ ...queue.attributes, ...normalised });
  checkRedrive(registry, normalised, queue.fifo, queue.name);
  for (const [key, value] of Object.entries(normalised)) {
    if (value === "" && EMPTY_VALUE_DELETES.has(key)) delete queue.attributes[key];
    else queue.attributes[key] = value;
  }
  queue.lastModifiedAt = registry.clock.now();
  registry.journal.emit({ type: "queue.attributesChanged", queue: queue.name, attributes: normalised });
  queue.notify();
  return {};
}

/** PurgeQueue: at most once per 60 seconds per queue (PurgeQueue API reference). */
export function purgeQueue(registry: QueueRegistry, queue: SqsQueue): Input {
  const now = registry.clock.now();
  if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < LIMITS.purgeIntervalMs) {
    throw new SqsError(
      "PurgeQueueInProgress",
      `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
    );
  }
  const messages = queue.purge();
  registry.journal.emit({ type: "queue.purged", queue: queue.name, messages });
  return {};
}

export function listDeadLetterSourceQueues(registry: QueueRegistry, queue: SqsQueue, input: Input, ctx: RequestContext): Input {
  const maxResults = pageSize(input);
  const names = registry
    .all()
    .filter((q) => q.redrivePolicy?.deadLetterTargetArn === queue.arn)
    .map((q) => q.name)
    .sort();
  const out = page(names, input, maxResults, (n) => registry.urlOf(registry.get(n)!, ctx), "queueUrls");
  return { queueUrls: [], ...out };
}

export function tagQueue(queue: SqsQueue, input: Input): Input {
  const tags = optionalStringMap(input, "Tags");
  if (!tags || Object.keys(tags).length === 0) throw new SqsError("MissingParameter", "The request must contain the parameter Tags.");
  const merged = { ...queue.tags, ...tags };
  if (Object.keys(merged).length > LIMITS.maxTagsPerQueue) {
    throw new SqsError("InvalidParameterValue", `Too many tags added for queue ${queue.name}.`);
  }
  queue.tags = merged;
  return {};
}

export function untagQueue(queue: SqsQueue, input: Input): Input {
  const keys = optionalStringList(input, "TagKeys");
  if (!keys || keys.length === 0) throw new SqsError("MissingParameter", "The request must contain the parameter TagKeys.");
  for (const key of keys) delete queue.tags[key];
  return {};
}

export function listQueueTags(queue: SqsQueue): Input {
  return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
}
