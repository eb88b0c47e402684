/**
 * When things happen: instants spread over a period with a growth trend (recent months
 * busier than old ones) and a weekly rhythm (office hours and weekdays busier), which is
 * what makes "last 7 days" non-empty and a busiest-hours heatmap worth looking at.
 */
import type { Prng } from '../../shared/prng.ts';

const HOUR_WEIGHT = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.35, 0.6, 0.85, 1, 1, 0.95, 0.85, 0.95, 1, 1, 0.95, 0.85, 0.7, 0.55, 0.45, 0.35, 0.25, 0.2,
];
const DAY_WEIGHT = [0.35, 1, 1, 0.95, 0.95, 0.85, 0.4]; // Sunday first, as getUTCDay()

/** Weight in (0, 1] of an instant in the weekly rhythm (UTC). */
export function rhythmWeight(ms: number): number {
  const d = new Date(ms);
  return HOUR_WEIGHT[d.getUTCHours()] * DAY_WEIGHT[d.getUTCDay()];
}

/** `n` instants in [start, end], sorted ascending, whole milliseconds. */
export function sampleInstants(rng: Prng, n: number, start: number, end: number, growth = 1.5): Float64Array {
  const out = new Float64Array(n);
  const span = end - start;
  for (let k = 0; k < n; k++) {
    for (let tries = 0; ; tries++) {
      // Inverse CDF of the density 1 + growth*x on [0, 1].
      const u = rng.next();
      const x = growth > 0 ? (-1 + Math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth : u;
      const ms = Math.floor(start + x * span);
      if (tries > 20 || rng.next() < rhythmWeight(ms)) {
        out[k] = ms;
        break;
      }
    }
  }
  return out.sort();
}
