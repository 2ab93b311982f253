/**
 * A seeded PRNG (mulberry32): backoff jitter, fault probabilities and any other chance go through one of these so a
 * run with `--seed N` replays exactly (STYLE "Time and chance"). Returns floats in [0, 1).
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
