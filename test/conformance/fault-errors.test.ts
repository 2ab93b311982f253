import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
// The SDK's own standard strategy with a zero backoff: which errors it retries stays the SDK's decision.
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULT_ERROR_NAMES, faultError, isFaultErrorName } from "../../src/faults/fault-errors.js";
import { SqsError, encodeSqsError, escapeXml } from "../../src/sqs/index.js";
import { failure } from "../support/failure.js";
import { CREDENTIALS } from "../support/target.js";
import { boto3Missing } from "./boto3/run-driver.js";
import { FAULT_ROWS, contextOf, expectedMessage, type FaultRow } from "./fault-errors-table.js";

/*
 * Issue 5's proof table: each fault name served as its wire form (encodeSqsError(faultError(…))) from a
 * small HTTP server, read by the real SDK v3 (JSON 1.0) and boto3 with their standard retry modes and 3
 * attempts. Each row pins what the SDK shows and whether it retried by itself (counted at the server)
 * to the AWS document or recorded AWS answer named in the row (fault-errors-table.ts).
 */

const ACCOUNT = "000000000000";
const rows = new Map<string, FaultRow>();
const requests = new Map<string, number>();
let server: Server;
let endpoint: string;

/** Answers every request with the fault its queue name stands for, and counts the requests per queue. */
function faultServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "");
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { QueueUrl?: string };
      const queueUrl = input.QueueUrl ?? "";
      const queue = queueUrl.split("/").pop() ?? "";
      requests.set(queue, (requests.get(queue) ?? 0) + 1);
      const row = rows.get(queue);
      // A request the table did not plan gets an error no row expects, so the row fails visibly.
      const error =
        row && row.action === action ? faultError(row.fault, contextOf(row, queueUrl)) : new SqsError("InvalidAction", `unplanned ${action} on ${queue}`);
      const wire = encodeSqsError(error, "json", randomUUID());
      res.writeHead(wire.status, wire.headers);
      res.end(wire.body);
    });
  });
}

beforeAll(async () => {
  server = faultServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function plan(prefix: string): { queue: string; url: string; row: FaultRow }[] {
  return FAULT_ROWS.map((row, i) => {
    const queue = `${prefix}-${i}`;
    rows.set(queue, row);
    return { queue, url: `${endpoint}/${ACCOUNT}/${queue}`, row };
  });
}

function send(client: SQSClient, action: FaultRow["action"], url: string): Promise<unknown> {
  switch (action) {
    case "SendMessage":
      return client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
    case "SendMessageBatch":
      return client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "m" }] }));
    case "GetQueueAttributes":
      return client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    case "ReceiveMessage":
      return client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
  }
}

describe("the fault names", () => {
  // Issue 5 "Build": the catalogue names, each with a row in the proof table, and no row without a name.
  it("are exactly the names the proof table covers", () => {
    expect([...new Set(FAULT_ROWS.map((r) => r.fault))].sort()).toEqual([...FAULT_ERROR_NAMES].sort());
    for (const name of FAULT_ERROR_NAMES) expect(isFaultErrorName(name)).toBe(true);
    expect(["throttling", "toString", "InvalidParameterValue", ""].filter(isFaultErrorName)).toEqual([]);
  });

  it("refuses an unknown name with a RangeError that lists the valid ones", () => {
    expect(() => faultError("Throttled", { action: "SendMessage" })).toThrow(RangeError);
    expect(() => faultError("Throttled", { action: "SendMessage" })).toThrow(/unknown fault error 'Throttled' \(one of Throttling, .*OverLimit\)/);
  });

  // Recorded E1 test_send_oversized_message (08/2025: 1048576) and E12 (the 1048577-byte batch).
  it("quotes the default sizes when the context names none", () => {
    expect(faultError("Oversize", { action: "SendMessage" }).message).toBe("One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.");
    expect(faultError("Oversize", { action: "SendMessageBatch" }).message).toBe("Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.");
  });
});

