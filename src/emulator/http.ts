import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SqsError, encodeSqsError, isSqsError } from "../sqs/index.js";
import type { Input } from "./actions/params.js";
import { signedBy } from "./auth.js";
import type { Principal, RequestContext } from "./context.js";
import { isSqsAction, type Emulator } from "./emulator.js";
import { checkJsonInput } from "./json-shapes.js";
import { decodeQueryRequest, encodeQueryResponse } from "./query-protocol.js";

/** Bodies above this are refused before they are buffered: a 1 MiB batch percent-encoded is ~3 MiB. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** Resolves who signed a request; returns an error for credentials SQS would refuse (expired, unknown). */
export type PrincipalResolver = (signed: ReturnType<typeof signedBy>) => Principal | SqsError;

/** Answers requests that are not SQS actions (STS AssumeRole); `undefined` means "not mine". */
export type SideService = (
  action: string,
  params: URLSearchParams,
  principal: Principal,
  signed: ReturnType<typeof signedBy>,
  requestId: string,
) => { status: number; body: string; contentType: string } | undefined;

export interface SqsHttpOptions {
  /** The base of queue URLs, e.g. `http://127.0.0.1:4590`; by default the request's Host. */
  publicUrl?: string;
  resolvePrincipal?: PrincipalResolver;
  sideService?: SideService;
  /** Where unexpected failures are reported; they never reach the wire as stack traces. */
  onInternalError?: (err: unknown) => void;
}

type Protocol = "json" | "query";

/** One SQS request as it arrived, independent of how: a Node HTTP request or an in-process SDK call. */
export interface SqsWireRequest {
  /** Request target: path and query, e.g. `/` or `/000000000000/orders?Action=…`. */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body was over {@link MAX_REQUEST_BYTES} and left unread; the answer is RequestEntityTooLarge. */
  bodyTooLarge?: boolean;
  /** The caller went away (a hung-up long poll must not take messages); asked for only when needed. */
  signal?: () => AbortSignal;
}

export interface SqsWireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type SqsWireHandler = (request: SqsWireRequest) => Promise<SqsWireResponse>;

/**
 * The SQS wire protocol: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Action>`) and the query protocol
 * (form `Action=…`), both onto `emulator.handle`. It never throws: every failure becomes the error SQS
 * would send, in the request's protocol. Transport-free, so `sqsrig serve`'s own engine can call it in
 * process and every SQS request still passes the same code (and the same faults).
 */
export function createSqsWireHandler(emulator: Emulator, options: SqsHttpOptions = {}): SqsWireHandler {
  return async function handleSqsWire(req: SqsWireRequest): Promise<SqsWireResponse> {
    const requestId = randomUUID();
    const target = header(req, "x-amz-target");
    // A request that names a target or declares AWS JSON is a JSON request, even when the target is
    // empty or unknown: it gets a JSON error, not the query protocol's 404.
    const jsonType = /^application\/x-amz-json-1\.[01]\b/i.test(header(req, "content-type") ?? "");
    const protocol: Protocol = target !== undefined || jsonType ? "json" : "query";
    let action = target?.startsWith("AmazonSQS.") ? target.slice("AmazonSQS.".length) : "";
    try {
      if (req.bodyTooLarge || req.body.length > MAX_REQUEST_BYTES) throw tooLarge(MAX_REQUEST_BYTES);
      const signed = signedBy(req.headers);
      const principal = resolvePrincipal(emulator, options, signed);
      const ctx = contextFor(req, options, principal);
      let input: Input;
      if (protocol === "json") {
        // AWS's JSON front end answers an unknown X-Amz-Target with a bare UnknownOperationException
        // (400, no message), before it looks at the body (aws/aws-sdk-net#1536, aws/aws-sdk-js#425).
        if (!target?.startsWith("AmazonSQS.") || !isSqsAction(action)) throw new SqsError("UnknownOperation", "");
        input = checkJsonInput(action, parseJsonBody(req.body));
        const output = await emulator.handle(action, input, ctx);
        return answer(200, JSON.stringify(output), JSON_TYPE, requestId);
      }
      const url = requestUrl(req.url);
      const path = rawPath(req.url);
      const params = new URLSearchParams(url.search);
      for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) params.append(k, v);
      action = params.get("Action") ?? "";
      const side = options.sideService?.(action, params, principal, signed, requestId);
      if (side) return answer(side.status, side.body, side.contentType, requestId);
      const decoded = decodeQueryRequest(params);
      input = decoded.input;
      const queuePath = QUEUE_PATH.test(path);
      if (!queuePath && path !== "/" && path !== "") {
        throw new SqsError("InvalidAddress", `The address ${path} is not valid for this endpoint; a queue URL's path is /ACCOUNT_ID/QUEUE_NAME.`);
      }
      if (queuePath && (decoded.action === "CreateQueue" || decoded.action === "ListQueues")) {
        // A queue URL is not the service endpoint (validated test_get_create_queue_fails, V16).
        throw new SqsError("InvalidAction", `The action ${decoded.action} is not valid for this endpoint.`);
      }
      // Old clients address the queue by the request path instead of a QueueUrl parameter.
      if (input.QueueUrl === undefined && queuePath) {
        input.QueueUrl = `${ctx.baseUrl}${path.replace(/\/$/, "")}`;
      }
      const output = await emulator.handle(decoded.action, input, ctx);
      return answer(200, encodeQueryResponse(decoded.action, output, requestId), "text/xml", requestId);
    } catch (err) {
      const error = isSqsError(err) ? err : internal(err, options);
      if (error.code !== "InternalFailure") {
        emulator.journal.emit({ type: "request.failed", action, code: error.spec.queryCode, httpStatus: error.httpStatus, message: error.message });
      }
      const response = errorResponse(error, protocol, requestId);
      // The body was not read: close the connection rather than drain what the client still sends.
      if (error.code === "RequestEntityTooLarge") response.headers.connection = "close";
      return response;
    }
  };
}

