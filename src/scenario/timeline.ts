import { CHECKS } from "../checks/index.js";
import { parseDuration } from "../clock/index.js";
import { validateEvent } from "../engine/index.js";
import { generateEvents, readGenerateSpec } from "./generate.js";
import { compileCondition } from "./conditions.js";
import { isNonEmptyString, isObject, isPositiveInteger } from "./guards.js";
import { readFaults, undeclared } from "./sections.js";
import type { Path, ScenarioSource } from "./source.js";
import { unknownKeyMessage } from "./suggest.js";
import { CHECK_NAMES, TIMELINE_ACTIONS } from "./types.js";
import type { CheckName, ScenarioExpectation, TimelineAction, TimelineStep } from "./types.js";

export const DURATION_HINT = "a duration such as 500ms, 5s, 2m or 1h (a bare number is milliseconds)";

export interface Declared {
  queues: string[];
  consumers: string[];
  /** Queues some declared queue redrives to. */
  deadLetterQueues: string[];
  /** Whether the scenario declares a destination (sends need one). */
  hasDestination: boolean;
}

/** `timeline:` — each step is `at` plus exactly one known action; arguments are checked shallowly. */
export function readTimeline(src: ScenarioSource, raw: unknown, declared: Declared): TimelineStep[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(["timeline"], "timeline must be a list of steps such as - { at: 0s, send: {...} }.");
    return [];
  }
  const steps: TimelineStep[] = [];
  raw.forEach((step: unknown, i) => {
    const at: Path = ["timeline", i];
    if (!isObject(step)) return src.error(at, "A timeline step must be an object: `at` plus one action.");
    const actions = Object.keys(step).filter((k) => k !== "at");
    for (const key of actions) {
      if (!(TIMELINE_ACTIONS as readonly string[]).includes(key)) src.error([...at, key], unknownKeyMessage(key, "a timeline step", ["at", ...TIMELINE_ACTIONS]), "key");
    }
    const known = actions.filter((k): k is TimelineAction => (TIMELINE_ACTIONS as readonly string[]).includes(k));
    if (known.length > 1) src.error([...at, known[1]!], `A timeline step takes one action; found ${known.join(" and ")}.`, "key");
    if (actions.length === 0) src.error(at, `A timeline step needs an action: one of ${TIMELINE_ACTIONS.join(", ")}.`);
    let atMs: number | undefined;
    if (step.at === undefined) src.error(at, "A timeline step needs `at`, its virtual time from the start of the run (e.g. at: 5s).");
    else {
      atMs = parseDuration(step.at);
      if (atMs === undefined) src.error([...at, "at"], `at ${JSON.stringify(step.at)} is not ${DURATION_HINT}.`);
    }
    if (known.length !== 1) return;
    const action = known[0]!;
    if ((action === "send" || action === "generate" || action === "replayDlq") && !declared.hasDestination) {
      return src.error([...at, action], `${action} needs a destination: declare one under destination (the queue the engine delivers to).`, "key");
    }
    const args = readArgs(src, action, step[action], [...at, action], declared);
    const previous = steps.at(-1);
    if (atMs !== undefined && previous && atMs < previous.atMs) {
      return src.error([...at, "at"], `Steps run in time order: this one is at ${step.at} after a step at ${previous.atMs} ms (line ${previous.line}).`);
    }
    if (atMs !== undefined && args !== INVALID) steps.push({ atMs, action, args, line: src.lineOf(at) });
  });
  return steps;
}

const INVALID = Symbol("invalid");
/** Reports one problem at `path` (the key itself for unknown keys) and marks the step invalid. */
type Fail = (message: string, path?: Path, position?: "key" | "value") => typeof INVALID;

