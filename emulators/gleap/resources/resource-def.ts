/**
 * A collection of the emulated API as data: its columns, its page-size limits, how its
 * documents are built and filtered (`install`), and how the mutate hook adds new rows.
 */
import type { Prng } from '../../shared/prng.ts';
import type { Limits } from '../query/run-list-query.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { ColumnSpec, TableName } from '../store/table.ts';

export interface ResourceDef<S extends ColumnSpec = ColumnSpec> {
  name: TableName;
  columns: S;
  limits: Limits;
  /** Wires field accessors and the document builder into the store's table. */
  install(store: GleapStore): void;
  /** Appends `count` new generated rows stamped by the clock (POST /__emulator/mutate). */
  create(store: GleapStore, rng: Prng, count: number): number[];
}

export function defineResource<S extends ColumnSpec>(def: ResourceDef<S>): ResourceDef<S> {
  return def;
}
