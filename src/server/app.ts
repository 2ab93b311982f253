import express from "express";
import type { Express } from "express";
import type { IncomingMessage } from "node:http";
import type { Engine } from "../engine/index.js";
import type { Emulator } from "../emulator/index.js";
import type { FaultInjector } from "../faults/index.js";
import { createApiRouter } from "./api-routes.js";
import { createErrorHandler, errorBody } from "./errors.js";
import { createV1Router } from "./v1-routes.js";

export interface SqsrigAppOptions {
  emulator: Emulator;
  /** Undefined until the engine is ready, and again once it is closing: /v1 then answers 503. */
  engine: () => Engine | undefined;
  faults: FaultInjector;
  onInternalError: (err: unknown) => void;
}

/**
 * Paths the express app answers; every other request is the SQS API. The SQS handler is not mounted
 * inside express: it reads the raw body itself, and express would add headers (`X-Powered-By`) and
 * per-request work to a wire that must stay byte-identical to `sqsrig emulator`.
 */
export function isAppRequest(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  return /^\/(v1|api|_sqsrig)(\/|\?|$)/.test(url);
}

/** The express 5 app behind `sqsrig serve`: health, the `/v1` API, `/api` (faults), one JSON error handler. */
export function createSqsrigApp(options: SqsrigAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);

  app.get("/_sqsrig/health", (_req, res) => {
    const engine = options.engine();
    res.json({ status: "ok", queues: options.emulator.all().length, engine: engine ? { ready: true, pending: engine.pending() } : { ready: false, pending: 0 } });
  });
  app.use("/v1", createV1Router(options.engine));
  app.use("/api", createApiRouter(options.faults));
  app.use((req, res) => {
    res.status(404).json(errorBody("NotFound", `No route ${req.method} ${req.path}.`));
  });
  app.use(createErrorHandler(options.onInternalError));
  return app;
}
