/**
 * The staging fast path: turns row arrays into DuckDB data chunks for the Appender.
 *
 * Why not the obvious APIs (35 mixed columns, 2 shared cores):
 * - `appender.appendVarchar(...)`/`appendBigInt(...)` per value: a native call per value,
 *   plus a BigInt or wrapper object per integer and timestamp: ~40k rows/s.
 * - node-api's `DuckDBDataChunk` vectors (`setItem`/`flush`): ~100k rows/s; BIGINT and
 *   TIMESTAMPTZ want `bigint`s, and validity bits are set with BigInt arithmetic.
 * - Here (~170-250k rows/s, validation included): numbers, booleans, integers and timestamps
 *   go into reusable typed arrays, copied into each vector with ONE native call per column per
 *   2048 rows; 64-bit integers are written as two 32-bit halves, so no BigInt is created;
 *   validity is a plain Uint32 bitmap copied in one call. What remains is one native call per
 *   non-null string (`vector_assign_string_element`), which DuckDB's C API requires, and
 *   which is now most of the cost.
 * This needs `@duckdb/node-bindings`, the low-level package `@duckdb/node-api` is built on
 * (same version, always installed with it); it is used in this file only.
 */
import os from 'node:os';
import duckdb from '@duckdb/node-bindings';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, TIMESTAMPTZ, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import type { ColumnType } from '../../core/columns.ts';
import { WarehouseError } from '../../core/errors.ts';
import { parseTimestamp } from '../../core/iso-time.ts';
import type { ColumnSpec, Row } from '../warehouse.ts';

/** Rows per data chunk: DuckDB's vector size (2048). */
export const CHUNK_ROWS = duckdb.vector_size();

/**
 * Staging column types. Equal to the table types except JSON, which is staged as text and
 * validated by the `::JSON` cast at commit (invalid JSON fails the commit, not a query later).
 */
export const STAGING_TYPES: Readonly<Record<ColumnType, { sql: string; duckdb: DuckDBType }>> = {
  string: { sql: 'VARCHAR', duckdb: VARCHAR },
  integer: { sql: 'BIGINT', duckdb: BIGINT },
  number: { sql: 'DOUBLE', duckdb: DOUBLE },
  boolean: { sql: 'BOOLEAN', duckdb: BOOLEAN },
  timestamp: { sql: 'TIMESTAMPTZ', duckdb: TIMESTAMPTZ },
  json: { sql: 'VARCHAR', duckdb: VARCHAR },
};

if (os.endianness() !== 'LE') throw new Error('supportsync: the DuckDB chunk writer assumes a little-endian CPU');

// One scratch area, reused column after column (everything below is synchronous).
const scratch = new ArrayBuffer(CHUNK_ROWS * 8);
const f64 = new Float64Array(scratch);
const u32 = new Uint32Array(scratch);
const i32 = new Int32Array(scratch);
const i64 = new BigInt64Array(scratch);
const u8 = new Uint8Array(scratch);
const validity = new Uint32Array(CHUNK_ROWS / 32);
const TWO32 = 2 ** 32;
const TWO63 = 2 ** 63;
/** JavaScript's own date range (±275,760 years): comfortably inside TIMESTAMPTZ's microseconds. */
const MAX_EPOCH_MS = 8.64e15;

/** Writes an integer-valued double as int64 without creating a BigInt. */
function putInt64(index: number, value: number): void {
  const high = Math.floor(value / TWO32);
  u32[2 * index] = value - high * TWO32;
  i32[2 * index + 1] = high;
}

type Fill = (vector: duckdb.Vector, rows: Row[], start: number, count: number, col: number) => number;

/**
 * Per column type: which values it takes besides NULL (`firstBad` scans a whole column, so
 * the type checks stay inlined in one loop), and how to say what was expected.
 */
interface Acceptance {
  firstBad(rows: Row[], col: number): number;
  expected: string;
}

// One loop per type (not a shared loop calling a predicate) so V8 inlines each check.
const ACCEPTANCE: Readonly<Record<ColumnType, Acceptance | undefined>> = {
  // Anything goes into text and JSON columns (see plainText and jsonText).
  string: undefined,
  json: undefined,
  integer: {
    firstBad(rows, col) {
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r][col];
        if (typeof v === 'number') { if (!Number.isInteger(v) || v < -TWO63 || v >= TWO63) return r; }
        else if (typeof v === 'bigint') { if (BigInt.asIntN(64, v) !== v) return r; }
        else if (v !== null && v !== undefined) return r;
      }
      return -1;
    },
    expected: 'a whole number within 64 bits',
  },
  number: {
    firstBad(rows, col) {
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r][col];
        if (typeof v !== 'number' && v !== null && v !== undefined && typeof v !== 'bigint') return r;
      }
      return -1;
    },
    expected: 'a number',
  },
  boolean: {
    firstBad(rows, col) {
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r][col];
        if (typeof v !== 'boolean' && v !== null && v !== undefined) return r;
      }
      return -1;
    },
    expected: 'true or false',
  },
  timestamp: {
    firstBad(rows, col) {
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r][col];
        if (v !== null && v !== undefined && !(Math.abs(epochMillis(v)) <= MAX_EPOCH_MS)) return r;
      }
      return -1;
    },
    expected: 'a valid Date (or epoch milliseconds, or an ISO 8601 string)',
  },
};

