/**
 * Every warehouse the shared contract suite runs against. A new backend joins by adding one
 * entry: how to make a fresh, empty target for one test, and how to open it.
 * A target is a plain string so child processes (fixtures/) can open the same warehouse.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDuckDbWarehouse } from '../duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../warehouse.ts';

export interface WarehouseFactory {
  kind: string;
  /** A new, empty warehouse location (a file path, a connection URL with a fresh schema...). */
  newTarget(): string;
  open(target: string): Promise<Warehouse>;
  /** Removes what `newTarget` created. */
  cleanup(target: string): void;
}

export const warehouseFactories: WarehouseFactory[] = [
  {
    kind: 'duckdb',
    newTarget: () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ss-')), 'warehouse.duckdb'),
    open: (target) => openDuckDbWarehouse(target),
    cleanup: (target) => fs.rmSync(path.dirname(target), { recursive: true, force: true }),
  },
];

export function factoryOf(kind: string): WarehouseFactory {
  const factory = warehouseFactories.find((f) => f.kind === kind);
  if (!factory) throw new Error(`no warehouse factory "${kind}"`);
  return factory;
}
