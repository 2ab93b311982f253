import type { Clock, TimerHandle } from "./clock.js";

/**
 * How fast virtual time runs: `n` virtual seconds per real second, `"max"` to jump to the next timer
 * whenever the process is idle, or `"manual"` to move only when {@link VirtualClock.advance} is called
 * (what deterministic tests use).
 */
export type TimeScale = number | "max" | "manual";

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock whose time the harness controls. In `manual` mode nothing moves until a test calls
 * `advance`; timers then fire in due order, each seeing `now()` equal to its due time.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private readonly timers: PendingTimer[] = [];
  private seq = 0;
  private scale: TimeScale;
  private realAnchor = 0;
  private virtualAnchor = 0;
  private realTimer: NodeJS.Timeout | undefined;

  constructor(options: { start?: number; timeScale?: TimeScale } = {}) {
    this.current = options.start ?? Date.UTC(2026, 0, 1);
    this.scale = options.timeScale ?? "manual";
    this.reanchor();
  }

  get timeScale(): TimeScale {
    return this.scale;
  }

  setTimeScale(scale: TimeScale): void {
    this.current = this.now();
    this.scale = scale;
    this.reanchor();
    this.schedule();
  }

  now(): number {
    if (typeof this.scale === "number") {
      const elapsed = (performance.now() - this.realAnchor) * this.scale;
      return Math.max(this.current, Math.floor(this.virtualAnchor + elapsed));
    }
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    insertSorted(this.timers, timer);
    this.schedule();
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.now() + ms;
    for (;;) {
      const next = this.nextLive();
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      // Let promise chains started by the timer settle before the next one fires.
      await flushMicrotasks();
    }
    this.current = Math.max(this.current, target);
    this.reanchor();
  }

  /** Number of timers still waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextLive(): PendingTimer | undefined {
    while (this.timers.length > 0 && this.timers[0]!.cancelled) this.timers.shift();
    return this.timers[0];
  }

  private reanchor(): void {
    this.realAnchor = performance.now();
    this.virtualAnchor = this.current;
  }

  /** Arms one real timer for the earliest virtual timer, for the `number` and `max` scales. */
  private schedule(): void {
    if (this.scale === "manual") return;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.nextLive();
    if (!next) return;
    const delayReal = this.scale === "max" ? 0 : Math.max(0, (next.at - this.now()) / this.scale);
    this.realTimer = setTimeout(() => this.fireDue(), delayReal);
    this.realTimer.unref?.();
  }

  private fireDue(): void {
    this.realTimer = undefined;
    const next = this.nextLive();
    if (next) {
      if (this.scale === "max") {
        this.current = Math.max(this.current, next.at);
        this.reanchor();
      }
      const now = this.now();
      while (this.nextLive() && this.timers[0]!.at <= now) {
        const t = this.timers.shift()!;
        t.fn();
      }
    }
    this.schedule();
  }
}

function insertSorted(timers: PendingTimer[], timer: PendingTimer): void {
  let lo = 0;
  let hi = timers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = timers[mid]!;
    if (m.at < timer.at || (m.at === timer.at && m.seq < timer.seq)) lo = mid + 1;
    else hi = mid;
  }
  timers.splice(lo, 0, timer);
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
