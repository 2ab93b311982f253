import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";

/** One request as the scripted server received it. */
export interface ScriptedRequest {
  headers: IncomingHttpHeaders;
  /** `X-Amz-Target` without the `AmazonSQS.` prefix, e.g. `SendMessageBatch`. */
  action: string;
  body: Record<string, unknown>;
}

/** An HTTP answer, or a broken connection: `reset` destroys the socket, `hang` never answers. */
export type ScriptedReply = { status: number; headers?: Record<string, string>; body: string } | "reset" | "hang";

export interface ScriptedSqs {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  queueUrl(name: string): string;
  readonly requests: ScriptedRequest[];
  /** Open TCP connections right now (keep-alive sockets included). */
  openConnections(): number;
  /** Resolves once every connection open now has closed. */
  connectionsClosed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in SQS endpoint on 127.0.0.1 for wire cases the emulator cannot produce on demand (throttling,
 * 5xx pages, resets, silence, wrong MD5s). It speaks just enough AWS JSON 1.0: it parses the request
 * body and answers whatever `reply` says.
 */
export async function startScriptedSqs(reply: (request: ScriptedRequest) => ScriptedReply): Promise<ScriptedSqs> {
  const requests: ScriptedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const target = String(req.headers["x-amz-target"] ?? "");
      const request: ScriptedRequest = { headers: req.headers, action: target.replace(/^AmazonSQS\./, ""), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
      requests.push(request);
      const answer = reply(request);
      if (answer === "reset") return void req.socket.destroy();
      if (answer === "hang") return;
      res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.0", ...answer.headers });
      res.end(answer.body);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    queueUrl: (name) => `${origin}/000000000000/${name}`,
    requests,
    openConnections: () => sockets.size,
    connectionsClosed: () => Promise.all([...sockets].map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once("close", () => resolve()))))).then(() => undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An AWS JSON 1.0 error answer, with `x-amzn-query-error` when `queryError` is given (SQS-FACTS "JSON errors"). */
export function jsonError(status: number, type: string, message: string, queryError?: string): ScriptedReply {
  return {
    status,
    headers: queryError ? { "x-amzn-query-error": queryError } : {},
    body: JSON.stringify({ __type: type, message }),
  };
}

/** An HTTP 200 JSON answer. */
export function jsonOk(body: unknown): ScriptedReply {
  return { status: 200, body: JSON.stringify(body) };
}
