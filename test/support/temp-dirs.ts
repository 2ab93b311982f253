import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/**
 * A maker of fresh temporary directories, each removed after the test that made it. Call it at the top
 * of a test file or describe block (it registers an afterEach there).
 */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `sqsrig-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}
