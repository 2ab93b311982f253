import type { Argv } from "yargs";
import { startSqsrigServer } from "../server/index.js";
import type { CommandContext } from "./command-context.js";

export interface ServeArgs {
  port: number;
  host: string;
  backend: string;
  endpoint?: string;
  data?: string;
  "public-url"?: string;
}

/** Backends DESIGN "Backends" names that a later issue brings. */
const LATER_BACKENDS = new Set(["localstack", "aws"]);

/** `sqsrig serve`: emulator, engine and the /v1 API on one port, until SIGINT or SIGTERM. */
export function serveCommand(yargs: Argv, ctx: CommandContext) {
  return yargs.command<ServeArgs>(
    "serve",
    "Run the SQS emulator, the delivery engine and the /v1 API on one port",
    (y) =>
      y
        .option("port", { type: "number", default: 4590, describe: "Port to listen on (0 picks a free one)" })
        .option("host", { type: "string", default: "127.0.0.1", describe: "Address to bind" })
        .option("backend", {
          type: "string",
          default: "embedded",
          choices: ["embedded", "endpoint", "localstack", "aws"],
          describe: "Where the engine delivers: the embedded emulator or an SQS endpoint",
        })
        .option("endpoint", { type: "string", describe: "SQS endpoint URL for --backend endpoint (e.g. LocalStack)" })
        .option("data", { type: "string", describe: "Directory that keeps queues, the outbox, the DLQ and destinations across restarts" })
        .option("public-url", { type: "string", describe: "Base of the queue URLs handed out (e.g. http://sqsrig:4590 from containers)" }) as Argv<ServeArgs>,
    async (args) => {
      if (LATER_BACKENDS.has(args.backend)) {
        console.error(`sqsrig: backend '${args.backend}' is not available yet (issue 7); use embedded or endpoint.`);
        return ctx.setExitCode(2);
      }
      if (args.backend === "endpoint" && !args.endpoint) {
        console.error("sqsrig: --backend endpoint needs --endpoint URL.");
        return ctx.setExitCode(2);
      }
      if (args.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(args.endpoint)) {
        console.error(`sqsrig: --endpoint must be an http(s) URL, got '${args.endpoint}'.`);
        return ctx.setExitCode(2);
      }
      const server = await startSqsrigServer({
        port: args.port,
        host: args.host,
        backend: args.backend === "endpoint" ? "endpoint" : "embedded",
        ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}),
        ...(args.data !== undefined ? { dataDir: args.data } : {}),
        ...(args["public-url"] !== undefined ? { publicUrl: args["public-url"] } : {}),
      });
      console.log(`sqsrig ready ${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
    },
  );
}
