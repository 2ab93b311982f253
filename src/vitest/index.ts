/**
 * sqsrig/vitest — the delivery guarantees as Vitest matchers, for tests written in code rather than YAML
 * (DESIGN "Layout": `sqsrig/vitest` for matchers). Importing this entry extends Vitest's `expect` and its
 * types; nothing else in sqsrig loads Vitest. Each matcher runs one scenario check (the same function a
 * scenario's `expect` runs) over a `Rig`, a `ScenarioRun` or `JournalRecord[]`, and `.not` inverts it.
 *
 * @example
 * import "sqsrig/vitest";
 * import { startRig } from "sqsrig";
 * const rig = await startRig({ … });
 * await rig.send(events);
 * await rig.settle();
 * expect(rig).toHaveNoLoss();
 * expect(rig).toPreserveFifoOrder();
 * expect(rig).toHaveDelivered(events.length);
 */
import { expect } from "vitest";
import { sqsrigMatchers, type SqsrigMatchers } from "./matchers.js";

export { sqsrigMatchers } from "./matchers.js";
export type { MatcherOutcome, SqsrigMatcherFns, SqsrigMatchers } from "./matchers.js";
export type { MatcherSubject } from "./subject.js";

// The one side effect this entry exists for (what `import "sqsrig/vitest"` promises).
expect.extend(sqsrigMatchers);

declare module "vitest" {
  // `T = any` repeats vitest's own declaration: interfaces merge only with identical type parameters.
  // Assertion rather than Matchers (vitest ≥ 3.2): its shape is the same in vitest 3 and 4.
  interface Assertion<T = any> extends SqsrigMatchers<void> {}
  // `expect.toHaveDelivered(3)` inside toEqual: expect.extend registers the asymmetric forms too.
  interface AsymmetricMatchersContaining extends SqsrigMatchers {}
}
