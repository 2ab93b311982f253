import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { HandlerLoadError, loadHandler } from "../../src/consumers/load-handler.js";
import type { HandlerContext, SqsEvent } from "../../src/consumers/types.js";
import { useTempDirs } from "../support/temp-dirs.js";

/**
 * Loading a user's handler module. AWS Lambda Developer Guide, "Define Lambda function handler in
 * Node.js": the handler is an exported function named by the handler setting (`index.handler`), and
 * the module may be CommonJS or an ES module (.mjs); "Building Lambda functions with TypeScript":
 * Lambda runs only JavaScript, so TypeScript is compiled first — here tsx does it on load, without a
 * separate build step. A module that cannot run is refused at setup (DESIGN "Consumers", issue 6).
 */
const FIXTURES = resolve(import.meta.dirname, "../fixtures/handlers");
const makeDir = useTempDirs("handlers");
const event: SqsEvent = { Records: [{ messageId: "m-1" } as SqsEvent["Records"][number], { messageId: "m-2" } as SqsEvent["Records"][number]] };
const context: HandlerContext = { consumer: "lambda", name: "orders", now: 0 };

async function loadError(path: string, options?: Parameters<typeof loadHandler>[1]): Promise<HandlerLoadError> {
  const err: unknown = await loadHandler(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HandlerLoadError);
  return err as HandlerLoadError;
}

describe("loadHandler: modules that load", () => {
  it("compiles a .ts module and uses its default export", async () => {
    const handler = await loadHandler(join(FIXTURES, "ts-default.ts"));
    expect(await handler(event, context)).toEqual({ kind: "ts-default", ids: ["m-1", "m-2"] });
  });

  it("uses a named `handler` export of an .mts module, not a non-function default", async () => {
    const handler = await loadHandler("ts-named.mts", { baseDir: FIXTURES });
    expect(await handler(event, context)).toEqual({ kind: "ts-named", count: 2 });
  });

  it("imports a .js module with a default export", async () => {
    const handler = await loadHandler(join(FIXTURES, "plain.js"));
    expect(await handler(event, context)).toEqual({ kind: "plain-js", count: 2 });
  });

  it("imports an .mjs module with a named handler", async () => {
    const handler = await loadHandler(join(FIXTURES, "plain.mjs"));
    expect(await handler(event, context)).toEqual({ kind: "plain-mjs" });
  });

  it("prefers `handler` over the default export, and takes exportName when given", async () => {
    expect(await (await loadHandler(join(FIXTURES, "other-export.ts")))(event, context)).toBe("handler");
    const chosen = await loadHandler(join(FIXTURES, "other-export.ts"), { exportName: "processOrders" });
    expect(await chosen(event, context)).toBe("processOrders");
  });

  it("loads a .ts module outside an ES-module package (compiled as CommonJS)", async () => {
    const dir = makeDir();
    const file = join(dir, "cjs-handler.ts");
    await writeFile(file, "export default function (e: { Records: unknown[] }): number { return e.Records.length; }\n");
    expect(await (await loadHandler(file))(event, context)).toBe(2);
  });
});

describe("loadHandler: modules that cannot run are refused with a clear error", () => {
  it("a module that does not exist", async () => {
    const err = await loadError(join(FIXTURES, "missing-handler.ts"));
    expect(err.failure).toBe("notFound");
    expect(err.file).toBe(join(FIXTURES, "missing-handler.ts"));
    expect(err.message).toBe(`Handler module ${join(FIXTURES, "missing-handler.ts")} does not exist.`);
  });

  it("a file type that is not a module", async () => {
    const err = await loadError(join(FIXTURES, "handler.py"));
    expect(err.failure).toBe("unsupportedExtension");
    expect(err.message).toContain("unsupported file type '.py'; use .ts, .mts, .js or .mjs");
  });

  it("a module that exports no function lists what it does export", async () => {
    const file = join(FIXTURES, "no-function.ts");
    const err = await loadError(file);
    expect(err.failure).toBe("noFunction");
    expect(err.message).toBe(
      `Handler module ${file} does not export a function: expected a default export or an export named 'handler' that is a function; ` +
        "it exports default (object), handler (string), retries (number).",
    );
  });

  it("an exportName that is not there", async () => {
    const err = await loadError(join(FIXTURES, "other-export.ts"), { exportName: "consume" });
    expect(err.failure).toBe("noFunction");
    expect(err.message).toContain("expected an export named 'consume' that is a function; it exports handler (function), processOrders (function)");
  });

  it("a module that throws at import, with the original message and line", async () => {
    const file = join(FIXTURES, "throws-at-import.ts");
    const err = await loadError(file);
    expect(err.failure).toBe("importFailed");
    expect(err.line).toBe(5);
    expect(err.message).toBe(`Handler module ${file} threw while being imported (line 5): ORDERS_TABLE is not set (region undefined)`);
    expect((err.cause as Error).message).toBe("ORDERS_TABLE is not set (region undefined)");
  });

  it("a TypeScript module with a syntax error, with line and column", async () => {
    const dir = makeDir();
    const file = join(dir, "broken.ts");
    await writeFile(file, "export const handler = (event: unknown) => {\n  return event as ;\n};\n");
    const err = await loadError(file);
    expect(err.failure).toBe("syntaxError");
    expect(err.line).toBe(2);
    expect(err.message).toMatch(new RegExp(`^Handler module ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} has a syntax error at line 2, column \\d+: Unexpected ";"`));
  });

  it("a JavaScript module with a syntax error", async () => {
    const dir = makeDir();
    const file = join(dir, "broken.mjs");
    await writeFile(file, "export function handler() {\n  return {;\n}\n");
    const err = await loadError(file);
    expect(err.failure).toBe("syntaxError");
    expect(err.message).toBe(`Handler module ${file} has a syntax error: Unexpected token ';'`);
  });
});
