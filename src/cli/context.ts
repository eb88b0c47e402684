/** What most commands do first: load the config and open the warehouse it names. */
import { loadConfig, loadWarehouseConfig, noSourceNamed, selectSources, type ConfigScope, type LoadedConfig, type ResolvedSource } from '../config/load-config.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { builtinSources } from '../sources/registry.ts';
import { openExistingWarehouse, openWarehouse } from '../warehouse/open-warehouse.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { UsageError } from '../core/errors.ts';

export interface CommonOptions {
  config?: string;
  source?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Loads `--config FILE`; `scope`: the parts the command uses (see ConfigScope; default all). */
export function requireConfig(opts: CommonOptions, scope?: ConfigScope): LoadedConfig {
  if (!opts.config) throw new UsageError('--config FILE is required (create one with `supportsync init`)');
  return loadConfig(opts.config, builtinSources, process.env, scope);
}

export function pickSources(loaded: LoadedConfig, name?: string): ResolvedSource[] {
  return selectSources(loaded, name);
}

/**
 * The log on stderr: every step with `--verbose`, else SUPPORTSYNC_LOG_LEVEL, else warnings
 * and errors for one-shot commands (their summary is on stdout) and `info` for a service.
 */
export function cliLogger(opts: CommonOptions, service = false): Logger {
  const level = opts.verbose ? 'debug' : process.env.SUPPORTSYNC_LOG_LEVEL ? undefined : service ? 'info' : 'warn';
  return createLogger({ level, timestamps: service });
}

/** Runs `fn` with the config's warehouse opened for syncing, and closes it. */
export async function withWarehouse<T>(loaded: LoadedConfig, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(loaded.config.warehouse, loaded.baseDir, 'sync');
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

/**
 * The warehouse a reading command looks at: `--warehouse PATH` (a DuckDB file) or the one of
 * `--config FILE` (whose sources, and their credentials, it does not need). It must exist
 * already (see openExistingWarehouse). A `source` the config does not have is refused (exit 2).
 */
export async function openWarehouseToRead(opts: { config?: string; warehouse?: string; source?: string }): Promise<Warehouse> {
  if (opts.warehouse && opts.config) throw new UsageError('give --config FILE or --warehouse PATH, not both');
  if (opts.warehouse) return openExistingWarehouse({ type: 'duckdb', path: opts.warehouse }, process.cwd(), '--warehouse');
  if (!opts.config) throw new UsageError('give --config FILE (its warehouse) or --warehouse PATH (a DuckDB file)');
  const { warehouse, baseDir, sources } = loadWarehouseConfig(opts.config);
  // The config says which sources exist: a --source it lacks is a typo, not an empty history.
  if (opts.source !== undefined && !sources.some((s) => s.name === opts.source)) throw noSourceNamed(opts.source, sources.map((s) => s.name));
  return openExistingWarehouse(warehouse, baseDir, 'warehouse.path');
}
