/**
 * Deterministic randomness. `hash` gives random access (the same inputs always give the
 * same 32-bit value, so record N of job J can be rebuilt without generating 0..N-1);
 * `createRng` is a small stream generator (mulberry32) seeded from such a hash.
 * Fixed arity on purpose: this runs millions of times when a large file is streamed.
 */
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

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** The next raw 32-bit value, for seeding another generator. */
  uint32(): number;
}

/** mulberry32. A class, not closures: one is made per generated record. */
class Mulberry32 implements Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }
  next(): number {
    return this.uint32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

export const createRng = (seed: number): Rng => new Mulberry32(seed);

/** Distinct integers drawn from [0, n), at most `count` of them, in draw order. */
export function sample(rng: Rng, n: number, count: number): number[] {
  const k = Math.min(n, count);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(n));
  return [...chosen];
}
