import type { Clock, TimerHandle } from "./clock.js";
import { TimerHeap, type HeapTimer } from "./timer-heap.js";

/**
 * How fast virtual time runs: `n` virtual seconds per real second, `"max"` to jump to the next timer
 * whenever the process is idle, or `"manual"` to move only when {@link VirtualClock.advance} is called
 * (what deterministic tests use).
 */
export type TimeScale = number | "max" | "manual";

export interface VirtualClockOptions {
  /** Virtual epoch milliseconds at creation. @default Date.UTC(2026, 0, 1) */
  start?: number;
  /** @default "manual" */
  timeScale?: TimeScale;
  /**
   * Called when a timer function throws while the clock runs by itself (`number` or `max` scale); the
   * clock keeps running. In `advance` the first such error is thrown once every due timer has fired.
   * @default prints the error to stderr
   */
  onTimerError?: (err: unknown) => void;
  /**
   * In `max` mode, whether real work is still under way that the next jump must wait for. Jumping while
   * an outbox write is on disk would let a 20 s long poll or a visibility timeout expire "during" a
   * write that takes a millisecond, and make a seeded run's journal depend on the disk.
   * @default pending file-system requests or `setImmediate` callbacks ({@link realWorkPending})
   */
  realWorkPending?: () => boolean;
  /**
   * Called when `max` stops waiting for real work that is still under way and jumps anyway (after about
   * a second of it): from then on the run's order may depend on real timing, and a journal should say so.
   */
  onForcedJump?: (info: { from: number; to: number }) => void;
}

/** Deferrals of one jump before `max` gives up waiting for real work (about a second of retries). */
const MAX_DEFERRALS = 1_000;

/**
 * True while the process has file-system requests or `setImmediate` callbacks outstanding: the work a
 * timer started at this virtual instant that has not finished yet. Sockets are not counted (an idle
 * keep-alive connection looks the same as a busy one), so HTTP clients of a `max` clock race it.
 */
export function realWorkPending(): boolean {
  for (const name of process.getActiveResourcesInfo()) {
    // FileHandle.close() shows as CloseReq, not FSReq (an engine restart closes its outbox that way).
    if (name.startsWith("FSReq") || name === "CloseReq" || name === "Immediate") return true;
  }
  return false;
}

/**
 * A clock whose time the harness controls. In `manual` mode nothing moves until a test calls
 * `advance`; timers then fire in due order, each seeing `now()` equal to its due time.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private readonly timers = new TimerHeap();
  private seq = 0;
  private readonly onTimerError: (err: unknown) => void;
  private scale: TimeScale;
  private realAnchor = 0;
  private virtualAnchor = 0;
  private realTimer: { cancel(): void } | undefined;
  /** The last `max` jump was put off for real work: wait a real moment instead of spinning. */
  private deferred = false;
  /** The virtual due time the armed real timer was set for. */
  private armedAt = Infinity;
  private readonly realWork: () => boolean;
  private deferrals = 0;

  constructor(private readonly options: VirtualClockOptions = {}) {
    this.current = options.start ?? Date.UTC(2026, 0, 1);
    this.scale = options.timeScale ?? "manual";
    this.onTimerError = options.onTimerError ?? ((err) => console.error("sqsrig: a virtual clock timer threw:", err));
    this.realWork = options.realWorkPending ?? realWorkPending;
    this.reanchor();
  }

  get timeScale(): TimeScale {
    return this.scale;
  }

  /** Changes how time runs; `"manual"` also stops the clock's real timers (a finished run). */
  setTimeScale(scale: TimeScale): void {
    this.current = this.now();
    this.scale = scale;
    this.reanchor();
    this.schedule(true);
  }

  now(): number {
    if (typeof this.scale === "number") {
      const elapsed = (performance.now() - this.realAnchor) * this.scale;
      return Math.max(this.current, Math.floor(this.virtualAnchor + elapsed));
    }
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: HeapTimer = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn, index: -1 };
    this.timers.push(timer);
    this.schedule();
    return {
      cancel: () => {
        // Out of the heap at once: a cancelled timer costs nothing later and is not counted as pending.
        this.timers.remove(timer);
      },
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order. A timer that
   * throws does not stop the others or leave time behind: the first error is thrown after the advance.
   */
  async advance(ms: number): Promise<void> {
    const target = this.now() + ms;
    let firstError: { err: unknown } | undefined;
    try {
      for (;;) {
        const next = this.timers.peek();
        if (!next || next.at > target) break;
        this.timers.pop();
        this.current = Math.max(this.current, next.at);
        try {
          next.fn();
        } catch (err) {
          if (firstError) this.onTimerError(err);
          else firstError = { err };
        }
        // Let promise chains started by the timer settle before the next one fires.
        await flushMicrotasks();
      }
    } finally {
      this.current = Math.max(this.current, target);
      this.reanchor();
    }
    if (firstError) throw firstError.err;
  }

  /** Number of timers still waiting to fire (cancelled ones are gone). */
  pendingTimers(): number {
    return this.timers.size;
  }

  private reanchor(): void {
    this.realAnchor = performance.now();
    this.virtualAnchor = this.current;
  }

  /**
   * Arms one real timer for the earliest virtual timer, for the `number` and `max` scales. A real timer
   * already armed for that moment or earlier is kept, so scheduling many timers does not churn them.
   */
  private schedule(force = false): void {
    const next = this.timers.peek();
    if (this.realTimer && !force && this.scale !== "manual" && next && this.armedAt <= next.at) return;
    this.realTimer?.cancel();
    this.realTimer = undefined;
    this.armedAt = Infinity;
    if (this.scale === "manual" || !next) return;
    this.armedAt = next.at;
    if (this.scale === "max" && !this.deferred) {
      // Right after this turn's I/O callbacks: a timer per jump (at least 1 ms each) would make a
      // scenario's thousands of jumps cost seconds. Not unref'd: an unref'd immediate lets the event
      // loop block in its I/O poll, and the run stalls until some unrelated event wakes it.
      const immediate = setImmediate(() => this.fireDue());
      this.realTimer = { cancel: () => clearImmediate(immediate) };
      return;
    }
    const delayReal = this.scale === "max" ? 1 : Math.max(0, (next.at - this.now()) / this.scale);
    const timer = setTimeout(() => this.fireDue(), delayReal);
    // A real-time-like clock must not keep a process alive for a far-off SQS timer; a `max` clock is
    // driving a run that someone awaits, and stops with setTimeScale("manual").
    if (this.scale !== "max") timer.unref?.();
    this.realTimer = { cancel: () => clearTimeout(timer) };
  }

  private fireDue(): void {
    this.realTimer = undefined;
    this.armedAt = Infinity;
    try {
      const next = this.timers.peek();
      if (!next) return;
      if (this.scale === "max") {
        if (next.at > this.current && this.deferrals < MAX_DEFERRALS && this.realWork()) {
          // Time stands still until what this instant started is done; then it jumps.
          this.deferrals++;
          this.deferred = true;
          return;
        }
        if (this.deferrals >= MAX_DEFERRALS && next.at > this.current) this.options.onForcedJump?.({ from: this.current, to: next.at });
        this.deferrals = 0;
        this.deferred = false;
        this.current = Math.max(this.current, next.at);
        this.reanchor();
      }
      const now = this.now();
      while ((this.timers.peek()?.at ?? Infinity) <= now) {
        const t = this.timers.pop()!;
        try {
          t.fn();
        } catch (err) {
          // One broken timer must not stop the clock for everyone else (visibility, long polls, retries).
          this.onTimerError(err);
        }
      }
    } finally {
      this.schedule();
    }
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
