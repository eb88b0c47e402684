/**
 * Turns one parsed condition into a row predicate for a table. Values are parsed by the
 * field's kind (dates as instants, numbers, booleans, ids) and a bad value is a 400, as
 * with Gleap. Generated rows are tested on their typed columns; stored documents (rows the
 * API created or edited) on their JSON values, so both always agree.
 */
import type { Doc, FieldDef, FieldKind, Table } from '../store/table.ts';
import type { Condition, Operator } from './parse-list-query.ts';
import { QueryError } from './parse-list-query.ts';

export interface CompiledCondition {
  field: string;
  op: Operator;
  test(i: number): boolean;
  /**
   * For `createdAt`/`updatedAt` ranges: the bound, for index lookups. `whole` when the bound
   * is all the condition says (one instant), so the index range alone decides it.
   */
  bound?: { field: 'createdAt' | 'updatedAt'; ms: number; whole: boolean };
  /** For equality on a reference (without `null`): the referenced rows (unknown ids left out). */
  refTargets?: number[];
}

type Scalar = number | string | boolean | null;

export function compileCondition(table: Table, cond: Condition, tables: (name: string) => Table): CompiledCondition {
  const key = cond.op === 'eq' ? cond.field : `${cond.field}${symbolOf(cond.op)}`;
  const def = fieldDef(table, cond.field);
  const kind: FieldKind | null = def?.kind ?? null;
  const wantsNull = cond.op === 'eq' && cond.values.includes('null');
  const parsed = cond.values.filter((v) => !(wantsNull && v === 'null')).map((v) => parseValue(kind, v, key));
  const matchScalar = scalarMatcher(cond.op, parsed, wantsNull);

  const slow = (doc: Doc): boolean => matchJson(valueAt(doc, cond.field), kind, cond.op, cond.values, parsed, wantsNull, matchScalar);
  const known = table.knownFields.has(cond.field.split('.')[0]);
  let fast: (i: number) => boolean;
  let refTargets: number[] | undefined;
  if (def) {
    fast = fastMatcher(def, cond.op, parsed, wantsNull, matchScalar, tables);
    if (def.kind === 'ref' && cond.op === 'eq' && !wantsNull) {
      const target = tables(def.target);
      refTargets = (parsed as string[]).map((id) => target.indexOf(id, true)).filter((t) => t >= 0);
    }
  } else if (known) {
    fast = (i) => slow(table.generate(i));
  } else {
    fast = () => wantsNull; // generated documents never have this field
  }
  const docs = table.docs;
  const test = (i: number): boolean => {
    if (docs.size > 0) {
      const doc = docs.get(i);
      if (doc) return slow(withIdentity(table, i, doc));
    }
    return fast(i);
  };
  const compiled: CompiledCondition = { field: cond.field, op: cond.op, test, refTargets };
  if ((cond.field === 'createdAt' || cond.field === 'updatedAt') && cond.op !== 'eq') {
    compiled.bound = { field: cond.field, ms: parsed[0] as number, whole: parsed.length === 1 };
  }
  return compiled;
}

/** The field definition, with the identity and timestamp fields every table has. */
export function fieldDef(table: Table, field: string): FieldDef | undefined {
  if (field === '_id' || field === 'id') return { kind: 'ref', target: table.name, get: (i) => i };
  if (field === 'createdAt') return { kind: 'date', get: (i) => table.createdAt[i] };
  if (field === 'updatedAt') return { kind: 'date', get: (i) => table.updatedAt[i] };
  const def = table.fields[field];
  if (def) return def;
  if (table.dateFields.has(field)) {
    return { kind: 'date', get: (i) => toInstant(table.generate(i)[field]) ?? NaN };
  }
  return undefined;
}

