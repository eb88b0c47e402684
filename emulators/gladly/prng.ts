/**
 * Deterministic randomness. `hash` gives random access (the same inputs always give the
 * same 32-bit value, so record N of job J can be rebuilt without generating 0..N-1);
 * `createRng` is the emulators' shared stream generator, seeded from such a hash.
 * Fixed arity on purpose: this runs millions of times when a large file is streamed.
 */
import { Prng } from '../shared/prng.ts';

function mixIn(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of up to five non-negative integers (each below 2^32). */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = 0x2f6b1a3d;
  h = mixIn(h, a | 0);
  h = mixIn(h, b | 0);
  h = mixIn(h, c | 0);
  h = mixIn(h, d | 0);
  h = mixIn(h, e | 0);
  return finish(h ^ 20);
}

/** The emulators' shared generator (mulberry32), under the name this emulator uses. */
export type Rng = Prng;
export const createRng = (seed: number): Rng => new Prng(seed);

/** Distinct integers drawn from [0, n), at most `count` of them, in draw order. */
export function sample(rng: Rng, n: number, count: number): number[] {
  const k = Math.min(n, count);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(0, n - 1));
  return [...chosen];
}
