/**
 * A destination is data, like a source: a config schema, how to build its API client, a
 * connection test, an optional user-deletion handler and its actions. The event pipeline
 * knows nothing else about it.
 */
import type { z } from 'zod';
import type { RateLimit } from '../core/http/rate-budget.ts';
import type { Logger } from '../core/logger.ts';
import type { AnyAction, PerformContext } from './define-action.ts';

export interface DestinationContext {
  log: Logger;
  /** Config path of the destination's `config:` block, for messages (`destinations[0].config`). */
  at: string;
}

export interface DestinationDefinition<Config = unknown, Client = unknown> {
  /** The `type:` of a destination in the config file. */
  type: string;
  title: string;
  configSchema: z.ZodType<Config>;
  /** Config keys whose values are secrets: redacted everywhere. */
  secretKeys: readonly string[];
  /** Commented YAML for `supportsync init`: the `config:` block only. */
  exampleConfig: string;
  actions: Readonly<Record<string, AnyAction>>;
  /** The request limit of the account the config points at: event delivery spreads its requests to match it. */
  rateLimit?(config: Config): RateLimit;
  /** Actions subscribed with their defaults when a destination lists no `mappings`. */
  defaultMappings: readonly string[];
  createClient(config: Config, ctx: DestinationContext): Client;
  /** Checks credentials and reachability; returns lines for people. Throws AuthError when refused. */
  testConnection(client: Client, ctx?: PerformContext): Promise<string[]>;
  /** Deletes everything the destination holds about a user (Segment's `onDelete`). */
  onDelete?(client: Client, userId: string, ctx: PerformContext): Promise<void>;
}

export function defineDestination<Config, Client>(destination: DestinationDefinition<Config, Client>): DestinationDefinition<Config, Client> {
  return Object.freeze(destination);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDestination = DestinationDefinition<any, any>;
