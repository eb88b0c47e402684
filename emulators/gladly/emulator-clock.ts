/**
 * The emulator's own time: it starts at `now` (default: the real time) and runs at the
 * real pace, in nanoseconds from a monotonic source, and tests may jump it forward.
 */
import { performance } from 'node:perf_hooks';
import { NS_PER_MS } from './rfc3339.ts';

export interface EmulatorClock {
  nowNs(): bigint;
  nowMs(): number;
  /** Moves time forward (never back). */
  advance(ms: number): void;
}

export function createEmulatorClock(start?: Date): EmulatorClock {
  const baseNs = BigInt(start?.getTime() ?? Date.now()) * NS_PER_MS;
  const t0 = performance.now();
  let offsetNs = 0n;
  const nowNs = (): bigint => baseNs + BigInt(Math.floor((performance.now() - t0) * 1e6)) + offsetNs;
  return {
    nowNs,
    nowMs: () => Number(nowNs() / NS_PER_MS),
    advance: (ms) => {
      if (ms > 0) offsetNs += BigInt(Math.round(ms * 1e6));
    },
  };
}
