import { describe, expect, it } from "vitest";
import { reportJunit } from "../../src/report/index.js";
import { xmlAttr, xmlText } from "../../src/report/junit.js";
import { escapeXml } from "../../src/sqs/index.js";
import { ERRORED, FAILED, NASTY, PASSED, RUN, outcome, runOf, scenario } from "./report-fixtures.js";
import { findAll, parseXml } from "./report-xml-checker.js";

// Follows the JUnit XML schema as Jenkins, GitLab ("Unit test reports") and the GitHub test-report actions
// (dorny/test-reporter, mikepenz/action-junit-report) read it, and XML 1.0 §2.2 (Char) and §2.4 (escaping).

describe("the strict XML checker itself", () => {
  it("rejects what strict parsers reject, so a pass below means well-formed", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow(/does not match/);
    expect(() => parseXml("<a x=1></a>")).toThrow(/malformed attribute/);
    expect(() => parseXml('<a x="1" x="2"></a>')).toThrow(/duplicate/);
    expect(() => parseXml("<a>fish & chips</a>")).toThrow(/bare &/);
    expect(() => parseXml("<a>1 < 2</a>")).toThrow(/raw </);
    expect(() => parseXml("<a>\u0001</a>")).toThrow(/forbidden character/);
    expect(() => parseXml("<a><b></a>")).toThrow();
    expect(() => parseXml("<a/><b/>")).toThrow(/second root/);
    // What escapeXml writes for a control character is a reference XML 1.0 forbids: why xmlText pre-maps them.
    expect(() => parseXml(`<a>${escapeXml("\u0001")}</a>`)).toThrow(/illegal character reference/);
    expect(parseXml('<a k="x&#xA;y">t&amp;u</a>')).toMatchObject({ attrs: { k: "x\ny" }, text: "t&u" });
  });
});

describe("reportJunit", () => {
  const xml = reportJunit(RUN, { hostname: "ci-1" });
  const root = parseXml(xml);
  const suites = findAll(root, "testsuite");

  it("is well-formed with totals on <testsuites>: checks plus one case per errored scenario", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe("testsuites");
    // 2 + 2 checks, plus the errored scenario's "(scenario)" case.
    expect(root.attrs).toMatchObject({ name: "sqsrig", tests: "5", failures: "1", errors: "1", skipped: "0", time: "1.600", timestamp: "2025-01-02T03:04:05" });
    expect(findAll(root, "testcase")).toHaveLength(5);
  });

  it("writes one <testsuite> per scenario with name, file, timestamp, hostname and seconds", () => {
    expect(suites.map((s) => s.attrs.name)).toEqual([PASSED.name, FAILED.name, ERRORED.name]);
    expect(suites[1]!.attrs).toMatchObject({ file: "scenarios/fifo-order.yaml", tests: "2", failures: "1", errors: "0", time: "1.240", timestamp: "2025-01-02T03:04:05", hostname: "ci-1" });
    const props = Object.fromEntries(findAll(suites[1]!, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ seed: "42", timeScale: "max", backend: "embedded", virtualMs: "300000" });
    expect(findAll(suites[1]!, "system-out")[0]!.text).toContain("accepted 1000 · delivered 1000 · consumed 998");
  });

  it("names each <testcase> by check and options, with classname, file and the expect line", () => {
    const cases = findAll(suites[0]!, "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(["noLoss", "delivered { count: 3 }"]);
    expect(cases[1]!.attrs).toMatchObject({ classname: "scenarios/happy", file: "scenarios/happy.yaml", line: "21", time: "0.000" });
    expect(cases[1]!.children).toEqual([]);
  });

  it("gives a failed check a <failure> with summary, type and a body of expected, actual and evidence", () => {
    const failure = findAll(suites[1]!, "failure");
    expect(failure).toHaveLength(1);
    expect(failure[0]!.attrs).toEqual({ message: "group cust-3: eventId e-7 consumed before e-5", type: "fifoOrder" });
    expect(failure[0]!.text.split("\n")).toEqual([
      "group cust-3: eventId e-7 consumed before e-5",
      'expected: {"order":"accepted"}',
      'actual: {"group":"cust-3","consumed":["e-7","e-5"]}',
      "evidence:",
      "  #3 t=+0.02s event.accepted eventId=e-5 eventType=order.created idempotencyKey=k-5 destinations=[\"orders\"] deliveries=[\"d-5\"]",
      "  #40 t=+1.2s event.delivered destination=orders delivery=d-7 eventId=e-7 messageId=m-7 groupId=cust-3 attempts=2",
      "  #57 t=+1.25s consumer.result consumer=worker batchId=b-9 messageId=m-7 outcome=succeeded",
    ]);
  });

  it("turns an errored scenario into a (scenario) testcase with <error> at the line to blame", () => {
    const cases = findAll(suites[2]!, "testcase");
    expect(cases).toHaveLength(1);
    expect(cases[0]!.attrs).toMatchObject({ name: "(scenario)", classname: "scenarios/broken", file: "scenarios/broken.yaml", line: "7", time: "0.050" });
    const error = findAll(cases[0]!, "error")[0]!;
    expect(error.attrs).toEqual({ message: ERRORED.error!.message, type: "ScenarioError" });
    expect(error.text).toBe(`${ERRORED.error!.message}\n  at scenarios/broken.yaml:7`);
    expect(suites[2]!.attrs).toMatchObject({ tests: "1", failures: "0", errors: "1" });
  });

  it("escapes quotes, markup, ampersands and newlines, and keeps forbidden characters out", () => {
    const nasty = scenario({
      name: `a "quoted" <name> & more`,
      file: "<inline>",
      status: "failed",
      description: NASTY,
      checks: [outcome({ check: "noLoss", line: 3, ok: false, summary: NASTY, actual: { text: NASTY } })],
    });
    const doc = reportJunit(runOf([nasty]));
    expect(doc).not.toMatch(/[\u0001]/);
    const parsed = parseXml(doc);
    const shown = NASTY.replace("\u0001", "\\u0001");
    const suite = findAll(parsed, "testsuite")[0]!;
    expect(suite.attrs.name).toBe(nasty.name);
    // An inline scenario has no file name to classify by: its name stands in.
    expect(findAll(parsed, "testcase")[0]!.attrs.classname).toBe(nasty.name);
    const failure = findAll(parsed, "failure")[0]!;
    expect(failure.attrs.message).toBe(shown);
    expect(failure.text.startsWith(`${shown}\n`)).toBe(true);
    expect(findAll(suite, "system-out")[0]!.text.startsWith(shown)).toBe(true);
  });

  it("maps lone surrogates and U+FFFF to visible escapes and keeps attribute tabs as references", () => {
    expect(xmlText("a\uD800b\uFFFFc\u{1F600}")).toBe("a\\uD800b\\uFFFFc\u{1F600}");
    expect(xmlAttr("x\ty\nz\r")).toBe("x&#x9;y&#xA;z&#xD;");
    expect(parseXml(`<a v="${xmlAttr("x\ty\nz")}"/>`).attrs.v).toBe("x\ty\nz");
  });
});