/**
 * The wire handler on a Node HTTP server: reads the body (refusing more than {@link MAX_REQUEST_BYTES}
 * before buffering it), turns a client that hangs up into the request's abort signal, writes the answer.
 */
export function createSqsHttpHandler(emulator: Emulator, options: SqsHttpOptions = {}) {
  return sqsWireOverHttp(createSqsWireHandler(emulator, options));
}

/** A wire handler as a Node `(req, res)` listener. */
export function sqsWireOverHttp(handle: SqsWireHandler) {
  return async function handleSqsRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer = EMPTY;
    let bodyTooLarge = false;
    try {
      body = await readBody(req, MAX_REQUEST_BYTES);
    } catch (err) {
      // A client that went away mid-body gets no answer; one that sent too much gets SQS's error.
      if (!isSqsError(err)) return;
      bodyTooLarge = true;
    }
    let response: SqsWireResponse;
    try {
      response = await handle({ url: req.url ?? "/", headers: req.headers, body, bodyTooLarge, signal: hangUpSignal(res) });
    } catch {
      // A wrapped handler that throws (an injected connection reset) ends the connection unanswered,
      // which is what the client of a reset socket sees.
      req.socket.destroy();
      return;
    }
    if (res.headersSent || res.destroyed) return;
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };
}

/**
 * A client that hangs up must not leave a long poll behind to swallow messages. The signal is made only
 * when an action asks for it (a waiting receive): most requests never do.
 */
function hangUpSignal(res: ServerResponse): () => AbortSignal {
  let controller: AbortController | undefined;
  let hungUp = false;
  res.on("close", () => {
    if (res.writableFinished) return;
    hungUp = true;
    controller?.abort();
  });
  return () => {
    if (!controller) {
      controller = new AbortController();
      if (hungUp) controller.abort();
    }
    return controller.signal;
  };
}

function internal(err: unknown, options: SqsHttpOptions): SqsError {
  (options.onInternalError ?? ((e) => console.error("sqsrig: internal error:", e)))(err);
  return new SqsError("InternalFailure");
}

function resolvePrincipal(emulator: Emulator, options: SqsHttpOptions, signed: ReturnType<typeof signedBy>): Principal {
  const resolved = options.resolvePrincipal?.(signed);
  if (resolved instanceof SqsError) throw resolved;
  return resolved ?? { arn: `arn:aws:iam::${emulator.accountId}:root`, accessKeyId: signed.accessKeyId };
}

function contextFor(req: SqsWireRequest, options: SqsHttpOptions, principal: Principal): RequestContext {
  const host = header(req, "host") ?? "127.0.0.1";
  const trace = header(req, "x-amzn-trace-id")?.trim();
  const signal = req.signal;
  return {
    baseUrl: options.publicUrl ?? `http://${host}`,
    principal,
    ...(trace ? { traceHeader: trace } : {}),
    get signal() {
      return signal?.();
    },
  };
}

function header(req: SqsWireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request body as a JSON object. AWS's JSON front end answers a body that is not an object with a
 * SerializationException that has no message, except for an array ("Start of list found where not
 * expected"); an empty body is an empty input (the action then names what is missing).
 */
function parseJsonBody(body: Buffer): Input {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new SqsError("SerializationException", "");
  }
  if (Array.isArray(parsed)) throw new SqsError("SerializationException", "Start of list found where not expected");
  if (!parsed || typeof parsed !== "object") throw new SqsError("SerializationException", "");
  return parsed as Input;
}

/** A queue's path, exactly: `/ACCOUNT_ID/NAME`, one optional trailing slash, nothing else. */
const QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

/**
 * The request path exactly as sent, without its query. Not `new URL(…).pathname`: WHATWG URL parsing
 * resolves dot segments (`..` and `%2e%2e`), so `/000000000000/a/../victim` would address `victim`. AWS
 * resolves nothing on the server side; a path that is not a queue's is not a queue.
 */
function rawPath(target: string): string {
  const withoutQuery = target.split(/[?#]/, 1)[0]!;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(withoutQuery);
  return absolute ? (absolute[1] ?? "/") : withoutQuery;
}

/** The request target as a URL; an absolute-form target with a bad host is read as `/`. */
function requestUrl(target: string): URL {
  try {
    return new URL(target, "http://localhost");
  } catch {
    return new URL("/", "http://localhost");
  }
}

/** Reads the whole body, refusing more than `limit` bytes before buffering them. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function tooLarge(limit: number): SqsError {
  return new SqsError("RequestEntityTooLarge", `Request body is larger than the maximum allowed ${limit} bytes.`);
}

const JSON_TYPE = "application/x-amz-json-1.0";
const EMPTY = Buffer.alloc(0);

function answer(status: number, body: string, contentType: string, requestId: string): SqsWireResponse {
  return { status, body, headers: { "content-type": contentType, "x-amzn-requestid": requestId, "content-length": String(Buffer.byteLength(body)) } };
}

/** The error in the request's protocol: the SQS wire form (src/sqs/error-wire.ts), one emulator quirk aside. */
function errorResponse(error: SqsError, protocol: Protocol, requestId: string): SqsWireResponse {
  if (protocol === "query" && error.code === "MissingAction") {
    // No Action at all: 404 and a bare XML element, even when JSON is asked for (validated
    // test_get_without_query_returns_unknown_operation, V17).
    return answer(404, "<UnknownOperationException/>", "text/xml", requestId);
  }
  return encodeSqsError(error, protocol, requestId);
}
