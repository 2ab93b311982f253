/**
 * sqsrig — the public programmatic API. What a test suite or a tool embeds: a whole rig in one call
 * (`startRig`: emulator, engine and faults on one virtual clock) and scenario runs (`runScenario`), the
 * checks that judge a journal and the reporters that tell it, the SQS emulator (as an HTTP server or
 * in-process), `sqsrig serve` as a server (SQS API, delivery engine and /v1 API on one port), the
 * delivery engine and its preview, the fault injector, the consumers, the clocks that drive its time, the
 * run journal, and the shared SQS knowledge (errors, quotas, MD5 digests). Vitest matchers live apart, in
 * `sqsrig/vitest`, so this entry never loads vitest. Everything here comes from each subsystem's own door;
 * what is not exported here is internal and may change.
 *
 * @example
 * import { startRig } from "sqsrig";
 * const rig = await startRig({ queues: [{ name: "orders" }], destination: { type: "SQS", name: "orders", queue: "orders", region: "us-east-1", fifo: false, messageGroupIdField: "customerExternalId" } });
 * await rig.send({ eventType: "order.created", occurredAt: "2026-01-01T00:00:00Z", customerExternalId: "c-1", idempotencyKey: "o-1", payload: {} });
 * await rig.settle();
 * console.log(rig.check("noLoss").summary);
 * await rig.close();
 */
export { VirtualClock, createRealClock } from "./clock/index.js";
export type { Clock, TimerHandle, TimeScale, VirtualClockOptions } from "./clock/index.js";
export { Journal, createJournal, readJournal, writeJournalTo } from "./journal/index.js";
export type {
  JournalClock,
  JournalEvent,
  JournalListener,
  JournalOptions,
  JournalRecord,
  JournalType,
  JournalWriter,
  JournalWriterOptions,
  RecordOf,
} from "./journal/index.js";
export { Emulator, openEmulator, startEmulatorServer } from "./emulator/index.js";
export type {
  EmulatorOptions,
  EmulatorServer,
  EmulatorServerOptions,
  OpenEmulator,
  OpenEmulatorOptions,
  PersistenceOptions,
  Principal,
  RequestContext,
  RoleConfig,
} from "./emulator/index.js";
export { LIMITS, SqsError, md5OfBody, md5OfMessageAttributes } from "./sqs/index.js";
export type { MessageAttributeValue, MessageAttributes, SqsErrorName } from "./sqs/index.js";
export { startSqsrigServer } from "./server/index.js";
export type { SqsrigServer, SqsrigServerOptions } from "./server/index.js";
export { buildPreview, createEngine, formatPreview, IngestError } from "./engine/index.js";
export type {
  DlqEntry,
  Engine,
  EngineOptions,
  IngestReport,
  IngestResult,
  PreviewReport,
  ReplayReport,
  ReplayRequest,
  SqsDestination,
} from "./engine/index.js";
export { FaultInjector, attachFaults, compileFaultRules, withFaults } from "./faults/index.js";
export type { FaultRule, FaultRuleError } from "./faults/index.js";
export { loadHandler, scriptedHandler, startLambdaConsumer, startPipeConsumer, startPoller, toLambdaRecord } from "./consumers/index.js";
export type {
  ConsumerHandler,
  LambdaConsumerOptions,
  LambdaSqsRecord,
  PipeConsumerOptions,
  PollerOptions,
  ScriptedSpec,
  SqsEvent,
} from "./consumers/index.js";
export { ScenarioRunError, loadScenarioFile, loadScenarioText, runScenario, startRig } from "./scenario/index.js";
export type {
  Rig,
  RigOptions,
  RigQueue,
  RunScenarioOptions,
  Scenario,
  ScenarioConsumer,
  ScenarioDestination,
  ScenarioError,
  ScenarioExpectation,
  ScenarioLoad,
  ScenarioQueue,
  ScenarioRun,
  ScenarioTimeScale,
  SettleOptions,
  SettleResult,
  TimelineStep,
} from "./scenario/index.js";
export {
  CHECKS,
  CHECK_NAMES,
  accepted,
  attempts,
  consumerSaw,
  dedupHits,
  delivered,
  dlq,
  fifoOrder,
  latency,
  noDuplicates,
  noLoss,
  runCheck,
} from "./checks/index.js";
export type {
  AcceptedOptions,
  AttemptsOptions,
  CheckName,
  CheckResult,
  ConsumerSawOptions,
  DedupHitsOptions,
  DeliveredOptions,
  DlqOptions,
  FifoOrderOptions,
  LatencyBounds,
  LatencyOptions,
  NoDuplicatesOptions,
  NoLossOptions,
  ReasonCount,
  RegisteredCheck,
  SawMessageAttribute,
} from "./checks/index.js";
export { countsOf, createReporters, exitCodeOf, reportJson, reportJunit } from "./report/index.js";
export type { CheckOutcome, Reporter, ReporterName, ReportersOptions, RunCounts, RunReport, ScenarioReport } from "./report/index.js";
