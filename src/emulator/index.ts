/**
 * emulator — the embedded Amazon SQS. All 23 actions over AWS JSON 1.0 and the query protocol, with
 * SQS's semantics: FIFO group locking and dedup, visibility, delays, long polling, lazy redrive to a
 * DLQ, move tasks, and SQS's exact errors. The core is `Emulator.handle(action, input, ctx)`; the HTTP
 * handler and server wrap it. Every state change is a journal record. Beside it, a minimal STS
 * (AssumeRole with trust and ExternalId checks, GetCallerIdentity) tells SQS who signed each request.
 */
export { Emulator, SQS_ACTIONS, isSqsAction } from "./emulator.js";
export type { EmulatorOptions, SqsAction } from "./emulator.js";
export type { RequestContext, Principal } from "./context.js";
export { createSqsHttpHandler, createSqsWireHandler, sqsWireOverHttp, MAX_REQUEST_BYTES } from "./http.js";
export type { SqsHttpOptions, PrincipalResolver, SideService, SqsWireHandler, SqsWireRequest, SqsWireResponse } from "./http.js";
export { openEmulator, startEmulatorServer } from "./server.js";
export { SecurityTokenService, createSecurityTokenService } from "./sts.js";
export type { SecurityTokenServiceOptions } from "./sts.js";
export type { Role, RoleConfig } from "./sts-roles.js";
export type { EmulatorServer, EmulatorServerOptions, OpenEmulator, OpenEmulatorOptions } from "./server.js";
export type { PersistenceOptions } from "./persistence.js";
