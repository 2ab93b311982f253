import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * A real `sqsrig serve` child process (bin/sqsrig.js runs dist/), for tests that must kill it the way
 * an operator's crash would: SIGKILL, no shutdown hook, nothing flushed that was not already written.
 */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT` from the `sqsrig ready URL` line. */
  readonly url: string;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Sends `signal` and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Every child started here that may still run; {@link killAll} ends them (afterEach). */
const running = new Set<ChildProcess>();

/** Rebuilds dist/ when any src/*.ts is newer (as scripts/bootstrap.sh does); type errors elsewhere do not stop the emit. */
export function ensureDist(): void {
  let built: number;
  try {
    built = statSync("dist/cli/index.js").mtimeMs;
  } catch {
    built = -1;
  }
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith(".ts") && statSync(join(dir, e.name)).mtimeMs > built,
    );
  if (built < 0 || newer("src")) spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: process.cwd(), stdio: "ignore" });
  statSync("dist/cli/index.js"); // throws with the path when the build produced nothing
}

/** Starts `sqsrig serve --port 0 --data DIR` and resolves on its ready line (bounded by `readyWithinMs`). */
export async function launchServe(dataDir: string, readyWithinMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["bin/sqsrig.js", "serve", "--port", "0", "--data", dataDir], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sqsrig serve printed no ready line within ${readyWithinMs} ms; stderr: ${stderr}`)), readyWithinMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /^sqsrig ready (http:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sqsrig serve exited (${code ?? signal}) before it was ready; stderr: ${stderr}`));
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** SIGKILLs every child still running and waits for each to exit. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = once(child, "exit");
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    }),
  );
}

/**
 * Calls `probe` until it returns a value other than undefined, failing with `what` once `withinMs` has
 * passed. Each round is a real request to the server, so the loop paces itself; no sleeps.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, withinMs = 60_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${withinMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
