import type { Clock } from "../clock/index.js";
import { parseDuration } from "../clock/index.js";
import { ConsumerConfigError } from "./config-error.js";
import type { ConsumerHandler, LambdaSqsRecord, SqsEvent } from "./types.js";

/** A record matcher a scenario file can spell without code. */
export type FailIfSpec = { bodyContains: string } | { attribute: { name: string; value: string } } | { groupId: string };

/**
 * A scripted consumer behaviour, for scenarios that need a failing, slow or crashing worker without
 * writing a module. Every field is optional; an empty spec succeeds at once.
 */
export interface ScriptedSpec {
  /** Each message fails its first N deliveries to this handler, crashes included (counted per messageId). @default 0 */
  failTimes?: number;
  /** Messages that fail on every delivery: a predicate on the record, or a matcher. */
  failIf?: ((record: LambdaSqsRecord) => boolean) | FailIfSpec;
  /** Each invocation takes this long on the run's clock before it answers (`500`, `"30s"`). @default 0 */
  slowMs?: number | string;
  /**
   * The runtime crashes instead of answering, failing the whole batch: `true` on every invocation;
   * `{ after: n }` once, on the first invocation that starts once n records were delivered (a worker that
   * dies mid-run, then comes back fresh). @default false
   */
  crash?: boolean | { after: number };
  /**
   * Report failed messages in `batchItemFailures` (ReportBatchItemFailures) instead of throwing, which
   * fails the whole batch. @default false
   */
  returnFailures?: boolean;
}

/** A {@link ScriptedSpec} after {@link compileScriptedSpec}: defaults filled, the matcher a function. */
export interface CompiledScriptedSpec {
  failTimes: number;
  failIf?: (record: LambdaSqsRecord) => boolean;
  slowMs: number;
  crash: false | "always" | { after: number };
  returnFailures: boolean;
}

/** A scripted spec that cannot be used; `field` is the path of the offending key. A ConsumerConfigError, so one catch serves every consumer option. */
export class ScriptedSpecError extends ConsumerConfigError {}

/**
 * What a crashed runtime looks like to the caller: Lambda reports `Runtime.ExitError` with "Runtime
 * exited with error: …" when the process dies mid-invocation (AWS Lambda Developer Guide, "Troubleshoot
 * invocation issues").
 */
export class RuntimeCrashError extends Error {
  override readonly name = "Runtime.ExitError";
}

/** A scripted message failure (thrown, so the whole batch fails, unless `returnFailures` is on). */
export class ScriptedFailureError extends Error {
  override readonly name = "ScriptedFailure";
}

const KEYS = ["failTimes", "failIf", "slowMs", "crash", "returnFailures"];

/**
 * Checks a scripted spec from code or a scenario file and fills its defaults.
 *
 * @example
 * compileScriptedSpec({ failTimes: 2, slowMs: "5s" }); // → { failTimes: 2, slowMs: 5000, crash: false, … }
 */
export function compileScriptedSpec(input: unknown, path = "scripted"): CompiledScriptedSpec {
  if (!isObject(input)) throw new ScriptedSpecError(path, `must be an object with any of ${KEYS.join(", ")}`);
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) throw new ScriptedSpecError(`${path}.${key}`, `is not a scripted behaviour; use ${KEYS.join(", ")}`);
  }
  const failTimes = input.failTimes ?? 0;
  if (!isCount(failTimes)) throw new ScriptedSpecError(`${path}.failTimes`, `must be an integer ≥ 0, got ${show(failTimes)}`);
  const slowMs = input.slowMs === undefined ? 0 : parseDuration(input.slowMs);
  if (slowMs === undefined) {
    throw new ScriptedSpecError(`${path}.slowMs`, `must be a duration ≥ 0 (500, "500ms", "30s", "5m"), got ${show(input.slowMs)}`);
  }
  const returnFailures = input.returnFailures ?? false;
  if (typeof returnFailures !== "boolean") throw new ScriptedSpecError(`${path}.returnFailures`, `must be true or false, got ${show(returnFailures)}`);
  const spec: CompiledScriptedSpec = { failTimes, slowMs, crash: compileCrash(input.crash, `${path}.crash`), returnFailures };
  if (input.failIf !== undefined) spec.failIf = compileFailIf(input.failIf, `${path}.failIf`);
  return spec;
}

/**
 * A handler that behaves as the spec says: it fails, slows down or crashes on cue, so scenarios can
 * exercise redelivery, visibility and dead-letter queues. It accepts a Lambda event (`{Records}`, also
 * what the poller passes) or a Pipes batch (an array of records).
 *
 * @example
 * const handler = scriptedHandler({ failIf: { bodyContains: "poison" }, returnFailures: true }, { clock });
 */
