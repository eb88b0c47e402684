/**
 * Decides what one run reads: which streams (names or globs from the config and the
 * command line), with which sync type, into which table.
 */
import { closestName } from '../core/edit-distance.ts';
import { ConfigError } from '../core/errors.ts';
import type { SourceEntry, StreamOptions } from '../config/config-schema.ts';
import type { StreamDescriptor, SyncType } from '../sources/source.ts';
import { placementProblem, tableNameOf } from '../warehouse/placement.ts';
import type { TablePlacement } from '../warehouse/warehouse.ts';

export interface PlannedStream {
  stream: StreamDescriptor;
  syncType: SyncType;
  placement: TablePlacement;
  /**
   * Ignore the saved state: a full re-read of a stream that offers only INCREMENTAL (e.g. an
   * export-job stream, where replacing the table would drop history the API no longer has).
   */
  fromScratch?: boolean;
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

const isGlob = (s: string) => /[*?]/.test(s);

/** Streams matching `patterns`, in the source's own order. Unmatched patterns are errors. */
function match(streams: StreamDescriptor[], patterns: string[], key: string): StreamDescriptor[] {
  const chosen = new Set<string>();
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const hits = streams.filter((s) => re.test(s.name));
    if (hits.length === 0) throw matchesNothing(key, pattern, streams.map((s) => s.name));
    hits.forEach((s) => chosen.add(s.name));
  }
  return streams.filter((s) => chosen.has(s.name));
}

function matchesNothing(key: string, pattern: string, names: string[]): ConfigError {
  const hint = isGlob(pattern) ? undefined : closestName(pattern, names, 2);
  return new ConfigError(key, `${isGlob(pattern) ? 'pattern' : 'stream'} "${pattern}" matches no stream; ${hint ? `did you mean ${hint}? ` : ''}expected one of ${[...new Set(names)].join(', ')}`);
}

/**
 * `--streams` for a run of several sources: each source gets the patterns that match some of
 * its streams, and a source that none match is left out of the run (`--streams tickets` on a
 * Gleap + Gladly config syncs Gleap's tickets). A pattern that matches no stream of any source
 * is an error, raised before anything runs.
 */
export function streamsPerSource(catalogs: { source: string; streams: string[] }[], patterns: string[]): Map<string, string[]> {
  const perSource = new Map(catalogs.map((c) => [c.source, [] as string[]]));
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const hits = catalogs.filter((c) => c.streams.some((name) => re.test(name)));
    if (hits.length === 0) throw matchesNothing('--streams', pattern, catalogs.flatMap((c) => c.streams));
    for (const c of hits) perSource.get(c.source)!.push(pattern);
  }
  return perSource;
}

/** Options for one stream: the first config entry (exact name before globs) that matches it. */
function optionsFor(entry: SourceEntry, name: string): StreamOptions {
  const streams = entry.streams;
  if (!streams || Array.isArray(streams)) return {};
  if (streams[name]) return streams[name] ?? {};
  for (const [pattern, options] of Object.entries(streams)) {
    if (isGlob(pattern) && globToRegExp(pattern).test(name)) return options ?? {};
  }
  return {};
}

export function planStreams(
  entry: SourceEntry,
  available: StreamDescriptor[],
  opts: { only?: string[]; full?: boolean; sourceIndex?: number } = {},
): PlannedStream[] {
  const key = `sources[${opts.sourceIndex ?? 0}].streams`;
  const configured = entry.streams === undefined ? available
    : match(available, Array.isArray(entry.streams) ? entry.streams : Object.keys(entry.streams), key);
  const selected = opts.only?.length ? match(available, opts.only, '--streams') : configured;

  const plan = selected.map((stream): PlannedStream => {
    const options = optionsFor(entry, stream.name);
    const placement = { layer: entry.layer, folder: entry.folder, prefix: entry.tablePrefix || undefined, name: options.table ?? stream.name };
    if (opts.full && !stream.syncTypes.includes('FULL_TABLE')) {
      return { stream, syncType: 'INCREMENTAL' as const, placement, fromScratch: true };
    }
    const wanted = (opts.full ? 'FULL_TABLE' : options.syncType ?? stream.defaultSyncType) as SyncType;
    if (!stream.syncTypes.includes(wanted)) {
      throw new ConfigError(`${key}.${stream.name}.syncType`, `stream ${stream.name} does not support ${wanted}; expected one of ${stream.syncTypes.join(', ')}`);
    }
    return { stream, syncType: wanted, placement };
  });

  // Names are checked before any work starts, and two streams may not share one table.
  const owners = new Map<string, string>();
  for (const { stream, placement } of plan) {
    const problem = placementProblem(placement);
    if (problem) throw new ConfigError(`${key}.${stream.name}.table`, problem);
    const table = `${placement.layer}.${tableNameOf(placement)}`;
    const other = owners.get(table);
    if (other) throw new ConfigError(`${key}.${stream.name}.table`, `streams ${other} and ${stream.name} would both load into ${table}; give one a different table name`);
    owners.set(table, stream.name);
  }
  return plan;
}
