import { LIMITS, SqsError } from "../sqs/index.js";
import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import type { IdSource } from "./ids.js";
import type { SqsQueue } from "./queue.js";

/**
 * The statuses ListMessageMoveTasks reports (ListMessageMoveTasksResultEntry API reference). A cancel
 * here takes effect at once, so a task is never seen CANCELLING; the value stays for readers of the type.
 */
export type MoveTaskStatus = "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";

interface MoveTask {
  taskId: string;
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxRate?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
  timer?: { cancel(): void };
}

export interface MoveTaskHost {
  readonly clock: Clock;
  readonly journal: Journal;
  /** Where task ids come from (random, or seeded for a reproducible run). */
  readonly ids: IdSource;
  byArn(arn: string): SqsQueue | undefined;
  all(): SqsQueue[];
}

/** FailureReason when a queue of the task disappears (recorded `test_move_task_delete_destination_queue_while_running`). */
const NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";

/** Finished tasks kept per source: ListMessageMoveTasks returns at most the 10 newest (API reference). */
const FINISHED_KEPT = 10;

/** The default pace when the caller sets none; AWS calls it "system optimized". */
const DEFAULT_RATE = LIMITS.moveTaskMaxRate;

/**
 * Message move tasks (StartMessageMoveTask API reference): asynchronous, only from a queue that is some
 * queue's dead-letter queue, one active task per source, at most 500 messages per second, to a named
 * destination or back to each message's original source.
 */
export class MoveTasks {
  private readonly tasks: MoveTask[] = [];

  constructor(private readonly host: MoveTaskHost) {}

