import type { CheckResult } from "../checks/index.js";

/** A check's verdict placed on the scenario line that asked for it (reporters point editors and CI there). */
export interface CheckOutcome extends CheckResult {
  /** 1-based line of the `expect` item in the scenario file. */
  line: number;
  /** The check's options as the scenario wrote them (`{}` or absent for a bare name); reporters name the check by them. */
  options?: unknown;
}

/** What a scenario run counted, from its journal (pretty progress lines and the summary show these). */
export interface RunCounts {
  /** Events the engine accepted (`event.accepted`). */
  accepted: number;
  rejected: number;
  /** Deliveries SQS acknowledged (`event.delivered`). */
  delivered: number;
  /** Deliveries the engine gave up on (`event.deadLettered`). */
  deadLettered: number;
  /** Messages consumers handled successfully (`consumer.result` succeeded). */
  consumed: number;
  /** Sends SQS dropped as duplicates inside the dedup window (`message.dedupHit`). */
  dedupHits: number;
  /** Retries the engine scheduled (`retry.scheduled`). */
  retries: number;
  /** Faults injected (`fault.injected`). */
  faults: number;
}

/**
 * The outcome of one scenario file. `error` means it could not be run or judged (bad input the loader
 * could not see, a backend that failed): exit 2, where a failed check is exit 1 (DESIGN "Contracts").
 */
export interface ScenarioReport {
  name: string;
  /** The scenario file as given on the command line (or `<inline>`). */
  file: string;
  description?: string;
  status: "passed" | "failed" | "error";
  seed: number;
  timeScale: string;
  backend: string;
  /** Real start time (ISO 8601). */
  startedAt: string;
  /** Real milliseconds the scenario took. */
  wallMs: number;
  /** Virtual milliseconds from the run's start to its end. */
  virtualMs: number;
  counts: RunCounts;
  checks: CheckOutcome[];
  /** Why the scenario errored; `line` when a scenario line is to blame. */
  error?: { message: string; line?: number };
  /** Where `--out` saved this run's journal.ndjson. */
  journalFile?: string;
  /**
   * Clock time (epoch ms) of the run's first journal record: evidence times print relative to it.
   * Absent, reporters count from the scenario's earliest evidence record.
   */
  journalStart?: number;
}

/** A whole `sqsrig run`: every scenario's report, in the order they were given. */
export interface RunReport {
  startedAt: string;
  wallMs: number;
  scenarios: ScenarioReport[];
  passed: number;
  failed: number;
  errored: number;
}

/** What a reporter hears while a run goes on; only `runFinished` is required. */
export interface Reporter {
  scenarioStarted?(info: { name: string; file: string; index: number; total: number }): void;
  /** Called now and then while a scenario runs (at most a few times a second). */
  progress?(info: { name: string; file: string; counts: RunCounts; virtualMs: number }): void;
  scenarioFinished?(report: ScenarioReport): void;
  runFinished(report: RunReport): void | Promise<void>;
}

/** The exit code of a run (DESIGN "Contracts"): 2 if any scenario errored, else 1 if any check failed, else 0. */
export function exitCodeOf(report: RunReport): 0 | 1 | 2 {
  if (report.errored > 0) return 2;
  return report.failed > 0 ? 1 : 0;
}
