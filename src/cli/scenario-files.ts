import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";

/** What `sqsrig validate` and `sqsrig run` read in a folder. */
export const SCENARIO_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

export interface ScenarioFiles {
  /** Every scenario file found, in the order the paths were given, each folder's files sorted. */
  files: string[];
  /** Paths that gave nothing to read: missing, or a folder without scenario files (one sentence each). */
  problems: string[];
}

/**
 * Turns the paths a user named into scenario files. A file is taken as it is, whatever its extension; a
 * folder is searched recursively for *.yaml, *.yml and *.json, skipping node_modules and dot-folders (a
 * `.github/` workflow is YAML too, but no scenario). Paths keep the spelling the user gave, so messages
 * name files the way the user's terminal and editor find them.
 *
 * @example
 * await findScenarioFiles(["scenarios"]); // { files: ["scenarios/fifo.yaml", "scenarios/dlq/replay.yml"], problems: [] }
 */
export async function findScenarioFiles(paths: readonly string[]): Promise<ScenarioFiles> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) problems.push(`${path}: no such file or folder.`);
    else if (!info.isDirectory()) files.push(path);
    else {
      const found = await walk(path);
      if (found.length === 0) problems.push(`${path}: no scenario files (${SCENARIO_EXTENSIONS.map((e) => `*${e}`).join(", ")}) in this folder.`);
      files.push(...found);
    }
  }
  // The same file named twice (a folder and a file in it) is checked once.
  return { files: [...new Set(files)], problems };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...(await walk(path)));
    } else if ((SCENARIO_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) {
      out.push(path);
    }
  }
  return out;
}
