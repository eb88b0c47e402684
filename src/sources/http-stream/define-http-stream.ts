/**
 * A REST stream declared as data: what it is (the StreamDescriptor the engine sees) plus how
 * to fetch it (path, fixed params, where the records are, paginator, incremental filter).
 * `readHttpStream` does the rest. Declarations are checked once, when the module loads.
 */
import { SupportSyncError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { QueryPairs } from '../../core/http/query-string.ts';
import type { SourceContext, StreamDescriptor } from '../source.ts';
import type { RawRecord, RecordsPath } from './extract-records.ts';
import type { Paginator } from './paginators.ts';
import { paginatorProblems } from './paginators.ts';

export interface IncrementalSpec {
  /** Query pairs selecting records with cursor >= `from` (ISO 8601 UTC with `Z`). See `operatorFilter`. */
  filterParam: (from: string) => QueryPairs;
  /** Query pairs that sort ascending by the cursor field, e.g. `[['sort', 'updatedAt']]`. */
  sort?: QueryPairs;
  /** A new run starts this long before the saved cursor, to catch late-visible writes. Default 0. */
  lookbackMs?: number;
  /**
   * `ascending` (default): the API returns records sorted by the cursor, so the reader can
   * checkpoint after every page. `unsorted`: one checkpoint, when the stream is complete.
   */
  order?: 'ascending' | 'unsorted';
}

/** One parent of a child stream (e.g. a survey whose responses are read). */
export interface ParentContext {
  /** Values for the `{name}` placeholders of the path. */
  vars: Readonly<Record<string, string | number>>;
  /** Identifies the parent in the stream state; default: the vars. */
  key?: string;
  /** The parent record, handed to `transform` (e.g. to copy the survey id onto responses). */
  record?: RawRecord;
}

export interface ReadHttpStreamOptions {
  /** First INCREMENTAL run and FULL_TABLE runs read from here (ISO 8601). Absent: from the beginning. */
  startDate?: string | Date;
  /** Cap on remembered record ids inside the lookback window. */
  maxRecentIds?: number;
}

export interface HttpStreamDef extends StreamDescriptor {
  /** Relative to the client's base URL; `{name}` placeholders are filled from `forEachParent`. */
  path: string;
  /** Fixed query pairs sent with every request. */
  params?: QueryPairs;
  /** Where the records are in a response body; absent for a bare array. */
  recordsPath?: RecordsPath;
  paginator: Paginator;
  /** Required when the stream offers INCREMENTAL; also used by FULL_TABLE to read from the start date. */
  incremental?: IncrementalSpec;
  /** Per record, after fetching (e.g. set `id` from `_id`). Must return a record: nothing is dropped here. */
  transform?: (record: RawRecord, parent?: ParentContext) => RawRecord;
  /** For child streams: yields each parent whose records the path reads. */
  forEachParent?: (client: HttpClient, ctx: SourceContext, opts: ReadHttpStreamOptions) => AsyncIterable<ParentContext>;
}

/** Gleap style: the operator is part of the key, `updatedAt>=2025-09-01T00:00:00.000Z`. */
export function operatorFilter(field: string, op: '>=' | '>' = '>='): (from: string) => QueryPairs {
  return (from) => [[`${field}${op}`, from]];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export function defineHttpStream(def: HttpStreamDef): HttpStreamDef {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(def.name)) problems.push('name must be snake_case (a-z, 0-9, _)');
  if (def.primaryKey.length === 0) problems.push('primaryKey must name at least one column');
  for (const col of def.primaryKey) if (!(col in def.columns)) problems.push(`primaryKey column "${col}" is not in columns`);
  if (def.cursorField !== undefined && !(def.cursorField in def.columns)) problems.push(`cursorField "${def.cursorField}" is not in columns`);
  if (def.syncTypes.length === 0) problems.push('syncTypes must not be empty');
  if (!def.syncTypes.includes(def.defaultSyncType)) problems.push(`defaultSyncType ${def.defaultSyncType} is not one of syncTypes (${def.syncTypes.join(', ')})`);
  if (def.syncTypes.includes('INCREMENTAL')) {
    if (!def.cursorField) problems.push('INCREMENTAL needs a cursorField');
    if (!def.incremental) problems.push('INCREMENTAL needs an incremental spec (filterParam, sort, lookbackMs)');
  }
  if (def.incremental) {
    if (typeof def.incremental.filterParam !== 'function') problems.push('incremental.filterParam must be a function');
    if (def.incremental.lookbackMs !== undefined && !(def.incremental.lookbackMs >= 0)) problems.push('incremental.lookbackMs must be >= 0');
    if (!def.cursorField) problems.push('incremental needs a cursorField');
  }
  problems.push(...paginatorProblems(def.paginator));
  if (pathPlaceholders(def.path).length > 0 && !def.forEachParent) {
    problems.push(`path ${def.path} has placeholders but no forEachParent fills them`);
  }
  if (problems.length > 0) {
    throw new SupportSyncError(`stream "${def.name}" is declared wrongly: ${problems.join('; ')}.`, {
      code: 'STREAM_DEFINITION',
      phase: 'config',
    });
  }
  return Object.freeze(def);
}

// What a stream declaration needs, importable from this one file.
export { recordsFrom } from './extract-records.ts';
export type { RawRecord, RecordsPath } from './extract-records.ts';
export type { Paginator } from './paginators.ts';
