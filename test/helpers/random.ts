// Seeded randomness for the reference tests: every run draws a new seed and
// names it in the test titles; LIFEGRAPH_REF_SEED replays a failing run.
import { randomInt } from "node:crypto";

export const SEED = process.env.LIFEGRAPH_REF_SEED ? Number(process.env.LIFEGRAPH_REF_SEED) >>> 0 : randomInt(0, 2 ** 32);

/** mulberry32: a small, fast PRNG whose whole state is one 32-bit seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const rand = mulberry32(SEED);
export const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
export function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
