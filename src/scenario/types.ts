import type { SqsDestination } from "../engine/index.js";
import type { CheckName } from "../checks/index.js";
import type { EngineSettings } from "./engine-settings.js";
import type { RoleConfig } from "../emulator/index.js";

/** One problem in a scenario file, at the node it is about (1-based line and column). */
export interface ScenarioError {
  file: string;
  line: number;
  column: number;
  /** Field path such as `timeline[2].at` (empty for the whole document). */
  path: string;
  message: string;
}

export type ScenarioLoad = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

export const BACKENDS = ["embedded", "localstack", "endpoint", "aws"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A number of virtual seconds per real second, `max` (skip to the next timer) or `engine-only` (DESIGN "Time"). */
export type ScenarioTimeScale = number | "max" | "engine-only";

export interface ScenarioQueue {
  name: string;
  /** SQS queue attributes as CreateQueue takes them (string values). */
  attributes: Record<string, string>;
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
  line: number;
}

/**
 * The Pushrail destination with `queue` naming a scenario queue instead of `queueUrl`; the runner
 * resolves it to the backend's URL. `auth` is optional here (the embedded backend needs none).
 */
export type ScenarioDestination = Omit<SqsDestination, "queueUrl" | "auth" | "fifo" | "messageGroupIdField"> & {
  queue: string;
  auth?: SqsDestination["auth"];
  /** @default whether the queue name ends in .fifo, as the engine decides */
  fifo?: boolean;
  /** @default "customerExternalId" */
  messageGroupIdField?: string;
};

export const CONSUMER_KINDS = ["lambda", "pipe", "poller"] as const;
export type ConsumerKind = (typeof CONSUMER_KINDS)[number];

export interface ScenarioConsumer {
  name: string;
  queue: string;
  kind: ConsumerKind;
  /** Every other key, as written (batchSize, handler, scripted behaviour…): the consumers module validates them. */
  options: Record<string, unknown>;
  line: number;
}

export const TIMELINE_ACTIONS = [
  "send",
  "generate",
  "replayDlq",
  "restartEngine",
  "setFaults",
  "pauseConsumer",
  "resumeConsumer",
  "purge",
  "startMoveTask",
  "wait",
  "waitUntil",
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

/**
 * One timeline step. `args` is the action's value as written (validated), except: `wait` → milliseconds, `pauseConsumer`/`resumeConsumer` → consumer name,
 * `purge` → queue name, `startMoveTask` → {@link MoveTaskArgs}, `waitUntil` → a WaitCondition (conditions.ts).
 */
/** `startMoveTask`: a DLQ redrive (StartMessageMoveTask) from `source` to `destination` or the original source queues. */
export interface MoveTaskArgs {
  source: string;
  destination?: string;
  maxPerSecond?: number;
}

export interface TimelineStep {
  atMs: number;
  action: TimelineAction;
  args: unknown;
  line: number;
}

// One list of check names: src/checks owns it (checks may not import the scenario loader).
export { CHECK_NAMES } from "../checks/index.js";
export type { CheckName } from "../checks/index.js";

export interface ScenarioExpectation {
  check: CheckName;
  /** The check's options as written (`{}` for a bare name). */
  options: unknown;
  line: number;
}

/** A validated scenario file (DESIGN "Scenarios and checks"). */
export interface Scenario {
  file: string;
  name: string;
  description?: string;
  seed?: number;
  timeScale?: ScenarioTimeScale;
  backend?: BackendName;
  queues: ScenarioQueue[];
  destination?: ScenarioDestination;
  /** Engine settings (`batch`, `retry`, `maxInFlight`, `requestTimeoutMs`) as engine options. */
  engine?: EngineSettings;
  /** Fault rules as written, already validated by the faults module (`FaultInjector.setRules` takes them). */
  faults: unknown[];
  consumers: ScenarioConsumer[];
  timeline: TimelineStep[];
  expect: ScenarioExpectation[];
  /** IAM roles the embedded STS knows (for ASSUME_ROLE destinations). */
  roles?: RoleConfig[];
}
