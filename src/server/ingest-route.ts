import type { IncomingMessage } from "node:http";
import type { Engine, FieldError, IngestReport, IngestResult } from "../engine/index.js";
import { HttpError, errorBody } from "./errors.js";
import type { ErrorBody } from "./errors.js";
import { parseEventsBody } from "./events-body.js";
import { readTextBody } from "./read-body.js";

/** The answer to `POST /v1/events`: the report, and when anything was rejected, the error too. */
export type IngestResponse = IngestReport & Partial<ErrorBody>;

/**
 * `POST /v1/events` (DESIGN "Contracts": "202 with one result per event only after the events are
 * durable; 400 with field-level errors otherwise"). Valid events are accepted even when others in the
 * same body are rejected, and each result says which happened, so a client retries only what failed.
 * A line of NDJSON that is not JSON is rejected as that item; the rest still go to the engine.
 */
export async function ingestEventsBody(
  engine: Engine,
  req: IncomingMessage,
  destination: string | undefined,
): Promise<{ status: number; body: IngestResponse }> {
  const text = await readTextBody(req);
  const parsed = parseEventsBody(text, req.headers["content-type"]);
  if (!parsed.ok) throw new HttpError(parsed.error.status, parsed.error.code, parsed.error.message);

  const positions: number[] = [];
  const values: unknown[] = [];
  parsed.items.forEach((item, index) => {
    if (item.ok) {
      positions.push(index);
      values.push(item.value);
    }
  });
  const results: IngestResult[] = parsed.items.map((item, index) =>
    item.ok ? { index, status: "rejected", errors: [] } : { index, status: "rejected", errors: [item.error] },
  );
  if (values.length > 0) {
    const report = await engine.ingest(values, destination !== undefined ? { destination } : {});
    // The engine numbered only the items that parsed; put each result back at its place in the body.
    for (const result of report.results) results[positions[result.index]!] = { ...result, index: positions[result.index]! };
  }
  const accepted = results.filter((r) => r.status === "accepted").length;
  const rejected = results.length - accepted;
  const body: IngestResponse = { accepted, rejected, results };
  if (rejected === 0) return { status: 202, body };
  const errors: FieldError[] = results.flatMap((r) =>
    r.status === "rejected" ? r.errors.map((e) => ({ ...e, field: e.field === "" ? `[${r.index}]` : `[${r.index}].${e.field}` })) : [],
  );
  const summary =
    accepted > 0
      ? `${rejected} of ${results.length} events were rejected; the other ${accepted} were accepted and will be delivered.`
      : `${rejected === 1 ? "The event was" : `All ${rejected} events were`} rejected; nothing was accepted.`;
  return { status: 400, body: { ...body, ...errorBody("InvalidEvents", summary, errors) } };
}
