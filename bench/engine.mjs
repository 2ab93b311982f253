// Engine benchmark (`npm run bench:engine`): `sqsrig serve --data DIR` (durable outbox, embedded emulator,
// real clock) measured from the outside over HTTP, like a producer would see it.
//  1. throughput: 8 concurrent producers POST /v1/events with arrays of 100 events; events/s from the first
//     POST until every event is enqueued (the queue's ApproximateNumberOfMessages reaches N).
//  2. latency at a fixed 1,000 events/s: single-event POSTs on a schedule; per event, the 202 latency and
//     the ingestion-to-enqueue latency (SQS SentTimestamp minus the send time carried in the payload).
// FIFO destination with 100 customers (groups) and a standard one. Figures go to stdout and
// bench/results/engine.json. Not a test: nothing here asserts.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from "@aws-sdk/client-sqs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.BENCH_EVENTS ?? 50_000);
const PRODUCERS = 8;
const PER_REQUEST = 100;
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const GROUPS = 100;
const CREDENTIALS = { accessKeyId: "bench", secretAccessKey: "bench-secret" };

async function startServe(dataDir) {
  if (!existsSync(join(root, "dist/cli/index.js"))) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root });
  const proc = spawn(process.execPath, [join(root, "bin/sqsrig.js"), "serve", "--port", "0", "--data", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    proc.stdout.on("data", (d) => {
      const m = /sqsrig ready (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    proc.once("exit", (code) => reject(new Error(`sqsrig serve exited ${code}`)));
  });
  return { url, proc };
}

function event(n, customer, extra = {}) {
  return {
    eventType: "order.created",
    occurredAt: new Date().toISOString(),
    source: "bench",
    customerExternalId: `c${customer}`,
    idempotencyKey: `k-${n}-${Math.random().toString(36).slice(2)}`,
    correlationId: `corr-${n}`,
    payload: { n, sku: "A-1", quantity: 1, note: "x".repeat(700), ...extra },
  };
}

// node:http with keep-alive, not fetch: undici's per-request cost on this 2-core box would cap the
// producer below what the server can take, and the figures would measure the client.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(url, body) {
  const u = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => (res.statusCode === 202 ? resolve() : reject(new Error(`POST ${url} → ${res.statusCode} ${Buffer.concat(chunks)}`))));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

async function setUp(url, sqs, name, fifo) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name + (fifo ? ".fifo" : ""), Attributes: fifo ? { FifoQueue: "true" } : {} }));
  const destination = { type: "SQS", name, queueUrl: QueueUrl, region: "us-east-1", auth: { mode: "ACCESS_KEYS", accessKeyId: "bench", secretAccessKey: "bench-secret" } };
  const res = await fetch(`${url}/v1/destinations/${name}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(destination) });
  if (!res.ok) throw new Error(`PUT destination → ${res.status} ${await res.text()}`);
  return QueueUrl;
}

async function depth(sqs, queueUrl) {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(Attributes.ApproximateNumberOfMessages);
}

async function throughput(url, sqs, name, queueUrl) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PRODUCERS }, async () => {
    for (;;) {
      const start = next;
      next += PER_REQUEST;
      if (start >= N) return;
      const events = Array.from({ length: Math.min(PER_REQUEST, N - start) }, (_, i) => event(start + i, (start + i) % GROUPS));
      await post(`${url}/v1/events?destination=${name}`, events);
    }
  }));
  const acceptedAt = performance.now();
  while ((await depth(sqs, queueUrl)) < N) await new Promise((r) => setTimeout(r, 20));
  const doneAt = performance.now();
  return { acceptedPerSecond: Math.round(N / ((acceptedAt - t0) / 1000)), enqueuedPerSecond: Math.round(N / ((doneAt - t0) / 1000)) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(url, sqs, name, queueUrl) {
  const total = RATE * RATE_SECONDS;
  const acks = [];
  const started = Date.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sentAt = Date.now();
    const t = performance.now();
    inFlight.push(post(`${url}/v1/events?destination=${name}`, event(i, i % GROUPS, { sentAt })).then(() => acks.push(performance.now() - t)));
  }
  await Promise.all(inFlight);
  const enqueue = [];
  for (let empty = 0; enqueue.length < total && empty < 20; ) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["SentTimestamp"] }));
    if (Messages.length === 0) {
      empty++;
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    for (const m of Messages) enqueue.push(Number(m.Attributes.SentTimestamp) - JSON.parse(m.Body).payload.sentAt);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  acks.sort((a, b) => a - b);
  enqueue.sort((a, b) => a - b);
  const ms = (v) => Math.round(v * 10) / 10;
  return {
    events: total,
    ackP50Ms: ms(percentile(acks, 50)),
    ackP99Ms: ms(percentile(acks, 99)),
    enqueueP50Ms: percentile(enqueue, 50),
    enqueueP99Ms: percentile(enqueue, 99),
    enqueued: enqueue.length,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), "sqsrig-bench-engine-"));
const { url, proc } = await startServe(dataDir);
// A copy: the SDK marks the credentials object it is given.
const sqs = new SQSClient({ endpoint: url, region: "us-east-1", credentials: { ...CREDENTIALS }, maxAttempts: 1 });
const results = { machine: { cpus: cpus().length, node: process.version }, events: N, producers: PRODUCERS, perRequest: PER_REQUEST };
try {
  for (const fifo of [true, false]) {
    const label = fifo ? "fifo" : "standard";
    const queueUrl = await setUp(url, sqs, `bench-${label}`, fifo);
    const t = await throughput(url, sqs, `bench-${label}`, queueUrl);
    console.log(`${label}: ${N} events in arrays of ${PER_REQUEST}: accepted ${t.acceptedPerSecond}/s, enqueued ${t.enqueuedPerSecond}/s (durable, to the queue)`);
    const latencyQueue = await setUp(url, sqs, `bench-${label}-latency`, fifo);
    const l = await latency(url, sqs, `bench-${label}-latency`, latencyQueue);
    console.log(`${label}: ${l.events} single-event POSTs at ${RATE}/s: 202 p50 ${l.ackP50Ms} ms, p99 ${l.ackP99Ms} ms; ingestion→enqueued p50 ${l.enqueueP50Ms} ms, p99 ${l.enqueueP99Ms} ms (${l.enqueued} received)`);
    results[label] = { ...t, ...l };
  }
} finally {
  proc.kill("SIGTERM");
  await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once("exit", resolve)));
  rmSync(dataDir, { recursive: true, force: true });
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/engine.json"), JSON.stringify(results, null, 2) + "\n");
