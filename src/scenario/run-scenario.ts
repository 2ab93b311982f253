import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { CHECKS } from "../checks/index.js";
import type { JournalRecord } from "../journal/index.js";
import { countsOf, type CheckOutcome, type RunCounts, type ScenarioReport } from "../report/index.js";
import { planConsumer, startPlannedConsumer, type ConsumerPlan, type StartedConsumer } from "./consumer-setup.js";
import { loadScenarioFile } from "./load.js";
import { startRig, type Rig } from "./rig.js";
import { ScenarioRunError } from "./run-error.js";
import { runTimeline, type ConsumerControl } from "./timeline-runner.js";
import type { BackendName, Scenario, ScenarioTimeScale } from "./types.js";

export interface RunScenarioOptions {
  /** Overrides the scenario's seed (`--seed`). */
  seed?: number;
  /** Overrides the scenario's timeScale (`--time-scale`). */
  timeScale?: ScenarioTimeScale;
  /** Overrides the scenario's backend (`--backend`). */
  backend?: BackendName;
  /** Writes the run's journal here as NDJSON (`--out`). */
  journalFile?: string;
  /** Called about four times a second (real time) while the scenario runs. */
  onProgress?: (progress: { counts: RunCounts; virtualMs: number }) => void;
}

/** A scenario's report with the journal that proves it (what `sqsrig/vitest` matchers read). */
export interface ScenarioRun extends ScenarioReport {
  records: JournalRecord[];
}

const PROGRESS_EVERY_MS = 250;

/**
 * Runs one scenario on a fresh rig (its own queues, engine, fault rules and virtual clock): creates the
 * queues and the destination, starts the consumers, plays the timeline, waits until everything settled,
 * then judges the journal with every `expect` check. Never throws for a scenario's own problems: a
 * scenario that cannot run comes back with status `error` and the line to blame.
 *
 * @example
 * const run = await runScenario("scenarios/fifo-throttling.yaml", { seed: 7 });
 * console.log(run.status, run.checks.map((c) => `${c.check}: ${c.summary}`));
 */