describe("SDK v3 (AWS JSON 1.0, standard retries, 3 attempts) sees each fault as SQS's own answer", () => {
  let cases: ReturnType<typeof plan>;
  beforeAll(() => {
    cases = plan("js");
  });

  it.each(FAULT_ROWS.map((row, i) => ({ ...row, i })))("$fault on $action — $source", async ({ i }) => {
    const { queue, url, row } = cases[i]!;
    const client = new SQSClient({
      endpoint,
      region: "us-east-1",
      credentials: CREDENTIALS,
      maxAttempts: 3,
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    });
    try {
      const err = await failure(send(client, row.action, url));
      const seen = { name: err.name, code: err.Code, fault: err.$fault, status: err.$metadata.httpStatusCode, message: err.message, requests: requests.get(queue) };
      expect(seen).toEqual({
        name: row.name,
        code: row.code,
        fault: row.fault$,
        status: row.status,
        message: expectedMessage(row, url),
        requests: row.retried ? 3 : 1,
      });
    } finally {
      client.destroy();
    }
  });
});

describe("the query protocol form of each fault", () => {
  // recorded-errors §0 ("query Code equals the JSON C"; Type Sender/Receiver; <Detail/>), E25 for
  // QueueDoesNotExist's wording, and the bare 503 body of celery/celery#4159.
  it.each(FAULT_ROWS)("$fault on $action — $source", (row) => {
    const url = `${endpoint}/${ACCOUNT}/q`;
    const wire = encodeSqsError(faultError(row.fault, contextOf(row, url)), "query", "req-1");
    expect(wire.status).toBe(row.status);
    expect(wire.headers["content-type"]).toBe("text/xml");
    expect(wire.headers["x-amzn-query-error"]).toBeUndefined();
    if (row.query?.bareElement) {
      expect(wire.body).toBe(row.query.bareElement);
      return;
    }
    const type = row.fault$ === "client" ? "Sender" : "Receiver";
    const message = escapeXml(row.query?.message ?? expectedMessage(row, url));
    expect(wire.body).toContain(`<Error><Type>${type}</Type><Code>${row.code}</Code><Message>${message}</Message><Detail/></Error>`);
    expect(wire.body).toContain("<RequestId>req-1</RequestId>");
  });
});

// botocore tests/functional/test_sqs.py: the JSON error body and header SQS sends, byte for byte.
describe("the JSON wire form", () => {
  it("is __type plus lower-case message, with x-amzn-query-error, x-amzn-requestid and the JSON content type", () => {
    const wire = encodeSqsError(faultError("QueueDoesNotExist", { action: "GetQueueAttributes" }), "json", "req-2");
    expect(wire).toEqual({
      status: 400,
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amzn-requestid": "req-2",
        "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender",
        "content-length": String(wire.body.length),
      },
      body: '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}',
    });
  });
});

const missing = boto3Missing();
const python = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
const script = fileURLToPath(new URL("./boto3/fault_errors.py", import.meta.url));

interface BotoSeen {
  class: string;
  code: string;
  type: string;
  queryErrorCode: string | null;
  message: string;
  status: number;
  retryAttempts: number;
}

function runBoto3(cases: { queue: string; action: string }[]): Promise<{ meta: { botocore: string }; cases: Record<string, BotoSeen> }> {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    // Keep the developer's own AWS config (profiles, retry modes) out of the run.
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  return new Promise((resolve, reject) => {
    execFile(python, [script, endpoint, JSON.stringify(cases)], { timeout: 60_000, env }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`fault_errors.py failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout));
    });
  });
}

describe.skipIf(Boolean(missing))("boto3 (botocore JSON 1.0, standard retry mode, 3 attempts) sees each fault as SQS's own answer", () => {
  let cases: ReturnType<typeof plan>;
  let seen: Record<string, BotoSeen>;
  beforeAll(async () => {
    cases = plan("py");
    seen = (await runBoto3(cases.map(({ queue, row }) => ({ queue, action: row.action })))).cases;
  }, 60_000);

  // botocore takes Error.Code and Type from x-amzn-query-error, the class and QueryErrorCode from __type
  // (parsers.py _do_query_compatible_error_parse); standard mode retries _THROTTLED_ERROR_CODES and
  // 500/502/503/504 (retries/standard.py).
  it.each(FAULT_ROWS.map((row, i) => ({ ...row, i })))("$fault on $action — $source", ({ i }) => {
    const { queue, url, row } = cases[i]!;
    const got = seen[queue]!;
    expect({ ...got, requests: requests.get(queue) }).toEqual({
      class: row.botoClass,
      code: row.code,
      type: row.fault$ === "client" ? "Sender" : "Receiver",
      queryErrorCode: row.queryErrorCode ?? got.queryErrorCode,
      message: expectedMessage(row, url),
      status: row.status,
      retryAttempts: row.retried ? 2 : 0,
      requests: row.retried ? 3 : 1,
    });
  });
});
