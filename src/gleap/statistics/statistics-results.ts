/**
 * Statistics in one normalized form, whatever answered (Gleap, the emulator, the
 * warehouse) and whichever of the documented shapes it used. Renderers and the
 * reconciliation only ever see these types; statistics-schemas.ts produces them.
 */
export interface FactResult {
  chartType: string;
  title: string;
  /** As Gleap formats it for display (with `valueUnit`); may be text. */
  value: number | string | null;
  /** The number: a count, seconds for durations, a rating. */
  rawValue: number | null;
  valueUnit: string | null;
  /** Percent change versus the previous period of equal length. */
  progressValue: number | null;
}

export interface ChartPoint {
  label: string;
  value: number | null;
}

export interface ChartResult {
  chartType: string;
  title: string;
  series: { name: string; points: ChartPoint[] }[];
}

export interface HeatmapResult {
  chartType: string;
  title: string;
  /** One row per weekday (Monday first), 24 hourly values each. */
  rows: { name: string; hours: number[] }[];
}

export interface ListColumnInfo {
  key: string;
  title: string;
  unit?: string;
}

export interface ListResult {
  chartType: string;
  title: string;
  columns: ListColumnInfo[];
  /** Rows as Gleap sends them: cells are `{value, rawValue, progressValue}` or plain values. */
  rows: Record<string, unknown>[];
  totalCount: number | null;
}

/** A list cell's number: `rawValue` of a cell object, or the value itself when numeric. */
export function cellNumber(cell: unknown): number | null {
  if (typeof cell === 'number') return cell;
  if (cell && typeof cell === 'object' && 'rawValue' in cell) {
    const raw = (cell as { rawValue: unknown }).rawValue;
    return typeof raw === 'number' ? raw : raw === null || raw === undefined ? null : Number(raw);
  }
  return null;
}

/** How a person names an agent reference cell: "First Last", else the e-mail, else the id. */
export function refName(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'object') return String(cell);
  const r = cell as Record<string, unknown>;
  const name = [r.firstName, r.lastName].filter((p) => typeof p === 'string' && p).join(' ');
  return name || (typeof r.email === 'string' && r.email) || (typeof r.name === 'string' && r.name) || String(r.id ?? r._id ?? '');
}

/** The id of an agent reference cell (an object with id/_id, or an id string). */
export function refId(cell: unknown): string | null {
  if (typeof cell === 'string') return cell;
  if (cell && typeof cell === 'object') {
    const r = cell as Record<string, unknown>;
    const id = r.id ?? r._id;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
