/**
 * The column vocabulary shared by streams and warehouses. Streams declare their columns
 * with these names; each warehouse maps them to its own SQL types; `discover` shows them as
 * JSON Schema. Kept deliberately small: what a support data set needs, nothing more.
 */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';

export const COLUMN_TYPES: readonly ColumnType[] = ['string', 'integer', 'number', 'boolean', 'timestamp', 'json'];

export type Columns = Record<string, ColumnType>;

/** The JavaScript value a column holds once a record is normalized for loading. */
export interface ColumnValue {
  string: string;
  integer: number;
  number: number;
  boolean: boolean;
  /** Epoch milliseconds; a fraction keeps microseconds. */
  timestamp: number;
  /** Serialized JSON text (object, array, or scalar). */
  json: string;
}

/** The record type a stream's column declaration describes (all columns nullable). */
export type RecordOf<C extends Columns> = { [K in keyof C]?: unknown };

/**
 * Type widening, for schema evolution: when a column's declared type changes, the
 * warehouse keeps the wider of the two so no stored value is lost. Anything can widen to
 * `string`; integer widens to number.
 */
export function widenType(from: ColumnType, to: ColumnType): ColumnType {
  if (from === to) return from;
  if ((from === 'integer' && to === 'number') || (from === 'number' && to === 'integer')) return 'number';
  return 'string';
}

/** JSON Schema of one column, as `discover` shows it. */
export function columnJsonSchema(type: ColumnType): Record<string, unknown> {
  switch (type) {
    case 'string': return { type: ['string', 'null'] };
    case 'integer': return { type: ['integer', 'null'] };
    case 'number': return { type: ['number', 'null'] };
    case 'boolean': return { type: ['boolean', 'null'] };
    case 'timestamp': return { type: ['string', 'null'], format: 'date-time' };
    case 'json': return {};
  }
}

export function columnsJsonSchema(columns: Columns): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(columns).map(([name, t]) => [name, columnJsonSchema(t)])),
  };
}
