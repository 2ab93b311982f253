import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Journal } from "./bus.js";
import type { JournalRecord } from "./records.js";

/** A running NDJSON writer; `close()` flushes it and rejects if any record could not be written. */
export interface JournalWriter {
  close(): Promise<void>;
}

export interface JournalWriterOptions {
  /**
   * Records held in memory while the file lags behind (the stream asked us to wait for `drain`). Past
   * this, records are dropped and counted, and `close()` reports how many: a stuck disk must not grow
   * the process without bound.
   * @default 67108864 (64 MiB)
   */
  maxBufferedBytes?: number;
}

/**
 * Streams every record of `journal` to `path` as one JSON object per line. A file that cannot be
 * opened or written (missing directory, full disk) never crashes the process: the writer stops and
 * `close()` rejects with an error naming the path.
 *
 * @example
 * const writer = writeJournalTo(journal, "out/journal.ndjson");
 * // … run …
 * await writer.close();
 */
export function writeJournalTo(journal: Journal, path: string, options: JournalWriterOptions = {}): JournalWriter {
  const limit = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  const out = createWriteStream(path, { flags: "a" });
  let failure: Error | undefined;
  let waiting = false;
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;

  const stop = journal.subscribe((record) => {
    if (failure) return;
    const line = JSON.stringify(record) + "\n";
    if (!waiting) {
      waiting = !out.write(line);
      return;
    }
    if (pendingBytes + line.length > limit) {
      dropped++;
      return;
    }
    pending.push(line);
    pendingBytes += line.length;
  });
  const flush = () => {
    if (pending.length === 0 || failure) return;
    const chunk = pending.join("");
    pending = [];
    pendingBytes = 0;
    waiting = !out.write(chunk);
  };
  out.on("drain", () => {
    waiting = false;
    flush();
  });
  const fail = (err: Error) => {
    failure ??= new Error(`sqsrig: cannot write the journal to ${path}: ${err.message}`, { cause: err });
    stop();
    pending = [];
  };
  out.on("error", fail);

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        stop();
        const settle = () => {
          if (failure) return reject(failure);
          if (dropped > 0) {
            return reject(new Error(`sqsrig: the journal ${path} is incomplete: ${dropped} records were dropped because the file could not keep up`));
          }
          resolve();
        };
        if (failure || out.destroyed) return settle();
        flush();
        // The end callback hears of a failure before the 'error' event does.
        out.end((err?: Error | null) => {
          if (err) fail(err);
          settle();
        });
      });
      return closing;
    },
  };
}

/** Reads an NDJSON journal back; a malformed line is reported with its line number. */
export async function readJournal(path: string): Promise<JournalRecord[]> {
  const records: JournalRecord[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (err) {
      throw new Error(`${path}:${lineNo}: not a JSON journal record (${(err as Error).message})`);
    }
  }
  return records;
}
