/**
 * clock — every timer in sqsrig goes through a `Clock`. The real clock follows the wall; the virtual
 * clock runs scenarios and tests at any speed and stays deterministic in `manual` mode.
 */
export type { Clock, TimerHandle } from "./clock.js";
export { createRealClock } from "./clock.js";
export { VirtualClock, realWorkPending } from "./virtual-clock.js";
export type { TimeScale, VirtualClockOptions } from "./virtual-clock.js";
export { parseDuration } from "./duration.js";
export { createSeededRandom } from "./random.js";
export { MinHeap } from "./min-heap.js";
