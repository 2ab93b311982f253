/**
 * server — `sqsrig serve` on one port: the SQS API on `POST /` (the embedded emulator, byte for byte what
 * `sqsrig emulator` answers), the Pushrail `/v1` API (ingestion, preview, destinations, DLQ) over the
 * delivery engine, and `/_sqsrig/health`. It promises JSON errors `{error: {code, message, errors?}}` for
 * every non-SQS route and never crashes on a bad request (malformed JSON, huge or aborted bodies).
 */
export { startSqsrigServer } from "./server.js";
export type { SqsrigServer, SqsrigServerOptions } from "./server.js";
export { parseEventsBody } from "./events-body.js";
export type { EventsBody, EventsBodyItem, EventsBodyError } from "./events-body.js";
export type { ErrorBody } from "./errors.js";
export type { IngestResponse } from "./ingest-route.js";
export { parseJsonText } from "./json-syntax.js";
export type { JsonParse } from "./json-syntax.js";
