/**
 * Runs a list query against a table: picks the cheapest way to enumerate candidates
 * (a relation index, a binary-searched `updatedAt`/`createdAt` range, or a scan), tests
 * every condition, orders the matches and caches the ordered result until the table
 * changes. A full sync (`updatedAt>=X&sort=updatedAt&limit=1000&skip=k`) therefore costs
 * one pass for its first page and a slice for every later one.
 *
 * Order: `sort=f` ascending, `sort=-f` descending, several keys comma-separated; ties
 * are broken by id in the direction of the first key. Without `sort`, ids ascend
 * (creation order). Nulls sort first when ascending.
 */
import type { Table } from '../store/table.ts';
import { compileCondition, fieldDef, parseInstant } from './compile-condition.ts';
import type { CompiledCondition } from './compile-condition.ts';
import type { Condition, ListQuery, SortKey } from './parse-list-query.ts';

export interface Limits {
  /** Page size when `limit` is absent (or 0). */
  default: number;
  /** Larger limits are clamped to this. */
  max: number;
}

export interface ListPage {
  rows: Int32Array;
  total: number;
}

type Lookup = (name: string) => Table;

export function runListQuery(table: Table, query: ListQuery, limits: Limits, tables: Lookup, extra: Condition[] = []): ListPage {
  const rows = matchRows(table, [...extra, ...query.conditions], query.sort, tables);
  const limit = query.limit === null || query.limit === 0 ? limits.default : Math.min(query.limit, limits.max);
  return { rows: rows.subarray(Math.min(query.skip, rows.length), Math.min(query.skip + limit, rows.length)), total: rows.length };
}

interface CacheEntry {
  version: number;
  rows: Int32Array;
}
const MAX_CACHED = 48;
const caches = new WeakMap<Table, Map<string, CacheEntry>>();

/** All rows matching `conditions`, in `sort` order. Cached per table version. */
export function matchRows(table: Table, conditions: Condition[], sort: SortKey[], tables: Lookup): Int32Array {
  let cache = caches.get(table);
  if (!cache) caches.set(table, (cache = new Map()));
  const key = JSON.stringify([conditions, sort]);
  const hit = cache.get(key);
  if (hit && hit.version === table.version) {
    cache.delete(key); // refresh LRU position
    cache.set(key, hit);
    return hit.rows;
  }
  const compiled = conditions.map((c) => compileCondition(table, c, tables));
  const rows = orderRows(table, collect(table, compiled, sort[0]?.field), sort, tables);
  cache.delete(key);
  cache.set(key, { version: table.version, rows });
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return rows;
}

type Order = 'natural' | 'updated';

function collect(table: Table, compiled: CompiledCondition[], sortField: string | undefined): { rows: Int32Array; order: Order } {
  const tests = compiled.map((c) => c.test);
  const alive = table.alive;
  let out = new Int32Array(1024);
  let n = 0;
  const accept = (i: number): void => {
    if (!alive[i]) return;
    for (let k = 0; k < tests.length; k++) if (!tests[k](i)) return;
    if (n === out.length) {
      const next = new Int32Array(out.length * 2);
      next.set(out);
      out = next;
    }
    out[n++] = i;
  };

  // A relation index (e.g. messages of one ticket) is the most selective start.
  if (table.docs.size === 0) {
    for (const c of compiled) {
      const index = c.refTargets && table.refIndexes.get(c.field);
      if (!index || !c.refTargets) continue;
      const targets = [...new Set(c.refTargets)];
      for (const t of targets) for (const i of index.rowsOf(t)) accept(i);
      const rows = out.slice(0, n);
      if (targets.length > 1) rows.sort();
      return { rows, order: 'natural' };
    }
  }

  const updated = rangeOf(table, compiled, 'updatedAt');
  const created = rangeOf(table, compiled, 'createdAt');
  if (updated && (!created || sortField === 'updatedAt')) {
    // Only `updatedAt` bounds (a sync's `updatedAt>=X`): the index range is the answer, as
    // with a database index. Testing every row instead made each query of a full sync cost
    // a pass over all the rows after X, far more than the real API spends on it.
    if (compiled.every((c) => c.bound?.field === 'updatedAt' && c.bound.whole)) {
      return { rows: table.byUpdated.slice(updated[0], updated[1]), order: 'updated' };
    }
    for (let p = updated[0]; p < updated[1]; p++) accept(table.byUpdated[p]);
    return { rows: out.slice(0, n), order: 'updated' };
  }
  if (created) {
    for (let i = created[0]; i < created[1]; i++) accept(i);
    return { rows: out.slice(0, n), order: 'natural' };
  }
  if (sortField === 'updatedAt') {
    for (let p = 0; p < table.byUpdatedLen; p++) accept(table.byUpdated[p]);
    return { rows: out.slice(0, n), order: 'updated' };
  }
  for (let i = 0; i < table.size; i++) accept(i);
  return { rows: out.slice(0, n), order: 'natural' };
}

