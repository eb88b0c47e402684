/**
 * ISO 8601 timestamps as epoch milliseconds, fast: every timestamp of every record goes
 * through here on its way to the warehouse. `Date.parse` costs about 1 µs and a `Date`
 * object per value; this parser reads the one shape APIs actually send
 * (`YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM|±HHMM)`) straight from the char codes and keeps
 * sub-millisecond digits as the fraction of the result (DuckDB stores microseconds).
 * Anything else (no offset, week dates, RFC 2822, ...) falls back to `Date.parse`.
 */

/** Epoch milliseconds of `text` (fractional below 1 ms), or NaN when it is not a date. */
export function parseTimestamp(text: string): number {
  const fast = parseIsoUtc(text);
  return fast === fast ? fast : Date.parse(text); // fast !== fast only for NaN
}

const ZERO = 48;
const MS_PER_DAY = 86_400_000;

function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * One unambiguous instant: the strict shape with an explicit offset (seconds optional, as ISO
 * 8601 allows); NaN for anything else, where parseTimestamp falls back and a strict caller
 * (the emulators' `--now`) refuses.
 */
export function parseIsoUtc(s: string): number {
  const len = s.length;
  if (len < 17 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return NaN; // 'T', 't' or ' '
  const withSeconds = s.charCodeAt(16) === 58;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = withSeconds ? digits(s, 17, 2) : 0;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59)) return NaN;

  let at = withSeconds ? 19 : 16;
  let fraction = 0;
  if (withSeconds && s.charCodeAt(at) === 46) { // '.': any number of digits, kept to the microsecond
    let scale = 100;
    at++;
    const start = at;
    for (; at < len; at++) {
      const d = s.charCodeAt(at) - ZERO;
      if (d < 0 || d > 9) break;
      fraction += d * scale;
      scale /= 10;
    }
    if (at === start) return NaN;
    fraction = Math.round(fraction * 1000) / 1000;
  }

  let offsetMinutes: number;
  const zone = s.charCodeAt(at);
  if ((zone === 90 || zone === 122) && at + 1 === len) offsetMinutes = 0; // 'Z' or 'z'
  else if (zone === 43 || zone === 45) { // '+' or '-'
    const colon = s.charCodeAt(at + 3) === 58;
    if (at + (colon ? 6 : 5) !== len) return NaN;
    const oh = digits(s, at + 1, 2), om = digits(s, at + (colon ? 4 : 3), 2);
    if (!(oh <= 23 && om <= 59)) return NaN;
    offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
  } else return NaN;

  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + fraction;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
