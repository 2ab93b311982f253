// Same seed, same rule list → the same fault decisions in the same order (issue 5 "Show it works";
// DESIGN "Faults": "a seeded PRNG so a run is reproducible"; STYLE "Time and chance"). The engine sends
// the same event stream through `sqsrig serve` twice, each time on a fresh server with a manual virtual
// clock; injected errors follow the SQS API reference "Common Errors" (ThrottlingException 400,
// InternalError 500) and partial answers the "SendMessageBatch" reference (Failed[] with SenderFault).
import { afterEach, describe, expect, it } from "vitest";
import { makeEvent } from "../support/engine-rig.js";
import { createFaultsRig, keysOf, type FaultsRig } from "../support/faults-server-rig.js";

const RULES = [
  { name: "throttle", on: "SendMessageBatch", error: "Throttling", probability: 0.3 },
  { name: "5xx", on: "SendMessageBatch", error: "InternalError", probability: 0.2 },
  { name: "second-entry", on: "SendMessageBatch", match: { entry: 1 }, partial: { senderFault: false }, probability: 0.3 },
  { name: "slow", on: "SendMessageBatch", delay: { min: 10, max: "2s" }, probability: 0.5 },
];

const STREAM = Array.from({ length: 60 }, (_, n) => makeEvent(`acct_${n % 4}`, n));

const rigs: FaultsRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

/** One run on a fresh server: the fault records without seq/t, and what reached the queue. */
async function run(seed: number) {
  // One request at a time, so the order requests reach the rules is the engine's own, not a race.
  const r = await createFaultsRig({ seed, engine: { maxInFlight: 1 } });
  rigs.push(r);
  const url = await r.queue("orders");
  await r.destination("orders", url);
  await r.putFaults(RULES);
  await r.server.engine.ingest(STREAM);
  const elapsed = await r.runToIdle();
  const decisions = r.server.journal.records("fault.injected").map(({ seq: _seq, t: _t, ...decision }) => decision);
  const retries = r.server.journal.records("retry.scheduled").map((x) => [x.attempt, x.delayMs, x.code]);
  const stored = keysOf(await r.drain(url)).sort();
  await r.close();
  rigs.splice(rigs.indexOf(r), 1);
  return { decisions, retries, stored, elapsed };
}

describe("reproducible fault decisions (DESIGN Faults: seeded PRNG)", () => {
  it("a probabilistic rule set run twice with the same seed and events makes the same decisions in the same order", async () => {
    const first = await run(7);
    const second = await run(7);

    // Every effect kind fired, so the comparison covers probability draws and delay lengths alike.
    const effects = new Set(first.decisions.map((d) => d.name));
    expect([...effects].sort()).toEqual(["5xx", "second-entry", "slow", "throttle"]);
    for (const d of first.decisions.filter((x) => x.effect === "delay")) {
      expect(d.delayMs).toBeGreaterThanOrEqual(10);
      expect(d.delayMs).toBeLessThanOrEqual(2_000);
    }
    expect(second.decisions).toEqual(first.decisions);
    expect(second.retries).toEqual(first.retries);
    expect(second.elapsed).toBe(first.elapsed);
    // Every fault here is transient and none lets the backend store a failed entry: each event arrives once.
    expect(first.stored).toEqual(STREAM.map((e) => e.idempotencyKey).sort());
    expect(second.stored).toEqual(first.stored);

    // The seed is what decides: another one gives another sequence.
    const other = await run(8);
    expect(other.decisions).not.toEqual(first.decisions);
  });
});
