import { createReadStream } from "node:fs";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Clock } from "../clock/index.js";
import { DurableLog } from "../journal/index.js";
import { lockDataDir } from "./data-dir-lock.js";
import type { Emulator } from "./emulator.js";
import type { PersistenceOptions } from "./persistence.js";
import {
  FORMAT_VERSION,
  LOG_FORMAT,
  StateImage,
  parseLogLine,
  snapshotHeaderProblem,
  snapshotLineProblem,
  type SnapshotHeader,
} from "./persistence-image.js";
import { FileStateLog } from "./persistence-log.js";
import { restoreInto } from "./persistence-restore.js";

export const SNAPSHOT_FILE = "snapshot.ndjson";
export const LOG_FILE = "state.ndjson";

/** A data directory opened for an emulator: the log its hooks write, and the way to close it. */
export interface StateStore {
  readonly dir: string;
  readonly log: FileStateLog;
  /** Puts the saved queues and messages into `emulator`; call once, before it serves requests. */
  restoreInto(emulator: Emulator): void;
  /** Writes what is pending, then compacts the log into a fresh snapshot. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) a data directory: reads the snapshot, replays the log over it, compacts
 * both into a new snapshot, and starts an empty log. Compaction order is crash-safe: the snapshot is
 * replaced atomically first, then the log; a crash between the two replays the old log over the new
 * snapshot, which is harmless because every record sets a value rather than adding to one.
 */
export async function openStateStore(dir: string, clock: Clock, options: PersistenceOptions = {}): Promise<StateStore> {
  const warn = options.onWarning ?? ((message: string) => console.warn(`sqsrig: ${message}`));
  await mkdir(dir, { recursive: true });
  // Two emulators on one directory would each compact the other's log away: the second is refused.
  const lock = await lockDataDir(dir);
  let image: StateImage | undefined;
  let log: FileStateLog;
  try {
    image = await loadImage(dir, warn);
    await compact(dir, image, clock.now());
    const path = join(dir, LOG_FILE);
    log = new FileStateLog(await DurableLog.open(path, { durability: options.durability }));
  } catch (err) {
    await lock.release();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    dir,
    log,
    restoreInto(emulator) {
      if (!image) throw new Error("sqsrig: the saved state was already restored");
      restoreInto(emulator, image);
      image = undefined;
    },
    close() {
      closing ??= (async () => {
        try {
          await log.close();
          await compact(dir, await loadImage(dir, warn), clock.now());
        } finally {
          await lock.release();
        }
      })();
      return closing;
    },
  };
}

/** The state a snapshot and the log after it describe. */
export async function loadImage(dir: string, warn: (message: string) => void): Promise<StateImage> {
  const image = new StateImage();
  await readSnapshot(join(dir, SNAPSHOT_FILE), image);
  await replayLog(join(dir, LOG_FILE), image, warn);
  return image;
}

async function readSnapshot(path: string, image: StateImage): Promise<void> {
  const fail = (why: string) =>
    new Error(`sqsrig: cannot use the snapshot ${path}: ${why}. Move it away to start empty, or put back a good copy.`);
  let header: SnapshotHeader | undefined;
  let queues = 0;
  let messages = 0;
  let lineNo = 0;
  try {
    for await (const line of readLines(path)) {
      lineNo++;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw fail(`line ${lineNo} is not JSON (${(err as Error).message})`);
      }
      if (!header) {
        const problem = snapshotHeaderProblem(value);
        if (problem) throw fail(problem);
        header = value as SnapshotHeader;
        for (const [name, at] of Object.entries(header.deletedAt)) image.deletedAt.set(name, at);
        continue;
      }
      const problem = snapshotLineProblem(value);
      if (problem) throw fail(`line ${lineNo} is ${problem}`);
      try {
        image.load(value as Parameters<StateImage["load"]>[0]);
      } catch (err) {
        throw fail(`line ${lineNo} holds ${(err as Error).message}`);
      }
      if ("queue" in (value as object)) queues++;
      else messages++;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    if ((err as Error).message.startsWith("sqsrig: ")) throw err;
    throw fail((err as Error).message);
  }
  if (!header) throw fail("it is empty");
  if (queues !== header.queues || messages !== header.messages) {
    throw fail(`it holds ${queues} queues and ${messages} messages but its header promises ${header.queues} and ${header.messages} (truncated?)`);
  }
}

/**
 * Replays the log. Only the last line may be damaged: that is what a crash in the middle of a write
 * leaves, and that write was never acknowledged, so it is dropped with a warning. Damage anywhere
 * else means the file was altered, and the replay stops with an error naming the line.
 */
async function replayLog(path: string, image: StateImage, warn: (message: string) => void): Promise<void> {
  // One line of lookahead, so the log streams through and the last line is still known as the last.
  let held: { line: string; no: number } | undefined;
  let lineNo = 0;
  const replay = (line: string, no: number, last: boolean) => {
    if (line.trim() === "") return;
    const record = parseLogLine(line);
    if (typeof record === "string") {
      if (last) {
        warn(`${path}:${no}: ignored a damaged last record (${record}); it was cut off by a crash while being written, before its request was answered. The ${no - 1} lines before it are kept.`);
        return;
      }
      throw new Error(`sqsrig: the state log ${path} is damaged at line ${no} (${record}); only its last line can be cut off by a crash.`);
    }
    try {
      image.apply(record);
    } catch (err) {
      throw new Error(`sqsrig: the state log ${path} has an invalid record at line ${no} (${(err as Error).message}).`);
    }
  };
  try {
    for await (const line of readLines(path)) {
      if (held) replay(held.line, held.no, false);
      held = { line, no: ++lineNo };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    if ((err as Error).message.startsWith("sqsrig: ")) throw err;
    throw new Error(`sqsrig: cannot read the state log ${path}: ${(err as Error).message}`);
  }
  if (held) replay(held.line, held.no, true);
}

/** Writes the snapshot of `image`, then an empty log, each atomically (temp file, fsync, rename). */
async function compact(dir: string, image: StateImage, now: number): Promise<void> {
  await writeAtomically(join(dir, SNAPSHOT_FILE), (function* () {
    for (const line of image.snapshot(now)) yield JSON.stringify(line) + "\n";
  })());
  const opened = { op: "log.opened", format: LOG_FORMAT, version: FORMAT_VERSION, at: now };
  await writeAtomically(join(dir, LOG_FILE), [JSON.stringify(opened) + "\n"]);
  await syncDirectory(dir);
}

async function writeAtomically(path: string, chunks: Iterable<string>): Promise<void> {
  const temp = `${path}.tmp`;
  const file = await open(temp, "w");
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      buffer.push(chunk);
      size += chunk.length;
      // Bounded batches: a snapshot of a large queue is never one giant string.
      if (size >= 1 << 20) {
        await file.write(buffer.join(""));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) await file.write(buffer.join(""));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}

/** Makes the renames themselves durable; some platforms cannot open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}

/** Lines of a file, streamed. */
async function* readLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: "utf8" });
  // Opening errors (ENOENT, EISDIR, EACCES) surface here rather than as an unhandled stream error.
  await new Promise<void>((resolve, reject) => {
    input.once("ready", () => resolve());
    input.once("error", reject);
  });
  yield* createInterface({ input, crlfDelay: Infinity });
}
