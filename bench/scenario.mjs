// Scenario benchmark (`npm run bench:scenario`): the harness budgets of DESIGN "Budgets" (issue 7 "Show
// it works"), measured with runScenario from dist/ (`npm run build` first), each part in a fresh child
// process so its peak RSS is its own:
//  1. bench/scenarios/fifo-100k-1000-groups.yaml — 100,000 generated events over 1,000 groups into one
//     FIFO queue with a Lambda consumer (batchSize 10, reportBatchItemFailures), judged by noLoss,
//     fifoOrder, noDuplicates and delivered. Budget: < 30 s wall and < 500 MB peak RSS.
//  2. every scenario file in scenarios/ (the examples), one after the other. Budget: < 60 s together.
// Peak RSS is sampled every 100 ms (process.memoryUsage.rss()). events/s is accepted events ÷ wall
// seconds. CPU seconds and the load average are printed too: on a shared 2-core box other work stretches
// wall time. BENCH_SCENARIO_EVENTS=10000 scales the big scenario's generate count (and the delivered
// count it expects) for a quicker look; BENCH_SCENARIO_SKIP_EXAMPLES=1 skips part 2. Figures go to
// stdout and bench/results/scenario.json. Not a test: nothing here asserts.
import { execFileSync, fork } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIG = join(root, "bench/scenarios/fifo-100k-1000-groups.yaml");
const EVENTS = process.env.BENCH_SCENARIO_EVENTS === undefined ? undefined : Number(process.env.BENCH_SCENARIO_EVENTS);
const SKIP_EXAMPLES = process.env.BENCH_SCENARIO_SKIP_EXAMPLES === "1";
const BUDGET = { bigWallMs: 30_000, bigRssMb: 500, examplesWallMs: 60_000 };
const SAMPLE_MS = 100;
const PART = process.env.BENCH_SCENARIO_PART;

const mb = (bytes) => Math.round(bytes / 2 ** 20);

// A child hands its figures back and lets go of the channel, which would otherwise keep it alive.
if (PART) process.send(PART === "big" ? await runBig() : await runExamples(), () => process.disconnect());
else await main();

async function main() {
  if (!existsSync(join(root, "dist/scenario/index.js"))) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root });
  // A stale dist/ measures old code without a word: say so.
  const built = statSync(join(root, "dist/scenario/index.js")).mtimeMs;
  const newer = walk(join(root, "src")).filter((f) => f.endsWith(".ts") && statSync(f).mtimeMs > built);
  if (newer.length > 0) console.error(`warning: ${newer.length} files in src/ are newer than dist/ (${relative(root, newer[0])}…): run \`npm run build\` to measure them.`);

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const results = { machine, date: new Date().toISOString(), loadAverage: loadavg()[0], budget: BUDGET };
  const verdict = (ok) => (ok ? "within" : "OVER");

  const b = (results.big = await inChild("big"));
  console.log(`\nScenario benchmark — ${machine}; load average ${results.loadAverage.toFixed(1)} at the start\n`);
  console.log(`${b.name} (${b.file}): ${b.status}`);
  table([
    ["metric", "value", "budget"],
    ["events/s (accepted ÷ wall)", b.eventsPerSec, ""],
    ["enqueued/s (delivered ÷ wall)", b.enqueuedPerSec, ""],
    ["consumed/s", b.consumedPerSec, ""],
    ["wall", `${(b.wallMs / 1000).toFixed(1)} s`, `< ${BUDGET.bigWallMs / 1000} s: ${verdict(b.wallMs < BUDGET.bigWallMs)}`],
    ["CPU (user + system)", `${(b.cpuMs / 1000).toFixed(1)} s`, ""],
    ["virtual", `${(b.virtualMs / 1000).toFixed(1)} s`, ""],
    ["peak RSS", `${b.peakRssMb} MB (${b.baselineRssMb} MB before the run)`, `< ${BUDGET.bigRssMb} MB: ${verdict(b.peakRssMb < BUDGET.bigRssMb)}`],
    ["peak heap used", `${b.peakHeapMb} MB`, ""],
    ["journal records", b.journalRecords, ""],
  ]);
  for (const c of b.checks) console.log(`  ${c.ok ? "✓" : "✗"} ${c.check}: ${c.summary}`);
  if (b.error) console.log(`  error: ${b.error}`);
  if (EVENTS !== undefined) console.log(`  (scaled to ${EVENTS} events by BENCH_SCENARIO_EVENTS; the budget is for 100,000)`);

  if (!SKIP_EXAMPLES) {
    const e = (results.examples = await inChild("examples"));
    console.log(`\nExample scenarios (${e.files.length} in scenarios/), one after the other:`);
    table([
      ["scenario", "status", "wall", "virtual", "accepted", "checks"],
      ...e.files.map((f) => [f.file, f.status, `${(f.wallMs / 1000).toFixed(1)} s`, `${(f.virtualMs / 1000).toFixed(1)} s`, f.accepted, `${f.checks} ok`]),
    ]);
    for (const f of e.files) if (f.error) console.log(`  ${f.file}: ${f.error.split("\n")[0]}`);
    console.log(`together: ${(e.wallMs / 1000).toFixed(1)} s wall (< ${BUDGET.examplesWallMs / 1000} s: ${verdict(e.wallMs < BUDGET.examplesWallMs)}), ${(e.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${e.peakRssMb} MB`);
  }

  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/scenario.json"), JSON.stringify(results, null, 2) + "\n");
}

