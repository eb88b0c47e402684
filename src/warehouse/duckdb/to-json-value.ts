/**
 * Turns DuckDB values into plain JSON-friendly values for `query()`:
 * - integers: a number when it is exactly representable (|n| <= 2^53 - 1), else a decimal string;
 * - DECIMAL: a number; DOUBLE/FLOAT: a number, or "NaN"/"Infinity"/"-Infinity" as strings;
 * - TIMESTAMPTZ and other timestamps: ISO 8601 strings in UTC (`2024-05-01T12:00:00.000Z`,
 *   with microseconds when they are not zero); DATE: `YYYY-MM-DD`;
 * - JSON columns: parsed (objects, arrays, scalars), so callers never parse twice;
 * - LIST/ARRAY: arrays, STRUCT: objects, MAP: objects keyed by the key's text;
 * - everything else (UUID, INTERVAL, TIME, BLOB, ...): DuckDB's own text form.
 */
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

export function toJsonValue(value: DuckDBValue, type: DuckDBType): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'string':
      return type.alias === 'JSON' ? parseJson(value) : value;
  }
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) return isoFromMicros(value.micros, value.isFinite, value);
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMicros(value.millis * 1000n, value.isFinite, value);
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMicros(value.seconds * 1_000_000n, value.isFinite, value);
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoFromMicros(value.nanos / 1000n, value.isFinite, value);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const items = (value as { items: readonly DuckDBValue[] }).items;
    return items.map((item) => toJsonValue(item, type.valueType));
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const entries = (value as { entries: Readonly<Record<string, DuckDBValue>> }).entries;
    return Object.fromEntries(type.entryNames.map((name, i) => [name, toJsonValue(entries[name] ?? null, type.entryTypes[i])]));
  }
  if (type.typeId === DuckDBTypeId.MAP) {
    const entries = (value as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries;
    return Object.fromEntries(entries.map((e) => [String(toJsonValue(e.key, type.keyType)), toJsonValue(e.value, type.valueType)]));
  }
  return String(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isoFromMicros(micros: bigint, finite: boolean, value: { toString(): string }): string {
  if (!finite) return value.toString();
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n); // floor, also before 1970
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return value.toString();
  const iso = date.toISOString();
  const extra = Number(micros - ms * 1000n);
  return extra === 0 ? iso : `${iso.slice(0, -1)}${String(extra).padStart(3, '0')}Z`;
}
