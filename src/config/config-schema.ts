/**
 * The config file's schema. Everything is validated before any work starts; each problem
 * names its key (`sources[0].schedule`) and the expected form. Source-specific `config:`
 * blocks are validated by the source's own schema (see load-config.ts).
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { DURATION_FORM, parseDuration } from '../core/duration.ts';
import { SYNC_TYPES } from '../sources/source.ts';

const IDENT_FORM = 'letters, digits and underscores, starting with a letter or underscore';
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, `expected ${IDENT_FORM}`);

const CRON_FORM = 'expected a cron expression with 5 or 6 fields, e.g. "0 * * * *" (every hour)';
const cron = z.string({ error: CRON_FORM }).refine(
  (expr) => {
    try {
      new Cron(expr, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  },
  { message: CRON_FORM },
);

const duration = z.string({ error: `expected ${DURATION_FORM}` }).refine((text) => parseDuration(text) !== undefined, {
  message: `expected ${DURATION_FORM}`,
});

export const streamOptionsSchema = z.strictObject({
  syncType: z.enum(SYNC_TYPES as [string, ...string[]], { error: `expected ${SYNC_TYPES.join(' or ')} (in capitals)` }).optional(),
  table: identifier.optional(),
});

export const sourceEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected lowercase letters, digits, - or _, starting with a letter'),
  type: z.string(),
  description: z.string().max(140, 'expected at most 140 characters').optional(),
  config: z.record(z.string(), z.unknown()),
  layer: identifier.default('raw'),
  folder: identifier.optional(),
  tablePrefix: z.union([z.literal(''), identifier]).default(''),
  schedule: cron.optional(),
  fullSyncSchedule: cron.optional(),
  retention: duration.optional(),
  /**
   * Streams to sync: a map of stream name or glob to options, or a plain list of names and
   * globs. Omitted = every stream with its default sync type.
   */
  streams: z
    .union([z.array(z.string()), z.record(z.string(), z.union([streamOptionsSchema, z.null()]))], {
      error: (issue) => (Array.isArray(issue.input) || (issue.input !== null && typeof issue.input === 'object')
        ? undefined // a list or a map with a bad entry: the entry's own message says more
        : 'expected a map of stream names (or globs) to { syncType, table }, or a list of stream names; leave `streams:` out for every stream'),
    })
    .optional(),
});

export const destinationEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected lowercase letters, digits, - or _, starting with a letter'),
  type: z.string(),
  description: z.string().max(140, 'expected at most 140 characters').optional(),
  config: z.record(z.string(), z.unknown()),
  mappings: z.array(z.record(z.string(), z.unknown())).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

export const warehouseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('duckdb'),
    path: z.string().min(1).default('./supportsync.duckdb'),
    /** DuckDB's memory budget (its memory_limit): raise it for heavy queries. */
    memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(MB|MiB|GB|GiB|TB|TiB)$/i, 'expected a size such as 512MB or 2GB').optional(),
    /** DuckDB's worker threads (default: one per core, less one while syncing). */
    threads: z.number({ error: 'expected a whole number of threads, 1 or more' }).int('expected a whole number of threads, 1 or more')
      .min(1, 'expected a whole number of threads, 1 or more').optional(),
  }),
  z.strictObject({ type: z.literal('postgres'), url: z.string().min(1) }),
], { error: (issue) => (issue.code === 'invalid_union' ? 'expected type: duckdb (or postgres)' : undefined) });

export const configSchema = z.strictObject({
  warehouse: warehouseSchema.default({ type: 'duckdb', path: './supportsync.duckdb' }),
  sources: z.array(sourceEntrySchema).default([]),
  destinations: z.array(destinationEntrySchema).default([]),
  intake: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8787),
      writeKeys: z.array(z.string().min(1)).min(1, 'expected at least one write key'),
      /** Duplicates by messageId are dropped within this window ("24h"; "0" turns it off). */
      dedupeWindow: z.union([z.literal('0'), z.literal(0), duration]).optional(),
    })
    .optional(),
  /** Where the event queue and other local state live (default: next to the config file). */
  dataDir: z.string().optional(),
});

export type SupportSyncConfig = z.infer<typeof configSchema>;
export type SourceEntry = z.infer<typeof sourceEntrySchema>;
export type DestinationEntry = z.infer<typeof destinationEntrySchema>;
export type StreamOptions = z.infer<typeof streamOptionsSchema>;
export type WarehouseConfig = z.infer<typeof warehouseSchema>;
