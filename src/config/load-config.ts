/**
 * Loads a config file: YAML → `${ENV}` interpolation → schema validation → each source's
 * own `config:` block validated by that source → each source's stream selection planned.
 * Any problem is a ConfigError naming the key, raised before any work starts. Secret values
 * are registered for redaction on the way.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { closestName } from '../core/edit-distance.ts';
import { ConfigError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import { resolveDestinations, type ResolvedDestination } from '../destinations/resolve-destinations.ts';
import { planStreams } from '../engine/stream-plan.ts';
import type { Source } from '../sources/source.ts';
import type { z } from 'zod';
import { configSchema, type SourceEntry, type SupportSyncConfig, type WarehouseConfig } from './config-schema.ts';
import { formatIssues, keyPath } from './format-issues.ts';

export interface ResolvedSource {
  entry: SourceEntry;
  source: Source<unknown>;
  /** The source's `config:` block, validated and typed by the source. */
  config: unknown;
}

export interface LoadedConfig {
  /**
   * The whole file, validated. The `config:` blocks of sources outside the scope, and
   * `destinations:` and `intake:` when events are outside it, are as written (`${VAR}` and all).
   */
  config: SupportSyncConfig;
  /** The sources in scope, in file order. */
  sources: ResolvedSource[];
  /** Destinations with their mappings compiled (none when events are outside the scope): a bad trigger or mapping fails here, at load. */
  destinations: ResolvedDestination[];
  /** Directory of the config file: relative paths in it are resolved from here. */
  baseDir: string;
}

export type SourceRegistry = Record<string, Source<any>>;

/**
 * What of the config file a command uses. Only those parts need their `${VAR}`s set and are
 * validated down to each value: `sync --source gleap` runs without the Gladly token or the
 * intake's write key in the environment. Everything else is still checked for its shape
 * (names, types, schedules, stream options). Default: the whole file.
 */
export interface ConfigScope {
  /** The sources whose `config:` blocks are used (default: every one). */
  sources?: (entry: { name: string; type: string }) => boolean;
  /** Whether `destinations:` and `intake:` are used (default: yes). */
  events?: boolean;
}

/** The scope of a command that takes `--source NAME`: that source, or all of them; no events. */
export const sourcesScope = (name: string | undefined): ConfigScope => ({
  sources: (entry) => name === undefined || entry.name === name,
  events: false,
});

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of the parsed document. Every
 * variable that is not set is named in one error (a fresh config usually lacks several).
 */
export function interpolateEnv(
  value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[] = [], leaveAsIs: (at: (string | number)[]) => boolean = () => false,
): unknown {
  const missing: { key: string; name: string }[] = [];
  const walk = (v: unknown, at: (string | number)[]): unknown => {
    if (leaveAsIs(at)) return v;
    if (typeof v === 'string') {
      return v.replace(ENV_REF, (ref, name: string, fallback: string | undefined) => {
        const set = env[name];
        if (set !== undefined && set !== '') return set;
        if (fallback !== undefined) return fallback;
        missing.push({ key: keyPath(at), name });
        return ref;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...at, i]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...at, k])]));
    return v;
  };
  const result = walk(value, path);
  if (missing.length === 1) {
    const [{ key, name }] = missing as [{ key: string; name: string }];
    throw new ConfigError(key, `environment variable ${name} is not set (referenced as \${${name}})`);
  }
  if (missing.length > 1) {
    const names = [...new Set(missing.map((m) => m.name))];
    throw new ConfigError(missing[0]!.key, `environment variables ${names.join(', ')} are not set (referenced at ${missing.map((m) => m.key).join(', ')})`);
  }
  return result;
}

/**
 * Parses the YAML with every `${VAR}` reference left as written. The references are swapped
 * for plain tokens while the text is parsed and put back after, because the documented flow
 * style (`config: { apiToken: ${TOKEN} }`) is not valid YAML as it stands: the braces of
 * `${...}` are flow indicators there. The values are interpolated only after parsing, so
 * whatever a variable holds (a `#`, a `: `, a quote) stays one string and never changes the
 * document's structure.
 */
