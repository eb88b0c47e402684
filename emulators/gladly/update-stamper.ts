/**
 * Chooses job `updatedAt` instants. Each gets a random precision (0 to 9 fractional
 * digits, as Go prints them), which is what makes text order and instant order disagree
 * within a second. Live updates are never later than the emulator clock (so a listing up
 * to "now" includes them) and always later than every earlier update (so a client's
 * cursor moves forward).
 */
import type { EmulatorClock } from './emulator-clock.ts';
import type { Rng } from './prng.ts';
import { msToNs, truncateNs } from './rfc3339.ts';

/** Fraction lengths, weighted. */
const DIGITS = [0, 1, 2, 3, 3, 3, 6, 6, 7, 8, 8, 9, 9];

export interface UpdateStamper {
  /** A past update at about `ms`, not ordered against others. */
  historic(ms: number): bigint;
  /** An update happening now. */
  now(): bigint;
  /** An update that became due at `atMs` (in the past) and is applied now. */
  due(atMs: number): bigint;
  /** Takes note of an update chosen elsewhere, so later ones come after it. */
  observe(ns: bigint): void;
}

export function createUpdateStamper(clock: EmulatorClock, rng: Rng): UpdateStamper {
  let lastNs = 0n;
  const accept = (v: bigint): bigint => {
    if (v > lastNs) lastNs = v;
    return v;
  };
  /** `target` cut to a random precision, finer if needed to stay after every earlier update. */
  const after = (target: bigint): bigint | null => {
    const first = rng.pick(DIGITS);
    for (const d of [first, 3, 6, 8, 9]) {
      if (d < first) continue;
      const v = truncateNs(target, d);
      if (v > lastNs) return accept(v);
    }
    return null;
  };
  return {
    historic: (ms) => accept(truncateNs(msToNs(ms) + BigInt(rng.int(0, 999_999)), rng.pick(DIGITS))),
    now() {
      for (;;) {
        const v = after(clock.nowNs());
        if (v !== null) return v;
        clock.advance(1); // two updates in one instant: let emulator time move on
      }
    },
    due(atMs) {
      const now = clock.nowNs();
      const target = msToNs(atMs) + BigInt(rng.int(0, 999_999));
      return after(target < now ? target : now) ?? accept(lastNs + 1n);
    },
    observe: (ns) => void accept(ns),
  };
}
