import { isMap, isSeq, isScalar, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import type { ScenarioError } from "./types.js";
import { unknownKeyMessage } from "./suggest.js";
import { jsonErrorOffset } from "./json-position.js";

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** `["timeline", 2, "at"]` → `timeline[2].at`. */
export function formatPath(path: Path): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** 1-based line and column of a character offset. */
export function linePos(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - start + 1 };
}

/**
 * A parsed scenario document: its plain value plus the YAML node tree (which keeps source ranges), so
 * every error can name the line and column of the node it is about. JSON files go through the same
 * tree (JSON is YAML 1.2) after a strict `JSON.parse`, so JSON-only syntax rules still apply.
 */
export class ScenarioSource {
  readonly errors: ScenarioError[] = [];
  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document | undefined,
    readonly value: unknown,
  ) {}

  static parse(text: string, file: string): ScenarioSource {
    if (/\.json$/i.test(file)) {
      try {
        JSON.parse(text);
      } catch (e) {
        const failed = new ScenarioSource(file, text, undefined, undefined);
        const message = e instanceof Error ? e.message : String(e);
        failed.push(linePos(text, jsonErrorOffset(text, message)), [], `JSON syntax error: ${message.replace(/\s+/g, " ")}`);
        return failed;
      }
    }
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const failed = new ScenarioSource(file, text, undefined, undefined);
      for (const err of doc.errors) failed.push(linePos(text, err.pos[0]), [], `YAML syntax error: ${err.message}`);
      return failed;
    }
    return new ScenarioSource(file, text, doc, doc.toJS({ maxAliasCount: 100 }));
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Reports a problem at the node `path` names (or at its key, for unknown keys), else its nearest ancestor. */
  error(path: Path, message: string, at: "value" | "key" = "value"): void {
    this.push(this.locate(path, at), path, message);
  }

  /** Reports every key of the object at `path` that is not in `allowed`, with a did-you-mean. */
  rejectUnknown(value: Record<string, unknown>, path: Path, allowed: readonly string[], where: string, reported: readonly string[] = []): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key) && !reported.includes(key)) this.error([...path, key], unknownKeyMessage(key, where, allowed), "key");
    }
  }

  /** 1-based line of the node at `path`. */
  lineOf(path: Path): number {
    return this.locate(path, "value").line;
  }

  /** 1-based line and column of the node at `path` (or its key), else of its nearest ancestor. */
  positionOf(path: Path, at: "value" | "key" = "value"): { line: number; column: number } {
    return this.locate(path, at);
  }

  private push(pos: { line: number; column: number }, path: Path, message: string): void {
    this.errors.push({ file: this.file, line: pos.line, column: pos.column, path: formatPath(path), message });
  }

  private locate(path: Path, at: "value" | "key"): { line: number; column: number } {
    let node: unknown = this.doc?.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        const valueStart = rangeStart(pair.value);
        // An empty value (`restartEngine:`) has no range of its own: point at its key.
        if (last && at === "key") offset = keyStart ?? offset;
        else offset = valueStart ?? keyStart ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item: unknown = node.items[seg];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return linePos(this.text, offset);
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}