function readArgs(src: ScenarioSource, action: TimelineAction, value: unknown, at: Path, declared: Declared): unknown {
  const fail = (message: string, path: Path = at, position: "key" | "value" = "value"): typeof INVALID => (src.error(path, message, position), INVALID);
  switch (action) {
    case "send": {
      if (!isObject(value)) return fail("send takes one canonical event (eventType, customerExternalId, idempotencyKey, payload, …).");
      // The engine's own event check, with occurredAt defaulted as the runner does.
      const check = validateEvent({ occurredAt: "2026-01-01T00:00:00Z", ...value });
      if (!check.ok) {
        for (const e of check.errors) {
          const key = e.field.split(".")[0]!;
          src.error(key in value ? [...at, key] : at, `send: ${e.message}`, e.rule === "unknown" ? "key" : "value");
        }
        return INVALID;
      }
      return value;
    }
    case "generate":
      return readGenerate(value, at, fail);
    case "setFaults": {
      const before = src.errors.length;
      const rules = readFaults(src, value ?? [], at);
      return src.errors.length > before ? INVALID : rules;
    }
    case "pauseConsumer":
    case "resumeConsumer": {
      const name = isObject(value) ? value.consumer : value;
      const path = isObject(value) ? [...at, "consumer"] : at;
      if (!isNonEmptyString(name)) return fail(`${action} takes a consumer name (or { consumer: NAME }).`, path);
      return declared.consumers.includes(name) ? name : fail(undeclared("consumer", name, declared.consumers), path);
    }
    case "purge": {
      const name = isObject(value) ? value.queue : value;
      const path = isObject(value) ? [...at, "queue"] : at;
      if (!isNonEmptyString(name)) return fail("purge takes a queue name (or { queue: NAME }).", path);
      return declared.queues.includes(name) ? name : fail(undeclared("queue", name, declared.queues), path);
    }
    case "startMoveTask":
      return readMoveTask(value, at, fail, declared);
    case "wait": {
      const ms = parseDuration(value);
      return ms === undefined ? fail(`wait ${JSON.stringify(value)} is not ${DURATION_HINT}.`) : ms;
    }
    case "waitUntil": {
      const checked = compileCondition(value);
      if (checked.ok) return checked.condition;
      for (const e of checked.errors) src.error([...at, ...e.path], e.message, e.message.startsWith("Unknown") ? "key" : "value");
      return INVALID;
    }
    case "restartEngine":
      // A crash has no settings: `restartEngine: {}` and a bare `restartEngine:` are the same.
      if (value === null || value === undefined || (isObject(value) && Object.keys(value).length === 0)) return {};
      return fail("restartEngine takes no settings (write restartEngine: {}): it kills the engine as a crash would.");
    case "replayDlq":
      return readReplay(value, at, fail);
  }
}

/** `generate`: count (required), groups, payloadBytes, duplicateRatio, over, keyPrefix; other keys are event fields. */
function readGenerate(value: unknown, at: Path, fail: Fail): unknown {
  if (!isObject(value)) return fail("generate takes { count, groups?, eventType?, payloadBytes?, duplicateRatio?, over? }.");
  if (!isPositiveInteger(value.count)) return fail("generate.count must be an integer ≥ 1.", value.count === undefined ? at : [...at, "count"]);
  if (value.groups !== undefined && !isPositiveInteger(value.groups)) return fail("generate.groups must be an integer ≥ 1.", [...at, "groups"]);
  const bytes = value.payloadBytes;
  if (bytes !== undefined && !(Number.isSafeInteger(bytes) && (bytes as number) >= 0)) return fail("generate.payloadBytes must be an integer ≥ 0.", [...at, "payloadBytes"]);
  const ratio = value.duplicateRatio;
  if (ratio !== undefined && !(typeof ratio === "number" && ratio >= 0 && ratio <= 1)) return fail("generate.duplicateRatio must be a number from 0 to 1.", [...at, "duplicateRatio"]);
  if (value.over !== undefined && parseDuration(value.over) === undefined) return fail(`generate.over ${JSON.stringify(value.over)} is not ${DURATION_HINT}.`, [...at, "over"]);
  if (value.keyPrefix !== undefined && !isNonEmptyString(value.keyPrefix)) return fail("generate.keyPrefix must be a non-empty string.", [...at, "keyPrefix"]);
  // The other keys are event fields: judge one sample event the way the engine will judge every one.
  const [sample] = generateEvents({ ...readGenerateSpec(value, 0), count: 1 }, 1, 0);
  const check = validateEvent(sample);
  if (!check.ok) {
    const e = check.errors[0]!;
    const key = e.field.split(".")[0]!;
    return fail(`generate makes events the engine would reject: ${e.field}: ${e.message}`, key in value ? [...at, key] : at);
  }
  return value;
}

/**
 * `startMoveTask: { source, destination?, maxPerSecond? }` — the source must be a declared queue that some
 * declared queue redrives to: "Source queue must be configured as a Dead Letter Queue" (SQS API
 * reference, StartMessageMoveTask); MaxNumberOfMessagesPerSecond is 1–500.
 */
