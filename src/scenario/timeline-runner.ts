import { parseDuration } from "../clock/index.js";
import { IngestError, type ReplayRequest } from "../engine/index.js";
import { formatDuration, type CheckOutcome } from "../report/index.js";
import { unmet, type WaitCondition } from "./conditions.js";
import type { ConsumerPlan, StartedConsumer } from "./consumer-setup.js";
import { generateEvents, readGenerateSpec } from "./generate.js";
import type { Rig } from "./rig.js";
import { ScenarioRunError } from "./run-error.js";
import type { MoveTaskArgs, TimelineStep } from "./types.js";

/** Events per `ingest` call: one producer request's worth, as `POST /v1/events` would take them. */
const INGEST_CHUNK = 500;
/** How often (virtual) a `generate … over:` step sends its next slice, and a `waitUntil` looks again. */
const SLICE_MS = 100;

/** The running consumers a timeline can pause and resume. */
export interface ConsumerControl {
  start(plan: ConsumerPlan): Promise<void>;
  stop(name: string): Promise<void>;
  plans: Map<string, ConsumerPlan>;
  running: Map<string, StartedConsumer>;
}

export interface TimelineDeps {
  rig: Rig;
  seed: number;
  consumers: ConsumerControl;
}

/**
 * Runs the timeline: each step at its virtual time from the run's start (or at once, if the one before
 * took longer), each recorded as `run.step`. A `waitUntil` that times out does not stop the run; it
 * comes back as a failed outcome that names what was missing.
 */
export async function runTimeline(steps: TimelineStep[], deps: TimelineDeps): Promise<CheckOutcome[]> {
  const { rig } = deps;
  const start = rig.clock.now();
  const failures: CheckOutcome[] = [];
  for (const [index, step] of steps.entries()) {
    const due = start + step.atMs;
    const now = rig.clock.now();
    if (due > now) await rig.clock.sleep(due - now);
    const summary = await runStep(step, index, deps, failures);
    rig.journal.emit({ type: "run.step", index, action: step.action, atMs: step.atMs, line: step.line, summary });
  }
  return failures;
}

async function runStep(step: TimelineStep, index: number, deps: TimelineDeps, failures: CheckOutcome[]): Promise<string> {
  try {
    return await runAction(step, index, deps, failures);
  } catch (err) {
    // The engine refusing a whole request (no destination saved, an unknown one) is what a producer
    // would see as a 4xx: the step says so and the run goes on for the checks to judge.
    if (err instanceof IngestError) return `refused by the engine (${err.status} ${err.code}): ${err.message}`;
    if (err instanceof ScenarioRunError) throw err;
    // Anything else (SQS refusing a move task, a replay request the engine refuses) is this step's error.
    const code = err instanceof Error && err.name !== "Error" ? `${err.name}: ` : "";
    throw new ScenarioRunError(`timeline[${index}] ${step.action}: ${code}${err instanceof Error ? err.message : String(err)}`, step.line);
  }
}

async function runAction(step: TimelineStep, index: number, deps: TimelineDeps, failures: CheckOutcome[]): Promise<string> {
  const { rig } = deps;
  const args = step.args as Record<string, unknown>;
  switch (step.action) {
    case "send": {
      // A producer stamps its events when they happen: the run's clock at this step.
      const report = await rig.send({ occurredAt: new Date(rig.clock.now()).toISOString(), ...args });
      const rejected = report.results.find((r) => r.status === "rejected");
      return rejected?.status === "rejected" ? `rejected: ${rejected.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}` : "accepted 1 event";
    }
    case "generate":
      return generate(args, index, deps);
    case "replayDlq": {
      const request: ReplayRequest = { ...(args as ReplayRequest) };
      if (request.ids === undefined) request.all = true;
      const report = await rig.engine.dlq.replay(request);
      return `replayed ${report.replayed}, skipped ${report.skipped}`;
    }
    case "restartEngine": {
      const pending = rig.engine.pending();
      await rig.restartEngine();
      return `engine killed with ${pending} deliveries pending; a new one recovered ${rig.engine.pending()}`;
    }
    case "setFaults": {
      const set = rig.faults.setRules(step.args);
      if (!set.ok) throw new ScenarioRunError(`setFaults: ${set.errors.map((e) => e.message).join("; ")}`, step.line);
      return `${set.rules.length} fault rules in force`;
    }
    case "pauseConsumer": {
      const name = step.args as string;
      if (!deps.consumers.running.has(name)) return `consumer ${name} was already paused`;
      await deps.consumers.stop(name);
      return `consumer ${name} paused`;
    }
    case "resumeConsumer": {
      const plan = deps.consumers.plans.get(step.args as string)!;
      if (deps.consumers.running.has(plan.consumer.name)) return `consumer ${plan.consumer.name} was already running`;
      await deps.consumers.start(plan);
      return `consumer ${plan.consumer.name} resumed`;
    }
    case "purge":
      await rig.purge(step.args as string);
      return `queue ${String(step.args)} purged`;
    case "startMoveTask": {
      const { source, destination, maxPerSecond } = step.args as MoveTaskArgs;
      const handle = await rig.startMoveTask(source, destination, maxPerSecond);
      return `move task ${handle} started from ${source}${destination ? ` to ${destination}` : " to the original source queues"}`;
    }
    case "wait":
      await rig.clock.sleep(step.args as number);
      return `waited ${step.args as number} ms`;
    case "waitUntil":
      return waitUntil(step, deps, failures);
  }
}

async function generate(args: Record<string, unknown>, index: number, deps: TimelineDeps): Promise<string> {
  const { rig } = deps;
  const spec = readGenerateSpec(args, index);
  const events = generateEvents(spec, deps.seed * 1_000 + index, rig.clock.now());
  const overMs = args.over === undefined ? 0 : parseDuration(args.over)!;
  // Spread over `over` in slices of SLICE_MS, or all at once in producer-sized requests.
  const slices = overMs > 0 ? Math.max(1, Math.min(events.length, Math.floor(overMs / SLICE_MS))) : Math.ceil(events.length / INGEST_CHUNK);
  const per = Math.ceil(events.length / slices);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < events.length; i += per) {
    // Whole milliseconds: SQS timestamps (SentTimestamp…) are integers.
    if (i > 0 && overMs > 0) await rig.clock.sleep(Math.round(overMs / slices));
    for (let j = i; j < Math.min(i + per, events.length); j += INGEST_CHUNK) {
      const report = await rig.send(events.slice(j, Math.min(j + INGEST_CHUNK, i + per, events.length)));
      accepted += report.accepted;
      rejected += report.rejected;
    }
  }
  return `generated ${events.length} events over ${spec.groups ?? 1} groups: ${accepted} accepted${rejected ? `, ${rejected} rejected` : ""}`;
}

async function waitUntil(step: TimelineStep, deps: TimelineDeps, failures: CheckOutcome[]): Promise<string> {
  const { rig } = deps;
  const condition = step.args as WaitCondition;
  const deadline = rig.clock.now() + condition.timeoutMs;
  const started = rig.clock.now();
  for (;;) {
    const missing = unmet(condition, rig.counter, rig.engine.pending());
    if (missing.length === 0) return `condition met after ${rig.clock.now() - started} ms`;
    if (rig.clock.now() >= deadline) {
      const summary = `waitUntil timed out after ${formatDuration(condition.timeoutMs)}: ${missing.join(", ")}`;
      failures.push({ check: "waitUntil", ok: false, summary, expected: condition, actual: missing, evidence: [], line: step.line });
      return summary;
    }
    await rig.clock.sleep(SLICE_MS);
  }
}
