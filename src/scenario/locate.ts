import { ScenarioSource, type Path } from "./source.js";

/**
 * Where the node at `path` sits in a scenario's text: 1-based line and column of its value (or its key),
 * else of its nearest ancestor. For problems found after loading — a handler module that does not exist
 * is reported at the consumer's `handler` value, not just its line.
 *
 * @example
 * locateScenarioNode(text, "fifo.yaml", ["consumers", 0, "handler"]); // { line: 23, column: 14 }
 */
export function locateScenarioNode(text: string, file: string, path: Path, at: "value" | "key" = "value"): { line: number; column: number } {
  return ScenarioSource.parse(text, file).positionOf(path, at);
}
