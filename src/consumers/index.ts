/**
 * consumers — the customer's side of the queue, run the way AWS runs it: a Lambda SQS event source
 * mapping, an EventBridge Pipes SQS source and a plain ReceiveMessage/Delete poller. They read through
 * the real SQS API (any SQSClient), hand handlers records in the exact Lambda SQS event shape, settle
 * batches by AWS's partial batch response rules, and leave failures to the visibility timeout and the
 * queue's DLQ. Every step is a `consumer.*` journal record; all time goes through the given Clock.
 */
export type { LambdaSqsRecord, LambdaSqsMessageAttribute, SqsEvent, BatchResponse, HandlerContext, ConsumerHandler } from "./types.js";
export { toLambdaRecord } from "./record.js";
export { evaluateBatchResponse } from "./batch-response.js";
export type { BatchItem, BatchVerdict, BatchResponseOptions, FailedItem, FailureReason, InvocationOutcome } from "./batch-response.js";
export { compileFilterPattern, matchesPattern, recordMatchesAny } from "./filter-pattern.js";
export type { FilterPattern, FilterRule, CompiledPattern } from "./filter-pattern.js";
export { ConsumerConfigError } from "./config-error.js";
export type { ConsumerBase } from "./consumer-base.js";
export type { SourceOptions } from "./source-options.js";
export type { RunningConsumer } from "./event-source.js";
export type { SourceQueue } from "./source-queue.js";
export { startLambdaConsumer, compileLambdaOptions } from "./lambda.js";
export type { LambdaConsumerOptions } from "./lambda.js";
export { startPipeConsumer, compilePipeOptions } from "./pipe.js";
export type { PipeConsumerOptions } from "./pipe.js";
export { startPoller, PollerOptionsError } from "./poller.js";
export type { Poller, PollerOptions, HeartbeatOptions } from "./poller.js";
export { loadHandler, HandlerLoadError } from "./load-handler.js";
export type { LoadHandlerOptions, HandlerLoadFailure } from "./load-handler.js";
export { scriptedHandler, compileScriptedSpec, ScriptedSpecError, RuntimeCrashError, ScriptedFailureError } from "./scripted.js";
export type { ScriptedSpec, CompiledScriptedSpec, FailIfSpec } from "./scripted.js";
export { createIdempotencyLedger, idempotencyKeyOf } from "./idempotency.js";
export type { IdempotencyLedger, IdempotencyFields } from "./idempotency.js";