/** Runs one part in a fresh process (same node flags) and resolves with what it sends back. */
function inChild(part) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SCENARIO_PART: part }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result;
    child.on("message", (m) => (result = m));
    child.on("error", reject);
    child.on("exit", (code) => (result ? resolve(result) : reject(new Error(`bench part '${part}' exited ${code} without figures`))));
  });
}

async function scenarioApi() {
  return import(join(root, "dist/scenario/index.js"));
}

/** Part 1: the big FIFO scenario (scaled by BENCH_SCENARIO_EVENTS when set). */
async function runBig() {
  const { loadScenarioFile, runScenario } = await scenarioApi();
  const loaded = await loadScenarioFile(BIG);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`).join("\n"));
  const scenario = loaded.scenario;
  if (EVENTS !== undefined) {
    for (const step of scenario.timeline) if (step.action === "generate") step.args = { ...step.args, count: EVENTS };
    for (const e of scenario.expect) if (e.check === "delivered") e.options = { ...e.options, count: EVENTS };
    scenario.name = scenario.name.replace(/^100k/, `${EVENTS / 1000}k`);
  }
  const baselineRssMb = mb(process.memoryUsage.rss());
  console.error(`running ${relative(root, BIG)}${EVENTS !== undefined ? ` scaled to ${EVENTS} events` : ""}…`);
  const { result: run, ...peaks } = await sampled(() => runScenario(scenario, { onProgress: progressPrinter("big") }));
  const s = run.wallMs / 1000;
  return {
    file: relative(root, BIG),
    name: run.name,
    status: run.status,
    wallMs: run.wallMs,
    virtualMs: run.virtualMs,
    accepted: run.counts.accepted,
    delivered: run.counts.delivered,
    consumed: run.counts.consumed,
    eventsPerSec: Math.round(run.counts.accepted / s),
    enqueuedPerSec: Math.round(run.counts.delivered / s),
    consumedPerSec: Math.round(run.counts.consumed / s),
    journalRecords: run.records.length,
    baselineRssMb,
    ...peaks,
    checks: run.checks.map((c) => ({ check: c.check, ok: c.ok, summary: c.summary })),
    ...(run.error ? { error: run.error.message } : {}),
  };
}

/** Part 2: every scenario file in scenarios/, one after the other, as `sqsrig run scenarios/` would. */
async function runExamples() {
  const { runScenario } = await scenarioApi();
  const dir = join(root, "scenarios");
  const paths = existsSync(dir) ? walk(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : [];
  const files = [];
  const t0 = performance.now();
  const { cpuMs, peakRssMb } = await sampled(async () => {
    for (const path of paths) {
      const run = await runScenario(path);
      const passed = run.checks.filter((c) => c.ok).length;
      files.push({ file: relative(root, path), status: run.status, wallMs: run.wallMs, virtualMs: run.virtualMs, accepted: run.counts.accepted, checks: `${passed}/${run.checks.length}`, ...(run.error ? { error: run.error.message } : {}) });
    }
  });
  return { files, wallMs: Math.round(performance.now() - t0), cpuMs, peakRssMb };
}

/** Samples RSS and heap every SAMPLE_MS while `fn` runs; returns its result with the peaks and CPU time. */
async function sampled(fn) {
  const cpu0 = process.cpuUsage();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  let ticks = 0;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    // memoryUsage() (unlike .rss()) walks the heap spaces: ten times less often.
    if (++ticks % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, SAMPLE_MS);
  try {
    const result = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpu0);
    return { result, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
  } finally {
    clearInterval(timer);
  }
}

/** Prints a progress line to stderr every few seconds so a slow run shows it is alive. */
function progressPrinter(label) {
  let last = performance.now();
  return ({ counts, virtualMs }) => {
    const now = performance.now();
    if (now - last < 5_000) return;
    last = now;
    console.error(`  ${label}: accepted ${counts.accepted}, delivered ${counts.delivered}, consumed ${counts.consumed}, virtual ${(virtualMs / 1000).toFixed(1)} s, rss ${mb(process.memoryUsage.rss())} MB`);
  };
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const row of rows) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
