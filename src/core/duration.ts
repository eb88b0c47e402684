/** Durations as users write them in config and on the command line: `30d`, `12h`, `90m`, `45s`. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d+)\s*(s|m|h|d|w)$/;

export const DURATION_FORM = 'a whole number followed by s, m, h, d or w (e.g. 30d, 12h)';

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}
