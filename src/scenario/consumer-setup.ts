import type { SQSClient } from "@aws-sdk/client-sqs";
import { dirname } from "node:path";
import type { Clock } from "../clock/index.js";
import {
  ConsumerConfigError,
  HandlerLoadError,
  compileLambdaOptions,
  compilePipeOptions,
  compileScriptedSpec,
  loadHandler,
  scriptedHandler,
  startLambdaConsumer,
  startPipeConsumer,
  startPoller,
  type ConsumerHandler,
  type ScriptedSpec,
} from "../consumers/index.js";
import type { Journal } from "../journal/index.js";
import { ScenarioRunError } from "./run-error.js";
import type { ScenarioConsumer, ScenarioQueue } from "./types.js";

const SCRIPTED_KEYS = ["failTimes", "failIf", "slowMs", "crash", "returnFailures"];
/** Keys the runner reads itself; the consumer never sees them. */
const RUNNER_KEYS = ["startPaused"];
const MODULE_KEYS = ["handler", "exportName"];

/** A scenario consumer made ready to start: its handler loaded and its options checked the way AWS would. */
export interface ConsumerPlan {
  consumer: ScenarioConsumer;
  handler: ConsumerHandler;
  /** The kind's own options (batchSize, reportBatchItemFailures, heartbeat…), as written. */
  options: Record<string, unknown>;
  /** Waits for a `resumeConsumer` step instead of starting with the run. */
  startPaused: boolean;
}

/**
 * Loads the handler (a module relative to the scenario file, or the scripted behaviours written inline)
 * and checks the options against the queue's declared attributes, before anything runs: a missing
 * module or an option AWS would refuse is an error at the consumer's line, not a lost message later.
 */
export async function planConsumer(
  consumer: ScenarioConsumer,
  scenarioFile: string,
  queues: ScenarioQueue[],
  clock: Clock,
  holdClock: <T>(work: Promise<T>) => Promise<T> = (work) => work,
): Promise<ConsumerPlan> {
  const where = `consumer '${consumer.name}'`;
  const options: Record<string, unknown> = {};
  const scripted: Record<string, unknown> = {};
  const module: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(consumer.options)) {
    if (SCRIPTED_KEYS.includes(key)) scripted[key] = value;
    else if (MODULE_KEYS.includes(key)) module[key] = value;
    else if (RUNNER_KEYS.includes(key)) continue;
    else options[key] = value;
  }
  if (module.handler !== undefined && Object.keys(scripted).length > 0) {
    throw new ScenarioRunError(`${where}: give either a handler module or scripted behaviours (${Object.keys(scripted).join(", ")}), not both.`, consumer.line);
  }
  let handler: ConsumerHandler;
  try {
    if (module.handler !== undefined) {
      if (typeof module.handler !== "string") throw new ConsumerConfigError("handler", "must be the path of a .ts/.js module");
      const loaded = await loadHandler(module.handler, {
        baseDir: dirname(scenarioFile),
        ...(typeof module.exportName === "string" ? { exportName: module.exportName } : {}),
      });
      // The user's code does real I/O the clock cannot see; scripted handlers wait on the clock itself.
      handler = (event, context) => holdClock(Promise.resolve().then(() => loaded(event, context)));
    } else {
      // Checked first for the scenario's field names, then compiled again by the handler itself.
      compileScriptedSpec(scripted, consumer.name);
      handler = scriptedHandler(scripted as ScriptedSpec, { clock });
    }
    const queue = queues.find((q) => q.name === consumer.queue);
    checkOptions(consumer, options, handler, queue);
  } catch (err) {
    if (err instanceof HandlerLoadError) throw new ScenarioRunError(`${where}: ${err.message}`, consumer.line);
    if (err instanceof ConsumerConfigError) throw new ScenarioRunError(`${where}: ${err.message}`, consumer.line);
    throw err;
  }
  const startPaused = consumer.options.startPaused ?? false;
  if (typeof startPaused !== "boolean") throw new ScenarioRunError(`${where}: startPaused must be true or false.`, consumer.line);
  return { consumer, handler, options, startPaused };
}

/** The option checks the consumers module runs at start, run early with the queue as the scenario declares it. */
function checkOptions(consumer: ScenarioConsumer, options: Record<string, unknown>, handler: ConsumerHandler, queue: ScenarioQueue | undefined): void {
  const base = { ...options, name: consumer.name, queueUrl: `http://sqsrig.invalid/000000000000/${consumer.queue}`, handler, client: {}, clock: {}, journal: {} };
  const fifo = queue?.attributes.FifoQueue === "true" || consumer.queue.endsWith(".fifo");
  const visibility = queue?.attributes.VisibilityTimeout;
  // Structural only: the compile functions read these fields, never call them.
  const input = base as never;
  if (consumer.kind === "lambda") compileLambdaOptions(input, { fifo, ...(visibility !== undefined ? { visibilityTimeout: Number(visibility) } : {}) });
  else if (consumer.kind === "pipe") compilePipeOptions(input);
}

export interface StartedConsumer {
  stop(): Promise<void>;
}

/** Starts a planned consumer on `queueUrl`; `journalContents` journals each record as its handler got it. */
export async function startPlannedConsumer(
  plan: ConsumerPlan,
  deps: { client: SQSClient; queueUrl: string; clock: Clock; journal: Journal; journalContents: boolean },
): Promise<StartedConsumer> {
  const common = { ...plan.options, name: plan.consumer.name, handler: plan.handler, ...deps };
  try {
    if (plan.consumer.kind === "lambda") return await startLambdaConsumer(common);
    if (plan.consumer.kind === "pipe") return await startPipeConsumer(common);
    return await startPoller(common);
  } catch (err) {
    if (err instanceof ConsumerConfigError) throw new ScenarioRunError(`consumer '${plan.consumer.name}': ${err.message}`, plan.consumer.line);
    throw err;
  }
}
