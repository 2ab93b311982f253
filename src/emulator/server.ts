import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRealClock, type Clock } from "../clock/index.js";
import { createJournal, type Journal } from "../journal/index.js";
import { Emulator, type EmulatorOptions } from "./emulator.js";
import { createSqsHttpHandler, type SqsHttpOptions } from "./http.js";
import type { PersistenceOptions } from "./persistence.js";
import { openStateStore } from "./persistence-store.js";
import { createSecurityTokenService, type SecurityTokenService } from "./sts.js";
import type { RoleConfig } from "./sts-roles.js";

export interface EmulatorServerOptions extends SqsHttpOptions {
  /** @default 4590 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
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
  const clock = options.clock ?? createRealClock();
  const journal = options.journal ?? createJournal(clock, { retain: 0 });
  const store = options.dataDir ? await openStateStore(options.dataDir, clock, options.persistence) : undefined;
  const emulator = new Emulator({ clock, journal, region: options.region, accountId: options.accountId, stateLog: store?.log, limits: options.limits });
  store?.restoreInto(emulator);
  const sts = createSecurityTokenService({ clock, accountId: emulator.accountId, roles: options.roles });
  const handleSqs = createSqsHttpHandler(emulator, {
    ...options,
    resolvePrincipal: options.resolvePrincipal ?? sts.resolvePrincipal,
    sideService: options.sideService ?? sts.handle,
  });
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
    emulator.close();
    await store?.close();
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
      await store?.close();
    },
  };
}
