import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { RunCounts, ScenarioReport } from "./types.js";

/** One scenario run as the UI's history lists it: enough to show and to open its journal. */
export interface RunIndexEntry {
  /** `<startedAt>-<n>`: unique within one index, sortable. */
  id: string;
  name: string;
  file: string;
  status: ScenarioReport["status"];
  startedAt: string;
  wallMs: number;
  virtualMs: number;
  seed: number;
  counts: RunCounts;
  checks: { check: string; ok: boolean; summary: string }[];
  error?: string;
  journalFile?: string;
}

interface RunIndexFile {
  runs: RunIndexEntry[];
}

/** Runs kept: the newest ones; a history, not an archive (journals live in `--out`). */
export const RUN_INDEX_LIMIT = 500;

/**
 * Appends scenario reports to the run index (lowdb: a small JSON file a person can read), newest last,
 * keeping the newest {@link RUN_INDEX_LIMIT}. The UI lists past runs from it.
 *
 * @example
 * await appendRunIndex(".sqsrig/runs.json", run.scenarios);
 */
export async function appendRunIndex(file: string, reports: readonly ScenarioReport[]): Promise<RunIndexEntry[]> {
  await mkdir(dirname(file), { recursive: true });
  const db = new Low<RunIndexFile>(new JSONFile<RunIndexFile>(file), { runs: [] });
  await db.read();
  if (!Array.isArray(db.data?.runs)) db.data = { runs: [] };
  const added = reports.map((r, n): RunIndexEntry => ({
    id: `${r.startedAt}-${n}`,
    name: r.name,
    file: r.file,
    status: r.status,
    startedAt: r.startedAt,
    wallMs: r.wallMs,
    virtualMs: r.virtualMs,
    seed: r.seed,
    counts: r.counts,
    checks: r.checks.map((c) => ({ check: c.check, ok: c.ok, summary: c.summary })),
    ...(r.error ? { error: r.error.message } : {}),
    ...(r.journalFile ? { journalFile: r.journalFile } : {}),
  }));
  db.data.runs = [...db.data.runs, ...added].slice(-RUN_INDEX_LIMIT);
  await db.write();
  return added;
}

/** The index's runs, oldest first (empty when there is no index yet). */
export async function readRunIndex(file: string): Promise<RunIndexEntry[]> {
  const db = new Low<RunIndexFile>(new JSONFile<RunIndexFile>(file), { runs: [] });
  await db.read();
  return Array.isArray(db.data?.runs) ? db.data.runs : [];
}
