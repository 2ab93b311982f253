import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { LIMITS, SqsError, queueArn, queueNameFromUrl, queueUrl } from "../sqs/index.js";
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from "./actions/acknowledge.js";
import { optionalInt, optionalString, requireString, type Input } from "./actions/params.js";
import { addPermission, authorize, removePermission } from "./actions/permissions.js";
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listDeadLetterSourceQueues,
  listQueues,
  listQueueTags,
  purgeQueue,
  setQueueAttributes,
  tagQueue,
  untagQueue,
  type QueueRegistry,
} from "./actions/queues.js";
import { receiveMessage } from "./actions/receive.js";
import { sendMessage, sendMessageBatch } from "./actions/send.js";
import type { RequestContext } from "./context.js";
import { createSeededIds, RANDOM_IDS, type IdSource } from "./ids.js";
import { MoveTasks } from "./move-tasks.js";
import { NULL_STATE_LOG, type StateLog } from "./persistence.js";
import { SqsQueue, type QueueHost, type QueueLimits } from "./queue.js";

export interface EmulatorOptions {
  clock: Clock;
  journal: Journal;
  /** @default "us-east-1" */
  region?: string;
  /** @default "000000000000" */
  accountId?: string;
  /** Persistence hooks (`--data DIR`, see persistence-store.ts). @default no persistence */
  stateLog?: StateLog;
  /**
   * Quotas to use instead of AWS's, e.g. a small in-flight limit so a test can reach it.
   * @default AWS's quotas (src/sqs/limits.ts)
   */
  limits?: Partial<QueueLimits>;
  /**
   * Seed of MessageIds and move-task ids (still v4 UUIDs), so a run with a seed journals the same ids
   * every time. Receipt handles stay random. Meant for fresh runs: a seeded emulator restored from a data
   * directory starts the same id sequence again, which can repeat the id of a message it restored.
   * @default random ids
   */
  seed?: number;
}

/**
 * Actions that change a queue's attributes (Policy included) or tags. Those changes happen in
 * actions/queues.ts and actions/permissions.ts; the log records the queue's settings after each one.
 */
const SETTINGS_ACTIONS = new Set(["SetQueueAttributes", "TagQueue", "UntagQueue", "AddPermission", "RemovePermission"]);

/** The 23 actions of the SQS API (botocore sqs service-2.json). */
export const SQS_ACTIONS = [
  "AddPermission",
  "CancelMessageMoveTask",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
  "CreateQueue",
  "DeleteMessage",
  "DeleteMessageBatch",
  "DeleteQueue",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListMessageMoveTasks",
  "ListQueueTags",
  "ListQueues",
  "PurgeQueue",
  "ReceiveMessage",
  "RemovePermission",
  "SendMessage",
  "SendMessageBatch",
  "SetQueueAttributes",
  "StartMessageMoveTask",
  "TagQueue",
  "UntagQueue",
] as const;

export type SqsAction = (typeof SQS_ACTIONS)[number];

const ACTION_SET = new Set<string>(SQS_ACTIONS);

export function isSqsAction(action: string): action is SqsAction {
  return ACTION_SET.has(action);
}

/**
 * The embedded SQS: every queue and the one entry point `handle(action, input, ctx)`. Protocol codecs
 * and HTTP servers wrap it; tests may call it directly.
 */
export class Emulator implements QueueRegistry, QueueHost {
  readonly clock: Clock;
  readonly journal: Journal;
  readonly region: string;
  readonly accountId: string;
  private readonly queues = new Map<string, SqsQueue>();
  /** When each recently deleted name was deleted, oldest first (for QueueDeletedRecently). */
  private readonly deletedAt = new Map<string, number>();
  /** Set by `close()`: waiting receives end instead of waiting again. */
  private closed = false;
  readonly moveTasks: MoveTasks;
  readonly stateLog: StateLog;
  readonly limits: QueueLimits;
  readonly ids: IdSource;

