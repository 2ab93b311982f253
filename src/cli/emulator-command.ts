import type { Argv } from "yargs";
import { startEmulatorServer } from "../emulator/index.js";

export interface EmulatorArgs {
  port: number;
  host: string;
  data?: string;
  "public-url"?: string;
}

/** `sqsrig emulator`: the SQS emulator alone, until SIGINT or SIGTERM. */
export function emulatorCommand(yargs: Argv) {
  return yargs.command<EmulatorArgs>(
    "emulator",
    "Run the SQS emulator alone",
    (y) =>
      y
        .option("port", { type: "number", default: 4590, describe: "Port to listen on (0 picks a free one)" })
        .option("host", { type: "string", default: "127.0.0.1", describe: "Address to bind" })
        .option("data", { type: "string", describe: "Directory that keeps queues and messages across restarts" })
        .option("public-url", { type: "string", describe: "Base of the queue URLs handed out (e.g. http://sqsrig:4590 from containers)" }) as Argv<EmulatorArgs>,
    async (args) => {
      const server = await startEmulatorServer({ port: args.port, host: args.host, publicUrl: args["public-url"], dataDir: args.data });
      console.log(`sqsrig ready ${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
    },
  );
}
