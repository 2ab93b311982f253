import { createHash } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Clock } from "../clock/index.js";
import { sdkRequestTarget } from "../sqs/index.js";
import { withFaults } from "./apply.js";
import type { FaultDecision, FaultInjector } from "./injector.js";
import type { ParsedRequest, WireRequest, WireResponse } from "./wire-request.js";

export interface AttachFaultsOptions {
  /**
   * How long an SDK call waits for an answer a `dropResponse: "timeout"` rule lost, on the fault clock,
   * before it fails with the `TimeoutError` the SDK's Node handler gives. @default the client's
   * `requestHandler` socketTimeout (else requestTimeout); with neither it waits for ever, as the SDK does.
   */
  responseTimeoutMs?: number;
}

/** The SDK's HTTP request, as much of it as is read here (@smithy HttpRequest, structurally). */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
  clone?: () => SdkRequest;
}

/** The SDK's HTTP response (@smithy HttpResponse, structurally). */
interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface AuthScheme {
  signer: { sign(request: SdkRequest, identity: unknown, properties: Record<string, unknown>): Promise<SdkRequest> };
  identity: unknown;
  httpAuthOption?: { signingProperties?: Record<string, unknown> };
}

type Stack = SQSClient["middlewareStack"];
type Middleware = Parameters<Stack["addRelativeTo"]>[0];

const NAME = "sqsrigFaults";

/**
 * Puts the fault rules inside an AWS SDK v3 SQS client, for backends sqsrig cannot stand in front of
 * (the `aws` backend: requests are signed for AWS hosts and go straight there). The middleware sits
 * right below the SDK's deserializer — after signing, inside the retry loop — and runs the same
 * decision core as the HTTP attachment (`withFaults`, with `forward` = the SDK's own transport):
 * - an injected error is an HTTP response the SDK parses as if AWS had sent it: same `name`, `$fault`,
 *   `$metadata.httpStatusCode`, and the SDK's own retry decision (each retry attempt meets the rules
 *   again);
 * - `reset` / `dropResponse` throw the error a reset socket gives (`ECONNRESET`, "socket hang up");
 *   `dropResponse: "timeout"` waits `responseTimeoutMs` and throws the handler's `TimeoutError`;
 * - `partial` rewrites the body, so the request is signed again with the SDK's own signer and identity
 *   (AWS checks the payload hash; a proxy could not do this, see proxy.ts);
 * - `delay` waits on `clock` (virtual time in a scenario).
 * Returns a function that removes the middleware again.
 *
 * @example
 * const client = new SQSClient({ region: "eu-west-1" });
 * const detach = attachFaults(client, injector, clock);
 */
export function attachFaults(client: SQSClient, injector: FaultInjector, clock: Clock, options: AttachFaultsOptions = {}): () => void {
  const middleware = ((next: (args: { request: unknown }) => Promise<{ response: unknown }>, context: Record<string, unknown>) =>
    async (args: { request: unknown }) => {
      const request = args.request;
      // Not an HTTP request, or a streamed body the rules cannot read: nothing to judge.
      if (!isSdkRequest(request)) return next(args);
      const body = bodyBytes(request.body);
      if (body === undefined) return next(args);

      let raw: { output: { response: unknown }; wire: WireResponse; bytes: Buffer } | undefined;
      let lost: Promise<never> | undefined;
      let startLostTimer: (() => void) | undefined;
      // The same injector, watched: a lost answer's timeout starts once the request has gone out (the
      // handler's config is only known after its first request, so it is read then too).
      const watched: FaultInjector = Object.create(injector) as FaultInjector;
      watched.decide = (parsed: ParsedRequest): FaultDecision | undefined => {
        const decision = injector.decide(parsed);
        if (decision?.effect.kind === "dropResponse" && decision.effect.as === "timeout") {
          lost = new Promise<never>((_, reject) => {
            startLostTimer = () => lostAnswer(clock, responseTimeout(client, options), reject);
          });
        }
        return decision;
      };
      const forward = async (wire: WireRequest): Promise<WireResponse> => {
        const sent = sameRequest(request, body, wire) ? request : await resign(rebuild(request, wire), context);
        const output = await next({ ...args, request: sent });
        startLostTimer?.();
        const response = output.response as SdkResponse;
        const bytes = await readBody(response.body);
        const answer: WireResponse = { status: response.statusCode, headers: lowerCase(response.headers), body: bytes.toString("utf8") };
        raw = { output, wire: answer, bytes };
        return answer;
      };
      const call = withFaults(forward, watched, clock)(toWire(request, body));
      const answer = await (lost ? Promise.race([call, lost]) : call);
      // Untouched: the SDK gets the transport's own response object, its bytes already read.
      if (raw && answer === raw.wire) {
        (raw.output.response as SdkResponse).body = raw.bytes;
        return raw.output;
      }
      const response: SdkResponse = { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.body, "utf8") };
      return { ...(raw?.output ?? {}), response };
    }) as unknown as Middleware;
  client.middlewareStack.addRelativeTo(middleware, { name: NAME, relation: "after", toMiddleware: "deserializerMiddleware", override: true });
  return () => {
    client.middlewareStack.remove(NAME);
  };
}

