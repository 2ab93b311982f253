import type { MatcherState } from "vitest";
import {
  CHECKS,
  type AttemptsOptions,
  type CheckName,
  type CheckResult,
  type ConsumerSawOptions,
  type DedupHitsOptions,
  type DeliveredOptions,
  type DlqOptions,
  type FifoOrderOptions,
  type LatencyOptions,
  type NoDuplicatesOptions,
  type NoLossOptions,
} from "../checks/index.js";
import type { JournalRecord } from "../journal/index.js";
import { checkLabel, evidenceLine, formatValue, type CheckOutcome } from "../report/index.js";
import { recordsOf, reportOf } from "./subject.js";

/**
 * The sqsrig matchers, each one of the scenario checks (DESIGN "Scenarios and checks") run over the
 * subject's journal: a `Rig`, a `ScenarioRun` or `JournalRecord[]`. A failure prints the check's summary
 * (naming the offending events), expected vs actual, and the first journal records that show it.
 */
export interface SqsrigMatchers<R = unknown> {
  /** `noLoss`: every accepted event's delivery ended delivered or dead-lettered with a reason (and reached a consumer, when one ran). */
  toHaveNoLoss(options?: NoLossOptions): R;
  /** `noDuplicates`: no idempotencyKey became two messages (at the queue, or at the consumer with `{ at: "consumer" }`). */
  toHaveNoDuplicates(options?: NoDuplicatesOptions): R;
  /** `fifoOrder`: per message group, SQS and the consumers saw events in the order they were accepted. */
  toPreserveFifoOrder(options?: FifoOrderOptions): R;
  /** `dedupHits`: how many sends FIFO deduplication swallowed; a number means `{ count }`. */
  toHaveDedupHits(countOrOptions: number | DedupHitsOptions): R;
  /** `dlq`: how many deliveries the engine dead-lettered and why; a number means `{ count }`. */
  toHaveDeadLettered(countOrOptions: number | DlqOptions): R;
  /** `delivered`: how many deliveries SQS accepted; a number means `{ count }`. */
  toHaveDelivered(countOrOptions: number | DeliveredOptions): R;
  /** `attempts`: the most attempts a delivery took, and failed attempts per reason. */
  toHaveAttempts(options: AttemptsOptions): R;
  /** `latency`: enqueue / consumed percentiles within bounds (durations such as `"2s"`). */
  toHaveLatency(options: LatencyOptions): R;
  /** `accepted`: real AWS would accept every entry the engine sent. */
  toBeAcceptedByAws(): R;
  /** `consumerSaw`: the records consumers got had this shape, these attributes and bodies (needs a run that journals contents). */
  toHaveConsumerSeen(options?: ConsumerSawOptions): R;
  /** A `ScenarioRun` passed every `expect` check (and did not error). */
  toPass(): R;
}

/** What a matcher returns (vitest's SyncExpectationResult, which vitest does not export by that name). */
export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
}

type MatcherFn<A extends unknown[]> = (this: MatcherState, received: unknown, ...args: A) => MatcherOutcome;

/** The matcher implementations, for `expect.extend` (what `import "sqsrig/vitest"` does for you). */
export type SqsrigMatcherFns = { [K in keyof SqsrigMatchers]: MatcherFn<Parameters<SqsrigMatchers[K]>> };

/** Evidence records a failure message prints (a check keeps up to 20; the rest are counted). */
const EVIDENCE_SHOWN = 5;
/** Characters of an expected or actual value a failure message prints. */
const VALUE_WIDTH = 240;

/**
 * Every sqsrig matcher, for `expect.extend(sqsrigMatchers)` when you would rather extend by hand (or in
 * Jest, whose matcher contract is the same).
 *
 * @example
 * import { expect } from "vitest";
 * import { sqsrigMatchers } from "sqsrig/vitest";
 * expect.extend(sqsrigMatchers);
 */
