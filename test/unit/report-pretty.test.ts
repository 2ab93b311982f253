import { describe, expect, it } from "vitest";
import { createPrettyReporter } from "../../src/report/index.js";
import { stripAnsi, wantsColor } from "../../src/report/ansi.js";
import { FAILED, PASSED, RUN, countsWith, memoryStream, outcome, rec, runOf, scenario } from "./report-fixtures.js";

// DESIGN "Scenarios and checks" (a failed check says what was expected, what happened, and the journal
// records that show it) and "Contracts" (`sqsrig run` for a developer at a terminal and for CI logs).

function announceAll(out: ReturnType<typeof memoryStream>, options: { verbose?: boolean; color?: boolean } = {}): void {
  const reporter = createPrettyReporter({ out, color: options.color ?? false, verbose: options.verbose, live: false });
  RUN.scenarios.forEach((s, index) => {
    reporter.scenarioStarted?.({ name: s.name, file: s.file, index, total: RUN.scenarios.length });
    reporter.progress?.({ name: s.name, file: s.file, counts: s.counts, virtualMs: 10 });
    reporter.scenarioFinished?.(s);
  });
  void reporter.runFinished(RUN);
}

describe("pretty output off a terminal (CI logs)", () => {
  const out = memoryStream();
  announceAll(out);
  const text = out.text();
  const lines = text.split("\n");

  it("prints a start line and a finish block per scenario, and ignores progress", () => {
    expect(lines[0]).toBe("[1/3] happy path scenarios/happy.yaml started");
    expect(text).toContain("[2/3] FIFO order survives throttling scenarios/fifo-order.yaml started");
    expect(text).toContain("✓ happy path scenarios/happy.yaml  2/2 checks passed · 310ms wall · 5s virtual");
    expect(text).toContain("✗ FIFO order survives throttling scenarios/fifo-order.yaml  1/2 checks passed · 1.24s wall · 5m 0s virtual");
    expect(text).not.toContain("…");
    expect(text).not.toContain("\u001b");
  });

  it("shows ✓ with the summary per passed check and names a check by its options", () => {
    expect(lines).toContain("  ✓ noLoss  3 deliveries settled: 3 delivered, 0 dead-lettered");
    expect(lines).toContain("  ✓ delivered { count: 3 }  3 delivered (exactly 3)");
  });

  it("shows a failed check's expected vs actual and its evidence with times from the first record", () => {
    const at = lines.indexOf("  ✗ fifoOrder  group cust-3: eventId e-7 consumed before e-5  scenarios/fifo-order.yaml:31");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 7)).toEqual([
      '      expected: {"order":"accepted"}',
      '      actual:   {"group":"cust-3","consumed":["e-7","e-5"]}',
      "      evidence:",
      '        #3 t=+0.02s event.accepted eventId=e-5 eventType=order.created idempotencyKey=k-5 destinations=["orders"] deliveries=["d-5"]',
      "        #40 t=+1.2s event.delivered destination=orders delivery=d-7 eventId=e-7 messageId=m-7 groupId=cust-3 attempts=2",
      "        #57 t=+1.25s consumer.result consumer=worker batchId=b-9 messageId=m-7 outcome=succeeded",
    ]);
    expect(lines[at + 7]).toBe("    accepted 1000 · delivered 1000 · consumed 998 · dead-lettered 0 · retries 12 · dedup hits 1 · faults 30");
  });

  it("shows an errored scenario's error at file:line", () => {
    expect(text).toContain("! broken backend scenarios/broken.yaml  errored · 50ms wall · 0ms virtual");
    expect(lines).toContain('    error scenarios/broken.yaml:7: queue "orders.fifo" could not be created: AccessDenied');
  });

  it("does not say where twice when the error already begins with file:line:column", () => {
    const out = memoryStream();
    const located = scenario({ name: "bad handler", file: "s.yaml", status: "error", error: { message: "s.yaml:6:5 consumer 'fn': handler missing", line: 6 } });
    createPrettyReporter({ out, color: false, live: false }).scenarioFinished?.(located);
    expect(out.text()).toContain("    error s.yaml:6:5 consumer 'fn': handler missing\n");
  });

  it("ends with the summary: scenarios, checks, wall and virtual time per scenario and in total", () => {
    const at = lines.indexOf("Scenarios  1 passed, 1 failed, 1 errored (3)");
    expect(lines.slice(at, at + 6)).toEqual([
      "Scenarios  1 passed, 1 failed, 1 errored (3)",
      "Checks     3 passed, 1 failed (4)",
      "Time       1.6s wall · 5m 5s virtual",
      "  ✓ happy path                      310ms wall · 5s virtual",
      "  ✗ FIFO order survives throttling  1.24s wall · 5m 0s virtual",
      "  ! broken backend                  50ms wall · 0ms virtual",
    ]);
  });

  it("prints each scenario once, including ones only runFinished heard of", () => {
    const only = memoryStream();
    void createPrettyReporter({ out: only, color: false }).runFinished(RUN);
    expect(only.text().split("FIFO order survives throttling scenarios/fifo-order.yaml").length).toBe(2);
    expect(text.split("✗ FIFO order survives throttling scenarios").length).toBe(2);
    expect(only.text()).toContain("  ✗ fifoOrder  group cust-3");
  });
});

