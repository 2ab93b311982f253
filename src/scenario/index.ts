/**
 * scenario — scenario files (DESIGN "Scenarios and checks"): the schema as types, and a loader that
 * validates a YAML or JSON file before anything runs, naming file:line:column and the field path of
 * every problem (unknown keys with a did-you-mean, durations, undeclared queues and consumers, unknown
 * timeline actions and checks, and fault rules and the destination through their own compilers).
 */
export { loadScenarioText, loadScenarioFile, SCENARIO_KEYS } from "./load.js";
export { didYouMean, levenshtein } from "./suggest.js";
export { formatPath } from "./source.js";
export { locateScenarioNode } from "./locate.js";
export { TIMELINE_ACTIONS, CHECK_NAMES, CONSUMER_KINDS, BACKENDS } from "./types.js";
export type {
  Scenario,
  ScenarioLoad,
  ScenarioError,
  ScenarioQueue,
  ScenarioDestination,
  ScenarioConsumer,
  ScenarioExpectation,
  ScenarioTimeScale,
  TimelineStep,
  TimelineAction,
  CheckName,
  ConsumerKind,
  BackendName,
} from "./types.js";
export { runScenario } from "./run-scenario.js";
export type { RunScenarioOptions, ScenarioRun } from "./run-scenario.js";
export { startRig } from "./rig.js";
export type { Rig, RigOptions, RigQueue } from "./rig.js";
export type { SettleOptions, SettleResult } from "./settle.js";
export { ScenarioRunError } from "./run-error.js";
export { compileCondition, CONDITION_KEYS } from "./conditions.js";
export type { WaitCondition } from "./conditions.js";
export { generateEvents, GENERATE_KEYS } from "./generate.js";
export { compileEngineSettings, ENGINE_SETTING_KEYS } from "./engine-settings.js";
export type { EngineSettings } from "./engine-settings.js";
export { planConsumer } from "./consumer-setup.js";
export type { ConsumerPlan } from "./consumer-setup.js";
