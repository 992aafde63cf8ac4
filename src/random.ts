/**
 * The mulberry32 step: a function returning uniform 32-bit draws as floats in [0, 1).
 * Integer arithmetic only, so the same seed gives the same sequence on every machine and
 * Node version (which `Math.random` does not promise). Every seeded draw in Precog — the
 * synthetic league, training-row shuffles, benchmark data — comes from here.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
