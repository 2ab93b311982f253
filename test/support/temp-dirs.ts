import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

/** Writes `content` to `dir/name` (making folders on the way) and returns the path. */
export function put(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}
