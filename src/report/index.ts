/**
 * report — how a `sqsrig run` is told (DESIGN "Contracts" and "Scenarios and checks"): pretty output for
 * people (live progress, ✓/✗ per check, expected vs actual and the journal records behind a failure),
 * report.json and junit.xml for machines, GitHub annotations at the failing `expect` line, and the exit
 * code. Reporters only read reports; the runner builds them from the journal and the checks.
 */
export type { CheckOutcome, RunCounts, ScenarioReport, RunReport, Reporter } from "./types.js";
export { exitCodeOf } from "./types.js";
export { countsOf, addToCounts, emptyCounts } from "./counts.js";
export { createPrettyReporter } from "./pretty.js";
export type { PrettyReporterOptions, PrettyStream } from "./pretty.js";
export { reportJson, createJsonReporter } from "./json.js";
export type { ReportTarget } from "./json.js";
export { reportJunit, createJunitReporter } from "./junit.js";
export { githubAnnotations, createGithubReporter } from "./github.js";
export { createReporters, combineReporters } from "./reporters.js";
export type { ReporterName, ReportersOptions } from "./reporters.js";
export { checkLabel, evidenceLine, formatDuration, formatValue } from "./format.js";
export { appendRunIndex, readRunIndex, RUN_INDEX_LIMIT } from "./run-index.js";
export type { RunIndexEntry } from "./run-index.js";