function readMoveTask(value: unknown, at: Path, fail: Fail, declared: Declared): unknown {
  const args = isNonEmptyString(value) ? { source: value } : value;
  if (!isObject(args)) return fail("startMoveTask takes { source: DLQ_NAME, destination?: QUEUE, maxPerSecond?: N } (or the DLQ's name).");
  for (const key of Object.keys(args)) {
    if (!["source", "destination", "maxPerSecond"].includes(key)) return fail(unknownKeyMessage(key, "startMoveTask", ["source", "destination", "maxPerSecond"]), [...at, key], "key");
  }
  const source = args.source;
  if (!isNonEmptyString(source)) return fail("startMoveTask.source must name the dead-letter queue to move messages out of.", "source" in args ? [...at, "source"] : at);
  const sourcePath = isObject(value) ? [...at, "source"] : at;
  if (!declared.queues.includes(source)) return fail(undeclared("queue", source, declared.queues), sourcePath);
  if (!declared.deadLetterQueues.includes(source)) return fail(`startMoveTask.source '${source}' must be a dead-letter queue: no declared queue redrives to it (StartMessageMoveTask: "Source queue must be configured as a Dead Letter Queue").`, sourcePath);
  if (args.destination !== undefined && !(isNonEmptyString(args.destination) && declared.queues.includes(args.destination))) {
    return fail(undeclared("queue", String(args.destination), declared.queues), [...at, "destination"]);
  }
  if (args.maxPerSecond !== undefined && !(isPositiveInteger(args.maxPerSecond) && args.maxPerSecond <= 500)) {
    return fail("startMoveTask.maxPerSecond must be an integer from 1 to 500 (MaxNumberOfMessagesPerSecond).", [...at, "maxPerSecond"]);
  }
  return args;
}

const REPLAY_KEYS = ["ids", "all", "destination", "asNew", "force"];

/** `replayDlq: { ids?, all?, destination?, asNew?, force? }` — the engine's ReplayRequest; no ids means every entry. */
function readReplay(value: unknown, at: Path, fail: Fail): unknown {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) return fail("replayDlq takes { ids?, destination?, asNew?, force? } (or nothing: every DLQ entry).");
  for (const key of Object.keys(value)) {
    if (!REPLAY_KEYS.includes(key)) return fail(unknownKeyMessage(key, "replayDlq", REPLAY_KEYS), [...at, key], "key");
  }
  if (value.ids !== undefined && !(Array.isArray(value.ids) && value.ids.length > 0 && value.ids.every(isNonEmptyString))) {
    return fail("replayDlq.ids must be a list of DLQ entry ids.", [...at, "ids"]);
  }
  if (value.all !== undefined && typeof value.all !== "boolean") return fail("replayDlq.all must be true or false.", [...at, "all"]);
  if (value.destination !== undefined && !isNonEmptyString(value.destination)) return fail("replayDlq.destination must name a destination.", [...at, "destination"]);
  for (const flag of ["asNew", "force"] as const) {
    if (value[flag] !== undefined && typeof value[flag] !== "boolean") return fail(`replayDlq.${flag} must be true or false.`, [...at, flag]);
  }
  if (value.asNew === true && value.force === true) return fail("replayDlq takes asNew (a fresh dedup id) or force (the same one), not both.", [...at, "force"]);
  return value;
}

/** `expect:` — bare check names or single-key maps `{ check: options }`; options belong to src/checks. */
export function readExpect(src: ScenarioSource, raw: unknown): ScenarioExpectation[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    src.error(["expect"], "expect must be a list of checks such as - noLoss or - delivered: { count: 10 }.");
    return [];
  }
  const out: ScenarioExpectation[] = [];
  raw.forEach((item: unknown, i) => {
    const at: Path = ["expect", i];
    let name: string;
    let options: unknown = {};
    let path: Path = at;
    let position: "key" | "value" = "value";
    if (typeof item === "string") name = item;
    else if (isObject(item) && Object.keys(item).length === 1) {
      name = Object.keys(item)[0]!;
      options = item[name] ?? {};
      path = [...at, name];
      position = "key";
    } else return src.error(at, "A check is a name (noLoss) or one name with options (delivered: { count: 10 }).");
    if (!(CHECK_NAMES as readonly string[]).includes(name)) return src.error(path, unknownKeyMessage(name, "expect", CHECK_NAMES).replace("Unknown key", "Unknown check"), position);
    // The check judges its own options; problems land on the offending key or value of this file.
    const problems = CHECKS[name as CheckName].optionProblems(options);
    for (const p of problems) src.error([...path, ...p.path], p.message, p.at === "key" ? "key" : "value");
    if (problems.length > 0) return;
    out.push({ check: name as CheckName, options, line: src.lineOf(at) });
  });
  return out;
}
