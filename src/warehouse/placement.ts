/**
 * Names, shared by every warehouse: where a stream's table lands and which names are valid.
 * A placement `{ layer, folder, prefix, name }` becomes schema `layer` and table
 * `folder__prefixname` (or `prefixname` without a folder). Every part is checked here, once,
 * so that DuckDB and PostgreSQL accept and refuse exactly the same names.
 */
import { WarehouseError } from '../core/errors.ts';
import type { TablePlacement, TableSpec } from './warehouse.ts';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1); DuckDB has none, we use the smaller. */
export const MAX_IDENTIFIER_LENGTH = 63;
/**
 * Companions every table gets: `<table>__history` (every version of every row),
 * `<table>__superseded` (where versions go when they stop being current) and the macro or
 * function `<table>__as_of(ts)`.
 */
export const HISTORY_SUFFIX = '__history';
export const SUPERSEDED_SUFFIX = '__superseded';
export const AS_OF_SUFFIX = '__as_of';
const COMPANION_SUFFIXES = [HISTORY_SUFFIX, SUPERSEDED_SUFFIX, AS_OF_SUFFIX];
/** Short enough that every companion name still fits in MAX_IDENTIFIER_LENGTH. */
export const MAX_TABLE_NAME_LENGTH = MAX_IDENTIFIER_LENGTH - Math.max(...COMPANION_SUFFIXES.map((s) => s.length));
/** The schema that holds state, runs and loads. */
export const BOOKKEEPING_SCHEMA = '_supportsync';
/** Columns the warehouse adds to every table (and, for the last two, to its history). */
/** Names starting with this are the warehouse's own (schema, helper columns). */
export const RESERVED_PREFIX = '_supportsync';
export const SYSTEM_COLUMNS = ['_load_id', '_loaded_at', '_row_hash', '_valid_from', '_valid_to'] as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PREFIX = /^[A-Za-z0-9_]*$/;
const EXPECTED = 'letters, digits and underscores, starting with a letter or underscore';

export interface ResolvedPlacement {
  schema: string;
  table: string;
}

/** Why `value` is not a valid identifier, or undefined when it is. */
export function identifierProblem(value: unknown, what: string, maxLength = MAX_IDENTIFIER_LENGTH): string | undefined {
  if (typeof value !== 'string' || value === '') return `${what} is missing: expected ${EXPECTED}`;
  if (!IDENTIFIER.test(value)) return `${what} ${JSON.stringify(value)} is not a valid name: use only ${EXPECTED}`;
  if (value.length > maxLength) return `${what} ${JSON.stringify(value)} is ${value.length} characters long: at most ${maxLength} are allowed`;
  return undefined;
}

/** Why the placement cannot be used, or undefined. For config validation (wrap it in a ConfigError). */
export function placementProblem(p: TablePlacement): string | undefined {
  const layer = identifierProblem(p.layer, 'layer');
  if (layer) return layer;
  if (p.layer.toLowerCase().startsWith(RESERVED_PREFIX)) return `layer "${p.layer}" is reserved for supportsync's own bookkeeping: choose another layer`;
  if (p.folder !== undefined && p.folder !== '') {
    const folder = identifierProblem(p.folder, 'folder');
    if (folder) return folder;
  }
  if (p.prefix !== undefined && !PREFIX.test(p.prefix)) {
    return `table prefix ${JSON.stringify(p.prefix)} is not valid: use only letters, digits and underscores`;
  }
  const name = identifierProblem(p.name, 'table name');
  if (name) return name;
  const table = tableNameOf(p);
  if (!IDENTIFIER.test(table)) return `table name "${table}" (folder + "__" + prefix + name) is not a valid name: use only ${EXPECTED}`;
  if (table.length > MAX_TABLE_NAME_LENGTH) {
    return `table name "${table}" is ${table.length} characters long: at most ${MAX_TABLE_NAME_LENGTH} are allowed, so that its companion "<name>${SUPERSEDED_SUFFIX}" fits the ${MAX_IDENTIFIER_LENGTH}-character limit of PostgreSQL names`;
  }
  const lower = table.toLowerCase();
  for (const suffix of COMPANION_SUFFIXES) {
    if (lower.endsWith(suffix)) return `table name "${table}" ends with "${suffix}", which is reserved for the companion objects of each table`;
  }
  return undefined;
}

/** The table name a placement maps to, without validation. */
export function tableNameOf(p: TablePlacement): string {
  const base = (p.prefix ?? '') + p.name;
  return p.folder ? `${p.folder}__${base}` : base;
}

/** Validates a placement and returns its schema and table names; throws WarehouseError otherwise. */
export function resolvePlacement(p: TablePlacement): ResolvedPlacement {
  const problem = placementProblem(p);
  if (problem) throw new WarehouseError(`Invalid table placement ${describe(p)}: ${problem}.`, { code: 'WAREHOUSE_BAD_NAME' });
  return { schema: p.layer, table: tableNameOf(p) };
}

/** Validates a whole table spec: placement, column names (unique regardless of case) and primary key. */
export function validateTableSpec(spec: TableSpec): ResolvedPlacement {
  const resolved = resolvePlacement(spec.placement);
  const where = `${resolved.schema}.${resolved.table}`;
  const fail = (message: string): never => {
    throw new WarehouseError(`Invalid columns for ${where}: ${message}.`, { code: 'WAREHOUSE_BAD_NAME' });
  };
  if (spec.columns.length === 0) fail('a table needs at least one column');
  const seen = new Map<string, string>();
  for (const column of spec.columns) {
    const problem = identifierProblem(column.name, 'column');
    if (problem) fail(problem);
    const lower = column.name.toLowerCase();
    if ((SYSTEM_COLUMNS as readonly string[]).includes(lower)) fail(`column "${column.name}" clashes with a system column (${SYSTEM_COLUMNS.join(', ')})`);
    if (lower.startsWith(RESERVED_PREFIX)) fail(`column "${column.name}" starts with "${RESERVED_PREFIX}", which is reserved for the warehouse's own use`);
    const before = seen.get(lower);
    if (before !== undefined) fail(`columns "${before}" and "${column.name}" differ only by case`);
    seen.set(lower, column.name);
  }
  if (spec.primaryKey.length === 0) fail('a primary key is required (merges, replaces and history are keyed on it)');
  for (const key of spec.primaryKey) {
    if (!spec.columns.some((c) => c.name === key)) fail(`primary key column "${key}" is not among the columns`);
  }
  return resolved;
}

function describe(p: TablePlacement): string {
  const parts = [`layer=${JSON.stringify(p.layer)}`];
  if (p.folder !== undefined) parts.push(`folder=${JSON.stringify(p.folder)}`);
  if (p.prefix !== undefined) parts.push(`prefix=${JSON.stringify(p.prefix)}`);
  parts.push(`name=${JSON.stringify(p.name)}`);
  return `{ ${parts.join(', ')} }`;
}

/** `"schema"."table"`: how every supported warehouse quotes a placement (for display before a warehouse is open). */
export function quotedPlacementName(p: TablePlacement): string {
  const { schema, table } = resolvePlacement(p);
  return `"${schema}"."${table}"`;
}
