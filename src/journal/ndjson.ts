import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Journal } from "./bus.js";
import type { JournalRecord } from "./records.js";

/** Streams every record of `journal` to `path` as one JSON object per line. */
export function writeJournalTo(journal: Journal, path: string): { close(): Promise<void> } {
  const out: WriteStream = createWriteStream(path, { flags: "a" });
  const stop = journal.subscribe((record) => {
    out.write(JSON.stringify(record) + "\n");
  });
  return {
    close: () =>
      new Promise((resolve, reject) => {
        stop();
        out.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
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
