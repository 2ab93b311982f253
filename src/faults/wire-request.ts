import { isSqsAction } from "../emulator/index.js";

/** One SQS request on the wire, as every attachment point sees it (HTTP, in-process, SDK middleware). */
export interface WireRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  bodyTooLarge?: boolean;
  signal?: () => AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type WireHandler = (request: WireRequest) => Promise<WireResponse>;

/** One message a request carries (a batch entry, or the single message of SendMessage/DeleteMessage…). */
export interface RequestEntry {
  index: number;
  /** Query protocol: the entry's number in its parameters (`…Entry.N.`), which need not be 1..n. */
  queryNumber?: number;
  /** Batch entry `Id`; `""` for single-message actions. */
  id: string;
  groupId?: string;
  dedupId?: string;
  body?: string;
  receiptHandle?: string;
  attributes: Record<string, string | undefined>;
}

/** What the fault rules look at. */
export interface ParsedRequest {
  protocol: "json" | "query";
  action: string;
  /** Queue name, when the request names a queue. */
  queue?: string;
  entries: RequestEntry[];
  /** JSON input, or query parameters: what a `partial` rewrite edits. */
  json?: Record<string, unknown>;
  params?: URLSearchParams;
}

const BATCH_LIST: Record<string, { json: string; query: string }> = {
  SendMessageBatch: { json: "Entries", query: "SendMessageBatchRequestEntry" },
  DeleteMessageBatch: { json: "Entries", query: "DeleteMessageBatchRequestEntry" },
  ChangeMessageVisibilityBatch: { json: "Entries", query: "ChangeMessageVisibilityBatchRequestEntry" },
};

/** The batch entry list of `action`, in each protocol; undefined for non-batch actions. */
export function batchListOf(action: string): { json: string; query: string } | undefined {
  return BATCH_LIST[action];
}

/**
 * Reads what the rules need from a request, in either protocol. A request it cannot read (malformed
 * body, unknown protocol) yields undefined: it passes untouched and the backend answers it as it would.
 */
export function parseWireRequest(request: WireRequest): ParsedRequest | undefined {
  const target = first(request.headers["x-amz-target"]);
  if (target !== undefined) {
    if (!target.startsWith("AmazonSQS.")) return undefined;
    const action = target.slice("AmazonSQS.".length);
    let json: Record<string, unknown>;
    try {
      const parsed: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
      json = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (!isSqsAction(action)) return undefined;
    return { protocol: "json", action, queue: queueName(json.QueueUrl) ?? nameParam(json.QueueName), entries: jsonEntries(action, json), json };
  }
  let url: URL;
  try {
    url = new URL(request.url, "http://localhost");
  } catch {
    return undefined;
  }
  const params = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(request.body.toString("utf8"))) params.append(k, v);
  const action = params.get("Action");
  // STS (AssumeRole) shares the port; it is not SQS and no SQS rule applies to it.
  if (!action || !isSqsAction(action)) return undefined;
  const queue = queueName(params.get("QueueUrl") ?? (/^\/\d{12}\/[^/]+\/?$/.test(url.pathname) ? url.pathname : undefined)) ?? nameParam(params.get("QueueName"));
  return { protocol: "query", action, queue, entries: queryEntries(action, params), params };
}

function jsonEntries(action: string, input: Record<string, unknown>): RequestEntry[] {
  const list = BATCH_LIST[action];
  const raw = list ? input[list.json] : [input];
  if (!Array.isArray(raw)) return [];
  return raw.map((e: unknown, index) => {
    const o = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
    const attributes: Record<string, string | undefined> = {};
    if (typeof o.MessageAttributes === "object" && o.MessageAttributes !== null) {
      for (const [name, v] of Object.entries(o.MessageAttributes as Record<string, { StringValue?: unknown }>)) {
        attributes[name] = typeof v?.StringValue === "string" ? v.StringValue : undefined;
      }
    }
    return {
      index,
      id: list && typeof o.Id === "string" ? o.Id : "",
      ...str("groupId", o.MessageGroupId),
      ...str("dedupId", o.MessageDeduplicationId),
      ...str("body", o.MessageBody),
      ...str("receiptHandle", o.ReceiptHandle),
      attributes,
    };
  });
}

function queryEntries(action: string, params: URLSearchParams): RequestEntry[] {
  const list = BATCH_LIST[action];
  const read = (prefix: string, index: number, id: string): RequestEntry => {
    const attributes: Record<string, string | undefined> = {};
    for (let n = 1; params.has(`${prefix}MessageAttribute.${n}.Name`); n++) {
      attributes[params.get(`${prefix}MessageAttribute.${n}.Name`)!] = params.get(`${prefix}MessageAttribute.${n}.Value.StringValue`) ?? undefined;
    }
    return {
      index,
      id,
      ...str("groupId", params.get(`${prefix}MessageGroupId`)),
      ...str("dedupId", params.get(`${prefix}MessageDeduplicationId`)),
      ...str("body", params.get(`${prefix}MessageBody`)),
      ...str("receiptHandle", params.get(`${prefix}ReceiptHandle`)),
      attributes,
    };
  };
  if (!list) return [read("", 0, "")];
  // Entry numbers need not run 1..n (SQS sorts whatever numbers it is given): collect them as they are.
  const numbers = new Set<number>();
  const idKey = new RegExp(`^${list.query.replace(/\./g, "\\.")}\\.(\\d+)\\.Id$`);
  for (const key of params.keys()) {
    const m = idKey.exec(key);
    if (m) numbers.add(Number(m[1]));
  }
  return [...numbers]
    .sort((a, b) => a - b)
    .map((n, index) => ({ ...read(`${list.query}.${n}.`, index, params.get(`${list.query}.${n}.Id`)!), queryNumber: n }));
}

function nameParam(name: unknown): string | undefined {
  return typeof name === "string" && name !== "" ? name : undefined;
}

function queueName(url: unknown): string | undefined {
  if (typeof url !== "string" || url === "") return undefined;
  const path = url.replace(/\/+$/, "");
  return path.slice(path.lastIndexOf("/") + 1) || undefined;
}

function str<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === "string" ? { [key]: value } : {}) as { [P in K]?: string };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
