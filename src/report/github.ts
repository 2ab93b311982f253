import { isAbsolute, relative } from "node:path";
import { cap, checkLabel, oneLine, safeJson } from "./format.js";
import type { Reporter, RunReport } from "./types.js";

// GitHub Actions annotations (DESIGN "Details worth getting right": when GITHUB_ACTIONS=true, print
// `::error file=…,line=…::…` pointing at the failing `expect` line). Escaping follows the runner's
// workflow-command rules as @actions/core implements them (escapeData / escapeProperty).

/** A message (after `::`): `%`, CR and LF are encoded so the command stays one line. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value (`file=…,title=…`): as data, plus `:` and `,`, which would end the value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::error ${props}::${escapeData(message)}`;
}

/**
 * GitHub resolves `file` against the repository root; a scenario given by absolute path is made relative
 * to the workspace, and an inline scenario has no file at all.
 */
function fileOf(file: string, workspace: string | undefined): string | undefined {
  if (file === "" || file.startsWith("<")) return undefined;
  const path = workspace !== undefined && isAbsolute(file) ? relative(workspace, file) : file;
  return path.replace(/\\/g, "/");
}

const short = (value: unknown): string => cap(oneLine(safeJson(value)), 200);

/**
 * One `::error` line per failed check (at its `expect` line) and per errored scenario (at the line to
 * blame, when known).
 *
 * @example
 * githubAnnotations(run) // ["::error file=scenarios/fifo.yaml,line=31,title=FIFO order%3A fifoOrder::group g-1 out of order"]
 */
export function githubAnnotations(run: RunReport, options: { workspace?: string } = {}): string[] {
  const lines: string[] = [];
  for (const s of run.scenarios) {
    const file = fileOf(s.file, options.workspace);
    if (s.status === "error") {
      const message = s.error?.message ?? "the scenario errored";
      lines.push(command({ file, line: file === undefined ? undefined : s.error?.line, title: `${s.name}: errored` }, message));
    }
    for (const c of s.checks) {
      if (c.ok) continue;
      const detail = [c.summary];
      if (c.expected !== undefined) detail.push(`expected: ${short(c.expected)}`);
      if (c.actual !== undefined) detail.push(`actual: ${short(c.actual)}`);
      lines.push(command({ file, line: file === undefined ? undefined : c.line, title: `${s.name}: ${checkLabel(c)}` }, detail.join("\n")));
    }
  }
  return lines;
}

/**
 * A reporter that prints the annotations when the run finishes (the CLI adds it when
 * `GITHUB_ACTIONS=true`).
 *
 * @example
 * createGithubReporter({ out: process.stdout, workspace: process.env.GITHUB_WORKSPACE })
 */
export function createGithubReporter(options: { out: NodeJS.WritableStream; workspace?: string }): Reporter {
  return {
    runFinished(run) {
      const lines = githubAnnotations(run, { workspace: options.workspace });
      if (lines.length > 0) options.out.write(`${lines.join("\n")}\n`);
    },
  };
}
