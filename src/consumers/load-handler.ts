import { stat } from "node:fs/promises";
import { findSourceMap } from "node:module";
import { extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ConsumerHandler } from "./types.js";

/** Why a handler module could not be used; a stable token callers can switch on. */
export type HandlerLoadFailure = "notFound" | "unsupportedExtension" | "noFunction" | "syntaxError" | "importFailed";

/**
 * A handler module that cannot run. Raised while a run is being set up, so a typo in a path or a module
 * that throws at import is reported before any message is received (and so before any is lost to it).
 */
export class HandlerLoadError extends Error {
  override readonly name = "HandlerLoadError";

  constructor(
    /** The absolute path of the module. */
    readonly file: string,
    readonly failure: HandlerLoadFailure,
    message: string,
    /** Line of the module the failure points at, when the error said so. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface LoadHandlerOptions {
  /**
   * The export to use. @default `handler` if the module exports such a function (Lambda's
   * `index.handler` convention), else the default export
   */
  exportName?: string;
  /** Directory a relative `path` is resolved against (a scenario file's folder). @default process.cwd() */
  baseDir?: string;
}

const EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/**
 * Loads a user's handler module — `.ts`, `.mts`, `.js` or `.mjs`, TypeScript compiled on the fly by
 * tsx (no build step) — and returns its handler function.
 *
 * @example
 * const handler = await loadHandler("./consumers/orders.ts");
 * await handler({ Records: [record] }, { consumer: "lambda", name: "orders", now: clock.now() });
 */
export async function loadHandler(path: string, options: LoadHandlerOptions = {}): Promise<ConsumerHandler> {
  const file = isAbsolute(path) ? path : resolve(options.baseDir ?? process.cwd(), path);
  const ext = extname(file).toLowerCase();
  if (!EXTENSIONS.has(ext)) {
    throw new HandlerLoadError(file, "unsupportedExtension", `Handler module ${file}: unsupported file type '${ext || "(none)"}'; use .ts, .mts, .js or .mjs.`);
  }
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) {
    throw new HandlerLoadError(file, "notFound", `Handler module ${file} does not exist${found ? " (it is a directory)" : ""}.`);
  }

  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (err) {
    throw importError(file, err);
  }
  return pickHandler(file, module, options.exportName);
}

/**
 * Imports through tsx for every extension: TypeScript needs it, and JavaScript then goes through the
 * same native Node loader (not a test runner's module graph), so a `.js` handler may import `.ts`
 * helpers and every kind of module fails the same way. tsImport keeps its hooks to this one import (a
 * namespace), so the rest of the process is not compiled by tsx; each call gets a fresh module instance.
 */
async function importModule(file: string): Promise<Record<string, unknown>> {
  // Loaded lazily: esbuild starts only when a run uses a handler module.
  const { tsImport } = await import("tsx/esm/api");
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
}

function pickHandler(file: string, module: Record<string, unknown>, exportName: string | undefined): ConsumerHandler {
  // A module compiled as CommonJS (a .ts outside a `"type": "module"` package) arrives as
  // `{ default: module.exports }` with esbuild's `__esModule` mark; its exports are one level down.
  const inner = module.default;
  const cjs = typeof inner === "object" && inner !== null && (inner as { __esModule?: unknown }).__esModule === true ? (inner as Record<string, unknown>) : undefined;
  const names = exportName !== undefined ? [exportName] : ["handler", "default"];
  for (const name of names) {
    for (const candidate of [module[name], cjs?.[name]]) {
      if (typeof candidate === "function") return candidate as ConsumerHandler;
    }
  }
  const wanted = exportName !== undefined ? `an export named '${exportName}' that is a function` : "a default export or an export named 'handler' that is a function";
  throw new HandlerLoadError(file, "noFunction", `Handler module ${file} does not export a function: expected ${wanted}; ${describeExports(module, cjs)}.`);
}

function describeExports(module: Record<string, unknown>, cjs: Record<string, unknown> | undefined): string {
  const entries = Object.entries(cjs ?? module).filter(([name]) => name !== "__esModule");
  if (entries.length === 0) return "it exports nothing";
  return `it exports ${entries.map(([name, value]) => `${name} (${value === null ? "null" : typeof value})`).join(", ")}`;
}

function importError(file: string, err: unknown): HandlerLoadError {
  const error = err instanceof Error ? err : new Error(String(err));
  // esbuild (under tsx) reports `Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: <text>`.
  const esbuild = /:(\d+):(\d+): ERROR: (.+)/.exec(error.message);
  if (error.name === "TransformError" || esbuild) {
    const line = esbuild ? Number(esbuild[1]) : undefined;
    const where = esbuild ? ` at line ${esbuild[1]}, column ${esbuild[2]}` : "";
    const text = esbuild?.[3] ?? error.message;
    return new HandlerLoadError(file, "syntaxError", `Handler module ${file} has a syntax error${where}: ${text}`, line, { cause: err });
  }
  const line = lineOf(error, file);
  const at = line !== undefined ? ` (line ${line})` : "";
  if (error.name === "SyntaxError") {
    return new HandlerLoadError(file, "syntaxError", `Handler module ${file} has a syntax error${at}: ${error.message}`, line, { cause: err });
  }
  return new HandlerLoadError(file, "importFailed", `Handler module ${file} threw while being imported${at}: ${error.message}`, line, { cause: err });
}

/**
 * The line of `file` in the error's stack. Node maps a frame to the TypeScript source itself when source
 * maps are on; a frame still on tsx's compiled URL (`…ts?tsx-namespace=…:1:27`) is mapped here through
 * the source map tsx registered, or left out rather than reported wrong.
 */
function lineOf(error: Error, file: string): number | undefined {
  const text = error.stack ?? "";
  for (const prefix of [pathToFileURL(file).href, file]) {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(`(${escaped})(\\?[^:\\s]*)?:(\\d+):(\\d+)`).exec(text);
    if (!m) continue;
    const [, base, query, line, column] = m;
    if (!query) return Number(line);
    const entry = findSourceMap(`${base}${query}`)?.findEntry(Number(line) - 1, Number(column) - 1);
    return entry && "originalLine" in entry ? entry.originalLine + 1 : undefined;
  }
  return undefined;
}
