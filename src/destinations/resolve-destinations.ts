/**
 * Validates every destination of a config at load and compiles its mappings into
 * subscriptions (trigger + action pipeline + batching). Any problem is a ConfigError that
 * names the key, e.g. `destinations[0].mappings[2].trigger: expected a value ... at column 8`,
 * raised before the first event arrives. Secrets are registered for redaction on the way.
 */
import { z } from 'zod';
import { formatIssues } from '../config/format-issues.ts';
import type { DestinationEntry, SupportSyncConfig } from '../config/config-schema.ts';
import { ConfigError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import { parseTrigger, type Trigger } from '../events/fql/parse-trigger.ts';
import { TriggerSyntaxError } from '../events/fql/trigger-syntax-error.ts';
import { MappingError } from '../events/mapping/mapping-error.ts';
import { compileActionPipeline, type ActionPipeline } from './action-pipeline.ts';
import type { AnyAction } from './define-action.ts';
import type { AnyDestination } from './define-destination.ts';
import { deliverySettingsSchema, type DeliverySettings } from './delivery-settings.ts';
import { builtinDestinations, type DestinationRegistry } from './registry.ts';

/** Segment's limit, kept: more mappings than this is a config error. */
export const MAX_MAPPINGS = 50;

export interface BatchSettings {
  enabled: boolean;
  size: number;
  lingerMs: number;
}

/** One mapping of one destination: which events (trigger), what to do (action + fields). */
export interface Subscription {
  /** `<destination>/<mapping>`: keys the queue and the counters. */
  id: string;
  destination: string;
  mapping: string;
  /** Config path, e.g. `destinations[0].mappings[1]`. */
  at: string;
  actionName: string;
  action: AnyAction;
  trigger: Trigger;
  pipeline: ActionPipeline;
  batch: BatchSettings;
}

export interface ResolvedDestination {
  name: string;
  type: string;
  /** Config path, e.g. `destinations[0]`. */
  at: string;
  definition: AnyDestination;
  /** The `config:` block, validated and typed by the destination. */
  config: unknown;
  delivery: DeliverySettings;
  subscriptions: Subscription[];
  /** Things that load but probably do not mean what was written (e.g. and/or without parentheses). */
  warnings: string[];
}

const MAPPING_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

const mappingBase = z.object({
  name: z.string().regex(MAPPING_NAME, 'expected letters, digits, - or _, starting with a letter (at most 40)').optional(),
  action: z.string({ error: 'expected the name of an action' }),
  trigger: z.string({ error: 'expected a trigger (FQL), e.g. type = "track"' }).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().default(true),
  batchSize: z.number().int().min(1).optional(),
  lingerMs: z.number().int().min(0).max(60_000).optional(),
});
const BASE_KEYS = new Set(Object.keys(mappingBase.shape));

function firstIssue(error: z.ZodError, prefix: string): ConfigError {
  const [first, ...rest] = formatIssues(error.issues, prefix);
  return new ConfigError(first!.key, first!.message + (rest.length ? `\n  (and ${rest.map((r) => `${r.key}: ${r.message}`).join('\n  ')})` : ''));
}

function defaultMappingEntries(definition: AnyDestination): Record<string, unknown>[] {
  return definition.defaultMappings.map((action) => ({ action }));
}

function resolveSubscription(
  destination: string,
  definition: AnyDestination,
  raw: Record<string, unknown>,
  at: string,
  names: Set<string>,
  warnings: string[],
): Subscription | undefined {
  const parsed = mappingBase.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, at);
  const base = parsed.data;
  const actions = Object.keys(definition.actions);
  const action = Object.hasOwn(definition.actions, base.action) ? definition.actions[base.action] : undefined;
  if (!action) throw new ConfigError(`${at}.action`, `unknown action "${base.action}" for a ${definition.type} destination; expected one of ${actions.join(', ')}`);

  let name = base.name;
  if (name === undefined) {
    name = base.action;
    for (let n = 2; names.has(name); n++) name = `${base.action}-${n}`;
  } else if (names.has(name)) {
    throw new ConfigError(`${at}.name`, `"${name}" is used by two mappings of this destination; names must be unique (they key the queue and the counters)`);
  }
  names.add(name);

  const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !BASE_KEYS.has(k)));
  const options = action.options.safeParse(rest);
  if (!options.success) {
    const unknown = options.error.issues.find((i) => i.code === 'unrecognized_keys');
    if (unknown && unknown.code === 'unrecognized_keys') {
      const valid = [...BASE_KEYS, ...Object.keys((action.options as unknown as { shape?: object }).shape ?? {})];
      throw new ConfigError(`${at}.${unknown.keys[0]}`, `not a setting of ${base.action} mappings; expected one of ${valid.join(', ')}`);
    }
    throw firstIssue(options.error, at);
  }

  let trigger: Trigger;
  try {
    trigger = parseTrigger(base.trigger ?? action.defaultTrigger);
  } catch (err) {
    if (err instanceof TriggerSyntaxError) throw new ConfigError(`${at}.trigger`, err.message.replace(/^trigger: /, ''));
    throw err;
  }
  for (const w of trigger.warnings) warnings.push(`${at}.trigger: ${w.replace(/^trigger: /, '')}`);

  let pipeline: ActionPipeline;
  try {
    pipeline = compileActionPipeline(action, base.fields, options.data, `${at}.fields`);
  } catch (err) {
    if (err instanceof MappingError) {
      const [first] = err.issues;
      throw new ConfigError(first!.at, err.issues.map((i, n) => (n === 0 ? i.message : `${i.at}: ${i.message}`)).join('\n  '));
    }
    throw err;
  }

  const batching = action.batching;
  const enabled = batching !== undefined && pipeline.constants.enableBatching !== false;
  if (base.batchSize !== undefined && batching && base.batchSize > batching.maxSize) {
    throw new ConfigError(`${at}.batchSize`, `expected at most ${batching.maxSize} events per request for ${base.action}, got ${base.batchSize}`);
  }
  if (base.batchSize !== undefined && base.batchSize > 1 && !batching) {
    throw new ConfigError(`${at}.batchSize`, `${base.action} sends one event per request; remove batchSize`);
  }
  if (!base.enabled) return undefined;
  return {
    id: `${destination}/${name}`,
    destination,
    mapping: name,
    at,
    actionName: base.action,
    action,
    trigger,
    pipeline,
    batch: {
      enabled,
      size: enabled ? (base.batchSize ?? batching!.size) : 1,
      lingerMs: enabled ? (base.lingerMs ?? batching!.lingerMs) : 0,
    },
  };
}