  start(sourceArn: string, destinationArn: string | undefined, maxRate: number | undefined): string {
    const source = this.host.byArn(sourceArn);
    if (!source) throw new SqsError("ResourceNotFound", "The resource that you specified for the SourceArn parameter doesn't exist.");
    const isDlq = this.host.all().some((q) => q.redrivePolicy?.deadLetterTargetArn === sourceArn);
    if (!isDlq) throw new SqsError("InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.");
    if (destinationArn !== undefined && !this.host.byArn(destinationArn)) {
      throw new SqsError("ResourceNotFound", "The resource that you specified for the DestinationArn parameter doesn't exist.");
    }
    if (maxRate !== undefined && (maxRate < 1 || maxRate > LIMITS.moveTaskMaxRate)) {
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${maxRate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.`,
      );
    }
    if (this.tasks.some((t) => t.sourceArn === sourceArn && t.status === "RUNNING")) {
      // Recorded `test_start_multiple_move_tasks`: InvalidParameterValue, not UnsupportedOperation.
      throw new SqsError(
        "InvalidParameterValue",
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
      );
    }
    const taskId = this.host.ids.taskId();
    const taskHandle = Buffer.from(JSON.stringify({ taskId, sourceArn }), "utf8").toString("base64");
    const task: MoveTask = {
      taskId,
      taskHandle,
      sourceArn,
      destinationArn,
      maxRate,
      status: "RUNNING",
      moved: 0,
      toMove: source.approximateCounts.visible,
      startedAt: this.host.clock.now(),
    };
    this.tasks.push(task);
    this.host.journal.emit({ type: "moveTask.started", source: source.name, destination: destinationArn, taskHandle });
    this.schedule(task, 0);
    return taskHandle;
  }

  /**
   * CancelMessageMoveTask. The handle is read the way AWS reads it, as base64 JSON naming the task and
   * its source, so each part can be refused on its own (recorded `test_cancel_with_invalid_task_handle`,
   * `test_cancel_with_invalid_source_arn_in_task_handle`, `test_cancel_with_invalid_task_id_in_task_handle`).
   */
  cancel(taskHandle: string): number {
    const parsed = parseTaskHandle(taskHandle);
    if (!parsed) throw new SqsError("InvalidParameterValue", "Value for parameter TaskHandle is invalid.");
    if (!this.host.byArn(parsed.sourceArn)) {
      throw new SqsError("ResourceNotFound", "The resource that you specified for the SourceArn parameter doesn't exist.");
    }
    const task = this.tasks.find((t) => t.taskId === parsed.taskId && t.sourceArn === parsed.sourceArn);
    if (!task) throw new SqsError("ResourceNotFound", "Task does not exist.");
    if (task.status !== "RUNNING") throw new SqsError("UnsupportedOperation", "Only active tasks can be cancelled.");
    task.timer?.cancel();
    this.finish(task, "CANCELLED");
    return task.moved;
  }

  list(sourceArn: string, maxResults: number): Record<string, unknown>[] {
    if (!this.host.byArn(sourceArn)) {
      throw new SqsError("ResourceNotFound", "The resource that you specified for the SourceArn parameter doesn't exist.");
    }
    return this.tasks
      .filter((t) => t.sourceArn === sourceArn)
      .slice(-maxResults)
      .reverse()
      .map((t) => ({
        ...(t.status === "RUNNING" ? { TaskHandle: t.taskHandle } : {}),
        Status: t.status,
        SourceArn: t.sourceArn,
        ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
        ...(t.maxRate !== undefined ? { MaxNumberOfMessagesPerSecond: t.maxRate } : {}),
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
        StartedTimestamp: t.startedAt,
      }));
  }

  /** Stops every task (the emulator is closing). */
  close(): void {
    for (const task of this.tasks) task.timer?.cancel();
  }

  private schedule(task: MoveTask, delayMs: number): void {
    task.timer = this.host.clock.setTimeout(() => this.step(task), delayMs);
  }

  /** Moves one second's worth of messages, then waits a second. */
  private step(task: MoveTask): void {
    if (task.status !== "RUNNING") return;
    const source = this.host.byArn(task.sourceArn);
    if (!source) return this.finish(task, "FAILED", NON_EXISTENT_QUEUE);
    const batch = source.visibleMessages(task.maxRate ?? DEFAULT_RATE);
    for (const msg of batch) {
      const targetArn = task.destinationArn ?? msg.deadLetterSourceArn;
      const target = targetArn ? this.host.byArn(targetArn) : undefined;
      if (!target) return this.finish(task, "FAILED", NON_EXISTENT_QUEUE);
      if (!source.holdsVisible(msg)) continue;
      // A message whose way back leads into the queue it is in stays where it is.
      let newMessageId = msg.id;
      if (target !== source) {
        // "All redriven messages are considered new messages and are assigned a new messageID and
        // enqueueTime" (SQS Developer Guide, "Configuring a dead-letter queue redrive").
        // Copied before it is taken: a crash in between must duplicate the message, never lose it.
        newMessageId = target.store({ ...msg, id: this.host.ids.messageId() }, { delaySeconds: 0, receiveCount: 0, receiveSeq: msg.receiveSeq }).id;
        source.takeForMove(msg);
      }
      task.moved++;
      this.host.journal.emit({
        type: "message.moved",
        source: source.name,
        destination: target.name,
        messageId: msg.id,
        newMessageId,
        taskHandle: task.taskHandle,
      });
    }
    if (task.moved >= task.toMove || source.approximateCounts.visible === 0) return this.finish(task, "COMPLETED");
    this.schedule(task, 1000);
  }

  private finish(task: MoveTask, status: MoveTaskStatus, reason?: string): void {
    task.status = status;
    task.failureReason = reason;
    this.forgetOldTasks(task.sourceArn);
    const source = this.host.byArn(task.sourceArn);
    this.host.journal.emit({
      type: "moveTask.finished",
      source: source?.name ?? task.sourceArn,
      taskHandle: task.taskHandle,
      status,
      moved: task.moved,
    });
  }

  /** Keeps only the newest finished tasks of a source: older ones can no longer be listed. */
  private forgetOldTasks(sourceArn: string): void {
    let finished = 0;
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const t = this.tasks[i]!;
      if (t.sourceArn !== sourceArn || t.status === "RUNNING") continue;
      if (++finished > FINISHED_KEPT) this.tasks.splice(i, 1);
    }
  }
}

/** A TaskHandle is base64 of `{"taskId": <uuid>, "sourceArn": <arn>}` (validated `test_basic_move_task_workflow`). */
function parseTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(handle)) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(handle, "base64").toString("utf8"));
    if (!json || typeof json !== "object") return undefined;
    const { taskId, sourceArn } = json as Record<string, unknown>;
    if (typeof taskId !== "string" || typeof sourceArn !== "string") return undefined;
    return { taskId, sourceArn };
  } catch {
    return undefined;
  }
}
