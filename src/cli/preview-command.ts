import { readFile } from "node:fs/promises";
import type { Argv } from "yargs";
import { createRealClock } from "../clock/index.js";
import { buildPreview, compileDestination, createCredentialsProvider, createSqsQueueClient, formatPreview, validateEvent } from "../engine/index.js";
import type { CanonicalEvent, FieldError, PreviewReport, SqsDestination } from "../engine/index.js";
import { parseJsonText } from "../server/index.js";
import type { CommandContext } from "./command-context.js";

export interface PreviewArgs {
  destination: string;
  event?: string;
  json: boolean;
  endpoint?: string;
  "sts-endpoint"?: string;
}

/** A lookup that cannot answer within this is reported as "queue not read", not waited on. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** Bad input: the message names the file (and field); exit 2. */
class InputError extends Error {}

/**
 * `sqsrig preview --destination FILE [EVENT_FILE|-]`: the exact entry the engine would send and every
 * reason real AWS would refuse it (DESIGN "Contracts"). Exit 0 when AWS would accept it, 1 when it
 * would be rejected, 2 for unreadable or invalid input.
 */
export function previewCommand(yargs: Argv, ctx: CommandContext) {
  return yargs.command<PreviewArgs>(
    "preview [event]",
    "Show the SQS entry the engine would send for an event, and whether AWS would accept it",
    (y) =>
      y
        .positional("event", { type: "string", describe: "Event JSON file; '-' or omitted reads stdin" })
        .option("destination", { type: "string", demandOption: true, describe: "Destination config file (JSON)" })
        .option("json", { type: "boolean", default: false, describe: "Print the report as JSON" })
        .option("endpoint", { type: "string", describe: "SQS endpoint for the queue lookup (default: from the queue URL)" })
        .option("sts-endpoint", { type: "string", describe: "STS endpoint for ASSUME_ROLE destinations" }) as Argv<PreviewArgs>,
    async (args) => {
      let destination: SqsDestination;
      let event: CanonicalEvent;
      try {
        destination = await loadDestination(args.destination);
        event = await loadEvent(args.event);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        console.error(err.message);
        return ctx.setExitCode(2);
      }
      const queue = await lookUpQueue(destination, args.endpoint, args["sts-endpoint"]);
      const report = buildPreview(event, destination, queue);
      process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatPreview(report));
      ctx.setExitCode(report.wouldReject ? 1 : 0);
    },
  );
}

async function loadDestination(file: string): Promise<SqsDestination> {
  if (/\.ya?ml$/i.test(file)) throw new InputError(`sqsrig: ${file}: YAML destination files are not supported yet; write the destination as JSON.`);
  const compiled = compileDestination(await readJsonFile(file));
  if (!compiled.ok) throw new InputError(fieldErrors(file, "destination", compiled.errors));
  return compiled.destination;
}

async function loadEvent(file: string | undefined): Promise<CanonicalEvent> {
  // yargs hands a bare `-` positional over as "".
  const fromStdin = file === undefined || file === "-" || file === "";
  const value = fromStdin ? parseOrThrow("<stdin>", await readStdin()) : await readJsonFile(file);
  const name = fromStdin ? "<stdin>" : file;
  if (Array.isArray(value)) throw new InputError(`sqsrig: ${name}: preview takes one event (a JSON object), not an array.`);
  const check = validateEvent(value);
  if (!check.ok) throw new InputError(fieldErrors(name, "event", check.errors));
  return check.event;
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`sqsrig: ${file}: cannot read the file${code ? ` (${code})` : ""}.`);
  }
  return parseOrThrow(file, text);
}

function parseOrThrow(name: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new InputError(`sqsrig: ${name}: the file is empty.`);
  const parsed = parseJsonText(body);
  if (!parsed.ok) throw new InputError(`sqsrig: ${name}:${parsed.line}:${parsed.column}: ${parsed.message}`);
  return parsed.value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

function fieldErrors(file: string, what: string, errors: FieldError[]): string {
  const lines = errors.map((e) => `  ${e.field || "(whole " + what + ")"}: ${e.message}`);
  return [`sqsrig: ${file}: the ${what} is invalid:`, ...lines].join("\n");
}

/** GetQueueAttributes through the real SDK with the destination's credentials; a failure becomes the report's reason. */
async function lookUpQueue(destination: SqsDestination, endpoint: string | undefined, stsEndpoint: string | undefined): Promise<PreviewReport["queue"]> {
  const credentials = createCredentialsProvider(destination.auth, {
    clock: createRealClock(),
    region: destination.region,
    ...(stsEndpoint !== undefined ? { stsEndpoint } : {}),
  });
  const client = createSqsQueueClient(destination, {
    credentials,
    ...(endpoint !== undefined ? { endpoint } : {}),
    requestTimeoutMs: LOOKUP_TIMEOUT_MS,
  });
  try {
    return { ok: true, info: await client.getQueueInfo() };
  } catch (err) {
    const failure = (err as { failure?: { code?: string } }).failure;
    return { ok: false, ...(failure?.code !== undefined ? { code: failure.code } : {}), message: err instanceof Error ? err.message : String(err) };
  } finally {
    client.close();
    credentials.close();
  }
}
