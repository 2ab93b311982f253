import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Argv } from "yargs";
import { appendRunIndex, createReporters, exitCodeOf, type ReporterName, type RunReport, type ScenarioReport } from "../report/index.js";
import { runScenario, type Scenario } from "../scenario/index.js";
import type { CommandContext } from "./command-context.js";
import { findScenarioFiles } from "./scenario-files.js";
import { formatScenarioError, validateScenarioFile } from "./validate-command.js";

export interface RunArgs {
  paths: string[];
  backend: string;
  endpoint?: string;
  ui: boolean;
  port: number;
  reporter: string[];
  out?: string;
  seed?: number;
  "time-scale"?: string;
  grep?: string;
  bail: boolean;
}

/** Where runs are indexed for the UI's history: `$SQSRIG_HOME/runs.json`, by default `.sqsrig/runs.json`. */
export function runIndexFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.SQSRIG_HOME || ".sqsrig", "runs.json");
}

/**
 * `sqsrig run [paths..]` (DESIGN "Contracts"): validates every scenario file first (nothing runs if one is
 * invalid: exit 2 with file:line:column), then runs each on a fresh embedded rig, one after another, and
 * reports check by check. Exit 0 when every check held, 1 when one failed, 2 for bad input or a scenario
 * that could not run.
 */
export function runCommand(yargs: Argv, ctx: CommandContext) {
  return yargs.command<RunArgs>(
    "run [paths..]",
    "Run scenario files and check the delivery guarantees they expect",
    (y) =>
      y
        .positional("paths", { type: "string", array: true, default: ["scenarios"], describe: "Scenario files or folders (*.yaml, *.yml, *.json)" })
        .option("backend", { type: "string", default: "embedded", choices: ["embedded", "localstack", "endpoint", "aws"], describe: "Queue backend (scenario runs support embedded today)" })
        .option("endpoint", { type: "string", describe: "SQS endpoint URL for --backend endpoint" })
        .option("ui", { type: "boolean", default: false, describe: "Serve the live UI while scenarios run" })
        .option("port", { type: "number", default: 4590, describe: "Port of the UI with --ui" })
        .option("reporter", { type: "string", array: true, default: ["pretty"], choices: ["pretty", "json", "junit"], describe: "How to report (repeatable)" })
        .option("out", { type: "string", describe: "Write report.json, junit.xml and each run's journal.ndjson here" })
        .option("seed", { type: "number", describe: "Seed for every scenario (the same seed gives the same journal)" })
        .option("time-scale", { type: "string", describe: "Virtual seconds per real second, or max (skip to the next timer when idle)" })
        .option("grep", { type: "string", describe: "Run only scenarios whose name or file contains this text" })
        .option("bail", { type: "boolean", default: false, describe: "Stop after the first scenario that does not pass" }) as Argv<RunArgs>,
    async (args) => ctx.setExitCode(await run(args)),
  );
}

