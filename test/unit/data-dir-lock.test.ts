/**
 * One emulator per `--data` directory. Not SQS behaviour: an emulator feature (DESIGN, "sqsrig
 * emulator [--data DIR]"); two writers on one directory would each compact the other's log away and
 * lose acknowledged messages, which breaks SendMessage's promise that a 200 means stored (SendMessage
 * API reference).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { LOCK_FILE } from "../../src/emulator/data-dir-lock.js";
import { openStateStore } from "../../src/emulator/persistence-store.js";

const fresh = () => mkdtempSync(join(tmpdir(), "sqsrig-lock-"));

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("data directory lock", () => {
  it("refuses a second open of the same directory, naming it and the holder's pid, until the first closes", async () => {
    const dir = fresh();
    const clock = new VirtualClock();
    const first = await openStateStore(dir, clock);
    const err = await openStateStore(dir, clock).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain(dir);
    expect(err?.message).toContain(`pid ${process.pid}`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await first.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await openStateStore(dir, clock);
    await again.close();
  });

  it("refuses a directory locked by another live process", async () => {
    const dir = fresh();
    // Our parent (the vitest runner) is alive and is not us.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), token: "other" }));
    await expect(openStateStore(dir, new VirtualClock())).rejects.toThrow(
      `sqsrig: the data directory ${dir} is in use by process ${process.ppid}.`,
    );
    // The other process's lock is left alone.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).token).toBe("other");
  });

  it("takes over a stale lock whose process is gone, and one left by an earlier run with our pid", async () => {
    const clock = new VirtualClock();
    for (const pid of [deadPid(), process.pid]) {
      const dir = fresh();
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), token: "crashed" }));
      const store = await openStateStore(dir, clock);
      const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));
      expect(lock.pid).toBe(process.pid);
      expect(lock.token).not.toBe("crashed");
      await store.close();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    }
  });
});
