import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { combineReporters, createReporters, reportJson, reportJunit, type Reporter } from "../../src/report/index.js";
import { PASSED, RUN, memoryStream } from "./report-fixtures.js";
import { parseXml } from "./report-xml-checker.js";

// DESIGN "Contracts": `sqsrig run … [--reporter pretty|json|junit]… [--out DIR]`; `--out` writes
// report.json and junit.xml (and the runner's journals); GitHub annotations when GITHUB_ACTIONS=true.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("createReporters", () => {
  it("with no names reports pretty to the stream", async () => {
    const out = memoryStream();
    await createReporters([], { out, color: false }).runFinished(RUN);
    expect(out.text()).toContain("Scenarios  1 passed, 1 failed, 1 errored (3)");
  });

  it("without --out, json owns stdout and people's output (pretty, annotations) moves to err", async () => {
    const out = memoryStream();
    const err = memoryStream();
    const reporter = createReporters(["pretty", "json"], { out, err, github: true, color: false });
    reporter.scenarioStarted?.({ name: PASSED.name, file: PASSED.file, index: 0, total: 3 });
    reporter.scenarioFinished?.(PASSED);
    await reporter.runFinished(RUN);
    expect(out.text()).toBe(reportJson(RUN));
    expect(err.text()).toContain("[1/3] happy path scenarios/happy.yaml started");
    expect(err.text()).toContain("::error file=scenarios/fifo-order.yaml,line=31,");
  });

  it("without --out or err, junit goes to the stream after the pretty summary", async () => {
    const out = memoryStream();
    await createReporters(["pretty", "junit"], { out, color: false }).runFinished(RUN);
    const text = out.text();
    const xmlAt = text.indexOf("<?xml");
    expect(xmlAt).toBeGreaterThan(text.indexOf("Scenarios  1 passed"));
    expect(text.slice(xmlAt)).toBe(reportJunit(RUN));
  });

  it("with --out writes report.json and junit.xml there whichever reporters were named, creating the folder", async () => {
    const base = await mkdtemp(join(tmpdir(), "sqsrig-report-"));
    dirs.push(base);
    const outDir = join(base, "nested", "out");
    const out = memoryStream();
    await createReporters(["pretty"], { out, outDir, color: false }).runFinished(RUN);
    expect(JSON.parse(await readFile(join(outDir, "report.json"), "utf8"))).toEqual(RUN);
    const junit = parseXml(await readFile(join(outDir, "junit.xml"), "utf8"));
    expect(junit.attrs.tests).toBe("5");
    expect(out.text()).toContain("Checks     3 passed, 1 failed (4)");
    expect(out.text()).not.toContain("<?xml");
    // Named machine reporters go to the folder, not to stdout.
    const quiet = memoryStream();
    await createReporters(["json", "junit"], { out: quiet, outDir }).runFinished(RUN);
    expect(quiet.text()).toBe("");
  });
});

describe("combineReporters", () => {
  it("forwards every hook, runs every runFinished, then throws what failed", async () => {
    const heard: string[] = [];
    const ok: Reporter = { scenarioFinished: (s) => heard.push(`finished ${s.name}`), runFinished: () => void heard.push("ok done") };
    const broken: Reporter = { runFinished: async () => Promise.reject(new Error("disk full")) };
    const combined = combineReporters([broken, ok]);
    combined.scenarioFinished?.(PASSED);
    await expect(combined.runFinished(RUN)).rejects.toThrow("disk full");
    expect(heard).toEqual(["finished happy path", "ok done"]);
    await expect(combineReporters([broken, broken]).runFinished(RUN)).rejects.toBeInstanceOf(AggregateError);
  });
});
