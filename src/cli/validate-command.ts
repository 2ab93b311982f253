import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Argv } from "yargs";
import { HandlerLoadError, loadHandler } from "../consumers/index.js";
import { createRealClock } from "../clock/index.js";
import { formatPath, loadScenarioFile, locateScenarioNode, planConsumer, ScenarioRunError } from "../scenario/index.js";
import type { Scenario, ScenarioError } from "../scenario/index.js";
import type { CommandContext } from "./command-context.js";
import { findScenarioFiles } from "./scenario-files.js";

export interface ValidateArgs {
  paths: string[];
}

/** The outcome of one scenario file: the scenario when valid (`run` plays it as loaded), else every error found. */
export type FileVerdict = { file: string; ok: true; name: string; scenario: Scenario } | { file: string; ok: false; errors: ScenarioError[] };

/**
 * `sqsrig validate [paths..]` (DESIGN "Contracts"): checks scenario files and folders without running
 * them — the loader's checks plus every consumer handler module, loaded as `run` would load it. Each
 * error is one `file:line:column path: message` line on stderr; each valid file one `✓ file (name)` line
 * on stdout. Exit 0 when every file is valid, 2 when any is not or a path gives nothing to check.
 */
export function validateCommand(yargs: Argv, ctx: CommandContext) {
  return yargs.command<ValidateArgs>(
    "validate [paths..]",
    "Check scenario files (YAML or JSON) and their handler modules without running them",
    (y) =>
      y.positional("paths", {
        type: "string",
        array: true,
        default: ["scenarios"],
        describe: "Scenario files or folders (searched for *.yaml, *.yml, *.json)",
      }) as Argv<ValidateArgs>,
    async (args) => {
      const { files, problems } = await findScenarioFiles(args.paths);
      for (const problem of problems) console.error(`sqsrig: ${problem}`);
      let invalid = 0;
      for (const file of files) {
        const verdict = await validateScenarioFile(file);
        if (verdict.ok) process.stdout.write(`✓ ${file} (${verdict.name})\n`);
        else {
          invalid++;
          for (const e of verdict.errors) console.error(formatScenarioError(e));
        }
      }
      if (invalid > 0) console.error(`sqsrig: ${invalid} of ${files.length} scenario file${files.length === 1 ? "" : "s"} invalid.`);
      ctx.setExitCode(invalid > 0 || problems.length > 0 ? 2 : 0);
    },
  );
}

/** `file:line:column path: message`, the form editors and terminals turn into a link. */
export function formatScenarioError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.column}${e.path ? ` ${e.path}` : ""}: ${e.message}`;
}

/**
 * Loads one scenario file and, when it is valid, every consumer handler module it names (relative to the
 * scenario's folder), so a module that is missing, has a syntax error or exports no function is an error
 * at its `handler` value before anything runs.
 */
export async function validateScenarioFile(file: string): Promise<FileVerdict> {
  const loaded = await loadScenarioFile(file);
  if (!loaded.ok) return { file, ok: false, errors: loaded.errors };
  const errors = await handlerErrors(loaded.scenario);
  if (errors.length === 0) errors.push(...(await consumerOptionErrors(loaded.scenario)));
  return errors.length > 0 ? { file, ok: false, errors } : { file, ok: true, name: loaded.scenario.name, scenario: loaded.scenario };
}

async function handlerErrors(scenario: Scenario): Promise<ScenarioError[]> {
  const errors: ScenarioError[] = [];
  let text: string | undefined;
  // A loaded scenario keeps every consumer, in file order, so index i is `consumers[i]` in the file.
  for (const [i, consumer] of scenario.consumers.entries()) {
    const { handler, exportName } = consumer.options;
    if (handler === undefined) continue;
    let path: (string | number)[] = ["consumers", i, "handler"];
    let message: string | undefined;
    if (typeof handler !== "string" || handler === "") message = "handler must be the path of a .ts, .mts, .js or .mjs module, relative to this scenario file.";
    else if (exportName !== undefined && (typeof exportName !== "string" || exportName === "")) {
      path = ["consumers", i, "exportName"];
      message = "exportName must be the name of the module's export to call.";
    } else {
      try {
        await loadHandler(handler, { baseDir: dirname(scenario.file), ...(exportName !== undefined ? { exportName: exportName as string } : {}) });
      } catch (err) {
        if (!(err instanceof HandlerLoadError)) throw err;
        message = `consumer '${consumer.name}': ${err.message}`;
      }
    }
    if (message === undefined) continue;
    text ??= await readFile(scenario.file, "utf8");
    const at = locateScenarioNode(text, scenario.file, path);
    errors.push({ file: scenario.file, line: at.line, column: at.column, path: formatPath(path), message });
  }
  return errors;
}

/**
 * The consumer checks a run makes before it starts (options AWS would refuse for the declared queue,
 * scripted behaviours, startPaused), made here too, so `validate` and `run` agree on what is valid.
 */
async function consumerOptionErrors(scenario: Scenario): Promise<ScenarioError[]> {
  const errors: ScenarioError[] = [];
  let text: string | undefined;
  for (const [i, consumer] of scenario.consumers.entries()) {
    try {
      await planConsumer(consumer, scenario.file, scenario.queues, createRealClock());
    } catch (err) {
      if (!(err instanceof ScenarioRunError)) throw err;
      text ??= await readFile(scenario.file, "utf8");
      const at = locateScenarioNode(text, scenario.file, ["consumers", i]);
      errors.push({ file: scenario.file, line: at.line, column: at.column, path: formatPath(["consumers", i]), message: err.message });
    }
  }
  return errors;
}
