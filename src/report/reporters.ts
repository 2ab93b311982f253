import { join } from "node:path";
import { createGithubReporter } from "./github.js";
import { createJsonReporter } from "./json.js";
import { createJunitReporter } from "./junit.js";
import { createPrettyReporter, type PrettyStream } from "./pretty.js";
import type { Reporter, RunReport } from "./types.js";

export type ReporterName = "pretty" | "json" | "junit";

export interface ReportersOptions {
  /** Standard output: the pretty reporter, and JSON / JUnit when no `outDir` is given. */
  out: PrettyStream;
  /**
   * Where people's output (pretty, annotations) goes when a JSON or JUnit report owns `out`, so
   * `sqsrig run --reporter json > report.json` stays parseable.
   * @default out
   */
  err?: PrettyStream;
  /** `--out DIR`: report.json and junit.xml are always written there (the runner adds the journals). */
  outDir?: string;
  /** Print GitHub annotations (the CLI sets this when `GITHUB_ACTIONS=true`). @default false */
  github?: boolean;
  /** Repository root that absolute scenario paths in annotations are made relative to. @default env.GITHUB_WORKSPACE */
  workspace?: string;
  /** Colour for pretty. @default as {@link createPrettyReporter} decides */
  color?: boolean;
  verbose?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Several reporters heard as one. `runFinished` runs each in turn (so output on a shared stream keeps its
 * order) and, after all have run, throws what failed — a report that could not be written is exit 2.
 */
export function combineReporters(reporters: readonly Reporter[]): Reporter {
  return {
    scenarioStarted: (info) => reporters.forEach((r) => r.scenarioStarted?.(info)),
    progress: (info) => reporters.forEach((r) => r.progress?.(info)),
    scenarioFinished: (report) => reporters.forEach((r) => r.scenarioFinished?.(report)),
    async runFinished(run: RunReport) {
      const errors: unknown[] = [];
      for (const r of reporters) {
        try {
          await r.runFinished(run);
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} reporters failed`);
    },
  };
}

/**
 * The reporters `sqsrig run --reporter … --out DIR` asks for, as one (DESIGN "Contracts"): pretty to the
 * stream; json / junit to the stream without `outDir`; with `outDir`, report.json and junit.xml there
 * whichever reporters were named; GitHub annotations when `github`. No names means pretty.
 *
 * @example
 * const reporter = createReporters(["pretty", "junit"], { out: process.stdout, outDir: "out", github: process.env.GITHUB_ACTIONS === "true" });
 */
export function createReporters(names: readonly ReporterName[], options: ReportersOptions): Reporter {
  const wanted = new Set<ReporterName>(names.length === 0 ? ["pretty"] : names);
  const env = options.env ?? process.env;
  const outDir = options.outDir;
  const machineOnOut = outDir === undefined && (wanted.has("json") || wanted.has("junit"));
  const human = machineOnOut ? (options.err ?? options.out) : options.out;

  const reporters: Reporter[] = [];
  if (wanted.has("pretty")) reporters.push(createPrettyReporter({ out: human, color: options.color, verbose: options.verbose, env }));
  if (options.github) reporters.push(createGithubReporter({ out: human, workspace: options.workspace ?? env.GITHUB_WORKSPACE }));
  if (outDir !== undefined) {
    reporters.push(createJsonReporter({ file: join(outDir, "report.json") }));
    reporters.push(createJunitReporter({ file: join(outDir, "junit.xml") }));
  } else {
    if (wanted.has("json")) reporters.push(createJsonReporter({ stream: options.out }));
    if (wanted.has("junit")) reporters.push(createJunitReporter({ stream: options.out }));
  }
  return combineReporters(reporters);
}
