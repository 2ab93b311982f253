import { vi } from "vitest";
import { main } from "../../src/cli/index.js";

/**
 * Runs `sqsrig ARGV…` through `main()` in this process and captures what it prints: stdout, and stderr
 * both as written directly (reporters) and through console.error (commands' messages).
 */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  // A stream write's callback must run: the json reporter waits for it before the run ends.
  const capture = (append: (text: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(String(chunk));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  vi.spyOn(process.stdout, "write").mockImplementation(capture((t) => (out += t)));
  vi.spyOn(process.stderr, "write").mockImplementation(capture((t) => (err += t)));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void (err += `${args.join(" ")}\n`));
  try {
    return { code: await main(argv), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
