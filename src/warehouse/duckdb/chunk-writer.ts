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
 *   validity is a plain Uint32 bitmap copied in one call. Strings too take a few calls per
 *   column instead of one per value (see writeStrings).
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
   * The rows must have passed `validate`. With `numberRows`, a last BIGINT column numbers the
   * rows 0, 1, 2, ... across every call of this writer.
   */
  fill(rows: Row[], start: number, count: number): DuckDBDataChunk;
}

export function createChunkWriter(columns: readonly ColumnSpec[], primaryKey: readonly string[], opts: { numberRows?: boolean } = {}): ChunkWriter {
  const types = [...columns.map((c) => STAGING_TYPES[c.type].duckdb), ...(opts.numberRows ? [BIGINT] : [])];
  const fills = columns.map((c) => fillerFor(c.type));
  const keys = columns.map((c) => primaryKey.includes(c.name));
  const width = columns.length;
  // One chunk for the writer's lifetime: its native buffers (~1 MB for 35 columns) are freed
  // only when V8 collects the wrapper, and V8 does not see that memory, so a chunk per call
  // would let hundreds pile up between collections.
  const chunk = DuckDBDataChunk.create(types);
  let rowNumber = 0;
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
      if (opts.numberRows) {
        for (let r = 0; r < count; r++) putInt64(r, rowNumber++);
        copy(duckdb.data_chunk_get_vector(chunk.chunk, width), count * 8);
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
      return (vector, rows, start, count, col) => writeStrings(vector, rows, start, count, col, text);
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

// writeStrings' scratch: per row of a column, its kind, its string, where its UTF-8 bytes are
// and how many; the 16-byte entries handed to the vector; the UTF-8 bytes themselves.
const NULL_VALUE = 0;
const LONG_VALUE = 1;
const SHORT_VALUE = 2;
const kinds = new Uint8Array(CHUNK_ROWS);
const values: string[] = new Array(CHUNK_ROWS).fill('');
const byteOffsets = new Uint32Array(CHUNK_ROWS);
const byteLengths = new Uint32Array(CHUNK_ROWS);
const entries = new ArrayBuffer(CHUNK_ROWS * 16);
const entryWords = new Uint32Array(entries);
const entryBytes = new Uint8Array(entries);
/** UTF-8 scratch kept between calls up to this size; a bigger column gets a buffer of its own. */
const KEPT_UTF8_BYTES = 8 * 2 ** 20;
const MIN_UTF8_BYTES = 64 * 1024;
let utf8 = Buffer.allocUnsafe(MIN_UTF8_BYTES);
/**
 * Strings up to this many UTF-16 units are encoded together (about 1 ns per character, one
 * call for the lot); longer ones one call each (about 100 ns, then little per character).
 */
const SHORT_STRING = 80;

/** Grows the UTF-8 scratch to `bytes`, keeping the first `used` bytes. */
function reserveUtf8(bytes: number, used: number): void {
  if (utf8.length >= bytes) return;
  const bigger = Buffer.allocUnsafe(Math.max(bytes, utf8.length * 2));
  utf8.copy(bigger, 0, 0, used);
  utf8 = bigger;
}

/**
 * Writes one string column of rows[start .. start+count) into a VARCHAR vector with a few
 * native calls instead of one per value: `vector_assign_string_element` cost ~250 ns a value
 * and was the largest cost of staging (765k Gladly items, 9.2M strings: 2.27 s of the engine's
 * thread, now 0.98 s). Every value is encoded to UTF-8 into one buffer, handed to DuckDB as
 * ONE string, which DuckDB copies into the vector's own string heap. Then each value's entry
 * is written as the C API's `duckdb_string_t`: its byte length, then its bytes inline when
 * they are 12 or fewer, else its first 4 bytes and a pointer to its bytes inside that heap
 * string. The heap lives as long as the vector's data (until the chunk is reset) and the
 * appender copies the strings out, exactly as for values assigned one by one. Returns the
 * NULLs written.
 */
function writeStrings(vector: duckdb.Vector, rows: Row[], start: number, count: number, col: number, text: (v: unknown) => string): number {
  // Pass 1: long values are encoded at once, one after another from byte 0; short ones are
  // joined, to be encoded in one go after them.
  let nulls = 0;
  let longBytes = 0;
  let joined = '';
  for (let r = 0; r < count; r++) {
    const v = rows[start + r][col];
    if (v === null || v === undefined) { kinds[r] = NULL_VALUE; setNull(r); nulls++; continue; }
    const s = typeof v === 'string' ? v : text(v);
    // A short value ending in half a surrogate pair is encoded alone too: joined, it could pair
    // up with the next value's first unit and encode differently than it does by itself.
    if (s.length > SHORT_STRING || (s.charCodeAt(s.length - 1) & 0xfc00) === 0xd800) {
      reserveUtf8(longBytes + s.length * 3, longBytes);
      const n = utf8.write(s, longBytes);
      kinds[r] = LONG_VALUE;
      byteOffsets[r] = longBytes;
      byteLengths[r] = n;
      longBytes += n;
    } else {
      kinds[r] = SHORT_VALUE;
      values[r] = s;
      joined += s;
    }
  }
  if (nulls === count) return nulls;
  // At least 13 bytes, so that DuckDB stores the heap string out of line (with a pointer to read).
  reserveUtf8(Math.max(longBytes + joined.length * 3, 13), longBytes);
  const shortBytes = joined.length === 0 ? 0 : utf8.write(joined, longBytes);
  const total = longBytes + shortBytes;
  const bytes = utf8;
  // DuckDB checks that the string is valid UTF-8 (else it stores a NULL): pad with NUL bytes.
  if (total < 13) bytes.fill(0, total, 13);
  if (bytes.length > KEPT_UTF8_BYTES) utf8 = Buffer.allocUnsafe(MIN_UTF8_BYTES);

  duckdb.vector_assign_string_element_len(vector, 0, bytes.subarray(0, Math.max(total, 13)));
  const first = duckdb.vector_get_data(vector, 16);
  const head = new DataView(first.buffer, first.byteOffset, 16);
  const baseLow = head.getUint32(8, true);
  const baseHigh = head.getUint32(12, true);

  // Pass 2: the entries. In ASCII each UTF-16 unit is one byte, so short lengths need no counting.
  const ascii = shortBytes === joined.length;
  let shortOffset = longBytes;
  for (let r = 0; r < count; r++) {
    const w = r * 4;
    const kind = kinds[r];
    if (kind === NULL_VALUE) { entryWords[w] = entryWords[w + 1] = entryWords[w + 2] = entryWords[w + 3] = 0; continue; }
    let offset: number;
    let length: number;
    if (kind === LONG_VALUE) {
      offset = byteOffsets[r]!;
      length = byteLengths[r]!;
    } else {
      const s = values[r]!;
      values[r] = '';
      offset = shortOffset;
      length = ascii ? s.length : Buffer.byteLength(s, 'utf8');
      shortOffset += length;
    }
    const b = r * 16;
    entryWords[w] = length;
    if (length <= 12) {
      entryWords[w + 1] = entryWords[w + 2] = entryWords[w + 3] = 0;
      for (let i = 0; i < length; i++) entryBytes[b + 4 + i] = bytes[offset + i]!;
    } else {
      entryBytes[b + 4] = bytes[offset]!;
      entryBytes[b + 5] = bytes[offset + 1]!;
      entryBytes[b + 6] = bytes[offset + 2]!;
      entryBytes[b + 7] = bytes[offset + 3]!;
      const low = baseLow + offset;
      entryWords[w + 2] = low >>> 0;
      entryWords[w + 3] = baseHigh + Math.floor(low / TWO32);
    }
  }
  if (shortOffset !== total) throw new Error(`supportsync: string staging counted ${shortOffset} UTF-8 bytes, the encoder wrote ${total}`);
  duckdb.copy_data_to_vector(vector, 0, entries, 0, count * 16);
  return nulls;
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
