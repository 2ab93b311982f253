// The example scenarios shipped in scenarios/ (DESIGN "Layout": "example scenarios, each one a guarantee
// worth asserting, all green in CI"). Each file cites, in its opening comment, the AWS document behind its
// guarantee (SQS Developer Guide sections, the SendMessageBatch API reference, the Lambda Developer
// Guide's "Using Lambda with Amazon SQS"); this file runs them all with runScenario, one after another,
// and checks that a seed reproduces a run's journal exactly (STYLE "Time and chance": a run we cannot
// reproduce is a bug report we cannot read).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/journal/index.js";
import { runScenario, type ScenarioRun } from "../../src/scenario/index.js";

const DIR = resolve(import.meta.dirname, "..", "..", "scenarios");
const FILES = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

/** What a failed run says, check by check, so a red CI line explains itself. */
function explain(run: ScenarioRun): string {
  if (run.error) return `${run.file}: error: ${run.error.message}`;
  const failed = run.checks.filter((c) => !c.ok).map((c) => `  ${c.check} (line ${c.line}): ${c.summary}`);
  return `${run.file}: ${run.status}\n${failed.join("\n")}`;
}

/** Records as text, with the rig's random port (the only real-world input of a run) taken out. */
function normalised(records: readonly JournalRecord[]): string[] {
  return records.map((r) => JSON.stringify(r).replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT"));
}

describe("scenarios/ (example scenarios)", () => {
  it("ships at least 12 scenarios, each opening with what it shows, why it matters and the AWS docs behind it", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    for (const file of FILES) {
      const text = readFileSync(join(DIR, file), "utf8");
      const header = text.slice(0, text.search(/^[^#\s]/m));
      expect(header, file).toMatch(/^# Shows/);
      expect(header, file).toMatch(/# Why it matters:/);
      expect(header, file).toMatch(/# AWS docs:/);
    }
  });

  for (const file of FILES) {
    it(`${file} passes`, async () => {
      const run = await runScenario(join(DIR, file));
      expect(run.status, explain(run)).toBe("passed");
      // A green run judged something: every scenario expects checks, and they all ran.
      expect(run.checks.length).toBeGreaterThan(0);
      expect(run.checks.every((c) => c.ok)).toBe(true);
    });
  }

  it("the same seed gives the same journal (timestamps included); another seed gives another", async () => {
    // The crash scenario exercises the most chance and time: seeded throttling and delays, backoff
    // jitter, two engine restarts recovering from the outbox, a Lambda consumer.
    const file = join(DIR, "engine-crash-mid-delivery.yaml");
    const first = await runScenario(file, { seed: 4242 });
    const second = await runScenario(file, { seed: 4242 });
    expect(first.status, explain(first)).toBe("passed");
    expect(first.records.length).toBeGreaterThan(1000);
    expect(normalised(second.records)).toEqual(normalised(first.records));
    // A restart takes no virtual time: the new engine recovers at the instant the old one died, so no
    // long poll, visibility timeout or dedup interval runs out "during" its outbox I/O.
    const crashes = first.records.filter((r) => r.type === "engine.crashed");
    expect(crashes).toHaveLength(2);
    for (const crash of crashes) {
      const recovered = first.records.find((r) => r.seq > crash.seq && r.type === "event.recovered");
      expect(recovered?.t).toBe(crash.t);
    }
    const other = await runScenario(file, { seed: 4243 });
    expect(other.status, explain(other)).toBe("passed");
    expect(normalised(other.records)).not.toEqual(normalised(first.records));
  });
});