export function scriptedHandler(spec: ScriptedSpec, options: { clock: Clock }): ConsumerHandler {
  const compiled = compileScriptedSpec(spec);
  const deliveries = new Map<string, number>();
  let handled = 0;
  let crashed = false;

  return async (event) => {
    const records = Array.isArray(event) ? event : (event as SqsEvent).Records;
    const crashNow = compiled.crash === "always" || (compiled.crash !== false && !crashed && handled >= compiled.crash.after);
    // Decided at the start, so of two concurrent invocations only one takes the single crash.
    if (crashNow) crashed = true;
    // A crashed invocation still counts as a delivery of its records (it failed them).
    const counts = records.map((record) => {
      const delivery = (deliveries.get(record.messageId) ?? 0) + 1;
      deliveries.set(record.messageId, delivery);
      return delivery;
    });
    handled += records.length;
    if (compiled.slowMs > 0) await options.clock.sleep(compiled.slowMs);
    if (crashNow) {
      throw new RuntimeCrashError(`Runtime exited with error: exit status 1 (scripted crash, ${records.length} record(s) in the batch)`);
    }
    const failures: { id: string; why: string }[] = [];
    records.forEach((record, i) => {
      const delivery = counts[i]!;
      if (delivery <= compiled.failTimes) failures.push({ id: record.messageId, why: `failTimes ${compiled.failTimes}, delivery ${delivery}` });
      else if (compiled.failIf?.(record)) failures.push({ id: record.messageId, why: "failIf matched" });
    });
    if (compiled.returnFailures) return { batchItemFailures: reportedFailures(records, new Set(failures.map((f) => f.id))) };
    if (failures.length > 0) {
      throw new ScriptedFailureError(`scripted failure of ${failures.map((f) => `${f.id} (${f.why})`).join(", ")}`);
    }
    return undefined;
  };
}

function compileCrash(value: unknown, field: string): CompiledScriptedSpec["crash"] {
  if (value === undefined || value === false) return false;
  if (value === true) return "always";
  if (isObject(value) && Object.keys(value).every((k) => k === "after") && isCount(value.after)) return { after: value.after };
  throw new ScriptedSpecError(field, `must be true, false or { after: n } with an integer n ≥ 0, got ${show(value)}`);
}

function compileFailIf(value: unknown, field: string): (record: LambdaSqsRecord) => boolean {
  if (typeof value === "function") return value as (record: LambdaSqsRecord) => boolean;
  const forms = `a function, { bodyContains: "text" }, { attribute: { name, value } } or { groupId: "id" }`;
  if (!isObject(value) || Object.keys(value).length !== 1) throw new ScriptedSpecError(field, `must be ${forms}, got ${show(value)}`);
  if ("bodyContains" in value) {
    const text = value.bodyContains;
    if (typeof text !== "string" || text === "") throw new ScriptedSpecError(`${field}.bodyContains`, `must be a non-empty string, got ${show(text)}`);
    return (record) => record.body.includes(text);
  }
  if ("groupId" in value) {
    const group = value.groupId;
    if (typeof group !== "string" || group === "") throw new ScriptedSpecError(`${field}.groupId`, `must be a non-empty string, got ${show(group)}`);
    return (record) => record.attributes.MessageGroupId === group;
  }
  if ("attribute" in value) {
    const attr = value.attribute;
    if (!isObject(attr) || typeof attr.name !== "string" || attr.name === "" || typeof attr.value !== "string") {
      throw new ScriptedSpecError(`${field}.attribute`, `must be { name: string, value: string }, got ${show(attr)}`);
    }
    const { name, value: wanted } = attr as { name: string; value: string };
    // Compared with the attribute's string value: String and Number attributes both travel as text.
    return (record) => record.messageAttributes[name]?.stringValue === wanted;
  }
  throw new ScriptedSpecError(`${field}.${Object.keys(value)[0]}`, `is not a matcher; failIf must be ${forms}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function show(value: unknown): string {
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * What a well-behaved function reports. On FIFO it stops at a group's first failure and returns that
 * message and every later one of its group as failed (Lambda Developer Guide, "Implementing partial batch
 * responses": "stop processing messages after the first failure and return all failed and unprocessed
 * messages"); the event source mapping does not do this for it. Standard queues: just the failures.
 */
function reportedFailures(records: readonly LambdaSqsRecord[], failed: Set<string>): { itemIdentifier: string }[] {
  const stopped = new Set<string>();
  const out: { itemIdentifier: string }[] = [];
  for (const record of records) {
    const group = record.attributes.MessageGroupId;
    const fails = failed.has(record.messageId) || (group !== undefined && stopped.has(group));
    if (!fails) continue;
    if (group !== undefined) stopped.add(group);
    out.push({ itemIdentifier: record.messageId });
  }
  return out;
}
