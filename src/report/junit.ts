import { extname } from "node:path";
import { escapeXml } from "../sqs/index.js";
import { checkLabel, evidenceLine, evidenceStart, formatValue } from "./format.js";
import { writeTo, type ReportTarget } from "./json.js";
import { countsText } from "./pretty-text.js";
import type { CheckOutcome, Reporter, RunReport, ScenarioReport } from "./types.js";

// junit.xml in the shape GitHub's test-report actions, GitLab and Jenkins read: one <testsuite> per
// scenario, one <testcase> per check, carrying `file` and `line` so a failure points at its `expect`.

/** Characters XML 1.0 has no place for, not even as a character reference (its `Char` production). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text XML 1.0 can hold: forbidden characters become a visible `\uXXXX` (escapeXml would write `&#x1;`,
 * which strict parsers reject), then `&`, `<`, `>` and quotes are escaped.
 */
export function xmlText(text: string): string {
  return escapeXml(text.replace(XML_FORBIDDEN, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`));
}

/** An attribute value: as text, plus tabs and newlines as references (a parser would fold them to spaces). */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/\n/g, "&#xA;").replace(/\t/g, "&#x9;");
}

function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** JUnit's XSD wants an ISO 8601 date-time without a zone; ours is UTC. Unparseable: left out. */
function timestamp(iso: string): string | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 19);
}

/** `scenarios/fifo.yaml` → `scenarios/fifo`; an inline scenario is named by its name. */
function classnameOf(s: ScenarioReport): string {
  if (s.file === "" || s.file.startsWith("<")) return s.name;
  return s.file.slice(0, s.file.length - extname(s.file).length);
}

/** What a failed check's <failure> holds: its summary, expected vs actual, and the evidence records. */
export function failureBody(c: CheckOutcome, start: number): string {
  const lines = [c.summary];
  if (c.expected !== undefined) lines.push(`expected: ${formatValue(c.expected, { maxLines: 40 }).join("\n  ")}`);
  if (c.actual !== undefined) lines.push(`actual: ${formatValue(c.actual, { maxLines: 40 }).join("\n  ")}`);
  if (c.evidence.length > 0) lines.push("evidence:", ...c.evidence.map((r) => `  ${evidenceLine(r, start)}`));
  return lines.join("\n");
}

function testcase(s: ScenarioReport, c: CheckOutcome, start: number): string {
  const head = `    <testcase${attrs({ name: checkLabel(c), classname: classnameOf(s), file: s.file, line: c.line, time: seconds(0) })}`;
  if (c.ok) return `${head}/>`;
  return `${head}>\n      <failure${attrs({ message: c.summary, type: c.check })}>${xmlText(failureBody(c, start))}</failure>\n    </testcase>`;
}

function errorCase(s: ScenarioReport): string {
  const error = s.error ?? { message: "the scenario errored" };
  const where = error.line === undefined ? s.file : `${s.file}:${error.line}`;
  return (
    `    <testcase${attrs({ name: "(scenario)", classname: classnameOf(s), file: s.file, line: error.line, time: seconds(s.wallMs) })}>\n` +
    `      <error${attrs({ message: error.message, type: "ScenarioError" })}>${xmlText(`${error.message}\n  at ${where}`)}</error>\n` +
    `    </testcase>`
  );
}

function suite(s: ScenarioReport, hostname: string | undefined): string {
  const start = evidenceStart(s);
  const errored = s.status === "error";
  const cases = [...(errored ? [errorCase(s)] : []), ...s.checks.map((c) => testcase(s, c, start))];
  const properties = [
    ["seed", String(s.seed)],
    ["timeScale", s.timeScale],
    ["backend", s.backend],
    ["virtualMs", String(s.virtualMs)],
    ...(s.journalFile === undefined ? [] : [["journal", s.journalFile]]),
  ]
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join("\n");
  const head = attrs({
    name: s.name,
    tests: cases.length,
    failures: s.checks.filter((c) => !c.ok).length,
    errors: errored ? 1 : 0,
    skipped: 0,
    time: seconds(s.wallMs),
    timestamp: timestamp(s.startedAt),
    hostname,
    file: s.file,
  });
  const out = `${s.description === undefined ? "" : `${s.description}\n`}${countsText(s.counts)}`;
  return [
    `  <testsuite${head}>`,
    `    <properties>\n${properties}\n    </properties>`,
    ...cases,
    `    <system-out>${xmlText(out)}</system-out>`,
    "  </testsuite>",
  ].join("\n");
}

/**
 * A run as junit.xml: `<testsuites>` with totals, one `<testsuite>` per scenario (its checks as
 * `<testcase>`s with `file` and `line` of their `expect`; `<failure>` with expected, actual and evidence),
 * an errored scenario as a `(scenario)` testcase with `<error>`, and the run's counts in `<system-out>`.
 *
 * @example
 * await writeFile("out/junit.xml", reportJunit(run));
 */
export function reportJunit(run: RunReport, options: { hostname?: string } = {}): string {
  const suites = run.scenarios.map((s) => suite(s, options.hostname));
  const checks = run.scenarios.flatMap((s) => s.checks);
  const head = attrs({
    name: "sqsrig",
    tests: checks.length + run.scenarios.filter((s) => s.status === "error").length,
    failures: checks.filter((c) => !c.ok).length,
    errors: run.scenarios.filter((s) => s.status === "error").length,
    skipped: 0,
    time: seconds(run.wallMs),
    timestamp: timestamp(run.startedAt),
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...suites, "</testsuites>", ""].join("\n");
}

/**
 * A reporter that writes junit.xml when the run finishes.
 *
 * @example
 * createJunitReporter({ file: "out/junit.xml" })
 */
export function createJunitReporter(target: ReportTarget): Reporter {
  return { runFinished: (run) => writeTo(target, reportJunit(run)) };
}
