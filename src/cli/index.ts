/**
 * cli — the `sqsrig` command. One file per command; `main` wires them and returns the exit code:
 * 0 success, 1 a check failed, 2 bad input or infrastructure error.
 */
import yargs from "yargs";
import { emulatorCommand } from "./emulator-command.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName("sqsrig")
    .strict()
    .demandCommand(1, "Name a command: emulator")
    .fail((message, err, y) => {
      if (err) throw err;
      console.error(y.help() && message);
      exitCode = 2;
    })
    .help();
  emulatorCommand(cli);
  await cli.parseAsync();
  return exitCode;
}
