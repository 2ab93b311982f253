import type { Paint } from "./ansi.js";
import { cap, checkLabel, evidenceLine, evidenceStart, formatDuration, formatOffset, formatValue, oneLine, visibleLines } from "./format.js";
import type { CheckOutcome, RunCounts, RunReport, ScenarioReport } from "./types.js";

// What the pretty reporter prints, as pure functions of the reports (the reporter only decides when and
// where): a scenario's block when it finishes, the run's summary, and the live status line.

/** Evidence lines shown per failed check unless verbose (checks keep up to EVIDENCE_CAP). */
const EVIDENCE_SHOWN = 10;

/** `accepted 12 · delivered 11 · …`, in the order a delivery travels. */
export function countsText(counts: RunCounts): string {
  const parts = [
    `accepted ${counts.accepted}`,
    ...(counts.rejected > 0 ? [`rejected ${counts.rejected}`] : []),
    `delivered ${counts.delivered}`,
    `consumed ${counts.consumed}`,
    `dead-lettered ${counts.deadLettered}`,
    `retries ${counts.retries}`,
    `dedup hits ${counts.dedupHits}`,
    `faults ${counts.faults}`,
  ];
  return parts.join(" · ");
}

/** The live line of a running scenario: name, counts and virtual time, cut to the terminal width. */
export function statusLine(info: { name: string; counts: RunCounts; virtualMs: number }, width: number): string {
  return cap(`  … ${oneLine(info.name)}  ${countsText(info.counts)} · t=${formatOffset(info.virtualMs)}`, Math.max(20, width - 1));
}

/** The line a non-terminal log gets when a scenario starts. */
export function startLine(info: { name: string; file: string; index: number; total: number }, paint: Paint): string {
  return `${paint.dim(`[${info.index + 1}/${info.total}]`)} ${paint.bold(oneLine(info.name))} ${paint.dim(oneLine(info.file))} started`;
}

function where(file: string, line: number | undefined): string {
  return line === undefined ? oneLine(file) : `${oneLine(file)}:${line}`;
}

function scenarioMark(status: ScenarioReport["status"], paint: Paint): string {
  if (status === "passed") return paint.green("✓");
  if (status === "failed") return paint.red("✗");
  return paint.yellow("!");
}

function scenarioTimes(s: ScenarioReport): string {
  return `${formatDuration(s.wallMs)} wall · ${formatDuration(s.virtualMs)} virtual`;
}

/** A finished scenario: its verdict line, each check, the details of failures, its counts. */
export function scenarioBlock(s: ScenarioReport, paint: Paint, verbose: boolean): string[] {
  const passed = s.checks.filter((c) => c.ok).length;
  const verdict =
    s.status === "error" ? paint.yellow("errored") : `${passed}/${s.checks.length} checks passed`;
  const lines = [`${scenarioMark(s.status, paint)} ${paint.bold(oneLine(s.name))} ${paint.dim(oneLine(s.file))}  ${verdict} · ${paint.dim(scenarioTimes(s))}`];
  if (verbose) lines.push(paint.dim(`    seed ${s.seed} · timeScale ${oneLine(s.timeScale)} · backend ${oneLine(s.backend)}${s.journalFile ? ` · journal ${oneLine(s.journalFile)}` : ""}`));
  if (s.error) {
    const [first = "", ...rest] = visibleLines(s.error.message);
    // Load and setup errors already begin with file:line:column; say where only when they do not.
    const located = first.startsWith(`${s.file}:`);
    lines.push(`    ${paint.yellow("error")} ${located ? first : `${paint.dim(where(s.file, s.error.line))}: ${first}`}`);
    for (const l of rest) lines.push(`      ${l}`);
  }
  const start = evidenceStart(s);
  for (const c of s.checks) lines.push(...checkLines(c, s.file, start, paint, verbose));
  // An errored scenario that never got going has nothing to count; zeros would only be noise.
  if (Object.values(s.counts).some((n) => n > 0)) lines.push(paint.dim(`    ${countsText(s.counts)}`));
  return lines;
}

function checkLines(c: CheckOutcome, file: string, start: number, paint: Paint, verbose: boolean): string[] {
  const label = checkLabel(c);
  if (c.ok) {
    const lines = [`  ${paint.green("✓")} ${label}  ${paint.dim(oneLine(c.summary))}`];
    if (verbose && c.actual !== undefined) lines.push(...valueLines("actual", c.actual, paint));
    return lines;
  }
  const lines = [`  ${paint.red("✗")} ${paint.bold(label)}  ${oneLine(c.summary)}  ${paint.dim(where(file, c.line))}`];
  if (c.expected !== undefined) lines.push(...valueLines("expected", c.expected, paint));
  if (c.actual !== undefined) lines.push(...valueLines("actual", c.actual, paint));
  if (c.evidence.length > 0) {
    const shown = verbose ? c.evidence : c.evidence.slice(0, EVIDENCE_SHOWN);
    lines.push(`      ${paint.dim("evidence:")}`);
    for (const r of shown) lines.push(`        ${evidenceLine(r, start)}`);
    if (shown.length < c.evidence.length) lines.push(paint.dim(`        … ${c.evidence.length - shown.length} more (--verbose or report.json)`));
  }
  return lines;
}

function valueLines(label: "expected" | "actual", value: unknown, paint: Paint): string[] {
  const [first = "", ...rest] = formatValue(value);
  const head = `      ${paint.dim(`${label}:`.padEnd(9))} ${first}`;
  return [head, ...rest.map((l) => `${" ".repeat(16)}${l}`)];
}

/** The closing block: how many scenarios and checks passed, and where the time went. */
export function summaryBlock(run: RunReport, paint: Paint): string[] {
  const checks = run.scenarios.flatMap((s) => s.checks);
  const checksFailed = checks.filter((c) => !c.ok).length;
  const virtualMs = run.scenarios.reduce((sum, s) => sum + s.virtualMs, 0);
  const scenarioParts = [
    paint.green(`${run.passed} passed`),
    run.failed > 0 ? paint.red(`${run.failed} failed`) : `${run.failed} failed`,
    run.errored > 0 ? paint.yellow(`${run.errored} errored`) : `${run.errored} errored`,
  ];
  const checkParts = [paint.green(`${checks.length - checksFailed} passed`), checksFailed > 0 ? paint.red(`${checksFailed} failed`) : `${checksFailed} failed`];
  const lines = [
    "",
    `${paint.bold("Scenarios")}  ${scenarioParts.join(", ")} (${run.scenarios.length})`,
    `${paint.bold("Checks")}     ${checkParts.join(", ")} (${checks.length})`,
    `${paint.bold("Time")}       ${formatDuration(run.wallMs)} wall · ${formatDuration(virtualMs)} virtual`,
  ];
  const width = Math.min(40, Math.max(0, ...run.scenarios.map((s) => oneLine(s.name).length)));
  for (const s of run.scenarios) {
    const name = cap(oneLine(s.name), 40).padEnd(width);
    lines.push(`  ${scenarioMark(s.status, paint)} ${name}  ${paint.dim(scenarioTimes(s))}`);
  }
  return lines;
}
