/**
 * The connector contract. A source is a plain object: a config schema (its `spec`), a
 * connection check, the list of streams it offers (`discover`), and `read`, an async
 * stream of record batches and state checkpoints. The engine knows nothing else about it.
 */
import type { z } from 'zod';
import type { Columns } from '../core/columns.ts';
import type { Logger } from '../core/logger.ts';

export type SyncType = 'INCREMENTAL' | 'FULL_TABLE';
export const SYNC_TYPES: readonly SyncType[] = ['INCREMENTAL', 'FULL_TABLE'];

/** Opaque, JSON-serializable bookmark of one stream, saved with the data it covers. */
export type StreamState = Record<string, unknown>;

/** What a stream is, independent of how it is fetched. */
export interface StreamDescriptor {
  name: string;
  description?: string;
  columns: Columns;
  primaryKey: string[];
  /** The field that orders records for INCREMENTAL syncs. */
  cursorField?: string;
  syncTypes: readonly SyncType[];
  defaultSyncType: SyncType;
}

/** One stream the engine asks a source to read in this run. */
export interface StreamReadRequest {
  stream: StreamDescriptor;
  syncType: SyncType;
  /** The last committed state; absent on a first run and on FULL_TABLE runs. */
  state?: StreamState;
}

export type SourceMessage =
  /** A batch of raw records (a page, usually). */
  | { type: 'records'; stream: string; records: Record<string, unknown>[] }
  /** Everything emitted for `stream` so far is covered by `state`: safe to commit. */
  | { type: 'state'; stream: string; state: StreamState }
  /** Something a user should see in the run record (e.g. history may be missing). */
  | { type: 'warning'; stream: string; message: string };

export interface SourceContext {
  log: Logger;
  signal: AbortSignal;
  /** Counts HTTP requests per stream, for the run record. */
  countRequest(stream: string): void;
}

export interface CheckResult {
  ok: true;
  /** Human lines: what was reached and how (e.g. the base URL and the project). */
  details: string[];
}

/**
 * A view a source derives from its own tables (e.g. Gladly's `conversations` from
 * `conversation_items`). Written in portable SQL: it must run on every warehouse.
 */
export interface ViewDefinition {
  name: string;
  description: string;
  /** The streams whose tables the view reads. */
  dependsOn: string[];
  /** The SELECT, given the quoted qualified table name of each stream. */
  sql(tables: Record<string, string>): string;
}

export interface Source<Config = unknown> {
  /** The `type:` of a source in the config file. */
  type: string;
  title: string;
  /** Validates and types the `config:` block; its JSON Schema is the source's spec. */
  configSchema: z.ZodType<Config>;
  /** Config keys whose values are secrets: redacted everywhere. */
  secretKeys: readonly string[];
  /** Commented YAML for `supportsync init`, the `config:` block only. */
  exampleConfig: string;
  check(config: Config, ctx: SourceContext): Promise<CheckResult>;
  /**
   * The streams this source offers. Without a config (as `init` asks, to write examples) it
   * returns its static catalog.
   */
  discover(config?: Config): StreamDescriptor[];
  /** Views created (or replaced) after every run that synced all their streams. */
  views?: readonly ViewDefinition[];
  /** Reads one stream; the engine commits each `state` message with the records before it. */
  read(config: Config, request: StreamReadRequest, ctx: SourceContext): AsyncIterable<SourceMessage>;
}

/** Identity helper that keeps the config type inferred from the schema. */
export function defineSource<Config>(source: Source<Config>): Source<Config> {
  return source;
}
