/**
 * checks — the delivery guarantees a run is judged by, each a pure function of its journal (DESIGN
 * "Layout" and "Scenarios and checks"). The runner and the vitest matchers call these; nothing here
 * touches a live component.
 */
export type { Check, CheckResult } from "./types.js";
export { EVIDENCE_CAP } from "./types.js";
export { noLoss } from "./no-loss.js";
export type { NoLossOptions } from "./no-loss.js";
export { noDuplicates } from "./no-duplicates.js";
export type { NoDuplicatesOptions } from "./no-duplicates.js";
export { fifoOrder } from "./fifo-order.js";
export type { FifoOrderOptions } from "./fifo-order.js";
export { dedupHits } from "./dedup-hits.js";
export type { DedupHitsOptions } from "./dedup-hits.js";
export { dlq } from "./dlq.js";
export type { DlqOptions } from "./dlq.js";
export { delivered } from "./delivered.js";
export type { DeliveredOptions } from "./delivered.js";
export { attempts } from "./attempts.js";
export type { AttemptsOptions } from "./attempts.js";
export { latency, nearestRank } from "./latency.js";
export type { LatencyBounds, LatencyOptions, PhaseStats } from "./latency.js";
export { accepted, VALIDATION_CODES } from "./accepted.js";
export type { AcceptedOptions } from "./accepted.js";
export { consumerSaw } from "./consumer-saw.js";
export type { ConsumerSawOptions, SawMessageAttribute } from "./consumer-saw.js";
export type { ReasonCount } from "./attempts.js";
export { CHECKS, CHECK_NAMES, isCheckName, runCheck } from "./registry.js";
export type { CheckName, RegisteredCheck } from "./registry.js";
export type { OptionProblem } from "./options.js";
export { didYouMean, levenshtein } from "./options.js";