function resolveDestination(entry: DestinationEntry, i: number, registry: DestinationRegistry): ResolvedDestination {
  const at = `destinations[${i}]`;
  const definition = Object.hasOwn(registry, entry.type) ? registry[entry.type] : undefined;
  if (!definition) throw new ConfigError(`${at}.type`, `unknown destination type "${entry.type}"; expected one of ${Object.keys(registry).join(', ')}`);
  for (const key of definition.secretKeys) registerSecret(entry.config[key] as string | undefined);
  const config = definition.configSchema.safeParse(entry.config);
  if (!config.success) throw firstIssue(config.error, `${at}.config`);
  const delivery = deliverySettingsSchema.safeParse(entry.settings ?? {});
  if (!delivery.success) throw firstIssue(delivery.error, `${at}.settings`);

  const entries = entry.mappings ?? defaultMappingEntries(definition);
  if (entries.length > MAX_MAPPINGS) {
    throw new ConfigError(`${at}.mappings`, `has ${entries.length} mappings; a destination allows at most ${MAX_MAPPINGS} (split them over two destinations)`);
  }
  const names = new Set<string>();
  const warnings: string[] = [];
  const subscriptions: Subscription[] = [];
  entries.forEach((raw, j) => {
    const sub = resolveSubscription(entry.name, definition, raw, `${at}.mappings[${j}]`, names, warnings);
    if (sub) subscriptions.push(sub);
  });
  return { name: entry.name, type: entry.type, at, definition, config: config.data, delivery: delivery.data, subscriptions, warnings };
}

/** Validates and compiles every destination of `config`; throws ConfigError at the first problem. */
export function resolveDestinations(config: Pick<SupportSyncConfig, 'destinations'>, registry: DestinationRegistry = builtinDestinations): ResolvedDestination[] {
  const seen = new Set<string>();
  return (config.destinations ?? []).map((entry, i) => {
    if (seen.has(entry.name)) throw new ConfigError(`destinations[${i}].name`, `"${entry.name}" is used by two destinations; names must be unique`);
    seen.add(entry.name);
    return resolveDestination(entry, i, registry);
  });
}
