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
 */
export function inProcessRequestHandler(handle: InProcessSqs) {
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const answer = await handle({ url: request.path + queryString(request.query), headers, body: bodyBuffer(request.body) });
      return { response: { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.body, "utf8") } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}

function queryString(query: SdkHttpRequest["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null) params.append(key, "");
    else if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, value);
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

function bodyBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("sqsrig: the in-process SQS transport takes string or byte bodies only.");
}
