import type { ErrorRequestHandler, Response } from "express";
import { IngestError, PreviewInputError, ReplayRequestError } from "../engine/index.js";
import type { FieldError } from "../engine/index.js";

/** The one error body of every sqsrig HTTP route outside the SQS API. */
export interface ErrorBody {
  error: { code: string; message: string; errors?: FieldError[] };
}

/** An HTTP answer a route decided on: its status, a stable code and a sentence for people. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorBody(code: string, message: string, errors?: FieldError[]): ErrorBody {
  return { error: { code, message, ...(errors && errors.length > 0 ? { errors } : {}) } };
}

export function sendError(res: Response, status: number, code: string, message: string, errors?: FieldError[]): void {
  if (res.headersSent || res.destroyed) return;
  res.status(status).json(errorBody(code, message, errors));
}

/**
 * The last middleware: whatever a route threw becomes a JSON error, never a crash or a stack trace on
 * the wire. Known errors keep their status; express's own (a path it cannot decode) keep theirs; anything
 * else is a 500 reported to `onInternalError`.
 */
export function createErrorHandler(onInternalError: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) {
      // Half an answer is out: the only honest thing left is to cut the connection.
      res.destroy();
      return;
    }
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, err.errors);
    if (err instanceof IngestError) return sendError(res, err.status, err.code, err.message);
    if (err instanceof PreviewInputError) {
      const errors = err.errors.map((e) => ({ ...e, field: e.field === "" ? err.part : `${err.part}.${e.field}` }));
      return sendError(res, 400, "InvalidRequest", err.message, errors);
    }
    if (err instanceof ReplayRequestError) return sendError(res, 400, "InvalidRequest", err.message, [{ field: err.field, rule: "required", message: err.message }]);
    const status = (err as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return sendError(res, status, "BadRequest", err instanceof Error ? err.message : "The request could not be read.");
    }
    onInternalError(err);
    sendError(res, 500, "InternalError", "sqsrig failed to answer this request; the error was logged.");
  };
}
