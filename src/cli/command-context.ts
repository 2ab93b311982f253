/** What a command can tell `main` besides printing: the exit code (0 ok, 1 a check failed, 2 bad input). */
export interface CommandContext {
  setExitCode(code: number): void;
}
