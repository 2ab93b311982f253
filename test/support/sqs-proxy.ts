import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";
import { encodeSqsError, SqsError, type SqsErrorName } from "../../src/sqs/index.js";

/** One request the proxy received; `input` is the parsed AWS JSON 1.0 body (empty for other protocols). */
export interface ProxiedRequest {
  /** `X-Amz-Target` without `AmazonSQS.`, or the form `Action` (STS, query protocol). */
  action: string;
  input: Record<string, unknown>;
  /** 1-based count of requests with this action so far, this one included. */
  n: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** An HTTP answer as the engine will read it. */
export interface ProxyReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends the request (optionally with a rewritten JSON body) to the emulator and returns its answer. */
export type Forward = (input?: Record<string, unknown>) => Promise<ProxyReply>;

/**
 * Decides each request: `forward()` for the emulator's own answer, a {@link ProxyReply} of its own
 * (an error the emulator cannot produce on demand), or both (store, then answer 503), or "reset".
 */
export type ProxyHandler = (request: ProxiedRequest, forward: Forward) => Promise<ProxyReply | "reset"> | ProxyReply | "reset";

export interface SqsProxy {
  /** `http://127.0.0.1:PORT`: give it to the engine as `endpoint`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: ProxiedRequest[];
  /** Requests of one action received so far. */
  count(action: string): number;
  close(): Promise<void>;
}

/**
 * A real HTTP proxy on 127.0.0.1 between the engine and the emulator (node:http, no stand-ins on the
 * engine side): the engine's AWS SDK client talks HTTP to it, and `handler` forwards, rewrites or
 * answers each request. Errors it answers are built from src/sqs/errors.ts, the exact AWS JSON 1.0
 * shape (see {@link sqsErrorReply}).
 */
export async function startSqsProxy(targetUrl: string, handler: ProxyHandler = (_r, forward) => forward()): Promise<SqsProxy> {
  const target = new URL(targetUrl);
  const requests: ProxiedRequest[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const amzTarget = String(req.headers["x-amz-target"] ?? "");
      let action = amzTarget.replace(/^AmazonSQS\./, "");
      let input: Record<string, unknown> = {};
      if (amzTarget !== "") {
        input = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
      } else {
        action = new URLSearchParams(raw.toString("utf8")).get("Action") ?? "";
      }
      const n = (counts.get(action) ?? 0) + 1;
      counts.set(action, n);
      const proxied: ProxiedRequest = { action, input, n, headers: req.headers, raw };
      requests.push(proxied);
      const forward: Forward = (rewritten) => {
        const body = rewritten === undefined ? raw : Buffer.from(JSON.stringify(rewritten), "utf8");
        return forwardTo(target, req.method ?? "POST", req.url ?? "/", req.headers, body);
      };
      Promise.resolve()
        .then(() => handler(proxied, forward))
        .then(
          (reply) => {
            if (reply === "reset") {
              req.socket.destroy();
              return;
            }
            res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) });
            res.end(reply.body);
          },
          (err: unknown) => {
            res.writeHead(599, { "content-type": "text/plain" });
            res.end(`proxy handler failed: ${String(err)}`);
          },
        );
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    count: (action) => counts.get(action) ?? 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forwardTo(target: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<ProxyReply> {
  const outHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === "host" || k === "content-length" || k === "connection") continue;
    outHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  outHeaders["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers: outHeaders, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const replyHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined || k === "content-length" || k === "connection" || k === "keep-alive" || k === "transfer-encoding") continue;
          replyHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
        }
        resolve({ status: res.statusCode ?? 0, headers: replyHeaders, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The AWS JSON 1.0 error SQS itself sends for `code`, from the one wire encoder the emulator uses too. */
export function sqsErrorReply(code: SqsErrorName, message?: string): ProxyReply {
  return encodeSqsError(new SqsError(code, message), "json", "00000000-0000-0000-0000-000000000000");
}

/** SendMessageBatch entries of a proxied request. */
export function entriesOf(request: ProxiedRequest): { Id: string; MessageBody: string; MessageGroupId?: string; MessageDeduplicationId?: string }[] {
  return (request.input.Entries ?? []) as never;
}

/**
 * Forwards a SendMessageBatch without the entries `fail` picks, and answers them in `Failed[]` as SQS
 * does for per-entry errors (SendMessageBatch API reference, BatchResultErrorEntry): HTTP 200, the
 * stored entries in `Successful[]`. The failed entries never reach the emulator, so nothing is stored.
 */
export async function failEntries(
  request: ProxiedRequest,
  forward: Forward,
  fail: (entry: ReturnType<typeof entriesOf>[number]) => { Code: string; Message: string; SenderFault: boolean } | undefined,
): Promise<ProxyReply> {
  const entries = entriesOf(request);
  const failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
  const kept = entries.filter((e) => {
    const f = fail(e);
    if (f) failed.push({ Id: e.Id, ...f });
    return f === undefined;
  });
  if (failed.length === 0) return forward();
  if (kept.length === 0) {
    return { status: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: JSON.stringify({ Successful: [], Failed: failed }) };
  }
  const reply = await forward({ ...request.input, Entries: kept });
  const parsed = JSON.parse(reply.body) as { Successful?: unknown[]; Failed?: unknown[] };
  return { ...reply, body: JSON.stringify({ Successful: parsed.Successful ?? [], Failed: [...(parsed.Failed ?? []), ...failed] }) };
}