export async function runScenario(input: Scenario | string, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const startedAt = new Date();
  const realStart = performance.now();
  let scenario: Scenario;
  if (typeof input === "string") {
    const loaded = await loadScenarioFile(input);
    if (!loaded.ok) {
      const message = loaded.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ""}${e.message}`).join("\n");
      return errored({ name: input, file: input }, startedAt, realStart, { message, line: loaded.errors[0]?.line }, [], options);
    }
    scenario = loaded.scenario;
  } else scenario = input;

  const seed = options.seed ?? scenario.seed ?? 1;
  const timeScale = options.timeScale ?? scenario.timeScale ?? "max";
  const backend = options.backend ?? scenario.backend ?? "embedded";
  const base = { name: scenario.name, file: scenario.file, ...(scenario.description ? { description: scenario.description } : {}), seed, timeScale: String(timeScale), backend };
  if (backend !== "embedded") {
    return errored(base, startedAt, realStart, { message: `backend '${backend}' is not available to scenario runs yet; use the embedded backend (the default).` }, [], options);
  }
  if (timeScale === "engine-only") {
    return errored(base, startedAt, realStart, { message: "timeScale engine-only is for remote backends; the embedded backend compresses all time (use max or a number)." }, [], options);
  }

  let rig: Rig | undefined;
  let progress: NodeJS.Timeout | undefined;
  const running = new Map<string, StartedConsumer>();
  try {
    rig = await startRig({ seed, timeScale, faults: scenario.faults, ...(scenario.engine ? { engine: scenario.engine } : {}), ...(scenario.roles ? { roles: scenario.roles } : {}) });
    const theRig = rig;
    theRig.journal.emit({ type: "run.started", scenario: scenario.name, file: scenario.file, seed, timeScale: String(timeScale), backend });
    const t0 = theRig.clock.now();
    if (options.onProgress) {
      const report = options.onProgress;
      progress = setInterval(() => report({ counts: { ...theRig.counter.counts }, virtualMs: theRig.clock.now() - t0 }), PROGRESS_EVERY_MS);
      progress.unref();
    }
    const plans = new Map<string, ConsumerPlan>();
    for (const c of scenario.consumers) plans.set(c.name, await planConsumer(c, scenario.file, scenario.queues, theRig.clock, theRig.holdClock));
    await theRig.createQueues(scenario.queues);
    // A refused destination is part of the story (a wrong ExternalId, a missing queue): it is journaled,
    // sends are then rejected, and the checks judge what followed.
    if (scenario.destination) await theRig.putDestination(scenario.destination);

    const journalContents = scenario.expect.some((e) => e.check === "consumerSaw");
    const consumers: ConsumerControl = {
      plans,
      running,
      async start(plan) {
        const started = await startPlannedConsumer(plan, { client: theRig.client, queueUrl: theRig.queueUrl(plan.consumer.queue), clock: theRig.clock, journal: theRig.journal, journalContents });
        running.set(plan.consumer.name, started);
      },
      async stop(name) {
        const c = running.get(name);
        running.delete(name);
        await c?.stop();
      },
    };
    for (const plan of plans.values()) if (!plan.startPaused) await consumers.start(plan);

    const timelineFailures = await runTimeline(scenario.timeline, { rig: theRig, seed, consumers });
    const watched = [...running.keys()].map((name) => plans.get(name)!.consumer.queue);
    const settled = await theRig.settle({ queues: [...new Set(watched)] });
    theRig.journal.emit({ type: "run.settled", reason: settled.reason, enginePending: settled.enginePending });
    const stuck = await stopAll(running, theRig);
    if (stuck.length > 0) {
      throw new ScenarioRunError(`consumer '${stuck[0]}' did not stop within ${STOP_GRACE_MS / 1000} virtual seconds: a handler invocation never settled.`, plans.get(stuck[0]!)!.consumer.line);
    }

    const records = theRig.journal.records();
    const checks: CheckOutcome[] = [...timelineFailures];
    if (settled.reason === "deadline") {
      // Work still going on when the run gave up is itself a broken guarantee, whatever the checks say.
      checks.push({
        check: "settled",
        ok: false,
        summary: `the run did not settle within ${settled.timeoutMs / 60_000} virtual minutes after its timeline: ${settled.busy.join("; ")}`,
        expected: "engine idle, move tasks finished, every consumed queue drained",
        actual: settled.busy,
        evidence: [],
        line: scenario.timeline.at(-1)?.line ?? 1,
      });
    }
    for (const e of scenario.expect) {
      const result = CHECKS[e.check].run(records, e.options as never);
      const outcome: CheckOutcome = { ...result, options: e.options, line: e.line };
      checks.push(outcome);
    }
    for (const c of checks) theRig.journal.emit({ type: "check.result", check: c.check, ok: c.ok, summary: c.summary, line: c.line });
    const status = checks.every((c) => c.ok) ? "passed" : "failed";
    theRig.journal.emit({ type: "run.finished", status });
    const all = theRig.journal.records();
    if (options.journalFile) await writeRecords(options.journalFile, all);
    return {
      ...base,
      status,
      startedAt: startedAt.toISOString(),
      wallMs: Math.round(performance.now() - realStart),
      virtualMs: theRig.clock.now() - t0,
      counts: { ...theRig.counter.counts },
      checks,
      ...(all[0] ? { journalStart: all[0].t } : {}),
      ...(options.journalFile ? { journalFile: options.journalFile } : {}),
      records: all,
    };
  } catch (err) {
    const records = rig?.journal.records() ?? [];
    const line = err instanceof ScenarioRunError ? err.line : undefined;
    // Named like a load error (file:line:column), so a missing handler reads like any other bad input.
    const text = err instanceof Error ? err.message : String(err);
    const message = line !== undefined ? `${await positionOf(scenario.file, line)} ${text}` : text;
    rig?.journal.emit({ type: "run.finished", status: "error", message });
    return await errored(base, startedAt, realStart, { message, ...(line !== undefined ? { line } : {}) }, rig ? rig.journal.records() : records, options);
  } finally {
    if (progress) clearInterval(progress);
    // A consumer stuck in a handler must not keep the rig (and the process) alive.
    if (rig) await stopAll(running, rig);
    await rig?.close();
  }
}

/** `file:line:column` of the node that starts `line` (after a list dash), for errors found while running. */
async function positionOf(file: string, line: number): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  const lineText = text.split(/\r?\n/)[line - 1] ?? "";
  const column = (/^\s*(?:-\s+)?/.exec(lineText)?.[0].length ?? 0) + 1;
  return `${file}:${line}:${column}`;
}

/** Virtual time a stopping consumer gets to let its running invocations finish. */
const STOP_GRACE_MS = 60_000;

/** Stops every running consumer; returns the names of those still stuck after the grace period. */
async function stopAll(running: Map<string, StartedConsumer>, rig: Rig): Promise<string[]> {
  const stopping = [...running].map(async ([name, consumer]) => {
    running.delete(name);
    let stopped = false;
    const grace = rig.clock.sleep(STOP_GRACE_MS);
    await Promise.race([consumer.stop().then(() => void (stopped = true), () => void (stopped = true)), grace]);
    return stopped ? undefined : name;
  });
  return (await Promise.all(stopping)).filter((n): n is string => n !== undefined);
}

async function errored(
  base: { name: string; file: string; description?: string; seed?: number; timeScale?: string; backend?: string },
  startedAt: Date,
  realStart: number,
  error: { message: string; line?: number },
  records: JournalRecord[],
  options: RunScenarioOptions,
): Promise<ScenarioRun> {
  let written = false;
  if (options.journalFile && records.length > 0) {
    try {
      await writeRecords(options.journalFile, records);
      written = true;
    } catch (err) {
      error = { ...error, message: `${error.message} (its journal could not be written to ${options.journalFile}: ${err instanceof Error ? err.message : String(err)})` };
    }
  }
  return {
    seed: 1,
    timeScale: "max",
    backend: "embedded",
    ...base,
    status: "error",
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(performance.now() - realStart),
    virtualMs: 0,
    counts: countsOf(records),
    checks: [],
    error,
    ...(written ? { journalFile: options.journalFile } : {}),
    records,
  };
}

/** One NDJSON line per record, streamed so a 100k-event journal never becomes one string. */
async function writeRecords(path: string, records: JournalRecord[]): Promise<void> {
  const out = createWriteStream(path);
  for (const r of records) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
