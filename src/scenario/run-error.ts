/**
 * A scenario that cannot run as written (a handler module missing, an option AWS would refuse, a queue
 * the backend would not create): the run reports it as an error (exit 2) at `line` of the scenario file.
 */
export class ScenarioRunError extends Error {
  override readonly name = "ScenarioRunError";

  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
