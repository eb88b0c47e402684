/**
 * Parses a Gleap list query string. The comparison operator is part of the key:
 * `updatedAt>=2025-09-01T00:00:00.000Z`. Clients send it in three shapes, all accepted:
 *   `updatedAt%3E%3D2025-09-01T00%3A00%3A00.000Z`  the whole pair encoded (no `=` at all)
 *   `updatedAt%3E%3D=2025-09-01T00:00:00.000Z`      the operator encoded in the key
 *   `updatedAt>=2025-09-01T00:00:00.000Z`           raw; must not be read as key `updatedAt>`
 * so the raw string is split by hand: a literal `>`/`<` before the first `=` is the
 * operator, and a pair without `=` is decoded first and then split at its operator.
 *
 * Comma lists in an equality mean "any of" (`type=BUG,FEATURE_REQUEST`); a repeated
 * equality key adds to the list; repeated range keys all apply. `+` decodes as a space
 * (form encoding), which is why timestamps must be sent with `Z`, not `+00:00`.
 */
export type Operator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

export interface Condition {
  field: string;
  op: Operator;
  /** One value for range operators; any-of values for `eq`. */
  values: string[];
}

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface ListQuery {
  conditions: Condition[];
  sort: SortKey[];
  limit: number | null;
  skip: number;
  /** Endpoint options (`paginated`, `before`, `searchTerm`, ...): not filters. */
  options: Map<string, string>;
}

/** A malformed query: the endpoint answers 400 with this message. */
export class QueryError extends Error {
  override name = 'QueryError';
}

const OPERATOR_SUFFIX = /^(.*?)(>=|<=|>|<)$/;
const OPS: Record<string, Operator> = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' };

export function parseListQuery(rawQuery: string, optionNames: ReadonlySet<string> = new Set()): ListQuery {
  const query: ListQuery = { conditions: [], sort: [], limit: null, skip: 0, options: new Map() };
  const equalities = new Map<string, Condition>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const { key, op, value } = splitPair(part);
    if (key === '') throw new QueryError(`Malformed query parameter "${part}"`);
    if (op === 'eq' && (key === 'sort' || key === 'limit' || key === 'skip' || optionNames.has(key))) {
      applyOption(query, key, value);
      continue;
    }
    if (op !== 'eq') {
      query.conditions.push({ field: key, op, values: [value] });
      continue;
    }
    const values = value.split(',');
    const existing = equalities.get(key);
    if (existing) existing.values.push(...values);
    else {
      const cond: Condition = { field: key, op, values };
      equalities.set(key, cond);
      query.conditions.push(cond);
    }
  }
  return query;
}

function splitPair(part: string): { key: string; op: Operator; value: string } {
  const eq = part.indexOf('=');
  const head = eq < 0 ? part : part.slice(0, eq);
  const rawOp = head.search(/[<>]/);
  if (rawOp >= 0) {
    // Raw operator: `updatedAt>=X`, `updatedAt>X`, `createdAt<X`.
    const opChar = part[rawOp];
    const withEq = part[rawOp + 1] === '=';
    return {
      key: decode(part.slice(0, rawOp)),
      op: OPS[withEq ? opChar + '=' : opChar],
      value: decode(part.slice(rawOp + (withEq ? 2 : 1))),
    };
  }
  if (eq < 0) {
    // The whole pair encoded as one: `updatedAt%3E%3D2025-09-01T00%3A00%3A00.000Z`.
    const whole = decode(part);
    const m = /^(.*?)(>=|<=|>|<)(.*)$/.exec(whole);
    if (m && m[1] !== '') return { key: m[1], op: OPS[m[2]], value: m[3] };
    return { key: whole, op: 'eq', value: '' };
  }
  const key = decode(head);
  const value = decode(part.slice(eq + 1));
  const m = OPERATOR_SUFFIX.exec(key);
  if (m && m[1] !== '') return { key: m[1], op: OPS[m[2]], value };
  return { key, op: 'eq', value };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new QueryError(`Malformed percent-encoding in "${s}"`);
  }
}

function applyOption(query: ListQuery, key: string, value: string): void {
  if (key === 'limit' || key === 'skip') {
    if (!/^\d+$/.test(value.trim())) {
      throw new QueryError(`Invalid ${key} "${value}": expected a non-negative integer`);
    }
    const n = Number(value);
    if (key === 'limit') query.limit = n;
    else query.skip = n;
    return;
  }
  if (key === 'sort') {
    query.sort = [];
    for (const raw of value.split(',')) {
      const item = raw.trim();
      const desc = item.startsWith('-');
      const field = item.replace(/^[-+ ]/, '').trim();
      if (field === '') throw new QueryError(`Invalid sort "${value}": expected a field name, "-" for descending`);
      query.sort.push({ field, desc });
    }
    return;
  }
  query.options.set(key, value);
}
