// DESIGN "Faults": a rule is { on, match?, one effect, times? | probability? | during? | after? }, seeded so a
// run is reproducible; bad rules are rejected naming the rule and field, and the running set is untouched.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal } from "../../src/journal/index.js";
import { compileFaultRules, FaultInjector, type ParsedRequest } from "../../src/faults/index.js";

function batch(queue: string, groups: string[], bodies?: string[]): ParsedRequest {
  return {
    protocol: "json",
    action: "SendMessageBatch",
    queue,
    entries: groups.map((groupId, index) => ({ index, id: `e${index}`, groupId, dedupId: `${queue}-${bodies?.[index] ?? index}`, body: bodies?.[index] ?? `body ${index}`, attributes: {} })),
  };
}
const send = (queue: string, body: string): ParsedRequest => ({ protocol: "json", action: "SendMessage", queue, entries: [{ index: 0, id: "", body, attributes: { eventType: "order.created" } }] });

function injector(seed = 1) {
  const clock = new VirtualClock();
  const journal = createJournal(clock);
  return { clock, journal, faults: new FaultInjector({ clock, journal, seed }) };
}

describe("compileFaultRules", () => {
  it("rejects bad rules naming the rule and the field, and keeps the running set", () => {
    const { faults } = injector();
    expect(faults.setRules([{ on: "SendMessage", error: "Throttling" }]).ok).toBe(true);
    const bad = faults.setRules([
      { on: "SendMessage", error: "NoSuchError" },
      { on: "SendMesage", error: "Throttling" },
      { name: "flaky", on: "*", error: "Throttling", probability: 1.5 },
      { on: "SendMessage", match: { queue: "q" }, delay: 10, during: { from: "0s", to: "30s" } },
      { on: "SendMessage", match: { queue: "q" }, error: "Throttling", during: { from: "20s", to: "40s" } },
      { on: "ReceiveMessage", partial: { entries: [0] } },
      { on: "SendMessage", error: "Throttling", reset: true },
    ]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const byField = Object.fromEntries(bad.errors.map((e) => [e.field, e.message]));
    expect(byField["rules[0].error"]).toMatch(/Rule 0: unknown error 'NoSuchError' \(one of .*Throttling/);
    expect(byField["rules[1].on"]).toMatch(/'SendMesage' is not an SQS action/);
    expect(byField["rules[2].probability"]).toMatch(/Rule 2 \(flaky\): probability must be a number from 0 to 1, not 1.5/);
    expect(byField["rules[4].during"]).toMatch(/overlaps rule 3/);
    expect(byField["rules[5].on"]).toMatch(/partial needs a batch action/);
    expect(byField["rules[6].reset"]).toMatch(/exactly one effect/);
    expect(faults.list().map((r) => r.on)).toEqual(["SendMessage"]);
  });

  it("accepts durations as numbers or strings and {rules: [...]}", () => {
    const check = compileFaultRules({ rules: [{ on: "*", delay: { min: "100ms", max: "2s" }, during: { from: "1m", to: "2m" } }] });
    expect(check.ok && check.rules[0]).toMatchObject({ effect: { kind: "delay", minMs: 100, maxMs: 2000 }, during: { fromMs: 60_000, toMs: 120_000 } });
  });
});

describe("FaultInjector", () => {
  it("takes the first rule that matches, counting times and after per rule", () => {
    const { faults } = injector();
    faults.setRules([
      { on: "SendMessage", match: { queue: "other" }, error: "AccessDenied" },
      { on: "SendMessage", error: "Throttling", after: 1, times: 2 },
    ]);
    const effects = Array.from({ length: 5 }, () => faults.decide(send("orders", "x"))?.effect);
    expect(effects.map((e) => (e?.kind === "error" ? e.error : "pass"))).toEqual(["pass", "Throttling", "Throttling", "pass", "pass"]);
    expect(faults.decide(send("other", "x"))?.effect).toEqual({ kind: "error", error: "AccessDenied" });
  });

  it("same seed and rules over the same requests: the same decisions, journaled in the same order", () => {
    const run = () => {
      const { faults, journal } = injector(42);
      faults.setRules([
        { on: "SendMessageBatch", probability: 0.3, error: "ServiceUnavailable" },
        { on: "SendMessageBatch", probability: 0.5, delay: { min: 10, max: 500 } },
      ]);
      for (let i = 0; i < 200; i++) faults.decide(batch("orders", ["a", "b"], [`m${i}`, `n${i}`]));
      return journal.records("fault.injected").map(({ seq: _s, t: _t, ...r }) => r);
    };
    const first = run();
    expect(first.length).toBeGreaterThan(100);
    expect(first.some((r) => r.effect === "error") && first.some((r) => r.effect === "delay")).toBe(true);
    expect(run()).toEqual(first);
  });

  it("applies during in clock time from when the rules were set", async () => {
    const { faults, clock } = injector();
    faults.setRules([{ on: "*", error: "InternalError", during: { from: "10s", to: "20s" } }]);
    expect(faults.decide(send("q", "a"))).toBeUndefined();
    await clock.advance(10_000);
    expect(faults.decide(send("q", "a"))?.effect.kind).toBe("error");
    await clock.advance(10_000);
    expect(faults.decide(send("q", "a"))).toBeUndefined();
  });

  it("matches group, entry, body, attribute and attempt; partial fails the matching entries by default", () => {
    const { faults } = injector();
    faults.setRules([{ on: "SendMessageBatch", match: { group: "acct_2", attempt: 1 }, partial: { senderFault: false } }]);
    const first = faults.decide(batch("orders.fifo", ["acct_1", "acct_2", "acct_2"]));
    expect(first?.failing).toEqual([1, 2]);
    // The same messages again are attempt 2: the rule no longer matches.
    expect(faults.decide(batch("orders.fifo", ["acct_1", "acct_2", "acct_2"]))).toBeUndefined();
    faults.setRules([
      { on: "SendMessage", match: { body: "/^x+$/" }, error: "InvalidMessageContents" },
      { on: "SendMessage", match: { attribute: { name: "eventType", value: "order.created" } }, error: "KmsThrottled" },
    ]);
    expect(faults.decide(send("q", "xxx"))?.effect).toEqual({ kind: "error", error: "InvalidMessageContents" });
    expect(faults.decide(send("q", "hello"))?.effect).toEqual({ kind: "error", error: "KmsThrottled" });
  });
});