async function run(args: RunArgs): Promise<number> {
  const bad = (message: string) => (console.error(`sqsrig: ${message}`), 2);
  if (args.backend !== "embedded") return bad(`backend '${args.backend}' is not available to scenario runs yet; run them on the embedded backend (the default).`);
  if (args.ui) console.error("sqsrig: --ui is not available yet; running without the UI.");
  let timeScale: number | "max" | undefined;
  if (args["time-scale"] !== undefined) {
    const raw = args["time-scale"];
    timeScale = raw === "max" ? "max" : Number(raw);
    if (timeScale !== "max" && !(timeScale > 0 && Number.isFinite(timeScale))) return bad(`--time-scale must be a number > 0 or max, got '${raw}'.`);
  }
  if (args.seed !== undefined && !(Number.isSafeInteger(args.seed) && args.seed >= 0)) return bad(`--seed must be an integer ≥ 0, got ${args.seed}.`);
  if (args.out === undefined && args.reporter.includes("json") && args.reporter.includes("junit")) {
    return bad("--reporter json and --reporter junit would both write to stdout; add --out DIR to get report.json and junit.xml as files.");
  }

  const { files, problems } = await findScenarioFiles(args.paths);
  for (const problem of problems) console.error(`sqsrig: ${problem}`);
  if (problems.length > 0) return 2;
  // Validation before anything runs: one bad file stops the run before any queue is made.
  const scenarios: Scenario[] = [];
  let invalid = 0;
  for (const file of files) {
    const verdict = await validateScenarioFile(file);
    if (verdict.ok) scenarios.push(verdict.scenario);
    else {
      invalid++;
      for (const e of verdict.errors) console.error(formatScenarioError(e));
    }
  }
  if (invalid > 0) return bad(`${invalid} of ${files.length} scenario file${files.length === 1 ? "" : "s"} invalid; nothing was run.`);
  const grep = args.grep;
  const selected = grep === undefined ? scenarios : scenarios.filter((s) => s.name.includes(grep) || s.file.includes(grep));
  if (selected.length === 0) return bad(`no scenario matches --grep '${grep}' (of ${scenarios.length}).`);

  if (args.out !== undefined) await mkdir(args.out, { recursive: true });
  const reporter = createReporters(args.reporter as ReporterName[], {
    out: process.stdout,
    err: process.stderr,
    ...(args.out !== undefined ? { outDir: args.out } : {}),
    github: process.env.GITHUB_ACTIONS === "true",
  });
  const startedAt = new Date();
  const realStart = performance.now();
  const reports: ScenarioReport[] = [];
  const interrupt = onInterrupt();
  for (const [index, scenario] of selected.entries()) {
    const { file, name } = scenario;
    if (interrupt.requested) break;
    reporter.scenarioStarted?.({ name, file, index, total: selected.length });
    let journalFile: string | undefined;
    if (args.out !== undefined) {
      const dir = join(args.out, `${String(index + 1).padStart(2, "0")}-${slug(name)}`);
      await mkdir(dir, { recursive: true });
      journalFile = join(dir, "journal.ndjson");
    }
    // The scenario validated above, not the file read again: what was checked is what runs.
    const { records: _records, ...report } = await runScenario(scenario, {
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(timeScale !== undefined ? { timeScale } : {}),
      ...(journalFile ? { journalFile } : {}),
      onProgress: (p) => reporter.progress?.({ name, file, ...p }),
    });
    reports.push(report);
    reporter.scenarioFinished?.(report);
    if (args.bail && report.status !== "passed") break;
  }
  interrupt.dispose();
  const runReport: RunReport = {
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(performance.now() - realStart),
    scenarios: reports,
    passed: reports.filter((r) => r.status === "passed").length,
    failed: reports.filter((r) => r.status === "failed").length,
    errored: reports.filter((r) => r.status === "error").length,
  };
  try {
    await reporter.runFinished(runReport);
  } catch (err) {
    return bad(`a report could not be written: ${err instanceof Error ? err.message : String(err)}`);
  }
  await appendRunIndex(runIndexFile(), reports).catch((err: unknown) => {
    console.error(`sqsrig: the run index (${runIndexFile()}) could not be updated: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (interrupt.requested) {
    console.error(`sqsrig: interrupted after ${reports.length} of ${selected.length} scenarios; their reports are written.`);
    return 130;
  }
  return exitCodeOf(runReport);
}

/**
 * Ctrl-C (or CI cancelling the job with SIGTERM) stops the run after the scenario under way — seconds,
 * with virtual time — so the reports, journals and run index of the finished ones are still written.
 * A second signal quits at once.
 */
function onInterrupt(): { readonly requested: boolean; dispose(): void } {
  const state = { requested: false };
  const handler = (signal: NodeJS.Signals) => {
    if (state.requested) process.exit(130);
    state.requested = true;
    console.error(`sqsrig: ${signal}: stopping after the scenario under way (again to quit now).`);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get requested() {
      return state.requested;
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

/** A folder name from a scenario name: lower-case words joined by dashes. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "scenario";
}
