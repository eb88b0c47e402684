/**
 * A run as people read it, in `sync` and `runs`: a header (source, run id, status, start), a
 * table of its streams, where their tables are, then its warnings and errors once each, all
 * fitted to the terminal's width. `--json` carries every detail instead.
 */
import type { RunRecord } from '../../warehouse/warehouse.ts';
import { formatDuration, formatTable, outputWidth, wrapLine } from '../output.ts';

export function printRunBlock(run: RunRecord, width = outputWidth(), blankLineBefore = false): void {
  const out: string[] = blankLineBefore ? [''] : [];
  const status = run.durationMs === undefined ? run.status : `${run.status} in ${formatDuration(run.durationMs)}`;
  const started = `started ${run.startedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC (${run.trigger})`;
  out.push(...wrapLine([`${run.source} run ${run.runId}`, status, started].join(' · '), width, 2, ' · '));

  const streams = Object.entries(run.streams);
  if (streams.length > 0) {
    const rows = streams.map(([stream, s]) => ({
      stream, records: s.records, new: s.inserted, updated: s.updated, requests: s.requests, time: formatDuration(s.durationMs), status: s.status,
    }));
    out.push(...formatTable(rows).split('\n').map((l) => `  ${l}`));
    out.push(...wrapLine(`  ${tablesLine(streams)}`, width, 4));
  }
  process.stdout.write(out.join('\n') + '\n');
  printRunNotes(run, width);
}

/**
 * Where a run's tables are, in one line: a name with `<stream>` in it for the streams whose
 * tables follow it (`"raw"."gleap__<stream>"`), then each other stream's table by name.
 */
function tablesLine(streams: [string, { table: string }][]): string {
  if (streams.length === 1) return `table: ${streams[0]![1].table}`;
  const shapeOf = (stream: string, table: string) => {
    const at = table.lastIndexOf(stream);
    return at < 0 ? table : `${table.slice(0, at)}<stream>${table.slice(at + stream.length)}`;
  };
  const byShape = new Map<string, string[]>();
  for (const [stream, { table }] of streams) {
    const shape = shapeOf(stream, table);
    byShape.set(shape, [...(byShape.get(shape) ?? []), stream]);
  }
  const [shape, following] = [...byShape].reduce((a, b) => (b[1].length > a[1].length ? b : a));
  if (following.length < 2) return `tables: ${streams.map(([stream, { table }]) => `${stream} in ${table}`).join(', ')}`;
  const others = streams.filter(([stream]) => !following.includes(stream)).map(([stream, { table }]) => `, ${stream} in ${table}`);
  return `tables: ${shape}${others.join('')}`;
}

/** The run's warnings and errors under its table, each line fitted to the terminal's width. */
export function printRunNotes(run: RunRecord, width = outputWidth()): void {
  for (const note of runNotes(run)) process.stdout.write(wrapLine(note, width, 4).join('\n') + '\n');
}

/**
 * The run's warnings (`  ! streams: text`) and errors (`  ✘ stream: text`), one line each;
 * lines wrap under the text after the mark. The run's own error is added when it is not a
 * stream's (a failed view, an interrupted run).
 */
function runNotes(run: RunRecord): string[] {
  // A warning about the whole source (failed export jobs, a history gap) is said by each of
  // its streams: it is said once, naming them all.
  const said = new Map<string, string[]>();
  for (const [stream, s] of Object.entries(run.streams)) for (const w of s.warnings) said.set(w, [...(said.get(w) ?? []), stream]);
  const notes = [...said].map(([w, streams]) => `  ! ${streams.join(', ')}: ${w}`);
  const streamErrors: string[] = [];
  for (const [stream, s] of Object.entries(run.streams)) if (s.error) streamErrors.push(`${stream}: ${s.error}`);
  if (run.error && !streamErrors.includes(run.error)) streamErrors.push(run.error);
  return [...notes, ...streamErrors.map((e) => `  ✘ ${e}`)];
}
