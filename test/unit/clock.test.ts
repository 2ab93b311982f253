import { describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtualClock, realWorkPending } from "../../src/clock/index.js";

describe("VirtualClock (manual)", () => {
  it("does not move until advanced, then fires timers in due order at their due time", async () => {
    const clock = new VirtualClock({ start: 1_000 });
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(["b", clock.now()]), 200);
    clock.setTimeout(() => fired.push(["a", clock.now()]), 100);
    clock.setTimeout(() => fired.push(["c", clock.now()]), 200);
    expect(clock.now()).toBe(1_000);
    await clock.advance(150);
    expect(fired).toEqual([["a", 1_100]]);
    await clock.advance(50);
    expect(fired).toEqual([
      ["a", 1_100],
      ["b", 1_200],
      ["c", 1_200],
    ]);
    expect(clock.now()).toBe(1_200);
  });

  it("skips cancelled timers and fires timers scheduled by timers within the same advance", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: number[] = [];
    const t = clock.setTimeout(() => fired.push(-1), 10);
    t.cancel();
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 10);
    }, 20);
    await clock.advance(100);
    expect(fired).toEqual([20, 30]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("resolves sleep() and lets awaiting code continue before the next timer", async () => {
    const clock = new VirtualClock({ start: 0 });
    const order: string[] = [];
    void (async () => {
      await clock.sleep(5);
      order.push("slept");
    })();
    clock.setTimeout(() => order.push("timer"), 6);
    await clock.advance(10);
    expect(order).toEqual(["slept", "timer"]);
  });
});

describe("VirtualClock (max)", () => {
  it("jumps straight to the next timer instead of waiting", async () => {
    const clock = new VirtualClock({ start: 0, timeScale: "max" });
    const t0 = performance.now();
    await clock.sleep(5 * 60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(5 * 60_000);
    // Five virtual minutes must not take minutes of wall time; a generous bound that cannot flake.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it("does not jump while real work started at this instant is still under way", async () => {
    // Real work is "busy" for the first 20 checks; the jump must wait for it, however long it takes.
    let checks = 0;
    let workDoneAt: number | undefined;
    const clock = new VirtualClock({
      start: 0,
      timeScale: "max",
      realWorkPending: () => {
        checks++;
        if (checks < 20) return true;
        workDoneAt ??= clock.now();
        return false;
      },
    });
    await clock.sleep(20_000);
    expect(checks).toBeGreaterThanOrEqual(20);
    expect(workDoneAt).toBe(0);
    expect(clock.now()).toBe(20_000);
  });

  it("jumps anyway after about a second of real work that never ends, and says so", async () => {
    const forced: { from: number; to: number }[] = [];
    const clock = new VirtualClock({ start: 0, timeScale: "max", realWorkPending: () => true, onForcedJump: (jump) => forced.push(jump) });
    await clock.sleep(20_000);
    expect(clock.now()).toBe(20_000);
    expect(forced).toEqual([{ from: 0, to: 20_000 }]);
  });

  it("counts pending file writes and setImmediate callbacks as real work", async () => {
    const write = writeFile(join(tmpdir(), `sqsrig-clock-${process.pid}`), "x");
    expect(realWorkPending()).toBe(true);
    await write;
    const immediate = new Promise<void>((resolve) => setImmediate(resolve));
    expect(realWorkPending()).toBe(true);
    await immediate;
  });
});
