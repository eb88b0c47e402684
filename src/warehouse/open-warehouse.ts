/** Opens the warehouse a config names. The only place that picks an implementation. */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { WarehouseConfig } from '../config/config-schema.ts';
import type { Warehouse, WarehouseUse } from './warehouse.ts';

/**
 * Opens the warehouse, creating an embedded one (and its folder) when it does not exist yet.
 * `use` says what the process will mostly do with it (an embedded warehouse sizes its threads by it).
 */
export async function openWarehouse(config: WarehouseConfig, baseDir: string, use: WarehouseUse): Promise<Warehouse> {
  switch (config.type) {
    case 'duckdb': {
      const { openDuckDbWarehouse } = await import('./duckdb/duckdb-warehouse.ts');
      return openDuckDbWarehouse(duckDbPath(config.path, baseDir), { memoryLimit: config.memoryLimit, threads: config.threads, use });
    }
    case 'postgres':
      throw new ConfigError('warehouse.type', 'postgres is not available yet in this version; expected duckdb');
  }
}

/**
 * Opens a warehouse that must already exist, for commands that only read it (`query`, `runs`,
 * `stats --from-warehouse`): a mistyped path is an error naming `setting`, not a new empty file.
 */
export async function openExistingWarehouse(config: WarehouseConfig, baseDir: string, setting: string): Promise<Warehouse> {
  if (config.type === 'duckdb' && config.path !== ':memory:') {
    const path = duckDbPath(config.path, baseDir);
    if (!existsSync(path)) throw new ConfigError(setting, `no DuckDB file at ${path}; check the path (a sync creates the file on its first run)`);
  }
  return openWarehouse(config, baseDir, 'read');
}

const duckDbPath = (path: string, baseDir: string): string => (isAbsolute(path) || path === ':memory:' ? path : resolve(baseDir, path));
