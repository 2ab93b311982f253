import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.js";
import { parseJsonText } from "./json-syntax.js";

/** `POST /v1/events` and the other /v1 bodies are refused above this (a 1 MiB event escaped is far less). */
export const MAX_V1_BODY_BYTES = 8 * 1024 * 1024;

/**
 * How much of a refused body is read and thrown away so the client can read the 413 on the same
 * connection. Answering while a client is still uploading, then closing, races its upload against our
 * reset: the client can see ECONNRESET instead of the answer. Past this the connection is cut.
 */
const MAX_DISCARD_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a request body as UTF-8 text, at most `limit` bytes. Over the limit it discards the rest and
 * rejects with a 413 {@link HttpError}; bytes that are not UTF-8 are a 400; a client that hangs up
 * rejects with an error the error handler answers (to nobody).
 */
export function readTextBody(req: IncomingMessage, limit = MAX_V1_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
    const refuse = () =>
      reject(new HttpError(413, "PayloadTooLarge", `The request body is larger than the ${limit} bytes sqsrig accepts (for /v1/events, split the events over several requests).`));
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > MAX_DISCARD_BYTES) {
          refuse();
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return refuse();
      try {
        resolve(utf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new HttpError(400, "InvalidEncoding", "The request body is not valid UTF-8."));
      }
    });
    req.on("error", reject);
    // A client that hangs up mid-body: whichever of these fires settles the promise (later calls are no-ops).
    const hungUp = () => reject(new HttpError(400, "Aborted", "The client hung up before the request body was complete."));
    req.on("aborted", hungUp);
    req.on("close", () => {
      if (!req.complete) hungUp();
    });
  });
}

/** The body as JSON; malformed JSON is a 400 naming line and column. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_V1_BODY_BYTES): Promise<unknown> {
  const text = await readTextBody(req, limit);
  if (text.trim() === "") throw new HttpError(400, "EmptyBody", "The request body is empty; send a JSON object.");
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new HttpError(400, "MalformedJson", parsed.message);
  return parsed.value;
}
