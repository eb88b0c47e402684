/**
 * Gladly's export schedule: one per organization, HOURLY or DAILY. Window k covers
 * [k·period, (k+1)·period) in UTC. An hourly job is created about two hours after its
 * window ends; a daily one during the following night (01:00–04:00 UTC).
 */
import { hash } from './prng.ts';

export type ScheduleFrequency = 'hourly' | 'daily';

export interface ExportSchedule {
  frequency: 'HOURLY' | 'DAILY';
  periodMs: number;
  /** Window index that contains `ms`. */
  windowAt(ms: number): number;
  windowStartMs(k: number): number;
  /** When the job for window k appears (PENDING); increasing in k. */
  createdAtMs(k: number): number;
  /** How long a historical job took from creation to completion. */
  runMs(k: number): number;
}

const HOUR = 3_600_000;

export function createExportSchedule(frequency: ScheduleFrequency, seed: number): ExportSchedule {
  const periodMs = frequency === 'daily' ? 24 * HOUR : HOUR;
  const jitter = (k: number, salt: number, range: number) => hash(seed, 31, k, salt) % range;
  return {
    frequency: frequency === 'daily' ? 'DAILY' : 'HOURLY',
    periodMs,
    windowAt: (ms) => Math.floor(ms / periodMs),
    windowStartMs: (k) => k * periodMs,
    createdAtMs: (k) =>
      frequency === 'daily'
        ? (k + 1) * periodMs + HOUR + jitter(k, 1, 3 * HOUR)
        : (k + 1) * periodMs + 2 * HOUR + jitter(k, 1, 10 * 60_000),
    runMs: (k) => (frequency === 'daily' ? 5 * 60_000 + jitter(k, 2, 40 * 60_000) : 60_000 + jitter(k, 2, 14 * 60_000)),
  };
}