function symbolOf(op: Operator): string {
  return { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parses an instant: ISO 8601 (no zone = UTC) or epoch milliseconds. NaN when invalid. */
export function parseInstant(value: string): number {
  const s = value.trim();
  if (/^\d{10,}$/.test(s)) return Number(s);
  const m = ISO_INSTANT.exec(s);
  if (!m) return NaN;
  let text = s.replace(' ', 'T');
  if (text.length > 10 && !m[1]) text += 'Z';
  // JavaScript dates hold milliseconds: drop finer digits rather than reject them.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(text);
}

function parseValue(kind: FieldKind | null, value: string, key: string): Scalar {
  switch (kind) {
    case 'date': {
      const ms = parseInstant(value);
      if (Number.isNaN(ms)) throw new QueryError(`Invalid date "${value}" for "${key}": expected ISO 8601 such as 2025-09-01T00:00:00.000Z`);
      return ms;
    }
    case 'number': {
      const n = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(n)) throw new QueryError(`Invalid number "${value}" for "${key}"`);
      return n;
    }
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new QueryError(`Invalid boolean "${value}" for "${key}": expected true or false`);
    default:
      return value;
  }
}

function scalarMatcher(op: Operator, parsed: Scalar[], wantsNull: boolean): (v: Scalar) => boolean {
  if (op === 'eq') {
    const set = new Set<Scalar>(parsed);
    return (v) => (v === null ? wantsNull : set.has(v));
  }
  const x = parsed[0] as number | string | boolean;
  switch (op) {
    case 'gt': return (v) => v !== null && v > x;
    case 'gte': return (v) => v !== null && v >= x;
    case 'lt': return (v) => v !== null && v < x;
    case 'lte': return (v) => v !== null && v <= x;
  }
}

function fastMatcher(
  def: FieldDef,
  op: Operator,
  parsed: Scalar[],
  wantsNull: boolean,
  match: (v: Scalar) => boolean,
  tables: (name: string) => Table,
): (i: number) => boolean {
  switch (def.kind) {
    case 'date':
    case 'number':
      return (i) => {
        const v = def.get(i);
        return match(Number.isNaN(v) ? null : v);
      };
    case 'boolean':
    case 'string':
      return (i) => match(def.get(i));
    case 'strings':
      return (i) => {
        const arr = def.get(i);
        return arr.length === 0 ? op === 'eq' && wantsNull : arr.some((v) => match(v));
      };
    case 'ref': {
      const target = tables(def.target);
      if (op === 'eq') {
        const rows = new Set((parsed as string[]).map((id) => target.indexOf(id, true)).filter((t) => t >= 0));
        return (i) => {
          const t = def.get(i);
          return t < 0 ? wantsNull : rows.has(t);
        };
      }
      return (i) => {
        const t = def.get(i);
        return match(t < 0 ? null : target.idOf(t));
      };
    }
  }
}

/** Reads a (possibly dotted) path of a document. */
function valueAt(doc: Doc, path: string): unknown {
  if (!path.includes('.')) return doc[path];
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function matchJson(
  value: unknown,
  kind: FieldKind | null,
  op: Operator,
  raw: string[],
  parsed: Scalar[],
  wantsNull: boolean,
  match: (v: Scalar) => boolean,
): boolean {
  if (value === undefined || value === null) return op === 'eq' && wantsNull;
  if (Array.isArray(value)) {
    return value.some((v) => matchJson(v, kind === 'strings' ? 'string' : kind, op, raw, parsed, wantsNull, match));
  }
  switch (kind) {
    case 'date':
      return match(toInstant(value));
    case 'number':
      return match(typeof value === 'number' ? value : null);
    case 'boolean':
      return match(typeof value === 'boolean' ? value : null);
    case 'ref':
      return match(idText(value));
    case 'string':
    case 'strings':
      return match(typeof value === 'string' ? value : String(value));
    case null: {
      // Unknown field: compare by the stored value's own type.
      if (typeof value === 'number') return scalarMatcher(op, raw.map(Number), wantsNull)(value);
      if (typeof value === 'boolean') return scalarMatcher(op, raw.map((r) => r === 'true'), wantsNull)(value);
      if (typeof value === 'string' && op !== 'eq') {
        const a = parseInstant(value);
        const b = parseInstant(raw[0]);
        if (!Number.isNaN(a) && !Number.isNaN(b)) return scalarMatcher(op, [b], false)(a);
      }
      return match(typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
}

function toInstant(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const ms = parseInstant(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { _id?: unknown })._id === 'string') return (value as { _id: string })._id;
  return null;
}

/** A stored document with the identity and timestamps every document has. */
function withIdentity(table: Table, i: number, doc: Doc): Doc {
  const id = table.idOf(i);
  return { ...doc, _id: id, id, createdAt: table.createdAt[i], updatedAt: table.updatedAt[i] };
}
