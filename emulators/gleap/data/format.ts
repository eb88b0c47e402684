/** Small formatting helpers shared by the document builders. */

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const dayPrefix = new Map<number, string>();

/**
 * ISO 8601 with milliseconds and Z (as `Date#toISOString`), or null for NaN. Documents
 * carry many dates, so the calendar part is cached per day.
 */
export function iso(ms: number): string | null {
  if (Number.isNaN(ms)) return null;
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (prefix.length !== 11) return new Date(t).toISOString(); // outside years 0-9999
    if (dayPrefix.size > 50_000) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  let rest = t - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}

const filled = new Map<string, string>();

/** `{area}` and friends filled in (memoized: templates and values come from small lists). */
export function fill(template: string, vars: Record<string, string>): string {
  const key = `${template}\u0000${Object.values(vars).join('\u0000')}`;
  let out = filled.get(key);
  if (out === undefined) {
    out = template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
    if (filled.size > 10_000) filled.clear();
    filled.set(key, out);
  }
  return out;
}

const slugs = new Map<string, string>();

/** Lowercase ASCII for e-mail addresses and slugs (Müller -> muller). */
export function slug(s: string): string {
  let out = slugs.get(s);
  if (out === undefined) {
    out = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
    if (slugs.size > 10_000) slugs.clear();
    slugs.set(s, out);
  }
  return out;
}

/** Arrays of names for every bitmask over `names` (masks are how tags are stored). */
export function maskTable(names: readonly string[]): readonly (readonly string[])[] {
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << names.length; mask++) out.push(names.filter((_, b) => mask & (1 << b)));
  return out;
}

/** The bitmask of `values` over `names` (unknown values ignored). */
export function maskOf(names: readonly string[], values: readonly string[]): number {
  let mask = 0;
  for (const v of values) {
    const b = names.indexOf(v);
    if (b >= 0) mask |= 1 << b;
  }
  return mask;
}
