/** Opens the warehouse a config names. The only place that picks an implementation. */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { WarehouseConfig } from '../config/config-schema.ts';
import type { Warehouse } from './warehouse.ts';

export async function openWarehouse(config: WarehouseConfig, baseDir = process.cwd()): Promise<Warehouse> {
  switch (config.type) {
    case 'duckdb': {
      const { openDuckDbWarehouse } = await import('./duckdb/duckdb-warehouse.ts');
      return openDuckDbWarehouse(isAbsolute(config.path) ? config.path : resolve(baseDir, config.path));
    }
    case 'postgres':
      throw new ConfigError('warehouse.type', 'postgres is not available yet in this version; expected duckdb');
  }
}
