/**
 * faults — every way SQS says no, on demand and reproducible. Rules (`on`, `match`, one effect, and
 * `times` / `probability` / `during` / `after`) are compiled once; one seeded decision core judges each
 * request and journals what it did; attachments put it in front of any SQS wire handler (the embedded
 * emulator in process or over HTTP, a proxy to another endpoint) or inside an AWS SDK client (for AWS
 * itself), with the exact AWS error wire forms. `throttle` adds SQS's quotas as token buckets.
 */
export { compileFaultRules } from "./rules.js";
export type { FaultRule, FaultEffect, FaultMatch, FaultRuleError, FaultRulesCheck } from "./rules.js";
export { FaultInjector } from "./injector.js";
export type { FaultDecision, FaultInjectorOptions, AppliedEffect } from "./injector.js";
export { withFaults, connectionReset, isConnectionReset } from "./apply.js";
export { parseWireRequest } from "./wire-request.js";
export { createProxyHandler } from "./proxy.js";
export type { ProxyHandler, ProxyOptions } from "./proxy.js";
export { attachFaults } from "./sdk-middleware.js";
export { TokenBuckets, awsThrottleSpec, AWS_FIFO_THROTTLE } from "./token-bucket.js";
export type { ThrottleSpec, ThrottleEffect } from "./token-bucket.js";
export type { WireHandler, WireRequest, WireResponse, ParsedRequest, RequestEntry } from "./wire-request.js";
export { FAULT_ERROR_NAMES, isFaultErrorName, faultError } from "./fault-errors.js";
