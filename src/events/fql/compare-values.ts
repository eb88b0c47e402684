/**
 * How a field's value compares with a literal. One definition, used by both the compiled
 * trigger and the reference evaluator, so they cannot drift apart.
 *
 * Equality is Segment's (its action runtime compares `String(actual) === String(expected)`)
 * minus its accidents: a string, number or boolean equals a literal when their text is
 * the same (`5 = "5"`, `"true" = true`), case-sensitively; objects, arrays and missing
 * fields never equal a literal (Segment would let a missing field equal "undefined").
 * `= null` means missing or null.
 */
import type { Literal } from './ast.ts';

export function equalsLiteral(value: unknown, literal: Literal): boolean {
  if (literal === null) return value === undefined || value === null;
  if (value === literal) return true;
  switch (typeof value) {
    case 'string':
      return value === String(literal);
    case 'number':
    case 'boolean':
      return String(value) === String(literal);
    default:
      return false;
  }
}

/** A strict decimal: no hex, no "Infinity", no blank string counting as 0. */
const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * The number a value stands for in `<`, `<=`, `>`, `>=`: numbers as they are, numeric
 * strings as their number (events often carry "42"), anything else NaN so every
 * comparison is false. Segment's `Number(actual)` would also turn null, "" and false into 0.
 */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return NaN;
}