export interface ChunkWriter {
  readonly types: readonly DuckDBType[];
  /** Throws WarehouseError (code WAREHOUSE_BAD_VALUE) naming the first row and column that cannot be staged. */
  validate(rows: Row[]): void;
  /**
   * Fills the writer's data chunk with rows[start .. start+count), count <= CHUNK_ROWS, and
   * returns it; the chunk is reused by the next call, so append it before filling again.
   * The rows must have passed `validate`.
   */
  fill(rows: Row[], start: number, count: number): DuckDBDataChunk;
}

export function createChunkWriter(columns: readonly ColumnSpec[], primaryKey: readonly string[]): ChunkWriter {
  const types = columns.map((c) => STAGING_TYPES[c.type].duckdb);
  const fills = columns.map((c) => fillerFor(c.type));
  const keys = columns.map((c) => primaryKey.includes(c.name));
  const width = columns.length;
  // One chunk for the writer's lifetime: its native buffers (~1 MB for 35 columns) are freed
  // only when V8 collects the wrapper, and V8 does not see that memory, so a chunk per call
  // would let hundreds pile up between collections.
  const chunk = DuckDBDataChunk.create(types);
  return {
    types,
    validate(rows) {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        if (!Array.isArray(row) || row.length !== width) {
          throw new WarehouseError(
            `Cannot stage row ${r + 1} of the batch: expected an array of ${width} values (one per column), got ${Array.isArray(row) ? `${row.length} values` : typeof row}.`,
            { code: 'WAREHOUSE_BAD_VALUE' },
          );
        }
      }
      for (let c = 0; c < width; c++) {
        const column = columns[c];
        const refuse = (r: number, expected: string): never => {
          throw new WarehouseError(
            `Cannot stage row ${r + 1} of the batch: column "${column.name}" (${column.type}) got ${describe(rows[r][c])}; expected ${expected}.`,
            { code: 'WAREHOUSE_BAD_VALUE' },
          );
        };
        if (keys[c]) {
          // A row without its primary key cannot be merged.
          for (let r = 0; r < rows.length; r++) if (rows[r][c] === null || rows[r][c] === undefined) refuse(r, 'a value (it is part of the primary key)');
        }
        const acceptance = ACCEPTANCE[column.type];
        const bad = acceptance ? acceptance.firstBad(rows, c) : -1;
        if (bad >= 0) refuse(bad, acceptance!.expected);
      }
    },
    fill(rows, start, count) {
      chunk.reset();
      chunk.rowCount = count;
      for (let c = 0; c < width; c++) {
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
        validity.fill(0xffffffff);
        const nulls = fills[c](vector, rows, start, count, c);
        if (nulls > 0) {
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, Math.ceil(count / 64) * 8);
        }
      }
      return chunk;
    },
  };
}

/** Clears the validity bit of item r (a NULL). */
const setNull = (r: number): void => {
  validity[r >>> 5] &= ~(1 << (r & 31));
};
const copy = (vector: duckdb.Vector, bytes: number) => duckdb.copy_data_to_vector(vector, 0, scratch, 0, bytes);

/** Writes one column of validated rows; returns how many NULLs it wrote. */
function fillerFor(type: ColumnType): Fill {
  switch (type) {
    case 'string':
    case 'json': {
      const text = type === 'json' ? jsonText : plainText;
      return (vector, rows, start, count, col) => {
        let nulls = 0;
        for (let r = 0; r < count; r++) {
          const v = rows[start + r][col];
          if (v === null || v === undefined) { setNull(r); nulls++; continue; }
          duckdb.vector_assign_string_element(vector, r, typeof v === 'string' ? v : text(v));
        }
        return nulls;
      };
    }
    case 'integer':
      return (vector, rows, start, count, col) => {
        let nulls = 0;
        for (let r = 0; r < count; r++) {
          const v = rows[start + r][col];
          if (typeof v === 'number') putInt64(r, v);
          else if (typeof v === 'bigint') i64[r] = v;
          else { setNull(r); nulls++; }
        }
        copy(vector, count * 8);
        return nulls;
      };
    case 'number':
      return (vector, rows, start, count, col) => {
        let nulls = 0;
        for (let r = 0; r < count; r++) {
          const v = rows[start + r][col];
          if (typeof v === 'number') f64[r] = v;
          else if (typeof v === 'bigint') f64[r] = Number(v);
          else { setNull(r); nulls++; }
        }
        copy(vector, count * 8);
        return nulls;
      };
    case 'boolean':
      return (vector, rows, start, count, col) => {
        let nulls = 0;
        for (let r = 0; r < count; r++) {
          const v = rows[start + r][col];
          if (typeof v === 'boolean') u8[r] = v ? 1 : 0;
          else { setNull(r); nulls++; }
        }
        copy(vector, count);
        return nulls;
      };
    case 'timestamp':
      return (vector, rows, start, count, col) => {
        let nulls = 0;
        for (let r = 0; r < count; r++) {
          const v = rows[start + r][col];
          if (v === null || v === undefined) { setNull(r); nulls++; continue; }
          putInt64(r, Math.round(epochMillis(v) * 1000)); // TIMESTAMPTZ counts microseconds
        }
        copy(vector, count * 8);
        return nulls;
      };
  }
}

function epochMillis(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return parseTimestamp(v);
  return NaN;
}

/** Non-string values in a string column: kept, in their most natural text form. */
function plainText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** JSON columns take JSON text; an object, array, number or boolean is serialized for the caller. */
function jsonText(v: unknown): string {
  return JSON.stringify(typeof v === 'bigint' ? v.toString() : v) ?? 'null';
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return 'an invalid Date';
  const text = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? Object.prototype.toString.call(v) : String(v);
  return `${typeof v} ${text.length > 40 ? text.slice(0, 40) + '…' : text}`;
}
