/** The Gladly export API emulator: start it, and parse its CLI flags. */
export { startGladlyEmulator, GLADLY_ROUTES } from './start-gladly-emulator.ts';
export type { GladlyEmulator, GladlyEmulatorOptions } from './start-gladly-emulator.ts';
export { parseFaults, validateFaults, FAULT_KEYS } from './faults.ts';
export type { FaultSpec } from './faults.ts';
export { parseRateLimit, DEFAULT_RATE_LIMIT } from './rate-limiter.ts';
export type { RateLimit } from './rate-limiter.ts';
export { CONTENT_TYPES } from './conversation-item.ts';
export type { ContentType } from './conversation-item.ts';
export { EXPORT_FILES } from './job-plan.ts';
export type { JobCounts, JobStatus } from './job-store.ts';
export type { EmulatorStats } from './test-hooks.ts';
export type { MutateResult } from './mutate.ts';
export { parseGladlyFlags } from './parse-gladly-flags.ts';
export type { GladlyFlagValues } from './parse-gladly-flags.ts';