  constructor(options: EmulatorOptions) {
    this.clock = options.clock;
    this.journal = options.journal;
    this.ids = options.seed === undefined ? RANDOM_IDS : createSeededIds(options.seed);
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "000000000000";
    this.moveTasks = new MoveTasks(this);
    this.stateLog = options.stateLog ?? NULL_STATE_LOG;
    this.limits = {
      maxInflightStandard: positiveLimit(options.limits?.maxInflightStandard, LIMITS.maxInflightStandard, "maxInflightStandard"),
      maxInflightFifo: positiveLimit(options.limits?.maxInflightFifo, LIMITS.maxInflightFifo, "maxInflightFifo"),
    };
  }

  /**
   * Runs one SQS action. Throws `SqsError` for anything SQS would refuse. With persistence, the answer
   * waits until the action's changes are written, so a crash after a 200 loses nothing.
   */
  async handle(action: string, input: Input, ctx: RequestContext): Promise<Input> {
    if (!this.stateLog.enabled) return this.dispatch(action, input, ctx);
    try {
      const output = await this.dispatch(action, input, ctx);
      if (SETTINGS_ACTIONS.has(action)) this.stateLog.queueChanged(this.queueFromUrl(input.QueueUrl));
      return output;
    } finally {
      await this.stateLog.commit();
    }
  }

  private async dispatch(action: string, input: Input, ctx: RequestContext): Promise<Input> {
    if (!isSqsAction(action)) throw new SqsError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
    switch (action) {
      case "CreateQueue":
        return createQueue(this, input, ctx);
      case "GetQueueUrl":
        return getQueueUrl(this, input, ctx);
      case "ListQueues":
        return listQueues(this, input, ctx);
      case "StartMessageMoveTask":
        return { TaskHandle: this.moveTasks.start(requireString(input, "SourceArn"), optionalString(input, "DestinationArn"), optionalInt(input, "MaxNumberOfMessagesPerSecond")) };
      case "CancelMessageMoveTask":
        return { ApproximateNumberOfMessagesMoved: this.moveTasks.cancel(requireString(input, "TaskHandle")) };
      case "ListMessageMoveTasks": {
        const max = optionalInt(input, "MaxResults") ?? 1;
        if (max < 1 || max > 10) {
          throw new SqsError("InvalidParameterValue", `Value ${max} for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.`);
        }
        return { Results: this.moveTasks.list(requireString(input, "SourceArn"), max) };
      }
    }
    const queue = this.queueFromUrl(input.QueueUrl);
    authorize(queue, action, ctx.principal, this.accountId);
    switch (action) {
      case "SendMessage":
        return sendMessage(queue, input, ctx);
      case "SendMessageBatch":
        return { ...sendMessageBatch(queue, input, ctx) };
      case "ReceiveMessage":
        return receiveMessage(queue, input, ctx, { clock: this.clock, journal: this.journal, isLive: (q) => !this.closed && this.queues.get(q.name) === q });
      case "DeleteMessage":
        return deleteMessage(queue, input);
      case "DeleteMessageBatch":
        return { ...deleteMessageBatch(queue, input) };
      case "ChangeMessageVisibility":
        return changeMessageVisibility(queue, input);
      case "ChangeMessageVisibilityBatch":
        return { ...changeMessageVisibilityBatch(queue, input) };
      case "DeleteQueue":
        return deleteQueue(this, queue);
      case "GetQueueAttributes":
        return getQueueAttributes(queue, input);
      case "SetQueueAttributes":
        return setQueueAttributes(this, queue, input);
      case "PurgeQueue":
        return purgeQueue(this, queue);
      case "ListDeadLetterSourceQueues":
        return listDeadLetterSourceQueues(this, queue, input, ctx);
      case "TagQueue":
        return tagQueue(queue, input);
      case "UntagQueue":
        return untagQueue(queue, input);
      case "ListQueueTags":
        return listQueueTags(queue);
      case "AddPermission":
        return addPermission(queue, input);
      case "RemovePermission":
        return removePermission(queue, input);
    }
  }