describe("pretty details", () => {
  it("caps evidence at 10 lines unless verbose, and verbose adds seed, backend and passed checks' actual", () => {
    const many = Array.from({ length: 12 }, (_, i) => rec(i + 1, i * 100, { type: "message.deleted", queue: "q", messageId: `m-${i}` }));
    const s = scenario({ name: "many", file: "many.yaml", status: "failed", checks: [outcome({ check: "noLoss", line: 2, ok: false, summary: "lost", evidence: many }), outcome({ check: "dlq", line: 3, actual: { count: 0 } })] });
    const short = memoryStream();
    void createPrettyReporter({ out: short, color: false }).runFinished(runOf([s]));
    expect(short.text()).toContain("#10 t=+0.9s message.deleted queue=q messageId=m-9");
    expect(short.text()).not.toContain("#11 ");
    expect(short.text()).toContain("… 2 more (--verbose or report.json)");
    const long = memoryStream();
    void createPrettyReporter({ out: long, color: false, verbose: true }).runFinished(runOf([s]));
    expect(long.text()).toContain("#12 t=+1.1s message.deleted queue=q messageId=m-11");
    expect(long.text()).toContain("seed 42 · timeScale max · backend embedded");
    expect(long.text()).toContain('actual:   {"count":0}');
  });

  it("shows control characters in user text as escapes, so a summary cannot drive the terminal", () => {
    const s = scenario({ name: "esc", file: "e.yaml", status: "failed", checks: [outcome({ check: "noLoss", line: 1, ok: false, summary: "bad \u001b[2J\nthing" })] });
    const out = memoryStream();
    void createPrettyReporter({ out, color: false }).runFinished(runOf([s]));
    expect(out.text()).not.toContain("\u001b");
    expect(out.text()).toContain("✗ noLoss  bad \\u001b[2J\\nthing  e.yaml:1");
  });

  it("colours with plain ANSI codes when asked, and the text under the colours is the same", () => {
    const plain = memoryStream();
    announceAll(plain);
    const coloured = memoryStream();
    announceAll(coloured, { color: true });
    expect(coloured.text()).toContain("\u001b[31m✗\u001b[39m");
    expect(coloured.text()).toContain("\u001b[32m✓\u001b[39m");
    expect(stripAnsi(coloured.text())).toBe(plain.text());
  });

  it("decides colour from FORCE_COLOR, NO_COLOR and the TTY (no-color.org; Node's FORCE_COLOR)", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: "0", NO_COLOR: "" })).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: "", NO_COLOR: "1" })).toBe(true);
  });
});

describe("pretty live status on a terminal", () => {
  it("falls back to start lines on a TERM=dumb terminal, which cannot move the cursor", () => {
    const out = memoryStream({ isTTY: true, columns: 70 });
    createPrettyReporter({ out, color: false, env: { TERM: "dumb" } }).scenarioStarted?.({ name: "a", file: "a.yaml", index: 0, total: 1 });
    expect(out.text()).toBe("[1/1] a a.yaml started\n");
  });

  it("rewrites one throttled status line per running scenario in place, then replaces it with the result", () => {
    const out = memoryStream({ isTTY: true, columns: 70 });
    let now = 1000;
    const reporter = createPrettyReporter({ out, color: false, now: () => now, throttleMs: 100, env: {} });
    reporter.scenarioStarted?.({ name: PASSED.name, file: PASSED.file, index: 0, total: 2 });
    reporter.scenarioStarted?.({ name: FAILED.name, file: FAILED.file, index: 1, total: 2 });
    expect(out.text()).toContain("  … happy path  accepted 0 · delivered 0");
    const before = out.writes();

    now += 50; // inside the throttle window: remembered, not drawn
    reporter.progress?.({ name: PASSED.name, file: PASSED.file, counts: countsWith({ accepted: 7 }), virtualMs: 1500 });
    expect(out.writes()).toBe(before);

    now += 100;
    reporter.progress?.({ name: FAILED.name, file: FAILED.file, counts: countsWith({ accepted: 9, faults: 2 }), virtualMs: 2000 });
    const frame = out.text().slice(out.text().lastIndexOf("\u001b[2F"));
    // Two live lines: cursor up two, clear below, redraw both; the skipped progress shows up now.
    expect(frame.startsWith("\u001b[2F\u001b[0J")).toBe(true);
    const drawn = frame.slice("\u001b[2F\u001b[0J".length).split("\n");
    expect(drawn[0]).toMatch(/^ {2}… happy path {2}accepted 7 · /);
    expect(drawn[1]).toMatch(/^ {2}… FIFO order survives throttling {2}accepted 9 · /);
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(69);

    reporter.scenarioFinished?.(PASSED);
    const tail = out.text().slice(out.text().lastIndexOf("\u001b[2F"));
    expect(tail).toContain("✓ happy path scenarios/happy.yaml");
    // The finished scenario's block sits above; only the still-running one is redrawn under it.
    expect(tail.trimEnd().split("\n").at(-1)).toMatch(/^ {2}… FIFO order survives throttling/);
    expect(tail).not.toMatch(/… happy path/);

    void reporter.runFinished(runOf([PASSED, FAILED]));
    const end = out.text().slice(out.text().lastIndexOf("\u001b[1F"));
    expect(end.startsWith("\u001b[1F\u001b[0J✗ FIFO order survives throttling")).toBe(true);
    expect(end).not.toContain("…");
    expect(end).toContain("Checks     3 passed, 1 failed (4)");
  });
});
