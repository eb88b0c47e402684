/** Where the event queue lives (the data directory) and how it is opened, from the config. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SupportSyncConfig } from '../config/config-schema.ts';
import { DURATION_FORM, parseDuration } from '../core/duration.ts';
import { ConfigError } from '../core/errors.ts';
import { describeFsError } from '../core/describe-fs-error.ts';
import type { EventQueue } from './queue/event-queue.ts';
import { DEFAULT_DEDUPE_WINDOW_MS, openLmdbQueue } from './queue/lmdb-queue.ts';

/** `<config dir>/.supportsync` unless the config says otherwise. */
export function resolveDataDir(config: Pick<SupportSyncConfig, 'dataDir'>, baseDir = process.cwd()): string {
  return resolve(baseDir, config.dataDir ?? '.supportsync');
}

/** Creates the data directory when missing; one that cannot be created is a config error naming `dataDir`. */
export function ensureDataDir(config: Pick<SupportSyncConfig, 'dataDir'>, baseDir?: string): string {
  const dataDir = resolveDataDir(config, baseDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new ConfigError('dataDir', `cannot create the data directory "${dataDir}": ${describeFsError(err)}; expected a writable directory (default: .supportsync next to the config file)`);
  }
  return dataDir;
}

/** `intake.dedupeWindow` ("24h"; 0 turns de-duplication off), default 24 h. */
export function dedupeWindowMs(config: Pick<SupportSyncConfig, 'intake'>): number {
  const raw = (config.intake as Record<string, unknown> | undefined)?.dedupeWindow;
  if (raw === undefined) return DEFAULT_DEDUPE_WINDOW_MS;
  if (raw === 0 || raw === '0' || raw === '0s') return 0;
  const ms = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (ms === undefined) throw new ConfigError('intake.dedupeWindow', `expected ${DURATION_FORM}, or 0 to turn de-duplication off`);
  return ms;
}

/** Opens the queue of the config's data directory (`<dataDir>/queue`). */
export function openEventQueue(config: Pick<SupportSyncConfig, 'dataDir' | 'intake'>, baseDir?: string): { queue: EventQueue; dataDir: string } {
  const dataDir = resolveDataDir(config, baseDir);
  return { queue: openLmdbQueue(join(dataDir, 'queue'), { dedupeWindowMs: dedupeWindowMs(config) }), dataDir };
}
