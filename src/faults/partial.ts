import { randomUUID } from "node:crypto";
import type { FaultEffect } from "./rules.js";
import { batchListOf, type ParsedRequest, type WireHandler, type WireRequest, type WireResponse } from "./wire-request.js";

type PartialEffect = Extract<FaultEffect, { kind: "partial" }>;

const QUERY_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

/**
 * A batch answered partly (SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch API
 * references: HTTP 200 with each entry in `Successful` or `Failed`). The failing entries are taken out
 * before the backend sees the request, so it stores (or deletes) only the others — exactly what SQS did
 * when it reports those entries failed — and are added to `Failed` with the rule's code and SenderFault.
 */
export async function rewritePartial(
  request: WireRequest,
  parsed: ParsedRequest,
  failing: number[],
  effect: PartialEffect,
  forward: WireHandler,
): Promise<WireResponse> {
  const failed = parsed.entries.filter((e) => failing.includes(e.index)).map((e) => ({ Id: e.id, SenderFault: effect.senderFault, Code: effect.code, Message: effect.message }));
  const keep = parsed.entries.filter((e) => !failing.includes(e.index)).map((e) => e.index);
  return parsed.protocol === "json" ? partialJson(request, parsed, keep, failed, forward) : partialQuery(request, parsed, keep, failed, forward);
}

interface FailedEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

async function partialJson(request: WireRequest, parsed: ParsedRequest, keep: number[], failed: FailedEntry[], forward: WireHandler): Promise<WireResponse> {
  const list = batchListOf(parsed.action)!.json;
  const entries = (parsed.json?.[list] as unknown[]) ?? [];
  if (keep.length === 0) return jsonAnswer({ Successful: [], Failed: failed });
  const body = Buffer.from(JSON.stringify({ ...parsed.json, [list]: keep.map((i) => entries[i]) }), "utf8");
  const response = await forward(withBody(request, body));
  if (response.status !== 200) return response;
  let output: { Successful?: unknown[]; Failed?: unknown[] };
  try {
    output = JSON.parse(response.body) as typeof output;
  } catch {
    return response;
  }
  return withResponseBody(response, JSON.stringify({ ...output, Successful: output.Successful ?? [], Failed: [...(output.Failed ?? []), ...failed] }));
}

async function partialQuery(request: WireRequest, parsed: ParsedRequest, keep: number[], failed: FailedEntry[], forward: WireHandler): Promise<WireResponse> {
  const action = parsed.action;
  const failedXml = failed.map(
    (f) =>
      `<BatchResultErrorEntry><Id>${xml(f.Id)}</Id><SenderFault>${f.SenderFault}</SenderFault><Code>${xml(f.Code)}</Code><Message>${xml(f.Message)}</Message></BatchResultErrorEntry>`,
  );
  if (keep.length === 0) {
    const requestId = randomUUID();
    const body =
      `<?xml version="1.0"?><${action}Response xmlns="${QUERY_NAMESPACE}"><${action}Result>${failedXml.join("")}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    return { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId, "content-length": String(Buffer.byteLength(body)) }, body };
  }
  // Renumber the kept entries 1..n; every other parameter stays as it was.
  const prefix = `${batchListOf(action)!.query}.`;
  const renumber = new Map(keep.map((index, i) => [parsed.entries[index]!.queryNumber ?? index + 1, i + 1]));
  const params = new URLSearchParams();
  for (const [key, value] of parsed.params ?? []) {
    if (!key.startsWith(prefix)) {
      params.append(key, value);
      continue;
    }
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    const to = renumber.get(Number(dot < 0 ? rest : rest.slice(0, dot)));
    if (to !== undefined) params.append(`${prefix}${to}${dot < 0 ? "" : rest.slice(dot)}`, value);
  }
  const url = new URL(request.url, "http://localhost");
  const rewritten: WireRequest = {
    ...withBody(request, Buffer.from(params.toString(), "utf8")),
    url: url.pathname,
    headers: { ...request.headers, "content-type": "application/x-www-form-urlencoded" },
  };
  const response = await forward(rewritten);
  const close = `</${action}Result>`;
  const empty = `<${action}Result/>`;
  if (response.status !== 200) return response;
  if (response.body.includes(close)) return withResponseBody(response, response.body.replace(close, failedXml.join("") + close));
  if (response.body.includes(empty)) return withResponseBody(response, response.body.replace(empty, `<${action}Result>${failedXml.join("")}${close}`));
  return response;
}

function withBody(request: WireRequest, body: Buffer): WireRequest {
  const headers = { ...request.headers };
  if (headers["content-length"] !== undefined) headers["content-length"] = String(body.length);
  return { ...request, headers, body };
}

function withResponseBody(response: WireResponse, body: string): WireResponse {
  return { ...response, headers: { ...response.headers, "content-length": String(Buffer.byteLength(body)) }, body };
}

function jsonAnswer(output: unknown): WireResponse {
  const body = JSON.stringify(output);
  return {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID(), "content-length": String(Buffer.byteLength(body)) },
    body,
  };
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
