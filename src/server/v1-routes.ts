import { Router } from "express";
import type { Request, RequestHandler } from "express";
import { compileDestination, formatPreview, validateEvent } from "../engine/index.js";
import type { Engine, FieldError, ReplayRequest } from "../engine/index.js";
import { HttpError, errorBody } from "./errors.js";
import { ingestEventsBody } from "./ingest-route.js";
import { readJsonBody } from "./read-body.js";

/**
 * The Pushrail HTTP API under `/v1` (DESIGN "Contracts"): ingestion, preview, destinations and the DLQ.
 * `engine()` is undefined until the engine is ready (it needs the server's own URL, so it starts after
 * the port is open); until then every route answers 503.
 */
export function createV1Router(engine: () => Engine | undefined): Router {
  const router = Router();
  const ready = (): Engine => {
    const current = engine();
    if (!current) throw new HttpError(503, "NotReady", "The delivery engine is starting or stopping; retry in a moment.");
    return current;
  };
  const route = (path: string, handlers: Partial<Record<"get" | "post" | "put" | "delete", RequestHandler>>) => {
    const r = router.route(path);
    for (const [method, handler] of Object.entries(handlers)) r[method as keyof typeof handlers](handler);
    const allow = Object.keys(handlers).map((m) => m.toUpperCase()).join(", ");
    r.all((req, res) => {
      res.setHeader("allow", allow);
      res.status(405).json(errorBody("MethodNotAllowed", `${req.method} is not supported on ${pathOf(req)}; use ${allow}.`));
    });
  };

  route("/events", {
    post: async (req, res) => {
      const destination = queryString(req, "destination");
      const { status, body } = await ingestEventsBody(ready(), req, destination);
      res.status(status).json(body);
    },
  });

  route("/preview", {
    post: async (req, res) => {
      const current = ready();
      const body = await readJsonBody(req);
      if (!isPlainObject(body)) throw invalid([{ field: "", rule: "type", message: "The body must be a JSON object {event, destination}." }]);
      const errors: FieldError[] = [];
      const event = validateEvent(body.event);
      if (!event.ok) errors.push(...prefixed("event", event.errors));
      const destination = body.destination;
      if (typeof destination === "string") {
        if (!current.destinations.get(destination)) throw new HttpError(404, "UnknownDestination", `No destination named '${destination}'.`);
      } else if (destination === undefined) {
        errors.push({ field: "destination", rule: "required", message: "destination is required: a saved destination's name or a destination config." });
      } else {
        const compiled = compileDestination(destination);
        if (!compiled.ok) errors.push(...prefixed("destination", compiled.errors));
      }
      for (const key of Object.keys(body)) {
        if (key !== "event" && key !== "destination") errors.push({ field: key, rule: "unknown", message: `Unknown field '${key}'; send {event, destination}.` });
      }
      if (errors.length > 0) throw invalid(errors);
      const report = await current.preview(body.event, destination);
      res.status(200).json({ ...report, text: formatPreview(report) });
    },
  });

  route("/destinations", {
    get: (_req, res) => {
      res.json({ destinations: ready().destinations.list() });
    },
  });

  route("/destinations/:name", {
    get: (req, res) => {
      const name = String(req.params.name);
      const found = ready().destinations.get(name);
      if (!found) throw new HttpError(404, "UnknownDestination", `No destination named '${name}'.`);
      res.json({ destination: found });
    },
    put: async (req, res) => {
      const current = ready();
      const name = String(req.params.name);
      const body = await readJsonBody(req);
      if (!isPlainObject(body)) throw invalid([{ field: "", rule: "type", message: "A destination must be a JSON object." }]);
      if (body.name === undefined) body.name = name;
      else if (body.name !== name) {
        throw invalid([{ field: "name", rule: "mismatch", message: `name '${String(body.name)}' does not match the path's '${name}'.` }]);
      }
      const result = await current.destinations.put(body);
      if (!result.ok) throw invalid(result.errors);
      res.status(result.created ? 201 : 200).json({ destination: result.destination, queue: result.queue, warnings: result.warnings });
    },
    delete: async (req, res) => {
      const name = String(req.params.name);
      if (!(await ready().destinations.delete(name))) throw new HttpError(404, "UnknownDestination", `No destination named '${name}'.`);
      res.status(204).end();
    },
  });

  route("/dlq", {
    get: (req, res) => {
      const destination = queryString(req, "destination");
      res.json({ entries: ready().dlq.list(destination !== undefined ? { destination } : {}) });
    },
  });

  route("/dlq/replay", {
    post: async (req, res) => {
      const current = ready();
      const request = compileReplayRequest(await readJsonBody(req));
      res.json(await current.dlq.replay(request));
    },
  });

  router.use((req, res) => {
    res.status(404).json(errorBody("NotFound", `No route ${req.method} ${pathOf(req)}.`));
  });
  return router;
}

function compileReplayRequest(body: unknown): ReplayRequest {
  if (!isPlainObject(body)) throw invalid([{ field: "", rule: "type", message: "The body must be a JSON object such as {\"ids\": [\"…\"]} or {\"all\": true}." }]);
  const errors: FieldError[] = [];
  const request: ReplayRequest = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "ids") {
      if (!Array.isArray(value) || value.some((id) => typeof id !== "string")) errors.push({ field: "ids", rule: "type", message: "ids must be an array of DLQ entry ids." });
      else request.ids = value as string[];
    } else if (key === "all" || key === "asNew" || key === "force") {
      if (typeof value !== "boolean") errors.push({ field: key, rule: "type", message: `${key} must be true or false.` });
      else request[key] = value;
    } else if (key === "destination") {
      if (typeof value !== "string" || value === "") errors.push({ field: key, rule: "type", message: "destination must be a destination name." });
      else request.destination = value;
    } else {
      errors.push({ field: key, rule: "unknown", message: `Unknown field '${key}'; allowed: ids, all, destination, asNew, force.` });
    }
  }
  if (errors.length === 0 && !request.ids?.length && request.all !== true) {
    errors.push({ field: "ids", rule: "required", message: "Name the entries to replay in ids, or send all: true." });
  }
  if (errors.length > 0) throw invalid(errors);
  return request;
}

/** The path as the client sent it, without the query. */
function pathOf(req: Request): string {
  return req.originalUrl.split("?")[0]!;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function queryString(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    throw invalid([{ field: name, rule: "type", message: `?${name}= must be given once, with a value.` }]);
  }
  return value;
}

function prefixed(prefix: string, errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, field: e.field === "" ? prefix : `${prefix}.${e.field}` }));
}

function invalid(errors: FieldError[]): HttpError {
  return new HttpError(400, "InvalidRequest", errors.map((e) => e.message).join(" "), errors);
}
