/**
 * The virtual clock's timer queue. Not SQS behaviour: it follows Node's own timer contract (Node.js
 * docs, "Timers": timers due at the same time run in the order they were set; a cleared timer never
 * runs), which every SQS timing in the emulator (visibility, delays, long polls) is built on.
 */
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";

describe("VirtualClock timers that throw", () => {
  it("advance fires every due timer past a throwing one, reaches its target, then throws the error", async () => {
    const clock = new VirtualClock({ start: 0, onTimerError: () => {} });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 10);
    clock.setTimeout(() => {
      throw new Error("timer bug");
    }, 20);
    clock.setTimeout(() => fired.push(clock.now()), 30);
    await expect(clock.advance(100)).rejects.toThrow("timer bug");
    expect(fired).toEqual([10, 30]);
    expect(clock.now()).toBe(100);
    expect(clock.pendingTimers()).toBe(0);
    // The clock still works afterwards.
    clock.setTimeout(() => fired.push(clock.now()), 5);
    await clock.advance(5);
    expect(fired).toEqual([10, 30, 105]);
  });

  it("keeps running by itself (timeScale max) when a timer throws, and reports the error", async () => {
    const errors: unknown[] = [];
    const clock = new VirtualClock({ start: 0, timeScale: "max", onTimerError: (err) => errors.push(err) });
    clock.setTimeout(() => {
      throw new Error("broken listener");
    }, 10);
    // Before the fix the throw escaped from the real timer and nothing was scheduled again: this
    // sleep never resolved.
    await clock.sleep(20);
    expect(clock.now()).toBeGreaterThanOrEqual(20);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("broken listener");
  });
});

describe("VirtualClock with many timers", () => {
  it("fires thousands of timers in due order, equal times in scheduling order, and forgets cancelled ones", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: [number, number][] = [];
    const handles: { cancel(): void }[] = [];
    const expected: [number, number][] = [];
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      // A deterministic scatter with many equal due times (only 97 distinct ones).
      const at = (i * 7919) % 97;
      handles.push(clock.setTimeout(() => fired.push([clock.now(), i]), at));
      if (i % 3 !== 0) expected.push([at, i]);
    }
    for (let i = 0; i < n; i += 3) handles[i]!.cancel();
    expect(clock.pendingTimers()).toBe(expected.length);
    // Cancelling twice, or after firing, changes nothing.
    handles[0]!.cancel();
    expect(clock.pendingTimers()).toBe(expected.length);
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    await clock.advance(100);
    expect(fired).toEqual(expected);
    expect(clock.pendingTimers()).toBe(0);
    handles[1]!.cancel();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a timer cancelled by an earlier timer of the same instant does not fire", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: string[] = [];
    let second: { cancel(): void } | undefined;
    clock.setTimeout(() => {
      fired.push("first");
      second?.cancel();
    }, 10);
    second = clock.setTimeout(() => fired.push("second"), 10);
    clock.setTimeout(() => fired.push("third"), 10);
    await clock.advance(10);
    expect(fired).toEqual(["first", "third"]);
  });
});
