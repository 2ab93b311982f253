/**
 * cli — the `sqsrig` command. One file per command; `main` wires them and returns the exit code:
 * 0 success, 1 a check failed, 2 bad input or infrastructure error.
 */
import yargs from "yargs";
import type { CommandContext } from "./command-context.js";
import { emulatorCommand } from "./emulator-command.js";
import { initCommand } from "./init-command.js";
import { previewCommand } from "./preview-command.js";
import { runCommand } from "./run-command.js";
import { serveCommand } from "./serve-command.js";
import { validateCommand } from "./validate-command.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName("sqsrig")
    .strict()
    .demandCommand(1, "Name a command: run, validate, init, serve, emulator, preview")
    .fail((message, err, y) => {
      if (err) throw err;
      console.error(y.help() && message);
      exitCode = 2;
    })
    .help();
  const ctx: CommandContext = { setExitCode: (code) => void (exitCode = code) };
  runCommand(cli, ctx);
  emulatorCommand(cli);
  serveCommand(cli, ctx);
  previewCommand(cli, ctx);
  validateCommand(cli, ctx);
  initCommand(cli, ctx);
  await cli.parseAsync();
  return exitCode;
}