function isSdkRequest(request: unknown): request is SdkRequest {
  const r = request as Partial<SdkRequest> | undefined;
  return typeof r === "object" && r !== null && typeof r.path === "string" && typeof r.headers === "object" && typeof r.hostname === "string";
}

function toWire(request: SdkRequest, body: Buffer): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { url: sdkRequestTarget(request.path, request.query), headers, body };
}

/** The rules passed the request on as it was: keep the SDK's signed request object. */
function sameRequest(request: SdkRequest, body: Buffer, wire: WireRequest): boolean {
  return wire.body.equals(body) && wire.url === sdkRequestTarget(request.path, request.query);
}

/** The SDK request with what a rule rewrote (a `partial` drops entries): body, length, path and query. */
function rebuild(request: SdkRequest, wire: WireRequest): SdkRequest {
  const copy: SdkRequest = request.clone ? request.clone() : { ...request, headers: { ...request.headers } };
  const url = new URL(wire.url, "http://localhost");
  copy.path = url.pathname;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  copy.query = query;
  copy.body = typeof request.body === "string" ? wire.body.toString("utf8") : new Uint8Array(wire.body);
  for (const name of Object.keys(copy.headers)) {
    const key = name.toLowerCase();
    if (key === "content-length") copy.headers[name] = String(wire.body.length);
    // The signer takes the payload hash from this header when it is there: it must be the new body's.
    if (key === "x-amz-content-sha256") copy.headers[name] = createHash("sha256").update(wire.body).digest("hex");
  }
  return copy;
}

/**
 * Signs a rewritten request again with the scheme the SDK's signing middleware used for this attempt
 * (the smithy context's `selectedHttpAuthScheme`); the signer replaces the old Authorization and date.
 * Without one (a client with no auth) the request goes as it is.
 */
async function resign(request: SdkRequest, context: Record<string, unknown>): Promise<SdkRequest> {
  const smithy = context.__smithy_context as { selectedHttpAuthScheme?: AuthScheme } | undefined;
  const scheme = smithy?.selectedHttpAuthScheme;
  if (!scheme) return request;
  return scheme.signer.sign(request, scheme.identity, scheme.httpAuthOption?.signingProperties ?? {});
}

/**
 * A lost answer (`dropResponse: "timeout"`) never comes; the SDK's Node handler gives up after its socket
 * timeout with a TimeoutError (@smithy/node-http-handler set-socket-timeout.js), counted from when the
 * request went out. With no timeout configured the SDK waits for ever, and so does this.
 */
function lostAnswer(clock: Clock, timeoutMs: number | undefined, reject: (err: Error) => void): void {
  if (timeoutMs === undefined) return;
  clock.setTimeout(() => {
    const error = new Error(`@smithy/node-http-handler - the request socket timed out after ${timeoutMs} ms of inactivity (configured by client requestHandler).`);
    reject(Object.assign(error, { name: "TimeoutError" }));
  }, timeoutMs);
}

function responseTimeout(client: SQSClient, options: AttachFaultsOptions): number | undefined {
  if (options.responseTimeoutMs !== undefined) return options.responseTimeoutMs;
  const handler = client.config.requestHandler as
    | { httpHandlerConfigs?: () => { socketTimeout?: number; requestTimeout?: number; throwOnRequestTimeout?: boolean } }
    | undefined;
  const config = typeof handler?.httpHandlerConfigs === "function" ? handler.httpHandlerConfigs() : {};
  // requestTimeout only logs a warning unless throwOnRequestTimeout is set; the socket timeout always throws.
  const ms = config.socketTimeout ?? (config.throwOnRequestTimeout ? config.requestTimeout : undefined);
  return typeof ms === "number" && ms > 0 ? ms : undefined;
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

/** The whole response body: bytes already there, or the socket's stream read to its end. */
async function readBody(body: unknown): Promise<Buffer> {
  const bytes = bodyBytes(body);
  if (bytes) return bytes;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
