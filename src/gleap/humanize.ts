/**
 * Numbers as a support lead reads them: durations from seconds (`rawValue` 6570.52 ->
 * "1 h 50 min"), changes as signed percentages, counts with thousands separators. Rounded
 * to the unit shown, never truncated.
 */

/** Seconds as "45 s", "4 min 10 s", "38 min", "1 h 50 min", "2 d 3 h". */
export function humanizeSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 59.5) return `${sign}${Math.round(s)} s`;
  if (s < 600) {
    const total = Math.round(s);
    const rest = total % 60;
    return `${sign}${Math.floor(total / 60)} min${rest ? ` ${rest} s` : ''}`;
  }
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${sign}${minutes} min`;
  if (minutes < 24 * 60) {
    const rest = minutes % 60;
    return `${sign}${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
  }
  const hours = Math.round(s / 3600);
  const rest = hours % 24;
  return `${sign}${Math.floor(hours / 24)} d${rest ? ` ${rest} h` : ''}`;
}

/** A change in percent with its sign: "+12.5%", "-3%", "±0%"; null (no previous value) is "n/a". */
export function signedPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  const rounded = Number(value.toFixed(digits));
  if (rounded === 0) return '±0%';
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

/** 12345 -> "12,345"; fractions keep up to two digits. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
