import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { FileHandle } from "node:fs/promises";

export interface DurableLogOptions {
  /** `fsync`: fdatasync after each write (survives power loss); `write`: survives a killed process. @default "write" */
  durability?: "write" | "fsync";
}

/**
 * An append-only NDJSON file with group commit: `append` queues a line, `commit` resolves once every line
 * queued before it is written (and synced with `durability: "fsync"`). Callers that commit while a write
 * is under way share the next one, so a burst of requests costs a few writes, not one each. A failed
 * write is sticky: memory and disk disagree from then on, so no later commit may claim durability.
 */
export class DurableLog {
  private pending: string[] = [];
  private waiters: { resolve(): void; reject(err: Error): void }[] = [];
  private writing = false;
  private failure: Error | undefined;
  private closed = false;
  /** Set by {@link crash}: the write under way finishes, nothing after it happens. */
  private crashed = false;
  /** The write loop while it runs (a crash waits for the write it has handed to the OS). */
  private draining: Promise<void> | undefined;
  private rewriteWith: (() => string[]) | undefined;

  private readonly fsync: boolean;

  /** Wraps a file opened for appending; {@link DurableLog.open} is the usual way in. */
  constructor(
    private file: FileHandle,
    readonly path: string,
    options: DurableLogOptions = {},
  ) {
    this.fsync = options.durability === "fsync";
  }

  /** Opens `path` for appending, creating it if needed. */
  static async open(path: string, options: DurableLogOptions = {}): Promise<DurableLog> {
    return new DurableLog(await open(path, "a"), path, options);
  }

  /** Lines waiting for the next write. */
  get backlog(): number {
    return this.pending.length;
  }

  append(line: string): void {
    if (this.closed) throw new Error(`sqsrig: ${this.path} is closed`);
    this.pending.push(line);
  }

  commit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0 && !this.writing && !this.rewriteWith) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.writing) this.draining = this.drain();
    });
  }

  /**
   * Replaces the file, between two writes, with the lines `snapshot` returns then (temp file, sync,
   * rename): compaction. The snapshot must describe everything appended so far, written or not, so lines
   * still pending may be dropped; readers must treat a line repeated after a snapshot as harmless.
   */
  compact(snapshot: () => string[]): Promise<void> {
    this.rewriteWith = snapshot;
    return this.commit();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.commit();
    } finally {
      this.closed = true;
      await this.file.close();
    }
  }

  /**
   * Dies as a killed process would (a harness's crash): lines not yet handed to the OS are dropped, the
   * write or compaction step under way completes (the kernel would finish it), then the file is closed.
   * No commit resolves from then on: the ones waiting and any later one fail, so nothing is acknowledged
   * after the crash.
   */
  async crash(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.crashed = true;
    this.failure ??= new Error(`sqsrig: ${this.path}: the process crashed`);
    this.pending = [];
    this.rewriteWith = undefined;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    await this.draining;
    await this.file.close();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiters.length > 0 && !this.failure) {
      const waiters = this.waiters;
      this.waiters = [];
      try {
        if (this.rewriteWith) {
          const snapshot = this.rewriteWith;
          this.rewriteWith = undefined;
          this.pending = [];
          await this.replaceFile(snapshot());
        }
        const lines = this.pending;
        this.pending = [];
        if (lines.length > 0) {
          await this.file.write(lines.join("\n") + "\n");
          if (this.fsync && !this.crashed) await this.file.datasync();
        }
        // After a crash the lines are on disk but nobody was told: the process was gone.
        for (const w of waiters) (this.crashed ? w.reject(this.failure!) : w.resolve());
      } catch (err) {
        this.failure = new Error(`sqsrig: cannot write ${this.path}: ${(err as Error).message}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
        this.waiters = [];
      }
    }
    this.writing = false;
  }

  private async replaceFile(lines: string[]): Promise<void> {
    const temp = `${this.path}.tmp`;
    const out = await open(temp, "w");
    try {
      if (lines.length > 0) await out.write(lines.join("\n") + "\n");
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(temp, this.path);
    // With fsync durability the rename itself must survive power loss: sync the directory entry too.
    if (this.fsync) await syncDirectory(dirname(this.path));
    await this.file.close();
    this.file = await open(this.path, "a");
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
