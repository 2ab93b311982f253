import type { Clock } from "../clock/index.js";
import type { InvocationOutcome } from "./batch-response.js";

/**
 * Runs one invocation the way Lambda bounds it: a handler still running after `timeoutSeconds` (on the
 * clock) fails with "Task timed out after N.NN seconds" (Lambda Developer Guide, "Configure Lambda
 * function timeout"). A synchronous throw and a rejection both become `threw`. The handler itself
 * cannot be stopped; what it does after its timeout no longer counts.
 *
 * @example
 * const outcome = await invokeWithTimeout(() => handler(event, context), clock, 3);
 */
export async function invokeWithTimeout(call: () => unknown, clock: Clock, timeoutSeconds: number | undefined): Promise<InvocationOutcome> {
  let timer: { cancel(): void } | undefined;
  try {
    const run = Promise.resolve().then(call);
    // A handler still running after its timeout may reject later; that must not surface as unhandled.
    run.catch(() => undefined);
    if (timeoutSeconds === undefined) return { kind: "returned", value: await run };
    const timedOut = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(() => reject(new Error(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`)), timeoutSeconds * 1000);
    });
    return { kind: "returned", value: await Promise.race([run, timedOut]) };
  } catch (error) {
    return { kind: "threw", error };
  } finally {
    timer?.cancel();
  }
}
