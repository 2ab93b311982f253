import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRealClock, type Clock } from "../clock/index.js";
import { createJournal, type Journal } from "../journal/index.js";
import { Emulator, type EmulatorOptions } from "./emulator.js";
import { createSqsWireHandler, sqsWireOverHttp, type SqsHttpOptions, type SqsWireHandler } from "./http.js";
import type { PersistenceOptions } from "./persistence.js";
import { openStateStore } from "./persistence-store.js";
import { createSecurityTokenService, type SecurityTokenService } from "./sts.js";
import type { RoleConfig } from "./sts-roles.js";

/** What the emulator core needs, with or without its own port. */
export interface OpenEmulatorOptions extends SqsHttpOptions {
  clock?: Clock;
  journal?: Journal;
  region?: string;
  accountId?: string;
  /** Keep queues, messages and dedup ids in this directory across restarts. */
  dataDir?: string;
  /** How `dataDir` is written (durability, where warnings go). */
  persistence?: PersistenceOptions;
  /** IAM roles the built-in STS lets callers assume (more via `server.sts.putRole`). */
  roles?: RoleConfig[];
  /** Quotas to use instead of AWS's (see `EmulatorOptions.limits`). */
  limits?: EmulatorOptions["limits"];
  /** Seeded MessageIds and move-task ids for reproducible runs (see `EmulatorOptions.seed`). */
  seed?: number;
}

export interface EmulatorServerOptions extends OpenEmulatorOptions {
  /** @default 4590 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
}

/** The emulator, its state store and STS, and the SQS wire handler, ready to mount on any HTTP server. */
export interface OpenEmulator {
  readonly emulator: Emulator;
  readonly sts: SecurityTokenService;
  /** Answers one SQS (or STS) request; reads the raw body itself, so mount it before any body parser. */
  handleSqs(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The same, without HTTP: what an in-process SDK client (the engine of `sqsrig serve`) calls. */
  readonly handleWire: SqsWireHandler;
  /** Ends waiting receives and timers, then flushes and compacts `dataDir`. Call after the HTTP server stopped answering. */
  close(): Promise<void>;
}

/**
 * Builds the emulator without listening: `startEmulatorServer` and `sqsrig serve` mount `handleSqs`
 * on their own servers, so both answer SQS requests identically.
 *
 * @example
 * const embedded = await openEmulator({ clock });
 * http.createServer((req, res) => void embedded.handleSqs(req, res)).listen(0);
 */
export async function openEmulator(options: OpenEmulatorOptions = {}): Promise<OpenEmulator> {
  const clock = options.clock ?? createRealClock();
  const journal = options.journal ?? createJournal(clock, { retain: 0 });
  const store = options.dataDir ? await openStateStore(options.dataDir, clock, options.persistence) : undefined;
  const emulator = new Emulator({ clock, journal, region: options.region, accountId: options.accountId, stateLog: store?.log, limits: options.limits, seed: options.seed });
  store?.restoreInto(emulator);
  const sts = createSecurityTokenService({ clock, accountId: emulator.accountId, roles: options.roles });
  const handleWire = createSqsWireHandler(emulator, {
    ...options,
    resolvePrincipal: options.resolvePrincipal ?? sts.resolvePrincipal,
    sideService: options.sideService ?? sts.handle,
  });
  const handleSqs = sqsWireOverHttp(handleWire);
  let closing: Promise<void> | undefined;
  return {
    emulator,
    sts,
    handleSqs,
    handleWire,
    close: () => {
      closing ??= (async () => {
        emulator.close();
        await store?.close();
      })();
      return closing;
    },
  };
}

export interface EmulatorServer {
  readonly emulator: Emulator;
  readonly server: Server;
  /** `http://HOST:PORT`, what SDK clients use as their endpoint. */
  readonly url: string;
  readonly port: number;
  /** The built-in STS (AssumeRole, GetCallerIdentity) that also tells SQS who signed each request. */
  readonly sts: SecurityTokenService;
  close(): Promise<void>;
}

/**
 * Starts the SQS emulator on its own HTTP port (`sqsrig emulator`): the SQS API on `POST /` and
 * `GET /_sqsrig/health`.
 *
 * @example
 * const { url, close } = await startEmulatorServer({ port: 0 });
 * const sqs = new SQSClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
 */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const embedded = await openEmulator(options);
  const { emulator, sts, handleSqs } = embedded;
  const server = createServer((req, res) => {
    if (req.method === "GET" && (req.url === "/_sqsrig/health" || req.url?.startsWith("/_sqsrig/health?"))) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok", queues: emulator.all().length }));
      return;
    }
    void handleSqs(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4590, options.host ?? "127.0.0.1", () => resolve());
  }).catch(async (err: unknown) => {
    await embedded.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    emulator,
    server,
    url,
    port,
    sts,
    close: async () => {
      await new Promise<void>((resolve) => {
        emulator.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      // After the last answer: flush the log and compact it into a fresh snapshot.
      await embedded.close();
    },
  };
}
