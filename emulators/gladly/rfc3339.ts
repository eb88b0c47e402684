/**
 * Timestamps at nanosecond precision (bigint nanoseconds since the epoch), printed the
 * way Go's RFC3339Nano does: trailing zeros of the fraction are dropped, so one listing
 * holds `...19Z`, `...19.072Z` and `...19.07272933Z`. Text order then differs from
 * instant order inside a second, which is the trap clients must survive.
 */
export const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

export const msToNs = (ms: number): bigint => BigInt(Math.floor(ms)) * NS_PER_MS;
export const nsToMs = (ns: bigint): number => Number(ns / NS_PER_MS);

/** RFC 3339 in UTC with 0 to 9 fractional digits, trailing zeros trimmed. */
export function formatNs(ns: bigint): string {
  const seconds = ns / NS_PER_S;
  const fraction = (ns % NS_PER_S).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}

/** Whole seconds only, as Gladly prints export windows: `2024-09-15T08:00:00Z`. */
export const formatSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

/** Keeps `digits` fractional digits of `ns` (rounding down). */
export function truncateNs(ns: bigint, digits: number): bigint {
  const unit = 10n ** BigInt(9 - digits);
  return ns - (ns % unit);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 date-time (the ISO 8601 profile Gladly documents); null if invalid. */
export function parseRfc3339(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return null; // 2024-02-31 and the like
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== 'Z' && zone !== 'z') {
    const [h, mm] = zone.slice(1).split(':').map(Number);
    if (h > 23 || mm > 59) return null;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0'));
  return msToNs(ms - offsetMin * 60_000) + fraction;
}
