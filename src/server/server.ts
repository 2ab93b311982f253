import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createRealClock, type Clock } from "../clock/index.js";
import { createEngine } from "../engine/index.js";
import type { Engine, EngineOptions } from "../engine/index.js";
import { openEmulator, sqsWireOverHttp } from "../emulator/index.js";
import { createProxyHandler, FaultInjector, withFaults, type WireHandler } from "../faults/index.js";
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
   * Keep the emulator's queues in memory even with `dataDir` (a scenario run: its queues live as long as
   * the run, and only the engine must survive `restartEngine`). @default false
   */
  emulatorInMemory?: boolean;
  /**
   * The SQS backend: `embedded` (this server's own emulator) or `endpoint` (any SQS-compatible URL, e.g.
   * LocalStack), which `POST /` and the engine then reach through a proxy behind the fault rules.
   * @default "embedded"
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
  /** Fault rules in force from the start (replace them with `PUT /api/faults`). */
  faults?: unknown;
  /** Seed of the fault rules' chance (probability, delay ranges). @default 1 */
  seed?: number;
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
  /** The engine running now (a new one after {@link SqsrigServer.restartEngine}). */
  readonly engine: Engine;
  /** The fault rules between every SQS client (the engine included) and the backend. */
  readonly faults: FaultInjector;
  /** The SQS API in process, behind the fault rules: what `POST /` answers, without HTTP. */
  readonly sqs: WireHandler;
  /** The backend in process with no fault rules in front (a harness's own setup and bookkeeping calls). */
  readonly backendSqs: WireHandler;
  /**
   * Kills the engine the way a process dies (no flush, answers in flight never read) and starts a new
   * one on the same data directory, which recovers what the outbox kept: a scenario's `restartEngine`.
   * Needs `dataDir`; without it there is nothing to recover from.
   */
  restartEngine(): Promise<Engine>;
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
    ...(options.dataDir !== undefined && !options.emulatorInMemory ? { dataDir: join(options.dataDir, "emulator") } : {}),
  });
  const faults = new FaultInjector({ clock, journal, seed: options.seed });
  if (options.faults !== undefined) {
    const set = faults.setRules(options.faults);
    if (!set.ok) {
      await embedded.close();
      throw new Error(`sqsrig: invalid fault rules: ${set.errors.map((e) => e.message).join("; ")}`);
    }
  }
  // Every SQS request meets the fault rules first: clients over HTTP and the engine in process alike,
  // in front of the embedded emulator or of a proxy to the endpoint.
  const proxy = backend === "endpoint" ? createProxyHandler(options.endpoint!) : undefined;
  const faultedSqs = withFaults(proxy ?? embedded.handleWire, faults, clock);
  const handleSqs = sqsWireOverHttp(faultedSqs);
  let engine: Engine | undefined;
  const app = createSqsrigApp({ emulator: embedded.emulator, engine: () => engine, faults, onInternalError });
  const server = createServer((req, res) => {
    if (isAppRequest(req)) app(req, res);
    else void handleSqs(req, res);
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
  const engineOptions: EngineOptions = {
    // The engine hands its requests to the faulted backend in process: same SDK, signing and wire format,
    // no loopback socket, and the same fault rules as clients of POST / (for `endpoint`, the proxy
    // then sends them on over HTTP).
    ...(backend === "embedded" ? { baseCredentials: EMBEDDED_BASE_CREDENTIALS } : {}),
    inProcessSqs: faultedSqs,
    ...options.engine,
    clock,
    journal,
    endpoint: sqsEndpoint,
    stsEndpoint: options.stsEndpoint ?? sqsEndpoint,
    ...(options.dataDir !== undefined ? { dataDir: join(options.dataDir, "engine") } : {}),
  };
  try {
    engine = await createEngine(engineOptions);
  } catch (err) {
    await stopHttp(server, embedded);
    proxy?.close();
    throw err;
  }
  // Destinations live in the engine's data directory; a restarted engine must not save them again.
  const restartOptions: EngineOptions = { ...engineOptions, destinations: [] };

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    clock,
    journal,
    embedded,
    get engine() {
      return engine!;
    },
    faults,
    sqs: faultedSqs,
    backendSqs: proxy ?? embedded.handleWire,
    restartEngine: async () => {
      if (options.dataDir === undefined) throw new Error("sqsrig: restarting the engine needs a data directory to recover from.");
      if (closing) throw new Error("sqsrig: the server is closing.");
      const dead = engine!;
      engine = undefined;
      await dead.crash();
      engine = await createEngine(restartOptions);
      return engine;
    },
    close: () => {
      closing ??= (async () => {
        const running = engine;
        engine = undefined;
        await running?.close();
        await stopHttp(server, embedded);
        proxy?.close();
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
