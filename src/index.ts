/**
 * sqsrig — the public programmatic API. What a test suite or a tool embeds: the SQS emulator (as an
 * HTTP server or in-process), `sqsrig serve` as a server (SQS API, delivery engine and /v1 API on one
 * port), the delivery engine and its preview, the fault injector, the consumers, the clocks that drive its time, the run journal, and the shared SQS
 * knowledge (errors, quotas, MD5 digests). Everything here comes from each subsystem's own door; what is
 * not exported here is internal and may change.
 *
 * @example
 * import { startEmulatorServer, VirtualClock } from "sqsrig";
 * const clock = new VirtualClock({ timeScale: "manual" });
 * const server = await startEmulatorServer({ port: 0, clock });
 * // … point an SQSClient at server.url; `await clock.advance(31_000)` expires a 30 s visibility timeout.
 * await server.close();
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
