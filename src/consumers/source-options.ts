import { ConsumerConfigError } from "./config-error.js";
import { compileFilterPattern, type CompiledPattern, type FilterPattern } from "./filter-pattern.js";
import { createIdempotencyLedger, type IdempotencyLedger } from "./idempotency.js";
import type { ConsumerBase } from "./consumer-base.js";

/** Options the Lambda event source mapping and the Pipes SQS source share. */
export interface SourceOptions extends ConsumerBase {
  /** Most records per invocation. @default 10 */
  batchSize?: number;
  /** Seconds to gather records before invoking (0–300). @default 0 */
  maximumBatchingWindowInSeconds?: number;
  /**
   * Fail every message after the first failure of its FIFO group, whatever the response says (reason
   * `fifoStop`). AWS leaves this to the function, so the default is what AWS does. @default false
   */
  fifoStopOnFailure?: boolean;
  /**
   * Event patterns (ORed); records matching none are deleted without invoking (`consumer.filtered`).
   * Lambda and Pipes allow five filters by default (Lambda Developer Guide, "Lambda event filtering").
   */
  filter?: FilterPattern | FilterPattern[];
}

/** The checked fields every source has. */
export interface CommonSettings extends Pick<ConsumerBase, "name" | "client" | "queueUrl" | "clock" | "journal" | "handler"> {
  batchSize: number;
  windowSeconds: number;
  fifoStopOnFailure: boolean;
  filters: CompiledPattern[];
  idempotency: IdempotencyLedger | undefined;
  journalContents: boolean;
}

const MAX_FILTERS = 5;

/** Checks the shared options; `batchSize` and the window get their source-specific rules from the caller. */
export function compileCommon(input: SourceOptions): CommonSettings {
  if (typeof input !== "object" || input === null) throw new ConsumerConfigError("options", "must be an object");
  if (typeof input.name !== "string" || input.name === "") throw new ConsumerConfigError("name", "must be a non-empty string");
  if (typeof input.queueUrl !== "string" || input.queueUrl === "") throw new ConsumerConfigError("queueUrl", "must be a queue URL");
  if (typeof input.handler !== "function") throw new ConsumerConfigError("handler", "must be a function");
  for (const key of ["client", "clock", "journal"] as const) {
    if (typeof input[key] !== "object" || input[key] === null) throw new ConsumerConfigError(key, "is required");
  }
  const fifoStopOnFailure = input.fifoStopOnFailure ?? false;
  if (typeof fifoStopOnFailure !== "boolean") throw new ConsumerConfigError("fifoStopOnFailure", "must be true or false");
  const patterns = input.filter === undefined ? [] : Array.isArray(input.filter) ? input.filter : [input.filter];
  if (patterns.length > MAX_FILTERS) {
    throw new ConsumerConfigError("filter", `at most ${MAX_FILTERS} filter patterns (the default quota), got ${patterns.length}`);
  }
  const filters = patterns.map((p, i) => compileFilterPattern(p, Array.isArray(input.filter) ? `filter[${i}]` : "filter"));
  const idem = input.idempotency ?? false;
  if (typeof idem !== "boolean" && (typeof idem !== "object" || typeof idem.settle !== "function")) {
    throw new ConsumerConfigError("idempotency", "must be true, false or an idempotency ledger");
  }
  const journalContents = input.journalContents ?? false;
  if (typeof journalContents !== "boolean") throw new ConsumerConfigError("journalContents", "must be true or false");
  return {
    name: input.name,
    client: input.client,
    queueUrl: input.queueUrl,
    clock: input.clock,
    journal: input.journal,
    handler: input.handler,
    batchSize: integer("batchSize", input.batchSize ?? 10, 1, 10_000),
    windowSeconds: integer("maximumBatchingWindowInSeconds", input.maximumBatchingWindowInSeconds ?? 0, 0, 300),
    fifoStopOnFailure,
    filters,
    idempotency: idem === true ? createIdempotencyLedger() : idem === false ? undefined : idem,
    journalContents,
  };
}

/** An integer option in `[min, max]`, or an error naming it. */
export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConsumerConfigError(field, `must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
