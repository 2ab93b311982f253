import type { Clock } from "../clock/index.js";
import type { Engine } from "../engine/index.js";
import type { RecordCounter } from "./conditions.js";

export interface SettleOptions {
  /** Queues (by name) that must be drained: those consumers read. @default none */
  queues: string[];
  /** Virtual time to wait at most. @default 10 minutes */
  timeoutMs: number;
  /** Virtual time between two looks. @default 100 ms */
  pollMs: number;
}

export interface SettleResult {
  reason: "idle" | "deadline";
  enginePending: number;
  /** What was still going on at the deadline (empty when idle). */
  busy: string[];
  /** The deadline the run had. */
  timeoutMs: number;
}

export interface SettleDeps {
  clock: Clock;
  engine: () => Engine;
  counter: RecordCounter;
  /** Messages a queue holds (visible, in flight, delayed). */
  depth: (queue: string) => Promise<number>;
}

const DEFAULTS: SettleOptions = { queues: [], timeoutMs: 10 * 60_000, pollMs: 100 };

/**
 * Waits until nothing is left to happen: the engine has no delivery pending, every move task has
 * finished, and each queue a consumer reads holds no message (so every one was deleted or redriven to
 * its DLQ). Looks twice in a row, one poll apart, so a batch between receive and delete is not missed.
 */
export async function settle(deps: SettleDeps, options: Partial<SettleOptions> = {}): Promise<SettleResult> {
  const { queues, timeoutMs, pollMs } = { ...DEFAULTS, ...options };
  const deadline = deps.clock.now() + timeoutMs;
  let quietLooks = 0;
  for (;;) {
    const busy = await whatIsBusy(deps, queues);
    quietLooks = busy.length === 0 ? quietLooks + 1 : 0;
    if (quietLooks >= 2) return { reason: "idle", enginePending: 0, busy, timeoutMs };
    if (deps.clock.now() >= deadline) return { reason: "deadline", enginePending: deps.engine().pending(), busy, timeoutMs };
    await deps.clock.sleep(pollMs);
  }
}

async function whatIsBusy(deps: SettleDeps, queues: string[]): Promise<string[]> {
  const busy: string[] = [];
  const pending = deps.engine().pending();
  if (pending > 0) busy.push(`engine: ${pending} deliveries pending`);
  const moving = deps.counter.count("moveTask.started") - deps.counter.count("moveTask.finished");
  if (moving > 0) busy.push(`${moving} message move tasks running`);
  for (const queue of queues) {
    const held = await deps.depth(queue);
    if (held > 0) busy.push(`queue ${queue}: ${held} messages`);
  }
  return busy;
}