  /** The queue a QueueUrl names, whatever host the client used to reach us. */
  queueFromUrl(url: unknown): SqsQueue {
    if (url === undefined || url === null || url === "") {
      throw new SqsError("MissingParameter", "The request must contain the parameter QueueUrl.");
    }
    if (typeof url !== "string") throw new SqsError("InvalidParameterValue", "Value for parameter QueueUrl is invalid.");
    // A bare queue name is accepted too (recorded: SendMessage with QueueUrl=<name> answers 200, F11).
    const bareName = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(url) ? url : undefined;
    let parsed: ReturnType<typeof queueNameFromUrl>;
    try {
      parsed = bareName ? { accountId: this.accountId, name: bareName } : queueNameFromUrl(url);
    } catch {
      parsed = undefined; // a malformed %-escape names no queue
    }
    const queue = parsed && parsed.accountId === this.accountId ? this.queues.get(parsed.name) : undefined;
    if (!queue) throw new SqsError("QueueDoesNotExist");
    return queue;
  }

  // --- QueueRegistry / QueueHost ------------------------------------------------------------------

  get(name: string): SqsQueue | undefined {
    return this.queues.get(name);
  }

  all(): SqsQueue[] {
    return [...this.queues.values()];
  }

  byArn(arn: string): SqsQueue | undefined {
    const prefix = `arn:aws:sqs:${this.region}:${this.accountId}:`;
    return arn.startsWith(prefix) ? this.queues.get(arn.slice(prefix.length)) : undefined;
  }

  queueByArn(arn: string): SqsQueue | undefined {
    return this.byArn(arn);
  }

  create(name: string, attributes: Record<string, string>, tags: Record<string, string>, ctx: RequestContext): SqsQueue {
    const queue = new SqsQueue(name, this.urlOf({ name } as SqsQueue, ctx), queueArn(this.region, this.accountId, name), attributes, this);
    queue.tags = { ...tags };
    this.queues.set(name, queue);
    this.deletedAt.delete(name);
    this.stateLog.queueCreated(queue);
    this.journal.emit({ type: "queue.created", queue: name, fifo: queue.fifo, attributes: { ...attributes } });
    return queue;
  }

  remove(queue: SqsQueue): void {
    const now = this.clock.now();
    this.queues.delete(queue.name);
    this.pruneDeleted(now);
    // Deleted and set again, so the map stays in deletion order and pruning can stop at the first young entry.
    this.deletedAt.delete(queue.name);
    this.deletedAt.set(queue.name, now);
    this.stateLog.queueDeleted(queue.name, now);
    queue.close();
    this.journal.emit({ type: "queue.deleted", queue: queue.name });
  }

  deletedRecently(name: string): boolean {
    const now = this.clock.now();
    this.pruneDeleted(now);
    const at = this.deletedAt.get(name);
    return at !== undefined && now - at < LIMITS.recreateAfterDeleteMs;
  }

  /** Forgets names deleted more than 60 s ago, so a long run that churns queues does not grow. */
  private pruneDeleted(now: number): void {
    for (const [name, at] of this.deletedAt) {
      if (now - at < LIMITS.recreateAfterDeleteMs) break;
      this.deletedAt.delete(name);
    }
  }

  urlOf(queue: Pick<SqsQueue, "name">, ctx: RequestContext): string {
    return queueUrl(ctx.baseUrl, this.accountId, queue.name);
  }

  /** Persistence: adopts the queues and recently deleted names saved before a restart. */
  restore(queues: readonly SqsQueue[], deletedAt: ReadonlyMap<string, number>): void {
    for (const queue of queues) this.queues.set(queue.name, queue);
    for (const [name, at] of [...deletedAt].sort((a, b) => a[1] - b[1])) this.deletedAt.set(name, at);
  }

  /**
   * Stops timers (move tasks, long-poll wake-ups) so the process can exit. Receives still waiting end
   * at once with no messages.
   */
  close(): void {
    this.closed = true;
    this.moveTasks.close();
    for (const queue of this.queues.values()) queue.close();
  }
}

function positiveLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`limits.${name} must be a positive integer, got ${value}`);
  return value;
}
