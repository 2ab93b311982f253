// `sqsrig serve` through `main()`. Follows DESIGN "Contracts" ("Prints `sqsrig ready http://127.0.0.1:PORT`
// once it accepts requests"; exit 2 for bad input) and "Backends" (localstack and aws arrive in issue 7).
// The SQS side it serves is covered by test/integration/server-v1.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function capture() {
  const log: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void log.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void err.push(args.join(" ")));
  return { log, err };
}

describe("sqsrig serve", () => {
  it("prints the ready line once /v1 and the SQS API answer, and closes on SIGTERM", async () => {
    const { log } = capture();
    const before = new Set(process.listeners("SIGTERM"));
    const beforeInt = process.listeners("SIGINT").length;
    const running = main(["serve", "--port", "0"]);
    // The ready line is the contract: wait for it, not for time.
    const url = await vi.waitFor(
      () => {
        const line = log.find((l) => l.startsWith("sqsrig ready "));
        if (!line) throw new Error("not ready yet");
        return line.slice("sqsrig ready ".length);
      },
      { timeout: 10_000, interval: 5 },
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await (await fetch(`${url}/_sqsrig/health`)).json();
    expect(health).toEqual({ status: "ok", queues: 0, engine: { ready: true, pending: 0 } });
    const list = await fetch(`${url}/`, { method: "POST", headers: { "x-amz-target": "AmazonSQS.ListQueues", "content-type": "application/x-amz-json-1.0" }, body: "{}" });
    expect(list.status).toBe(200);
    // Only the listener serve added, so the test runner's own handlers are not triggered.
    const added = process.listeners("SIGTERM").filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    added[0]!("SIGTERM");
    await expect(running).resolves.toBe(0);
    expect(process.listeners("SIGINT").length + process.listeners("SIGTERM").length).toBe(before.size + beforeInt);
    await expect(fetch(`${url}/_sqsrig/health`)).rejects.toThrow();
  });

  it("exits 2 for a backend that is not available yet, and for --backend endpoint without --endpoint", async () => {
    const { err } = capture();
    expect(await main(["serve", "--backend", "localstack"])).toBe(2);
    expect(err.join("\n")).toContain("backend 'localstack' is not available yet (issue 7)");
    expect(await main(["serve", "--backend", "endpoint"])).toBe(2);
    expect(err.join("\n")).toContain("--backend endpoint needs --endpoint URL");
  });
});
