/**
 * Segment's second clean-up step, run by the action layer after mapping (mapping itself
 * only drops `undefined`). For each top-level field the action declares with a type:
 *
 * - `""` is removed (Segment removes empty strings at the field level whatever the type);
 * - `null` is removed unless the declared type includes `'null'`.
 *
 * Fields without a declared type, and everything nested inside values, are left alone, as
 * in Segment. The input is not modified.
 */
import { setKey } from './set-key.ts';

export type DeclaredType = string | readonly string[] | undefined;

export function removeEmptyValues(payload: Record<string, unknown>, types: Readonly<Record<string, DeclaredType>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(payload)) {
    const value = payload[key];
    const type = Object.hasOwn(types, key) ? types[key] : undefined;
    if (value === undefined) continue;
    if (type !== undefined) {
      if (value === '') continue;
      if (value === null && !(typeof type === 'string' ? type === 'null' : type.includes('null'))) continue;
    }
    setKey(out, key, value);
  }
  return out;
}
