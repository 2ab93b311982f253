import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

export const LOCK_FILE = "sqsrig.lock";

/** What the lock file holds: who has the directory. */
interface LockOwner {
  pid: number;
  host: string;
  /** Tells this holder's lock from a later one written by the same pid (after a restart). */
  token: string;
}

/** Lock files this process holds, by absolute path: the same pid in the file then means "still us". */
const held = new Set<string>();

/** A held data-directory lock; `release()` removes the file if it is still ours. */
export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Takes `DIR/sqsrig.lock`, so two emulators never write the same data directory (each would compact
 * the other's log away). The file is created atomically with its content (written aside, then
 * hard-linked into place, which fails if the lock exists). A lock left by a process that is gone (a
 * crash, SIGKILL, a container restarted with the same pid) is stale and taken over.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = resolve(join(dir, LOCK_FILE));
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID() };
  const temp = `${path}.${owner.token}.tmp`;
  await writeFile(temp, JSON.stringify(owner) + "\n");
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temp, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw err;
      }
      const other = await readOwner(path);
      const refusal = other && refusalFor(dir, path, other);
      if (refusal) throw new Error(refusal);
      // Stale: its owner is gone. Another starter may race us to it; `link` decides who wins.
      await unlink(path).catch(ignoreMissing);
    }
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
  held.add(path);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      held.delete(path);
      const current = await readOwner(path);
      if (current?.token === owner.token) await unlink(path).catch(ignoreMissing);
    },
  };
}

/** The message refusing `dir`, or undefined when its lock is stale. */
function refusalFor(dir: string, path: string, other: LockOwner): string | undefined {
  const fix = `Stop that emulator, or use another --data directory. If no sqsrig uses it, delete ${path}.`;
  if (other.host !== hostname()) {
    // We cannot see another machine's processes: trust its lock.
    return `sqsrig: the data directory ${dir} is in use by process ${other.pid} on host ${other.host}. ${fix}`;
  }
  if (other.pid === process.pid) {
    if (!held.has(path)) return undefined; // an earlier run that had our pid (a restarted container)
    return `sqsrig: the data directory ${dir} is already open in this process (pid ${other.pid}). Close the other emulator first.`;
  }
  return isAlive(other.pid) ? `sqsrig: the data directory ${dir} is in use by process ${other.pid}. ${fix}` : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's owner; undefined when the file vanished or does not hold one (treated as stale). */
async function readOwner(path: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.host === "string" && typeof value.token === "string") return value as LockOwner;
  } catch {
    // not ours: fall through
  }
  return undefined;
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
}
