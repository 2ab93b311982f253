/**
 * A consumer option AWS would refuse (or that cannot work), raised before the consumer starts. `field`
 * is the option's path (`batchSize`, `filter[0].body.price`), so a scenario file can point at it.
 */
export class ConsumerConfigError extends Error {
  override readonly name = "ConsumerConfigError";

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