export const sqsrigMatchers: SqsrigMatcherFns = {
  toHaveNoLoss(received, options) {
    return judge(this, "toHaveNoLoss", received, "noLoss", options);
  },
  toHaveNoDuplicates(received, options) {
    return judge(this, "toHaveNoDuplicates", received, "noDuplicates", options);
  },
  toPreserveFifoOrder(received, options) {
    return judge(this, "toPreserveFifoOrder", received, "fifoOrder", options);
  },
  toHaveDedupHits(received, countOrOptions) {
    return judge(this, "toHaveDedupHits", received, "dedupHits", countOf(countOrOptions));
  },
  toHaveDeadLettered(received, countOrOptions) {
    return judge(this, "toHaveDeadLettered", received, "dlq", countOf(countOrOptions));
  },
  toHaveDelivered(received, countOrOptions) {
    return judge(this, "toHaveDelivered", received, "delivered", countOf(countOrOptions));
  },
  toHaveAttempts(received, options) {
    return judge(this, "toHaveAttempts", received, "attempts", options);
  },
  toHaveLatency(received, options) {
    return judge(this, "toHaveLatency", received, "latency", options);
  },
  toBeAcceptedByAws(received) {
    return judge(this, "toBeAcceptedByAws", received, "accepted", undefined);
  },
  toHaveConsumerSeen(received, options) {
    return judge(this, "toHaveConsumerSeen", received, "consumerSaw", options);
  },
  toPass(received) {
    const run = reportOf(received, "toPass");
    const failed = run.checks.filter((c) => !c.ok);
    const start = run.records?.[0]?.t ?? run.journalStart ?? earliest(run.checks);
    const name = `scenario "${run.name}" (${run.file})`;
    return {
      pass: run.status === "passed",
      message: () => {
        const head = hint(this, "toPass", false);
        if (this.isNot) return `${head}\n\n${name} passed all ${run.checks.length} checks, but .not expected it to fail.`;
        if (run.status === "error") {
          const where = run.error?.line !== undefined ? ` (line ${run.error.line})` : "";
          return `${head}\n\n${name} could not run${where}: ${run.error?.message ?? "no reason recorded"}`;
        }
        const lines = [`${name} failed ${failed.length} of ${run.checks.length} checks:`];
        for (const c of failed) lines.push(...outcomeLines(c, start));
        return `${head}\n\n${lines.join("\n")}`;
      },
    };
  },
};

/** Runs one check over the subject; options the check refuses are a mistake in the test (thrown, so `.not` cannot pass on them). */
function judge(state: MatcherState, matcher: keyof SqsrigMatchers, received: unknown, check: CheckName, options: unknown): MatcherOutcome {
  const records = recordsOf(received, matcher);
  const problems = CHECKS[check].optionProblems(options);
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.path.length > 0 ? `${p.path.join(".")}: ` : ""}${p.message}`).join("; ");
    throw new TypeError(`${matcher}: invalid options for the ${check} check: ${text}`);
  }
  const result = CHECKS[check].run(records, options);
  return {
    pass: result.ok,
    message: () => {
      const head = hint(state, matcher, options !== undefined);
      if (state.isNot) return `${head}\n\n${check} passed, but .not expected it to fail: ${result.summary}`;
      return `${head}\n\n${failureLines(result, records[0]?.t ?? 0).join("\n")}`;
    },
  };
}

function countOf(value: unknown): unknown {
  return typeof value === "number" ? { count: value } : value;
}

/** `expect(received).not.toHaveNoLoss()`, coloured as vitest colours its own (plain where `utils` is absent). */
function hint(state: MatcherState, matcher: string, withArgument: boolean): string {
  const expected = withArgument ? "expected" : "";
  const hintOf = state.utils?.matcherHint;
  if (hintOf) return hintOf(matcher, "received", expected, { isNot: state.isNot, promise: state.promise });
  return `expect(received)${state.isNot ? ".not" : ""}.${matcher}(${expected})`;
}

/** A failed check: its summary, expected vs actual, and the first records of its evidence. */
function failureLines(result: CheckResult, start: number): string[] {
  const lines = [`${result.check} failed: ${result.summary}`];
  if (result.expected !== undefined) lines.push(...labelled("Expected: ", result.expected));
  if (result.actual !== undefined) lines.push(...labelled("Actual:   ", result.actual));
  lines.push(...evidenceLines(result.evidence, start, EVIDENCE_SHOWN, ""));
  return lines;
}

/** A failed check of a scenario, as `toPass` lists it. */
function outcomeLines(c: CheckOutcome, start: number): string[] {
  const where = c.line > 0 ? ` (line ${c.line})` : "";
  return [`  ✗ ${checkLabel(c)}${where}: ${c.summary}`, ...evidenceLines(c.evidence, start, 3, "    ")];
}

/** `Expected: {…}` on one line, cut: the summary above already names the offenders, this is the shape. */
function labelled(label: string, value: unknown): string[] {
  const flat = formatValue(value, { width: Infinity })[0] ?? "";
  return [`${label}${flat.length > VALUE_WIDTH ? `${flat.slice(0, VALUE_WIDTH - 1)}…` : flat}`];
}

function evidenceLines(evidence: readonly JournalRecord[], start: number, shown: number, indent: string): string[] {
  if (evidence.length === 0) return [];
  const more = evidence.length > shown ? ` (first ${shown} of ${evidence.length})` : "";
  return [`${indent}Journal records${more}:`, ...evidence.slice(0, shown).map((r) => `${indent}  ${evidenceLine(r, start)}`)];
}

function earliest(checks: readonly CheckOutcome[]): number {
  let first = Infinity;
  for (const c of checks) for (const r of c.evidence) first = Math.min(first, r.t);
  return Number.isFinite(first) ? first : 0;
}
