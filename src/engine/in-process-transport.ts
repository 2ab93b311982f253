import { sdkRequestTarget } from "../sqs/index.js";

/**
 * An SQS endpoint living in this process: the embedded emulator's wire handler (structurally, so the
 * engine does not depend on the emulator). Request headers have lower-case names, as Node gives them.
 */
export type InProcessSqs = (request: {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An AWS SDK v3 request handler that hands each request to an in-process SQS endpoint instead of a
 * socket. The SDK still builds, signs and parses every request exactly as over HTTP, and the emulator
 * still decodes it from the wire format: only the loopback TCP round trip is skipped, which on these
 * small VMs is most of a request's cost (`sqsrig serve`'s engine sends to its own emulator this way).
 * `destroy()` (SQSClient.destroy) abandons requests under way, as closing sockets would: their deadlines
 * leave the clock and they fail; what the endpoint does with a request it already has is its own affair.
 */
export function inProcessRequestHandler(handle: InProcessSqs, options: { requestTimeoutMs?: number; clock?: DeadlineClock } = {}) {
  const underWay = new Set<() => void>();
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(
      request: SdkHttpRequest,
      handlerOptions: { abortSignal?: AbortSignalLike } = {},
    ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const call = handle({ url: sdkRequestTarget(request.path, request.query), headers, body: bodyBuffer(request.body) });
      const answer = await withDeadline(call, options.requestTimeoutMs, handlerOptions.abortSignal, options.clock, underWay);
      return { response: { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.body, "utf8") } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {
      for (const abandon of [...underWay]) abandon();
    },
  };
}

interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener?(type: "abort", listener: () => void): void;
  removeEventListener?(type: "abort", listener: () => void): void;
}

/** The part of the Clock a deadline needs. */
interface DeadlineClock {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/**
 * The request deadline and abort an HTTP handler honours, so a request the emulator holds (a long poll, a
 * delay or lost-answer fault) fails the way it would over a socket: `TimeoutError` / `AbortError`, which
 * the engine's failure mapping already reads. On the run's clock when given: the emulator behind it keeps
 * that time too, so a virtual run does not wait real seconds for a lost answer. Registered in `underWay`
 * until settled, so the handler's destroy can abandon it (deadline cancelled, the caller sees a reset).
 */
function withDeadline<T>(call: Promise<T>, timeoutMs: number | undefined, signal: AbortSignalLike | undefined, clock: DeadlineClock | undefined, underWay: Set<() => void>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (name: string, code: string, message: string) => reject(Object.assign(new Error(message), { name, code }));
    const expire = () => fail("TimeoutError", "ETIMEDOUT", `In-process SQS request timed out after ${timeoutMs} ms.`);
    const timer = timeoutMs === undefined ? undefined : clock ? clock.setTimeout(expire, timeoutMs) : setTimeout(expire, timeoutMs);
    const stopTimer = () => (timer === undefined ? undefined : "cancel" in timer ? timer.cancel() : clearTimeout(timer));
    const abandon = () => {
      underWay.delete(abandon);
      stopTimer();
      fail("Error", "ECONNRESET", "socket hang up");
    };
    underWay.add(abandon);
    if (signal?.aborted) fail("AbortError", "ABORT_ERR", "Request aborted.");
    const onAbort = () => fail("AbortError", "ABORT_ERR", "Request aborted.");
    signal?.addEventListener?.("abort", onAbort);
    call.then(resolve, reject).finally(() => {
      underWay.delete(abandon);
      stopTimer();
      // A consumer passes one long-lived signal to every request: a listener left on it would keep each
      // answer alive and make every later addEventListener slower (a 100k-event run leaked ~10k of them).
      signal?.removeEventListener?.("abort", onAbort);
    });
  });
}


function bodyBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("sqsrig: the in-process SQS transport takes string or byte bodies only.");
}
