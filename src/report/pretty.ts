import { createPaint, eraseLinesAbove, wantsColor } from "./ansi.js";
import { scenarioBlock, startLine, statusLine, summaryBlock } from "./pretty-text.js";
import type { Reporter, RunCounts, RunReport, ScenarioReport } from "./types.js";

/** A stream the pretty reporter writes to; `isTTY` and `columns` as Node's `process.stdout` has them. */
export type PrettyStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface PrettyReporterOptions {
  out: PrettyStream;
  /**
   * Colour the output with ANSI codes.
   * @default true on a TTY unless `NO_COLOR` is set; `FORCE_COLOR` forces it
   */
  color?: boolean;
  /**
   * Show every evidence record (not just the first 10), passed checks' actual values, seed and backend.
   * @default false
   */
  verbose?: boolean;
  /**
   * Rewrite one status line per running scenario in place; off, print a start and a finish line only
   * (what CI logs want).
   * @default out.isTTY, unless `TERM=dumb` (a terminal that cannot move the cursor)
   */
  live?: boolean;
  /**
   * Least real time between two redraws of the status lines.
   * @default 100
   */
  throttleMs?: number;
  /** Environment the colour default reads. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Real time for throttling. @default Date.now */
  now?: () => number;
}

interface Running {
  name: string;
  counts: RunCounts;
  virtualMs: number;
}

const ZERO: RunCounts = { accepted: 0, rejected: 0, delivered: 0, deadLettered: 0, consumed: 0, dedupHits: 0, retries: 0, faults: 0 };

/**
 * The reporter for people at a terminal or reading a CI log: live per-scenario progress, ✓/✗ per check,
 * expected vs actual and the evidence records of each failed check, and a summary.
 *
 * @example
 * const reporter = createPrettyReporter({ out: process.stdout });
 * reporter.scenarioStarted?.({ name: "FIFO order", file: "scenarios/fifo.yaml", index: 0, total: 1 });
 */
export function createPrettyReporter(options: PrettyReporterOptions): Reporter {
  const { out } = options;
  const env = options.env ?? process.env;
  const paint = createPaint(options.color ?? wantsColor(out, env));
  const verbose = options.verbose ?? false;
  const live = options.live ?? (out.isTTY === true && env.TERM !== "dumb");
  const throttleMs = options.throttleMs ?? 100;
  const now = options.now ?? Date.now;

  const running = new Map<string, Running>();
  /** Scenarios whose block is printed, so `runFinished` prints only the ones no one announced. */
  const printed = new Set<string>();
  let liveLines = 0;
  let lastDraw = -Infinity;

  const keyOf = (info: { name: string; file: string }): string => `${info.file}\u0000${info.name}`;
  // By content, not identity: a runner may hand `runFinished` copies of the reports it announced.
  const doneKey = (s: ScenarioReport): string => `${keyOf(s)}\u0000${s.startedAt}`;

  /** Writes lasting lines above the live block, then redraws the block under them. */
  function emit(lines: string[]): void {
    out.write(`${eraseLinesAbove(liveLines)}${lines.map((l) => `${l}\n`).join("")}`);
    liveLines = 0;
    if (live) draw();
  }

  function draw(): void {
    const width = out.columns ?? 80;
    const lines = [...running.values()].map((r) => paint.dim(statusLine(r, width)));
    const text = `${eraseLinesAbove(liveLines)}${lines.map((l) => `${l}\n`).join("")}`;
    if (text !== "") out.write(text);
    liveLines = lines.length;
    lastDraw = now();
  }

  function finish(report: ScenarioReport): void {
    running.delete(keyOf(report));
    printed.add(doneKey(report));
    emit(scenarioBlock(report, paint, verbose));
  }

  return {
    scenarioStarted(info) {
      if (live) {
        running.set(keyOf(info), { name: info.name, counts: ZERO, virtualMs: 0 });
        draw();
      } else {
        emit([startLine(info, paint)]);
      }
    },
    progress(info) {
      if (!live) return;
      running.set(keyOf(info), { name: info.name, counts: { ...info.counts }, virtualMs: info.virtualMs });
      // No timer: a skipped frame is shown by the next progress call or replaced by the finish block.
      if (now() - lastDraw >= throttleMs) draw();
    },
    scenarioFinished(report) {
      finish(report);
    },
    runFinished(run: RunReport) {
      for (const s of run.scenarios) if (!printed.has(doneKey(s))) finish(s);
      running.clear();
      emit(summaryBlock(run, paint));
    },
  };
}
