// `sqsrig run` through `main()`: DESIGN "Contracts" (exit 0 success, 1 a check failed, 2 bad input; `--out`
// writes report.json, junit.xml and each run's journal.ndjson) and issue 7 (validation before anything
// runs, `--grep`, `--bail`, `--seed`, runs indexed for the UI's history).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readRunIndex } from "../../src/report/index.js";
import { put, useTempDirs } from "../support/temp-dirs.js";
import { runCli } from "../support/run-cli.js";

const tempDir = useTempDirs("cli-run");

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const run = runCli;


/** Ten events into a standard queue that a Lambda mapping consumes; `count` is what `delivered` expects. */
const scenario = (name: string, count: number) => `name: ${name}
queues:
  - name: orders
destination: { type: SQS, name: orders, queue: orders, region: us-east-1 }
consumers:
  - { name: worker, queue: orders, kind: lambda }
timeline:
  - at: 0s
    generate: { count: 10, groups: 2 }
expect:
  - noLoss
  - delivered: { count: ${count} }
`;

describe("sqsrig run", () => {
  it("exits 0 when every check held, writes report.json, junit.xml and the journal under --out, and indexes the run", async () => {
    const dir = tempDir();
    vi.stubEnv("SQSRIG_HOME", join(dir, ".sqsrig"));
    const file = put(dir, "good.yaml", scenario("ten orders", 10));
    const out = join(dir, "out");
    const { code, out: stdout } = await run("run", file, "--out", out, "--seed", "3");
    expect(code).toBe(0);
    expect(stdout).toContain("✓ ten orders");
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.passed).toBe(1);
    expect(report.scenarios[0].seed).toBe(3);
    expect(readFileSync(join(out, "junit.xml"), "utf8")).toContain('<testcase name="noLoss"');
    const journal = join(out, "01-ten-orders", "journal.ndjson");
    expect(existsSync(journal)).toBe(true);
    const types = readFileSync(journal, "utf8").trim().split("\n").map((l) => JSON.parse(l).type);
    expect(types).toContain("queue.created");
    expect(types).toContain("run.started");
    expect(types.at(-1)).toBe("run.finished");
    const index = await readRunIndex(join(dir, ".sqsrig", "runs.json"));
    expect(index.map((r) => [r.name, r.status, r.journalFile])).toEqual([["ten orders", "passed", journal]]);
  });

  it("exits 1 when a check fails, naming the check and its expect line", async () => {
    const dir = tempDir();
    vi.stubEnv("SQSRIG_HOME", join(dir, ".sqsrig"));
    const file = put(dir, "wrong-count.yaml", scenario("wrong count", 11));
    const { code, out } = await run("run", file);
    expect(code).toBe(1);
    expect(out).toContain("✗ delivered");
    expect(out).toContain(`${file}:12`);
  });

  it("validates every file before running any: one invalid file exits 2 with file:line:column and runs nothing", async () => {
    const dir = tempDir();
    vi.stubEnv("SQSRIG_HOME", join(dir, ".sqsrig"));
    put(dir, "a-good.yaml", scenario("good", 10));
    const bad = put(dir, "b-bad.yaml", scenario("bad", 10).replace("  - at: 0s", "  - at: soon"));
    const { code, err, out } = await run("run", dir);
    expect(code).toBe(2);
    expect(err).toContain(`${bad}:8:9 timeline[0].at`);
    expect(out).not.toContain("✓ good");
    expect(existsSync(join(dir, ".sqsrig", "runs.json"))).toBe(false);
  });

  it("--grep picks scenarios by name or file, and --bail stops after the first that does not pass", async () => {
    const dir = tempDir();
    vi.stubEnv("SQSRIG_HOME", join(dir, ".sqsrig"));
    put(dir, "1-fails.yaml", scenario("fails first", 99));
    put(dir, "2-passes.yaml", scenario("passes second", 10));
    const grep = await run("run", dir, "--grep", "second");
    expect(grep.code).toBe(0);
    expect(grep.out).toContain("passes second");
    expect(grep.out).not.toContain("fails first");
    const bail = await run("run", dir, "--bail");
    expect(bail.code).toBe(1);
    expect(bail.out).not.toContain("passes second");
    const none = await run("run", dir, "--grep", "nothing like this");
    expect(none.code).toBe(2);
    expect(none.err).toContain("no scenario matches --grep 'nothing like this'");
  });

  it("refuses a bad --time-scale and a backend scenario runs do not support yet with exit 2", async () => {
    const dir = tempDir();
    const file = put(dir, "s.yaml", scenario("s", 10));
    expect((await run("run", file, "--time-scale", "fast")).code).toBe(2);
    const both = await run("run", file, "--reporter", "json", "--reporter", "junit");
    expect(both.code).toBe(2);
    expect(both.err).toContain("add --out DIR");
    const backend = await run("run", file, "--backend", "aws");
    expect(backend.code).toBe(2);
    expect(backend.err).toContain("backend 'aws' is not available to scenario runs yet");
  });
});

describe("sqsrig run interrupted", () => {
  it("on Ctrl-C finishes the scenario under way, writes its reports and exits 130", async () => {
    const { spawn } = await import("node:child_process");
    const dir = tempDir();
    mkdirSync(join(dir, "handlers"));
    // The first scenario's handler does 1.5 s of real work, which holds the run's clock: the signal
    // arrives while it runs, never after.
    put(dir, "handlers/slow.mjs", "export const handler = () => new Promise((resolve) => setTimeout(() => resolve({ batchItemFailures: [] }), 1500));\n");
    put(dir, "1-slow.yaml", scenario("slow first", 1).replace("generate: { count: 10, groups: 2 }", "generate: { count: 1 }").replace("kind: lambda }", "kind: lambda, handler: ./handlers/slow.mjs }"));
    put(dir, "2-never.yaml", scenario("never reached", 10));
    const out = join(dir, "out");
    const script = `import { main } from ${JSON.stringify(join(import.meta.dirname, "../../src/cli/index.ts"))}; process.exitCode = await main(${JSON.stringify(["run", dir, "--out", out])});`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, SQSRIG_HOME: join(dir, ".sqsrig"), NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("[1/2]") && !stdout.includes("SIGINT sent")) {
        stdout += "SIGINT sent";
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toContain("SIGINT: stopping after the scenario under way");
    expect(code).toBe(130);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.scenarios.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([["slow first", "passed"]]);
    expect(stdout).not.toContain("never reached");
  }, 60_000);
});