export function parseYamlText(text: string, file = 'the config'): unknown {
  const refs: string[] = [];
  const marker = `supportsyncEnvRef${Math.random().toString(36).slice(2, 10)}x`;
  const tokenized = text.replace(ENV_REF, (ref) => `${marker}${refs.push(ref) - 1}x`);
  const tokens = new RegExp(`${marker}(\\d+)x`, 'g');
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(tokens, (_m, i: string) => refs[Number(i)]!);
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [restore(k) as string, restore(v)]));
    return value;
  };
  try {
    return restore(parseYaml(tokenized)) ?? {};
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    // The parser's first line, without its position (said above) and the code frame after it.
    const reason = (err as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
    throw new ConfigError(file, `not valid YAML${where}: ${restore(reason) as string}`);
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function validate<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const [first, ...rest] = formatIssues(parsed.error.issues, prefix);
  throw new ConfigError(first!.key, first!.message + (rest.length ? `\n  (and ${rest.map((r) => `${r.key}: ${r.message}`).join('\n  ')})` : ''));
}

export function parseConfigText(
  text: string, registry: SourceRegistry, env: NodeJS.ProcessEnv = process.env, baseDir = process.cwd(), file?: string, scope: ConfigScope = {},
): LoadedConfig {
  const doc = parseYamlText(text, file);
  if (doc === null || (typeof doc === 'object' && Object.keys(doc).length === 0)) {
    throw new ConfigError(file ?? '(config)', 'the config is empty; expected `warehouse:` and `sources:` (write a commented one with `supportsync init --type gleap`)');
  }
  const usesSource = scope.sources ?? (() => true);
  const usesEvents = scope.events ?? true;
  const rawSources = isMap(doc) && Array.isArray(doc.sources) ? doc.sources : [];
  // Unused parts keep their `${VAR}`s: one error still names every variable that is missing
  // from the parts in use.
  const unused = ([top, index, key]: (string | number)[]): boolean => {
    if (top === 'destinations' || top === 'intake') return !usesEvents;
    if (top !== 'sources' || key !== 'config' || typeof index !== 'number') return false;
    const entry = rawSources[index];
    return isMap(entry) && !usesSource({ name: String(entry.name), type: String(entry.type) });
  };
  const config = validate(configSchema, interpolateEnv(doc, env, [], unused));

  const names = new Set<string>();
  const sources = config.sources.flatMap((entry, i): ResolvedSource[] => {
    if (names.has(entry.name)) throw new ConfigError(`sources[${i}].name`, `"${entry.name}" is used by two sources; names must be unique`);
    names.add(entry.name);
    const source = registry[entry.type];
    if (!source) {
      throw new ConfigError(`sources[${i}].type`, `unknown source type "${entry.type}"; expected one of ${Object.keys(registry).join(', ')}`);
    }
    if (!usesSource(entry)) return [];
    for (const key of source.secretKeys) registerSecret(entry.config[key] as string | undefined);
    const checked = source.configSchema.safeParse(entry.config);
    if (!checked.success) {
      const [first] = formatIssues(checked.error.issues, `sources[${i}].config`);
      throw new ConfigError(first!.key, first!.message);
    }
    // Stream names, sync types and table names are config too: checked now for every source
    // in use, not only for the streams the first run happens to select.
    planStreams(entry, source.discover(checked.data), { sourceIndex: i });
    return [{ entry, source, config: checked.data }];
  });
  return { config, sources, destinations: usesEvents ? resolveDestinations(config) : [], baseDir };
}

/** Where a loaded source is in the file (`sources[i]`), for messages that name its settings. */
export function sourceIndex(loaded: LoadedConfig, source: ResolvedSource): number {
  return loaded.config.sources.indexOf(source.entry);
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function loadConfig(file: string, registry: SourceRegistry, env: NodeJS.ProcessEnv = process.env, scope: ConfigScope = {}): LoadedConfig {
  return parseConfigText(readConfigFile(file), registry, env, dirname(resolve(file)), file, scope);
}

/** What commands that only read the warehouse need of a config file. */
export interface WarehouseView {
  warehouse: WarehouseConfig;
  /** Each source's entry with its `config:` left out (empty): placement, tables, streams. */
  sources: SourceEntry[];
  baseDir: string;
}

/**
 * The `warehouse:` block of a config file and where each source's tables are, for commands
 * that only read the warehouse (`query`, `runs`, `stats --from-warehouse`): an analyst needs
 * no source credentials set to run them, so sources' `config:` blocks are neither
 * interpolated nor validated. Everything else is validated as `sync` would.
 */
export function loadWarehouseConfig(file: string, env: NodeJS.ProcessEnv = process.env): WarehouseView {
  const raw = parseYamlText(readConfigFile(file), file);
  const doc: Record<string, unknown> = isMap(raw) ? raw : {};
  const warehouse = validate(configSchema.shape.warehouse, interpolateEnv(doc.warehouse, env, ['warehouse']), 'warehouse');
  const withoutConfigs = Array.isArray(doc.sources) ? doc.sources.map((e: unknown) => (isMap(e) ? { ...e, config: {} } : e)) : doc.sources;
  const sources = validate(configSchema.shape.sources, interpolateEnv(withoutConfigs, env, ['sources']), 'sources');
  return { warehouse, sources, baseDir: dirname(resolve(file)) };
}

/** Picks one source by name, or all of them when `name` is undefined (of those in the scope it was loaded with). */
export function selectSources(loaded: LoadedConfig, name?: string): ResolvedSource[] {
  const entries = loaded.config.sources;
  if (entries.length === 0) {
    throw new ConfigError('sources', 'the config has no sources; add one under `sources:` (`supportsync init --type gleap` writes an example)');
  }
  if (name !== undefined && !entries.some((e) => e.name === name)) throw noSourceNamed(name, entries.map((e) => e.name));
  return loaded.sources.filter((s) => name === undefined || s.entry.name === name);
}

/** `--source NAME` names no source of the config: the error lists them, with the closest one. */
export function noSourceNamed(name: string, names: string[]): ConfigError {
  const hint = closestName(name, names, 2);
  return new ConfigError('--source', `no source named "${name}"; ${hint ? `did you mean ${hint}? ` : ''}the config has ${names.join(', ') || 'no sources'}`);
}
