import { readFile } from "node:fs/promises";
import { isNonEmptyString, isObject } from "./guards.js";
import { readConsumers, readDestination, readFaults, readQueues, readRoles } from "./sections.js";
import { ScenarioSource } from "./source.js";
import { readExpect, readTimeline } from "./timeline.js";
import { BACKENDS } from "./types.js";
import { compileEngineSettings, type EngineSettings } from "./engine-settings.js";
import type { BackendName, Scenario, ScenarioLoad, ScenarioTimeScale } from "./types.js";

/** The top-level keys of a scenario file (DESIGN "Scenarios and checks"); anything else is an error. */
export const SCENARIO_KEYS = [
  "name",
  "description",
  "seed",
  "timeScale",
  "backend",
  "queues",
  "destination",
  "engine",
  "faults",
  "consumers",
  "timeline",
  "expect",
  "roles",
] as const;

/**
 * Parses and validates one scenario (YAML, or JSON when `file` ends in .json) before anything runs.
 * Every error names the file, the 1-based line and column of the offending node and its field path;
 * all errors are collected, not just the first, so one `validate` run shows everything to fix.
 *
 * @example
 * const loaded = loadScenarioText("name: demo\nqueues: [{ name: q }]\n", "demo.yaml");
 * if (!loaded.ok) for (const e of loaded.errors) console.error(`${e.file}:${e.line}:${e.column} ${e.path}: ${e.message}`);
 */
export function loadScenarioText(text: string, file: string): ScenarioLoad {
  const src = ScenarioSource.parse(text, file);
  if (src.failed) return { ok: false, errors: src.errors };
  const raw = src.value;
  if (!isObject(raw)) {
    src.error([], "A scenario must be a map of keys (name, queues, destination, timeline, expect, …).");
    return { ok: false, errors: src.errors };
  }
  src.rejectUnknown(raw, [], SCENARIO_KEYS, "the scenario");

  if (!isNonEmptyString(raw.name)) src.error(raw.name === undefined ? [] : ["name"], "A scenario needs a name (a non-empty string).");
  if (raw.description !== undefined && typeof raw.description !== "string") src.error(["description"], "description must be a string.");
  if (raw.seed !== undefined && !(Number.isSafeInteger(raw.seed) && (raw.seed as number) >= 0)) src.error(["seed"], "seed must be an integer ≥ 0.");
  const timeScale = raw.timeScale;
  if (timeScale !== undefined && !(timeScale === "max" || timeScale === "engine-only" || (typeof timeScale === "number" && timeScale > 0 && Number.isFinite(timeScale)))) {
    src.error(["timeScale"], `timeScale must be a number > 0, "max" or "engine-only".`);
  }
  if (raw.backend !== undefined && !(BACKENDS as readonly unknown[]).includes(raw.backend)) src.error(["backend"], `backend must be one of ${BACKENDS.join(", ")}.`);
  let engine: EngineSettings | undefined;
  if (raw.engine !== undefined) {
    if (!isObject(raw.engine)) src.error(["engine"], "engine must be a map of engine settings (batch, retry, maxInFlight, requestTimeoutMs).");
    else {
      const checked = compileEngineSettings(raw.engine);
      if (checked.ok) engine = checked.settings;
      else for (const e of checked.errors) src.error(["engine", ...e.path], e.message, e.key ? "key" : "value");
    }
  }

  const queues = readQueues(src, raw.queues);
  const queueNames = queues.map((q) => q.name);
  const destination = readDestination(src, raw.destination, queueNames);
  const faults = readFaults(src, raw.faults, ["faults"]);
  const consumers = readConsumers(src, raw.consumers, queueNames);
  const roles = readRoles(src, raw.roles);
  const deadLetterQueues = queues.flatMap((q) => (q.redrive ? [q.redrive.deadLetterQueue] : []));
  const timeline = readTimeline(src, raw.timeline, { queues: queueNames, consumers: consumers.map((c) => c.name), deadLetterQueues, hasDestination: raw.destination !== undefined });
  const expect = readExpect(src, raw.expect);

  if (src.failed) return { ok: false, errors: [...src.errors].sort((a, b) => a.line - b.line || a.column - b.column) };
  const scenario: Scenario = { file, name: raw.name as string, queues, faults, consumers, timeline, expect };
  if (typeof raw.description === "string") scenario.description = raw.description;
  if (raw.seed !== undefined) scenario.seed = raw.seed as number;
  if (timeScale !== undefined) scenario.timeScale = timeScale as ScenarioTimeScale;
  if (raw.backend !== undefined) scenario.backend = raw.backend as BackendName;
  if (destination) scenario.destination = destination;
  if (roles.length > 0) scenario.roles = roles;
  if (engine) scenario.engine = engine;
  return { ok: true, scenario };
}

/** Reads and validates a scenario file; an unreadable file is one error at 1:1. */
export async function loadScenarioFile(path: string): Promise<ScenarioLoad> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, errors: [{ file: path, line: 1, column: 1, path: "", message: `Cannot read scenario file: ${message}` }] };
  }
  return loadScenarioText(text, path);
}
