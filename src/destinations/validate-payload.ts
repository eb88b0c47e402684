/**
 * Checks a mapped payload against an action's fields: the "drop empty values -> validate"
 * steps of the pipeline, compiled once per action into one pass over the declared fields.
 *
 * Empty values as Segment's removeEmptyValues treats typed fields: `""` and `null` count as
 * absent (every action field has a type). Values are coerced where the intent is
 * unambiguous, because events from real apps carry them: a numeric userId becomes a
 * string, "12.5" a number, "true" a boolean, and every datetime becomes ISO 8601 UTC.
 *
 * A required field that is missing or unusable filters the event out with a reason (as in
 * Segment, where the event fails validation). An optional field that is unusable is left
 * out and reported, rather than sinking the whole event for one bad trait.
 */
import type { FieldType, Fields } from './define-action.ts';

export type PayloadCheck =
  | { ok: true; payload: Record<string, unknown>; /** Optional fields left out, with why. */ dropped: string[] }
  | { ok: false; filteredBecause: string };

export type PayloadValidator = (payload: Record<string, unknown>) => PayloadCheck;

const INVALID = Symbol('invalid');

const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;
/** ISO 8601 dates and date-times (what Segment's `date-time` format and Date.parse agree on). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const SECONDS_LIMIT = 1e11;
const NO_DROPS: string[] = [];

export const TYPE_NAMES: Record<FieldType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  datetime: 'an ISO 8601 date-time',
  object: 'an object',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function toIso(ms: number): string | typeof INVALID {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? INVALID : d.toISOString();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written by `n` digits at `from`, or -1. */
function digitsAt(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The fast path for the common UTC form `YYYY-MM-DDTHH:MM:SS[.fff…](Z|+00:00)`: checks the
 * ranges and returns the text as toISOString would print it (most often the text itself),
 * without building a Date. Anything else returns undefined and takes the general path.
 */
function utcIso(s: string): string | undefined {
  const len = s.length;
  if (len < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let i = 19;
  let fraction = 0;
  if (s.charCodeAt(i) === 46) {
    while (i + 1 + fraction < len && digitsAt(s, i + 1 + fraction, 1) >= 0) fraction++;
    if (fraction === 0) return undefined;
    i += 1 + fraction;
  }
  const zone = s.slice(i);
  if (zone !== 'Z' && zone !== '+00:00') return undefined;
  if (fraction === 3 && zone === 'Z') return s;
  // Date keeps milliseconds: more digits are cut, fewer padded.
  const ms = fraction === 0 ? '000' : s.slice(20, 20 + Math.min(fraction, 3)).padEnd(3, '0');
  return `${s.slice(0, 19)}.${ms}Z`;
}

/** Date would roll 02-30 into March and 24:00 into the next day; a typo should not move a date. */
function calendarValid(text: string): boolean {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  return text.length < 13 || digitsAt(text, 11, 2) <= 23;
}

/** One small function per type: the validator calls the field's own, never a switch. */
const COERCE: Readonly<Record<FieldType, (v: unknown) => unknown>> = {
  string: (v) => (typeof v === 'string' ? v : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? String(v) : INVALID),
  number: (v) => (typeof v === 'number' ? (Number.isFinite(v) ? v : INVALID) : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : INVALID),
  integer: (v) => {
    const n = COERCE.number(v);
    return typeof n === 'number' && Number.isInteger(n) ? n : INVALID;
  },
  boolean: (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : INVALID),
  datetime: (v) => {
    if (typeof v === 'string') {
      const fast = utcIso(v);
      if (fast !== undefined) return fast;
      const text = v.trim();
      if (!ISO_DATE.test(text) || !calendarValid(text)) return INVALID;
      // A date-time without a zone is UTC, the way Segment's timestamps are meant.
      const zoned = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text) || !/[T ]/.test(text) ? text : `${text}Z`;
      return toIso(Date.parse(zoned.replace(' ', 'T')));
    }
    if (typeof v === 'number' && Number.isFinite(v)) return toIso(Math.abs(v) < SECONDS_LIMIT ? v * 1000 : v);
    return INVALID;
  },
  object: (v) => (isObject(v) ? v : INVALID),
};

export function coerceValue(type: FieldType, v: unknown): unknown {
  return COERCE[type](v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return typeof v === 'object' ? 'an object' : String(v);
}

/**
 * Compiles the checks of `fields` (names, types and requiredness read once, not per event).
 * The validator owns `payload` (a fresh object from the mapping): it coerces in place and
 * sets absent or unusable fields to undefined rather than copying the object.
 */
export function compileValidator(fields: Fields): PayloadValidator {
  const list = Object.keys(fields).map((name) => ({ name, type: fields[name]!.type, coerce: COERCE[fields[name]!.type], required: fields[name]!.required === true }));
  return (payload) => {
    let dropped = NO_DROPS;
    for (let i = 0; i < list.length; i++) {
      const { name, type, coerce, required } = list[i]!;
      const value = payload[name];
      if (value === undefined) {
        if (required) return { ok: false, filteredBecause: `${name} is missing` };
        continue;
      }
      if (value === null || value === '') {
        if (required) return { ok: false, filteredBecause: `${name} is missing` };
        payload[name] = undefined;
        continue;
      }
      const coerced = coerce(value);
      if (coerced === INVALID) {
        if (required) return { ok: false, filteredBecause: `${name} is not ${TYPE_NAMES[type]}` };
        if (dropped === NO_DROPS) dropped = [];
        dropped.push(`${name} (${describe(value)} is not ${TYPE_NAMES[type]})`);
        payload[name] = undefined;
        continue;
      }
      if (coerced !== value) payload[name] = coerced;
    }
    return { ok: true, payload, dropped };
  };
}

/** Validates and coerces a copy of `payload` (compile once with compileValidator for many events). */
export function validatePayload(payload: Record<string, unknown>, fields: Fields): PayloadCheck {
  const check = compileValidator(fields)({ ...payload });
  if (!check.ok) return check;
  // Absent fields leave no key behind in this one-off form.
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(check.payload)) if (v !== undefined) clean[k] = v;
  return { ok: true, payload: clean, dropped: check.dropped };
}
