import { SQS_ERROR_TEXTS, SqsError } from "../sqs/index.js";

/** Per-queue quotas an embedder may change: tests lower them, AWS raises them on request. */
export interface QueueLimits {
  /** In-flight messages a standard queue allows. @default 120000 (LIMITS.maxInflightStandard) */
  maxInflightStandard: number;
  /** In-flight messages a FIFO queue allows. @default 120000 (LIMITS.maxInflightFifo) */
  maxInflightFifo: number;
}

/**
 * One queue's in-flight quota. A receive never takes more than it allows: a FIFO queue at its quota
 * returns fewer messages or none, without an error (SQS developer guide, "Amazon SQS FIFO queue
 * quotas"); a standard queue refuses a short poll with OverLimit.
 */
export class InflightQuota {
  constructor(
    private readonly fifo: boolean,
    private readonly limits: QueueLimits,
    /** How many messages of the queue are in flight now. */
    private readonly inflight: () => number,
  ) {}

  get max(): number {
    return this.fifo ? this.limits.maxInflightFifo : this.limits.maxInflightStandard;
  }

  /** How many more messages may go in flight before the quota is reached. */
  get room(): number {
    return this.max - this.inflight();
  }

  /**
   * A short poll of a standard queue with its in-flight quota reached is refused with OverLimit; a long
   * poll gets no error, and a FIFO queue never errs (SQS developer guide, "Amazon SQS standard queue
   * quotas", Messages per queue (in flight): "If you reach this quota while using short polling, Amazon
   * SQS returns the OverLimit error message. If you use long polling, Amazon SQS returns no error").
   */
  refuseShortPollIfFull(): void {
    if (!this.fifo && this.room <= 0) throw new SqsError("OverLimit", SQS_ERROR_TEXTS.inflightOverLimit);
  }

  /** Whether one in-flight message leaving just made room in a queue that was at its quota. */
  get justFreed(): boolean {
    return this.room === 1;
  }
}
