import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createRealClock, type Clock } from "../clock/index.js";
import { createEngine } from "../engine/index.js";
import type { Engine, EngineOptions } from "../engine/index.js";
import { openEmulator } from "../emulator/index.js";
import type { OpenEmulator, OpenEmulatorOptions } from "../emulator/index.js";
import { createJournal, type Journal } from "../journal/index.js";
import { createSqsrigApp, isAppRequest } from "./app.js";

export interface SqsrigServerOptions {
  /** @default 4590 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Base of the queue URLs the SQS API hands out (e.g. `http://sqsrig:4590` seen from containers). */
  publicUrl?: string;
  /** Drives the emulator and the engine. @default the real clock */
  clock?: Clock;
  /** @default a new journal on `clock` */
  journal?: Journal;
  /** Keeps the emulator's queues (`DIR/emulator`) and the engine's outbox, DLQ and destinations (`DIR/engine`). */
  dataDir?: string;
  /**
   * Where the engine sends: `embedded` (this server's own SQS API) or `endpoint` (any SQS-compatible URL,
   * e.g. LocalStack). The embedded emulator answers `POST /` either way. @default "embedded"
   */
  backend?: "embedded" | "endpoint";
  /** The SQS endpoint for `backend: "endpoint"`. */
  endpoint?: string;
  /** STS for AssumeRole destinations. @default this server (embedded) or `endpoint` */
  stsEndpoint?: string;
  /** More engine options (retry policy, linger, seed, destinations, a queue client factory…). */
  engine?: Partial<Omit<EngineOptions, "clock" | "journal" | "dataDir">>;
  /** More emulator options (roles its STS knows, region, account, limits). */
  emulator?: Omit<OpenEmulatorOptions, "clock" | "journal" | "dataDir" | "publicUrl">;
  /** Where unexpected failures are reported; they never reach the wire. @default console.error */
  onInternalError?: (err: unknown) => void;
}

export interface SqsrigServer {
  /** `http://HOST:PORT`: the SQS endpoint, the /v1 API and the health check. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly clock: Clock;
  readonly journal: Journal;
  /** The embedded emulator (its STS: `embedded.sts.putRole`). */
  readonly embedded: OpenEmulator;
  readonly engine: Engine;
  /** Stops the engine (its outbox flushed), then the HTTP server, then the emulator. */
  close(): Promise<void>;
}

/** Identity the engine signs AssumeRole with against the embedded STS, which trusts its own account. */
const EMBEDDED_BASE_CREDENTIALS = { accessKeyId: "sqsrig", secretAccessKey: "sqsrig" };

/**
 * Starts `sqsrig serve`: the SQS API (`POST /`), the Pushrail `/v1` API and `/_sqsrig/health` on one
 * port. It listens first, because the engine's endpoint is this server's own URL, then starts the
 * engine; `/v1` answers 503 until then, which is before this promise resolves.
 *
 * @example
 * const server = await startSqsrigServer({ port: 0 });
 * await fetch(`${server.url}/v1/events`, { method: "POST", body: JSON.stringify(event) });
 * await server.close();
 */
export async function startSqsrigServer(options: SqsrigServerOptions = {}): Promise<SqsrigServer> {
  const backend = options.backend ?? "embedded";
  if (backend === "endpoint" && !options.endpoint) throw new Error("sqsrig: backend 'endpoint' needs an endpoint URL (--endpoint).");
  const clock = options.clock ?? createRealClock();
  const journal = options.journal ?? createJournal(clock);
  const onInternalError = options.onInternalError ?? ((err: unknown) => console.error("sqsrig: internal error:", err));
  const embedded = await openEmulator({
    ...options.emulator,
    clock,
    journal,
    onInternalError,
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
    ...(options.dataDir !== undefined ? { dataDir: join(options.dataDir, "emulator") } : {}),
  });
  let engine: Engine | undefined;
  const app = createSqsrigApp({ emulator: embedded.emulator, engine: () => engine, onInternalError });
  const server = createServer((req, res) => {
    if (isAppRequest(req)) app(req, res);
    else void embedded.handleSqs(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 4590, host, () => resolve());
    });
  } catch (err) {
    await embedded.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  const sqsEndpoint = backend === "endpoint" ? options.endpoint! : url;
  let started: Engine;
  try {
    started = await createEngine({
      // The engine reaches its own emulator in process: same SDK, signing and wire format, no loopback socket.
      ...(backend === "embedded" ? { baseCredentials: EMBEDDED_BASE_CREDENTIALS, inProcessSqs: embedded.handleWire } : {}),
      ...options.engine,
      clock,
      journal,
      endpoint: sqsEndpoint,
      stsEndpoint: options.stsEndpoint ?? sqsEndpoint,
      ...(options.dataDir !== undefined ? { dataDir: join(options.dataDir, "engine") } : {}),
    });
  } catch (err) {
    await stopHttp(server, embedded);
    throw err;
  }
  engine = started;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    clock,
    journal,
    embedded,
    engine: started,
    close: () => {
      closing ??= (async () => {
        engine = undefined;
        await started.close();
        await stopHttp(server, embedded);
      })();
      return closing;
    },
  };
}

/** Ends long polls, drops idle keep-alive sockets, waits for the server, then flushes the emulator's state. */
async function stopHttp(server: Server, embedded: OpenEmulator): Promise<void> {
  embedded.emulator.close();
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  await embedded.close();
}

/** The host as clients should dial it: a wildcard bind is reached on loopback; IPv6 in brackets. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
