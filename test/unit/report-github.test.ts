import { describe, expect, it } from "vitest";
import { createGithubReporter, githubAnnotations } from "../../src/report/index.js";
import { escapeData, escapeProperty } from "../../src/report/github.js";
import { FAILED, PASSED, RUN, memoryStream, outcome, runOf, scenario } from "./report-fixtures.js";

// GitHub Docs "Workflow commands for GitHub Actions" (setting an error message: file, line, title) and
// @actions/core's command.ts escapeData / escapeProperty; DESIGN "Details worth getting right" (CI bullet).

describe("githubAnnotations", () => {
  it("points one ::error at each failed check's expect line and at each errored scenario", () => {
    expect(githubAnnotations(RUN)).toEqual([
      '::error file=scenarios/fifo-order.yaml,line=31,title=FIFO order survives throttling%3A fifoOrder::group cust-3: eventId e-7 consumed before e-5%0Aexpected: {"order":"accepted"}%0Aactual: {"group":"cust-3","consumed":["e-7","e-5"]}',
      '::error file=scenarios/broken.yaml,line=7,title=broken backend%3A errored::queue "orders.fifo" could not be created: AccessDenied',
    ]);
    expect(githubAnnotations(runOf([PASSED]))).toEqual([]);
  });

  it("escapes %, CR and LF in messages, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    const s = scenario({
      name: "x, y: z",
      file: "dir/a,b:c.yaml",
      status: "failed",
      checks: [outcome({ check: "delivered", options: { count: 5, atLeast: 1 }, line: 9, ok: false, summary: "50% short\nsee: log, now" })],
    });
    expect(githubAnnotations(runOf([s]))).toEqual(["::error file=dir/a%2Cb%3Ac.yaml,line=9,title=x%2C y%3A z%3A delivered { count%3A 5%2C atLeast%3A 1 }::50%25 short%0Asee: log, now"]);
  });

  it("makes absolute paths relative to the workspace and leaves file and line off an inline scenario", () => {
    const abs = { ...FAILED, file: "/home/runner/work/app/scenarios/fifo-order.yaml" };
    expect(githubAnnotations(runOf([abs]), { workspace: "/home/runner/work/app" })[0]).toMatch(/^::error file=scenarios\/fifo-order\.yaml,line=31,title=/);
    const inline = { ...FAILED, file: "<inline>" };
    expect(githubAnnotations(runOf([inline]))[0]).toMatch(/^::error title=FIFO order survives throttling%3A fifoOrder::group cust-3/);
  });

  it("the reporter prints the lines, and nothing when everything passed", async () => {
    const out = memoryStream();
    await createGithubReporter({ out }).runFinished(RUN);
    expect(out.text().split("\n")).toHaveLength(3);
    expect(out.text().endsWith("AccessDenied\n")).toBe(true);
    const quiet = memoryStream();
    await createGithubReporter({ out: quiet }).runFinished(runOf([PASSED]));
    expect(quiet.text()).toBe("");
  });
});
