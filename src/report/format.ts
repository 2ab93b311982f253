import type { JournalRecord } from "../journal/index.js";
import type { CheckOutcome, ScenarioReport } from "./types.js";

// Text shared by the human-facing reporters (pretty, JUnit bodies, GitHub annotations): one way to name a
// check, print a value, a duration and an evidence record, so the terminal and CI say the same thing.

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * User text made safe to print on one terminal line: control characters (ESC included, so a message body
 * cannot drive the terminal) become visible `\uXXXX` escapes; newlines and tabs become `\n` and `\t`.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|\n|\r/g, "\\n")
    .replace(/\t/g, "\\t")
    .replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Like {@link oneLine} but keeps line breaks, for multi-line blocks (each line is then indented). */
export function visibleLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/).map((line) => oneLine(line));
}

/** Cuts text to `max` characters, marking the cut. */
export function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** JSON that never throws: bigints as strings, Maps and Sets as objects and arrays, cycles marked. */
export function safeJson(value: unknown, indent?: number): string {
  const seen = new WeakSet<object>();
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (typeof v === "object" && v !== null) {
        if (seen.has(v)) return "[circular]";
        seen.add(v);
      }
      return v;
    },
    indent,
  );
  return text ?? String(value);
}

/**
 * A value (a check's expected or actual) as a few readable lines: one line of JSON when it is short,
 * else indented JSON capped at `maxLines` lines.
 */
export function formatValue(value: unknown, options: { width?: number; maxLines?: number } = {}): string[] {
  const width = options.width ?? 100;
  const maxLines = options.maxLines ?? 12;
  const flat = safeJson(value);
  if (flat.length <= width) return [oneLine(flat)];
  const lines = safeJson(value, 2).split("\n").map((l) => cap(oneLine(l), width + 40));
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines`];
}

/**
 * A check as a person names it: `noLoss`, or with the options the scenario gave, `delivered { count: 1001 }`
 * (two `delivered` checks with different options stay apart in JUnit and annotations).
 */
export function checkLabel(outcome: Pick<CheckOutcome, "check" | "options">, max = 60): string {
  const { check, options } = outcome;
  if (options === undefined || options === null) return check;
  if (typeof options !== "object" || Array.isArray(options)) return cap(`${check} ${oneLine(safeJson(options))}`, max);
  const entries = Object.entries(options as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return check;
  const inner = entries.map(([k, v]) => `${k}: ${safeJson(v)}`).join(", ");
  return cap(`${check} { ${oneLine(inner)} }`, max);
}

/**
 * A duration for people: `850ms`, `1.24s`, `5m 0s`, `2h 3m`.
 *
 * @example
 * formatDuration(305_000) // "5m 5s"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(2))}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A time offset as evidence lines print it: `+0s`, `+0.02s`, `+1.2s`, `+305s`. */
export function formatOffset(ms: number): string {
  return `${ms < 0 ? "-" : "+"}${trimZeros((Math.abs(ms) / 1000).toFixed(3))}s`;
}

function trimZeros(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** Where evidence times count from: the run's first record when the runner said, else the earliest evidence. */
export function evidenceStart(scenario: Pick<ScenarioReport, "journalStart" | "checks">): number {
  if (scenario.journalStart !== undefined) return scenario.journalStart;
  let first = Infinity;
  for (const c of scenario.checks) for (const r of c.evidence) first = Math.min(first, r.t);
  return Number.isFinite(first) ? first : 0;
}

const BARE = /^[^\s"=\\\u0000-\u001F\u007F-\u009F]+$/;

/**
 * One evidence record on one short line: `#12 t=+1.2s event.delivered destination=main eventId=e-1 …`,
 * fields in the record's own order, long values and the line itself capped.
 */
export function evidenceLine(record: JournalRecord, start: number, max = 200): string {
  const parts = [`#${record.seq}`, `t=${formatOffset(record.t - start)}`, record.type];
  for (const [key, value] of Object.entries(record)) {
    if (key === "seq" || key === "t" || key === "type" || value === undefined) continue;
    parts.push(`${key}=${fieldValue(value)}`);
  }
  return cap(parts.join(" "), max);
}

function fieldValue(value: unknown): string {
  if (typeof value === "string") return BARE.test(value) ? value : oneLine(cap(JSON.stringify(value), 80));
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return oneLine(cap(safeJson(value), 80));
}
