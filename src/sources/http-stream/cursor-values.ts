/**
 * Cursor values are timestamps, compared as instants and never as text: Gladly's
 * `...19.07272933Z` is later than `...19.072Z` although it sorts first as a string.
 * A value becomes a fixed-width key "SSSSSSSSSSSS.NNNNNNNNN" (epoch seconds, offset to stay
 * positive, and nanoseconds) so keys compare correctly as plain strings.
 */
import { parseIsoUtc } from '../../core/iso-time.ts';

const SECONDS_OFFSET = 1e11;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export type CursorKey = string;

function makeKey(epochSeconds: number, nanos: number): CursorKey {
  // Zero-padded by adding a power of ten and dropping its leading 1 (faster than padStart).
  return `${String(epochSeconds + SECONDS_OFFSET + 1e12).slice(1)}.${String(nanos + 1e9).slice(1)}`;
}

function fromEpochMs(ms: number): CursorKey | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  return makeKey(seconds, Math.round((ms - seconds * 1000) * 1e6));
}

/** The sortable key of a timestamp (ISO 8601 string, Date, or epoch milliseconds); undefined if it is none. */
export function cursorKey(value: unknown): CursorKey | undefined {
  if (typeof value === 'string' && value.length === 24 && value.charCodeAt(19) === 46) {
    // `toISOString`'s shape, `YYYY-MM-DDTHH:MM:SS.sssZ`, which most APIs send: the strict
    // char-code parser reads it in a fraction of the time of the general path below (every
    // record's cursor comes through here). Anything it refuses takes that path.
    const ms = parseIsoUtc(value);
    if (ms === ms) return fromEpochMs(ms); // ms !== ms only for NaN
  }
  if (value instanceof Date) return fromEpochMs(value.getTime());
  if (typeof value === 'number') return fromEpochMs(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const m = ISO.exec(value.trim());
  if (!m) return fromEpochMs(Date.parse(value));
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return undefined;
  return makeKey(Math.floor(ms / 1000), Number(frac.padEnd(9, '0')));
}

/** ISO 8601 UTC with milliseconds and a `Z`, rounded DOWN: safe as an inclusive lower bound. */
export function keyToIso(key: CursorKey): string {
  const seconds = Number(key.slice(0, 12)) - SECONDS_OFFSET;
  const nanos = Number(key.slice(13));
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

/** The key `ms` milliseconds earlier. */
export function keyMinusMs(key: CursorKey, ms: number): CursorKey {
  const seconds = Number(key.slice(0, 12)) - SECONDS_OFFSET;
  const nanos = Number(key.slice(13));
  const totalMs = seconds * 1000 - ms;
  const s = Math.floor(totalMs / 1000);
  let n = nanos + (totalMs - s * 1000) * 1e6;
  let sec = s;
  if (n >= 1e9) {
    sec += 1;
    n -= 1e9;
  }
  return makeKey(sec, n);
}