/** [from, to) positions (updatedAt: in byUpdated; createdAt: row indexes), or null. */
function rangeOf(table: Table, compiled: CompiledCondition[], field: 'createdAt' | 'updatedAt'): [number, number] | null {
  const bounded = compiled.filter((c) => c.bound?.field === field);
  if (bounded.length === 0) return null;
  const lower = field === 'updatedAt' ? table.lowerBoundUpdated.bind(table) : table.lowerBoundCreated.bind(table);
  let from = 0;
  let to = field === 'updatedAt' ? table.byUpdatedLen : table.size;
  for (const c of bounded) {
    const ms = c.bound!.ms;
    if (c.op === 'gt' || c.op === 'gte') from = Math.max(from, lower(ms, c.op === 'gt'));
    else to = Math.min(to, lower(ms, c.op === 'lte'));
  }
  return [from, Math.max(from, to)];
}

function orderRows(table: Table, found: { rows: Int32Array; order: Order }, sort: SortKey[], tables: Lookup): Int32Array {
  const { rows, order } = found;
  if (sort.length === 0) return order === 'natural' ? rows : rows.sort(); // ids ascending
  const first = sort[0];
  const naturalKey = first.field === 'createdAt' || first.field === '_id' || first.field === 'id';
  if (sort.length === 1 && ((order === 'natural' && naturalKey) || (order === 'updated' && first.field === 'updatedAt'))) {
    return first.desc ? rows.reverse() : rows;
  }
  return sortByKeys(table, rows, sort, tables);
}

type Key = number | string | null;

function sortByKeys(table: Table, rows: Int32Array, sort: SortKey[], tables: Lookup): Int32Array {
  const n = rows.length;
  const columns = sort.map((s) => extractKeys(table, rows, s.field, tables));
  const signs = sort.map((s) => (s.desc ? -1 : 1));
  const tieSign = signs[0];
  const positions = new Int32Array(n);
  for (let p = 0; p < n; p++) positions[p] = p;
  if (columns.length === 1 && columns[0] instanceof Float64Array) {
    const keys = columns[0];
    const sign = signs[0];
    positions.sort((a, b) => sign * (keys[a] - keys[b]) || tieSign * (rows[a] - rows[b]));
  } else {
    positions.sort((a, b) => {
      for (let k = 0; k < columns.length; k++) {
        const c = compareKeys(columns[k][a], columns[k][b]);
        if (c !== 0) return signs[k] * c;
      }
      return tieSign * (rows[a] - rows[b]);
    });
  }
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) out[p] = rows[positions[p]];
  return out;
}

/** Sort keys of `rows` for one field: numbers (null = -Infinity) when possible. */
function extractKeys(table: Table, rows: Int32Array, field: string, tables: Lookup): Float64Array | Key[] {
  const def = fieldDef(table, field);
  const keys: Key[] = new Array(rows.length);
  let numeric = true;
  for (let p = 0; p < rows.length; p++) {
    const i = rows[p];
    const doc = table.docs.get(i);
    let key: Key;
    if (doc && field !== 'createdAt' && field !== 'updatedAt' && field !== '_id' && field !== 'id') {
      key = jsonKey(doc[field], def?.kind === 'date' || table.dateFields.has(field));
    } else if (def) {
      switch (def.kind) {
        case 'date':
        case 'number': {
          const v = def.get(i);
          key = Number.isNaN(v) ? null : v;
          break;
        }
        case 'boolean':
          key = def.get(i) ? 1 : 0;
          break;
        case 'string':
          key = def.rank ? def.rank(i) : def.get(i);
          break;
        case 'strings': {
          const arr = [...def.get(i)].sort();
          key = arr[0] ?? null;
          break;
        }
        case 'ref': {
          const t = def.get(i);
          key = t < 0 ? null : tables(def.target).idOf(t);
          break;
        }
      }
    } else {
      key = jsonKey(table.materialize(i)[field], table.dateFields.has(field));
    }
    if (typeof key === 'string') numeric = false;
    keys[p] = key;
  }
  if (!numeric) return keys;
  const out = new Float64Array(rows.length);
  for (let p = 0; p < rows.length; p++) out[p] = keys[p] === null ? -Infinity : (keys[p] as number);
  return out;
}

function jsonKey(value: unknown, isDate: boolean): Key {
  if (value === null || value === undefined) return null;
  if (isDate && typeof value === 'string') {
    const ms = parseInstant(value);
    return Number.isNaN(ms) ? value : ms;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** null < numbers < strings. */
function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}
