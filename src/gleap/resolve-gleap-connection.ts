/**
 * Where the `stats` and `gleap` commands find Gleap credentials (INTERFACES.md): a Gleap
 * source of `--config FILE` (chosen with `--source NAME` when there are several), or else
 * the environment: GLEAP_API_KEY, GLEAP_PROJECT_ID and optionally GLEAP_BASE_URL.
 * Error messages name the setting in the form the user wrote it.
 */
import type { SourceEntry } from '../config/config-schema.ts';
import type { ConfigScope, LoadedConfig, ResolvedSource } from '../config/load-config.ts';
import { loadConfig, noSourceNamed } from '../config/load-config.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import type { GleapConfig } from '../sources/gleap/gleap-source.ts';
import { builtinSources } from '../sources/registry.ts';
import type { GleapConnection, GleapSettingNames } from './gleap-connection.ts';
import { ENV_SETTING_NAMES, GLEAP_API_URL } from './gleap-connection.ts';

export interface GleapSelection {
  config?: string;
  source?: string;
}

export interface ResolvedGleap {
  connection: GleapConnection;
  settingNames: GleapSettingNames;
  /** "source gleap of config.yaml" or "environment (GLEAP_API_KEY, ...)". */
  origin: string;
  /** Set when the credentials came from a config file. */
  loaded?: LoadedConfig;
  source?: ResolvedSource;
}

/** The Gleap source of a loaded config (by name, or the only one). */
export function pickGleapSource(loaded: LoadedConfig, name?: string): { source: ResolvedSource; index: number } {
  const index = pickGleapEntry(loaded.config.sources, name);
  const source = loaded.sources.find((s) => s.entry === loaded.config.sources[index]);
  // Loading with gleapScope(name) resolves exactly the source picked here.
  if (!source) throw new Error(`source "${loaded.config.sources[index]!.name}" was not loaded: load the config with gleapScope()`);
  return { source, index };
}

/** The Gleap source these commands use (see pickGleapEntry), and nothing else of the config. */
export const gleapScope = (name: string | undefined): ConfigScope => ({
  sources: (entry) => entry.type === 'gleap' && (name === undefined || entry.name === name),
  events: false,
});

/** The index of the Gleap source among a config's source entries (by name, or the only one). */
export function pickGleapEntry(entries: SourceEntry[], name?: string): number {
  if (name !== undefined) {
    const index = entries.findIndex((e) => e.name === name);
    if (index < 0) throw noSourceNamed(name, entries.map((e) => e.name));
    if (entries[index]!.type !== 'gleap') {
      throw new ConfigError('--source', `"${name}" is a ${entries[index]!.type} source; these commands need a gleap source`);
    }
    return index;
  }
  const gleap = entries.flatMap((e, index) => (e.type === 'gleap' ? [index] : []));
  if (gleap.length === 0) throw new ConfigError('--config', 'the config has no source of type gleap (or give the GLEAP_* environment variables instead)');
  if (gleap.length > 1) {
    throw new ConfigError('--source', `the config has ${gleap.length} Gleap sources (${gleap.map((i) => entries[i]!.name).join(', ')}); choose one with --source NAME`);
  }
  return gleap[0]!;
}

function fromEnv(env: NodeJS.ProcessEnv): ResolvedGleap {
  const apiKey = env.GLEAP_API_KEY?.trim();
  const projectId = env.GLEAP_PROJECT_ID?.trim();
  const missing = [!apiKey && 'GLEAP_API_KEY', !projectId && 'GLEAP_PROJECT_ID'].filter(Boolean) as string[];
  if (missing.length) {
    throw new ConfigError(
      missing[0]!,
      `not set: give --config FILE with a gleap source, or set ${missing.join(' and ')} (and GLEAP_BASE_URL for another server than ${GLEAP_API_URL})`,
    );
  }
  registerSecret(apiKey);
  const baseUrl = env.GLEAP_BASE_URL?.trim() || undefined;
  if (baseUrl !== undefined && !/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
    throw new ConfigError('GLEAP_BASE_URL', `"${baseUrl}" is not an http(s) URL; expected e.g. ${GLEAP_API_URL}`);
  }
  return {
    connection: { apiKey: apiKey!, projectId: projectId!, baseUrl },
    settingNames: ENV_SETTING_NAMES,
    origin: 'environment (GLEAP_API_KEY, GLEAP_PROJECT_ID)',
  };
}

export function resolveGleapConnection(selection: GleapSelection, env: NodeJS.ProcessEnv = process.env): ResolvedGleap {
  if (!selection.config) {
    if (selection.source !== undefined) throw new UsageError('--source needs --config FILE');
    return fromEnv(env);
  }
  const loaded = loadConfig(selection.config, builtinSources, env, gleapScope(selection.source));
  const { source, index } = pickGleapSource(loaded, selection.source);
  const config = source.config as GleapConfig;
  const key = `sources[${index}].config`;
  return {
    connection: { apiKey: config.apiKey, projectId: config.projectId, baseUrl: config.baseUrl, requestsPerMinute: config.requestsPerMinute },
    settingNames: { apiKey: `${key}.apiKey`, projectId: `${key}.projectId` },
    origin: `source ${source.entry.name} of ${selection.config}`,
    loaded,
    source,
  };
}
