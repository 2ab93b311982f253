import type { FieldError } from "../engine/index.js";
import { findJsonSyntaxProblem, parseJsonText } from "./json-syntax.js";

/** One event slot of a `POST /v1/events` body: a parsed JSON value, or why its line could not be read. */
export type EventsBodyItem = { ok: true; value: unknown } | { ok: false; error: FieldError };

/** A body refused as a whole: nothing in it is ingested. */
export interface EventsBodyError {
  status: 400 | 415;
  code: "EmptyBody" | "MalformedJson" | "UnsupportedMediaType";
  message: string;
  line?: number;
  column?: number;
}

export type EventsBody =
  | { ok: true; format: "object" | "array" | "ndjson"; items: EventsBodyItem[] }
  | { ok: false; error: EventsBodyError };

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"]);
/**
 * Types read as JSON. Besides JSON itself: `text/plain`, `application/octet-stream` and
 * `application/x-www-form-urlencoded`, because `curl -d @event.json` sends the last one by default and a
 * JSON body is unambiguous anyway. Anything else (XML, multipart, HTML) is a client mistake worth naming.
 */
const JSON_TYPES = new Set(["application/json", "text/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded"]);

/**
 * Splits a `POST /v1/events` body into events (DESIGN "Contracts": "one canonical event, a JSON array, or
 * NDJSON"). A JSON object is one event and an array its items. NDJSON — declared by content type, or a
 * body of several JSON values one per line — is one event per non-empty line; a malformed line becomes
 * that item's error, naming line and column, and the other lines still go through. A malformed single
 * object or array is refused as a whole, with the line and column where it breaks.
 *
 * @example
 * parseEventsBody('{"eventType":"a"}\n{"eventType":"b"}\n', "application/x-ndjson").items.length; // 2
 */
export function parseEventsBody(text: string, contentType: string | undefined): EventsBody {
  const mediaType = contentType?.split(";")[0]!.trim().toLowerCase() || undefined;
  const ndjsonDeclared = mediaType !== undefined && NDJSON_TYPES.has(mediaType);
  if (mediaType !== undefined && !ndjsonDeclared && !JSON_TYPES.has(mediaType) && !mediaType.endsWith("+json")) {
    return fail(415, "UnsupportedMediaType", `Content-Type ${mediaType} is not accepted; send application/json (one event or an array) or application/x-ndjson.`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return fail(400, "EmptyBody", "The request body is empty; send one event, a JSON array of events, or NDJSON.");
  if (ndjsonDeclared) return { ok: true, format: "ndjson", items: parseLines(body) };

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    if (looksLikeNdjson(body)) return { ok: true, format: "ndjson", items: parseLines(body) };
    const failed = parseJsonText(body);
    const where = failed.ok ? { message: "Malformed JSON.", line: 1, column: 1 } : failed;
    return { ok: false, error: { status: 400, code: "MalformedJson", message: where.message, line: where.line, column: where.column } };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return fail(400, "EmptyBody", "The JSON array is empty; send at least one event.");
    return { ok: true, format: "array", items: parsed.map((value: unknown) => ({ ok: true, value })) };
  }
  return { ok: true, format: "object", items: [{ ok: true, value: parsed }] };
}

/** Several non-empty lines whose first parses on its own: the sender meant one value per line. */
function looksLikeNdjson(body: string): boolean {
  const lines = body.split("\n").filter((line) => line.trim() !== "");
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]!);
    return true;
  } catch {
    return false;
  }
}

function parseLines(body: string): EventsBodyItem[] {
  const items: EventsBodyItem[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.trim() === "") continue;
    try {
      items.push({ ok: true, value: JSON.parse(line) });
    } catch {
      const problem = findJsonSyntaxProblem(line) ?? { offset: 0, problem: "not valid JSON" };
      const message = `Malformed JSON at line ${i + 1}, column ${problem.offset + 1}: ${problem.problem}.`;
      items.push({ ok: false, error: { field: "", rule: "malformedJson", message } });
    }
  }
  return items;
}

function fail(status: EventsBodyError["status"], code: EventsBodyError["code"], message: string): EventsBody {
  return { ok: false, error: { status, code, message } };
}
