import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { randomUUID } from "node:crypto";
import { MAX_REQUEST_BYTES } from "../emulator/index.js";
import { encodeSqsError, SqsError } from "../sqs/index.js";
import type { WireHandler, WireRequest, WireResponse } from "./wire-request.js";

export interface ProxyOptions {
  /**
   * Send the client's own `Host` header on. The embedded emulator (and LocalStack with path-style queue
   * URLs) builds the queue URLs it hands out from it, so they point back at sqsrig and a client that
   * follows a QueueUrl (SDK v3 without an explicit endpoint) keeps going through the faults. Off: the
   * target's own host. @default true
   */
  preserveHost?: boolean;
  /** Give up on the target after this long (real ms) and reset the client's connection. @default no limit */
  timeoutMs?: number;
}

/** A wire handler that talks to another endpoint over sockets; `close` drops its idle keep-alive connections. */
export interface ProxyHandler extends WireHandler {
  close(): void;
}

/** Per-connection headers (RFC 9110 §7.6.1) and what this hop recomputes; never passed on. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "content-length",
]);

/**
 * Forwards each SQS request to another SQS endpoint (LocalStack, another emulator, any SQS-compatible
 * URL) and returns its answer unchanged: status, headers and body. `sqsrig serve --backend endpoint`
 * puts the fault rules in front of it, so clients of the sqsrig port meet faults while the endpoint
 * stores the messages.
 *
 * Signatures: the request goes on exactly as the client signed it (SigV4 over the client's Host, which
 * `preserveHost` keeps). LocalStack and emulators do not verify signatures, so that is enough. Real AWS
 * would verify them — and would refuse a request signed for another host or with rewritten bytes (a
 * `partial` rule drops entries) — which is why the `aws` backend gets faults as SDK middleware
 * (sdk-middleware.ts) that runs after signing and re-signs what it changes, not through this proxy.
 *
 * A target that cannot be reached, resets, or times out makes the handler throw; the HTTP adapter then
 * resets the client's connection, which is what a client of a broken upstream sees.
 *
 * @example
 * const proxy = createProxyHandler("http://localhost:4566");
 * const handle = withFaults(proxy, injector, clock); // POST / of `sqsrig serve --backend endpoint`
 */
export function createProxyHandler(endpointUrl: string, options: ProxyOptions = {}): ProxyHandler {
  const target = new URL(endpointUrl);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new TypeError(`sqsrig: the proxy target must be an http(s) URL, not '${endpointUrl}'.`);
  }
  const secure = target.protocol === "https:";
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;
  const basePath = target.pathname.replace(/\/+$/, "");
  const preserveHost = options.preserveHost ?? true;

  // A body over the limit was never read, so there is nothing to forward: answer as SQS would.
  const handler = (request: WireRequest): Promise<WireResponse> =>
    request.bodyTooLarge
      ? Promise.resolve(
          encodeSqsError(
            new SqsError("RequestEntityTooLarge", `Request body is larger than the maximum allowed ${MAX_REQUEST_BYTES} bytes.`),
            request.headers["x-amz-target"] !== undefined ? "json" : "query",
            randomUUID(),
          ),
        )
      : forward(request);
  const forward = (request: WireRequest): Promise<WireResponse> =>
    new Promise<WireResponse>((resolve, reject) => {
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(request.headers)) {
        const key = name.toLowerCase();
        if (value === undefined || HOP_BY_HOP.has(key)) continue;
        // The answer is handed on as text: ask for it uncompressed.
        if (key === "accept-encoding") continue;
        if (key === "host" && !preserveHost) continue;
        headers[key] = value;
      }
      headers["content-length"] = String(request.body.length);
      const upstream = send({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port || (secure ? 443 : 80),
        method: "POST",
        path: basePath + (request.url.startsWith("/") ? request.url : `/${request.url}`),
        headers,
        agent,
        // TLS names the target, whatever Host the client used.
        ...(secure ? { servername: target.hostname } : {}),
        // A client that hangs up (a long poll given up) takes the upstream request with it.
        ...(request.signal ? { signal: request.signal() } : {}),
      });
      upstream.on("error", reject);
      if (options.timeoutMs !== undefined) {
        upstream.setTimeout(options.timeoutMs, () => {
          upstream.destroy(Object.assign(new Error(`sqsrig proxy: ${target.origin} did not answer within ${options.timeoutMs} ms`), { code: "ETIMEDOUT" }));
        });
      }
      upstream.on("response", (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        // The target hung up mid-answer: the client's connection resets too.
        response.on("close", () => {
          if (!response.complete) reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
        });
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 502, headers: answerHeaders(response, body), body });
        });
      });
      upstream.end(request.body);
    });
  return Object.assign(handler, { close: () => agent.destroy() });
}

/** The target's headers, minus this hop's; multi-valued ones joined, the length that of the text handed on. */
function answerHeaders(response: IncomingMessage, body: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  headers["content-length"] = String(Buffer.byteLength(body));
  return headers;
}
