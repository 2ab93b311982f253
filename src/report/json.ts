import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { JournalRecord } from "../journal/index.js";
import type { CheckOutcome, Reporter, RunCounts, RunReport, ScenarioReport } from "./types.js";
import { safeJson } from "./format.js";

// report.json is read by machines and diffed by people: the same run always gives the same bytes, with
// fields in one fixed order (totals before details), whatever order the runner built its objects in.

function counts(c: RunCounts): RunCounts {
  return {
    accepted: c.accepted,
    rejected: c.rejected,
    delivered: c.delivered,
    deadLettered: c.deadLettered,
    consumed: c.consumed,
    dedupHits: c.dedupHits,
    retries: c.retries,
    faults: c.faults,
  };
}

function check(c: CheckOutcome): CheckOutcome {
  return {
    check: c.check,
    options: c.options,
    line: c.line,
    ok: c.ok,
    summary: c.summary,
    expected: c.expected,
    actual: c.actual,
    // seq, t and type lead (how evidence reads); the rest keeps the order the emitting component wrote.
    evidence: c.evidence.map(({ seq, t, type, ...rest }) => ({ seq, t, type, ...rest }) as JournalRecord),
  };
}

function scenario(s: ScenarioReport): ScenarioReport {
  return {
    name: s.name,
    file: s.file,
    description: s.description,
    status: s.status,
    error: s.error === undefined ? undefined : { message: s.error.message, line: s.error.line },
    seed: s.seed,
    timeScale: s.timeScale,
    backend: s.backend,
    startedAt: s.startedAt,
    wallMs: s.wallMs,
    virtualMs: s.virtualMs,
    journalStart: s.journalStart,
    journalFile: s.journalFile,
    counts: counts(s.counts),
    checks: s.checks.map(check),
  };
}

/**
 * A run as report.json: pretty-printed JSON of the {@link RunReport}, evidence records included, fields
 * in a fixed order; `JSON.parse` gives the report back (fields left undefined are omitted).
 *
 * @example
 * await writeFile("out/report.json", reportJson(run));
 */
export function reportJson(run: RunReport): string {
  const ordered: RunReport = {
    startedAt: run.startedAt,
    wallMs: run.wallMs,
    passed: run.passed,
    failed: run.failed,
    errored: run.errored,
    scenarios: run.scenarios.map(scenario),
  };
  return `${safeJson(ordered, 2)}\n`;
}

/** Writes a report file, creating its folder: `--out DIR` may name one that does not exist yet. */
export async function writeReportFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, "utf8");
}

/** Where a machine-readable reporter writes: a file path, or a stream (stdout without `--out`). */
export type ReportTarget = { file: string } | { stream: NodeJS.WritableStream };

/** Writes `text` to the target; a stream is written without closing it (it may be stdout). */
export async function writeTo(target: ReportTarget, text: string): Promise<void> {
  if ("file" in target) return writeReportFile(target.file, text);
  await new Promise<void>((resolve, reject) => {
    target.stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * A reporter that writes report.json when the run finishes.
 *
 * @example
 * createJsonReporter({ file: "out/report.json" })
 */
export function createJsonReporter(target: ReportTarget): Reporter {
  return { runFinished: (run) => writeTo(target, reportJson(run)) };
}
