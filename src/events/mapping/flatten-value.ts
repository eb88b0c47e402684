/**
 * `@flatten`: nested objects (and arrays, unless `omitArrays`) become one level of keys
 * joined by the separator, as in mapping-kit: `{a: {b: 1}, c: [2]}` with "." gives
 * `{"a.b": 1, "c.0": 2}`. Empty objects and arrays vanish; leaves keep their value.
 * Nesting past MAX_FLATTEN_DEPTH is kept whole as a leaf rather than recursed into.
 */
import { setKey } from './set-key.ts';

export const MAX_FLATTEN_DEPTH = 64;

export function flattenValue(value: unknown, separator: string, omitArrays: boolean): unknown {
  if (value === null || typeof value !== 'object' || (omitArrays && Array.isArray(value))) return value;
  const out: Record<string, unknown> = {};
  walk(value as object, '', separator, omitArrays, out, 0);
  return out;
}

function walk(node: object, prefix: string, separator: string, omitArrays: boolean, out: Record<string, unknown>, depth: number): void {
  const keys = Object.keys(node);
  for (let i = 0; i < keys.length; i++) {
    const key = prefix === '' ? keys[i] : prefix + separator + keys[i];
    const v = (node as Record<string, unknown>)[keys[i]];
    if (v !== null && typeof v === 'object' && !(omitArrays && Array.isArray(v)) && depth < MAX_FLATTEN_DEPTH) {
      walk(v, key, separator, omitArrays, out, depth + 1);
    } else if (v !== undefined) {
      setKey(out, key, v);
    }
  }
}
