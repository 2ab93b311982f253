/** A cancellable timer handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The only source of time in sqsrig. Visibility timeouts, delays, retention, long polling, the dedup
 * window, backoff and linger all read `now()` and schedule through `setTimeout`, so one virtual clock
 * can compress a whole scenario.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Runs `fn` once `ms` milliseconds of this clock's time have passed. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** True when this clock does not follow the wall clock. */
  readonly virtual: boolean;
}

/** The wall clock. */
export function createRealClock(): Clock {
  return {
    virtual: false,
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const t = setTimeout(fn, Math.max(0, ms));
      // A pending SQS timer (visibility, retention) must never keep the process alive on its own.
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}
