import type { Clock, TimerHandle } from "../clock/index.js";

/**
 * The long-polling receivers of one queue. A send, a message coming back from flight or a delay
 * ending wakes them all (they race for what is there). While any wait, one clock timer is kept at the
 * next moment a delay or visibility timeout ends, so a receiver is also woken by time, not only by
 * requests.
 */
export class PollWaiters {
  private readonly waiters = new Set<() => void>();
  private wakeTimer: { handle: TimerHandle; at: number } | undefined;

  constructor(
    private readonly clock: Clock,
    /** The next due time of the queue (Infinity when nothing is pending). */
    private readonly nextDueAt: () => number,
    /** Applies what time has done; it calls `wake` itself when something became visible. */
    private readonly tick: () => void,
  ) {}

  /** Calls `wake` whenever something may have become receivable; returns the unsubscribe function. */
  add(wake: () => void): () => void {
    this.waiters.add(wake);
    this.arm();
    return () => {
      this.waiters.delete(wake);
    };
  }

  wake(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  /** Re-aims the timer after the queue's due times changed. */
  arm(): void {
    if (this.waiters.size === 0) return;
    const next = this.nextDueAt();
    if (next === Infinity) return;
    if (this.wakeTimer && this.wakeTimer.at <= next) return;
    this.wakeTimer?.handle.cancel();
    const handle = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.tick();
      this.arm();
    }, next - this.clock.now());
    this.wakeTimer = { handle, at: next };
  }

  /** Drops the timer and releases every waiter (the queue is going away). */
  close(): void {
    this.wakeTimer?.handle.cancel();
    this.wakeTimer = undefined;
    this.wake();
  }
}
